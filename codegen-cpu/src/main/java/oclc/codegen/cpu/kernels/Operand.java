package oclc.codegen.cpu.kernels;

import java.lang.foreign.MemorySegment;
import oclc.ir.DType;

/**
 * One buffer a kernel reads or writes, resolved at plan time: the float array that holds it (every
 * buffer of the Java backend is a float[], whatever its element type; {@code memory} is the same
 * array as a segment for other types), where the value starts in it (bytes), its shape, and its
 * element strides (a KV cache's are those of its capacity). A value whose shape only the data
 * decides has no memory: the fallback finds it among the session's host values by name.
 */
public record Operand(
    String name,
    DType dtype,
    float[] array,
    MemorySegment memory,
    long byteOffset,
    long[] shape,
    long[] strides) {

  public static Operand hostHeld(String name) {
    return new Operand(name, null, null, null, 0, null, null);
  }

  public boolean hostHeld() {
    return array == null;
  }

  /**
   * The first element's index in {@link #array()} (float32 values, and params of any type: offsets
   * are 64-byte aligned).
   */
  public int floatOffset() {
    return (int) (byteOffset / Float.BYTES);
  }

  public long elementCount() {
    long count = 1;
    for (long d : shape) {
      count *= d;
    }
    return count;
  }

  public int rank() {
    return shape.length;
  }

  /** Whether the elements lie row-major without gaps (its strides are its shape's). */
  public boolean contiguous() {
    long expected = 1;
    for (int a = shape.length - 1; a >= 0; a--) {
      if (shape[a] != 1 && strides[a] != expected) {
        return false;
      }
      expected *= shape[a];
    }
    return true;
  }
}
