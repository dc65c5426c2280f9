package oclc.codegen.opencl;

import oclc.ir.DType;

/**
 * How elementwise kernels hold each element type: the OpenCL C type of its buffers, the type its
 * values are computed in (integers in 64 bits, as the reference computes them), and the short
 * name kernels are suffixed with.
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
      case OTHER -> throw new NotLowerableException("the elementwise kernels have no " + type + " elements");
    };
  }

  /** The C type of a buffer of {@code type}; bool is uchar holding 0 or 1. */
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
      case FLOAT16, BFLOAT16 -> throw new NotLowerableException(
          "the elementwise kernels do not yet convert " + type + " elements (float32, float64, integers and bool only)");
      default -> throw new NotLowerableException("the elementwise kernels have no " + type + " elements");
    };
  }

  /** The C type values of {@code type} are computed in. */
  static String computeType(DType type) {
    return switch (domain(type)) {
      case FLOAT -> bufferType(type);
      case SIGNED -> "long";
      case UNSIGNED -> "ulong";
      case BOOL -> "uchar";
    };
  }

  /** The suffix of kernel names: f32, i64, u8, bool, ... */
  static String suffix(DType type) {
    return switch (domain(type)) {
      case FLOAT -> "f" + 8 * type.byteSize();
      case SIGNED -> "i" + 8 * type.byteSize();
      case UNSIGNED -> "u" + 8 * type.byteSize();
      case BOOL -> "bool";
    };
  }
}
