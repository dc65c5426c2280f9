package oclc.ir;

import java.util.Arrays;
import java.util.Optional;

/** Element types of tensors, with the ONNX {@code TensorProto.DataType} code of each. */
public enum DType {
  FLOAT32(1, "float32", 4, Kind.FLOAT),
  UINT8(2, "uint8", 1, Kind.UNSIGNED),
  INT8(3, "int8", 1, Kind.SIGNED),
  UINT16(4, "uint16", 2, Kind.UNSIGNED),
  INT16(5, "int16", 2, Kind.SIGNED),
  INT32(6, "int32", 4, Kind.SIGNED),
  INT64(7, "int64", 8, Kind.SIGNED),
  STRING(8, "string", 0, Kind.OTHER),
  BOOL(9, "bool", 1, Kind.BOOL),
  FLOAT16(10, "float16", 2, Kind.FLOAT),
  FLOAT64(11, "float64", 8, Kind.FLOAT),
  UINT32(12, "uint32", 4, Kind.UNSIGNED),
  UINT64(13, "uint64", 8, Kind.UNSIGNED),
  COMPLEX64(14, "complex64", 8, Kind.OTHER),
  COMPLEX128(15, "complex128", 16, Kind.OTHER),
  BFLOAT16(16, "bfloat16", 2, Kind.FLOAT);

  /** How the bits of an element are read. */
  public enum Kind {
    FLOAT,
    SIGNED,
    UNSIGNED,
    BOOL,
    OTHER
  }

  private final int onnxCode;
  private final String displayName;
  private final int byteSize;
  private final Kind kind;

  DType(int onnxCode, String displayName, int byteSize, Kind kind) {
    this.onnxCode = onnxCode;
    this.displayName = displayName;
    this.byteSize = byteSize;
    this.kind = kind;
  }

  public int onnxCode() {
    return onnxCode;
  }

  public String displayName() {
    return displayName;
  }

  public int byteSize() {
    return byteSize;
  }

  public Kind kind() {
    return kind;
  }

  public boolean isFloat() {
    return kind == Kind.FLOAT;
  }

  /** Signed or unsigned integer (bool is not an integer here). */
  public boolean isInteger() {
    return kind == Kind.SIGNED || kind == Kind.UNSIGNED;
  }

  public boolean isUnsigned() {
    return kind == Kind.UNSIGNED;
  }

  public boolean isBool() {
    return kind == Kind.BOOL;
  }

  /** Types that tensors of the reference executor can hold. */
  public boolean isSupported() {
    return kind != Kind.OTHER;
  }

  public static Optional<DType> fromOnnxCode(int code) {
    return Arrays.stream(values()).filter(t -> t.onnxCode == code).findFirst();
  }

  @Override
  public String toString() {
    return displayName;
  }
}
