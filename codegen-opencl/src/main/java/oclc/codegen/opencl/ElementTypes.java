package oclc.codegen.opencl;

import oclc.ir.DType;

/**
 * How elementwise kernels hold each element type: the OpenCL C type of its buffers, the type its
 * values are computed in (integers in 64 bits, as the reference computes them; float16 and bfloat16
 * in float), how its elements are loaded and stored, and the short name kernels are suffixed with.
 */
final class ElementTypes {
  private ElementTypes() {}

  /** The dictionaries of {@code elementwise.stg} an element type's expressions come from. */
  enum Domain {
    FLOAT("float"),
    SIGNED("signed"),
    UNSIGNED("unsigned"),
    BOOL("bool");

    final String templatePrefix;

    Domain(String templatePrefix) {
      this.templatePrefix = templatePrefix;
    }
  }

  static Domain domain(DType type) {
    return switch (type.kind()) {
      case FLOAT -> Domain.FLOAT;
      case SIGNED -> Domain.SIGNED;
      case UNSIGNED -> Domain.UNSIGNED;
      case BOOL -> Domain.BOOL;
      case OTHER ->
          throw new NotLowerableException("the elementwise kernels have no " + type + " elements");
    };
  }

  /**
   * The C type of a buffer of {@code type}; bool is uchar holding 0 or 1, float16 is half (read and
   * written only by vload_half and vstore_half), bfloat16 the ushort of its bits.
   */
  static String bufferType(DType type) {
    return switch (type) {
      case FLOAT32 -> "float";
      case FLOAT64 -> "double";
      case INT8 -> "char";
      case UINT8, BOOL -> "uchar";
      case INT16 -> "short";
      case UINT16 -> "ushort";
      case INT32 -> "int";
      case UINT32 -> "uint";
      case INT64 -> "long";
      case UINT64 -> "ulong";
      case FLOAT16 -> "half";
      case BFLOAT16 -> "ushort";
      default ->
          throw new NotLowerableException("the elementwise kernels have no " + type + " elements");
    };
  }

  /** The C type values of {@code type} are computed in. */
  static String computeType(DType type) {
    return switch (domain(type)) {
      case FLOAT -> type == DType.FLOAT16 || type == DType.BFLOAT16 ? "float" : bufferType(type);
      case SIGNED -> "long";
      case UNSIGNED -> "ulong";
      case BOOL -> "uchar";
    };
  }

  /** The suffix of kernel names: f32, i64, u8, bool, ... */
  static String suffix(DType type) {
    return switch (domain(type)) {
      case FLOAT -> (type == DType.BFLOAT16 ? "bf" : "f") + 8 * type.byteSize();
      case SIGNED -> "i" + 8 * type.byteSize();
      case UNSIGNED -> "u" + 8 * type.byteSize();
      case BOOL -> "bool";
    };
  }

  /** How the templates' load and store spell an element of {@code type}. */
  static ElementwiseKernels.Storage storage(DType type) {
    return new ElementwiseKernels.Storage(
        bufferType(type), type == DType.FLOAT16, type == DType.BFLOAT16);
  }

  /**
   * The C type a kernel that only moves elements (Where) copies them as: 16-bit floats as their
   * bits.
   */
  static String copyType(DType type) {
    return type == DType.FLOAT16 || type == DType.BFLOAT16 ? "ushort" : bufferType(type);
  }
}
