package oclc.codegen.cpu.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Set;
import oclc.ir.DType;

/**
 * Element access by type over an operand's segment, with the conversions of {@code ir.Tensor}'s
 * accessors (integers read as long, unsigned as unsigned; to an integer a double truncates toward
 * zero and wraps to the width; to bool, not zero): what the plain Java kernels of any element type
 * use, here and beside them (the CumSum kernel).
 */
public final class Elements {
  /** The element types these accessors take. */
  static final Set<DType> TYPES =
      Set.of(
          DType.FLOAT32,
          DType.FLOAT64,
          DType.FLOAT16,
          DType.INT64,
          DType.INT32,
          DType.INT16,
          DType.UINT16,
          DType.INT8,
          DType.UINT8,
          DType.UINT32,
          DType.BOOL);

  private Elements() {}

  public static double getDouble(MemorySegment m, long at, DType type) {
    return switch (type) {
      case FLOAT32 -> m.get(ValueLayout.JAVA_FLOAT_UNALIGNED, at);
      case FLOAT64 -> m.get(ValueLayout.JAVA_DOUBLE_UNALIGNED, at);
      case FLOAT16 -> Float.float16ToFloat(m.get(ValueLayout.JAVA_SHORT_UNALIGNED, at));
      default -> getLong(m, at, type);
    };
  }

  public static long getLong(MemorySegment m, long at, DType type) {
    return switch (type) {
      case INT8 -> m.get(ValueLayout.JAVA_BYTE, at);
      case UINT8 -> m.get(ValueLayout.JAVA_BYTE, at) & 0xFFL;
      case INT16 -> m.get(ValueLayout.JAVA_SHORT_UNALIGNED, at);
      case UINT16 -> m.get(ValueLayout.JAVA_SHORT_UNALIGNED, at) & 0xFFFFL;
      case INT32 -> m.get(ValueLayout.JAVA_INT_UNALIGNED, at);
      case UINT32 -> m.get(ValueLayout.JAVA_INT_UNALIGNED, at) & 0xFFFFFFFFL;
      case INT64 -> m.get(ValueLayout.JAVA_LONG_UNALIGNED, at);
      case BOOL -> m.get(ValueLayout.JAVA_BYTE, at) != 0 ? 1 : 0;
      default -> (long) getDouble(m, at, type);
    };
  }

  public static boolean getBool(MemorySegment m, long at, DType type) {
    return type.isFloat() ? getDouble(m, at, type) != 0 : getLong(m, at, type) != 0;
  }

  public static void setDouble(MemorySegment m, long at, DType type, double v) {
    switch (type) {
      case FLOAT32 -> m.set(ValueLayout.JAVA_FLOAT_UNALIGNED, at, (float) v);
      case FLOAT64 -> m.set(ValueLayout.JAVA_DOUBLE_UNALIGNED, at, v);
      // through float, as the reference's tensors round a double to float16
      case FLOAT16 -> m.set(ValueLayout.JAVA_SHORT_UNALIGNED, at, Float.floatToFloat16((float) v));
      case BOOL -> m.set(ValueLayout.JAVA_BYTE, at, (byte) (v != 0 ? 1 : 0));
      default -> setLong(m, at, type, (long) v);
    }
  }

  public static void setLong(MemorySegment m, long at, DType type, long v) {
    switch (type) {
      case INT8, UINT8 -> m.set(ValueLayout.JAVA_BYTE, at, (byte) v);
      case INT16, UINT16 -> m.set(ValueLayout.JAVA_SHORT_UNALIGNED, at, (short) v);
      case INT32, UINT32 -> m.set(ValueLayout.JAVA_INT_UNALIGNED, at, (int) v);
      case INT64 -> m.set(ValueLayout.JAVA_LONG_UNALIGNED, at, v);
      case BOOL -> m.set(ValueLayout.JAVA_BYTE, at, (byte) (v != 0 ? 1 : 0));
      default -> setDouble(m, at, type, v);
    }
  }
}
