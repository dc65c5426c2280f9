package oclc.ir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/**
 * What a reader that refills one tensor may write into: all of an in-memory tensor's memory, only a
 * view's own bytes.
 */
class TensorMemoryTest {
  @Test
  void anInMemoryTensorKeepsAllItsMemoryAndIsOnlyItsElements() {
    ByteBuffer memory = ByteBuffer.allocate(16 * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < 16; i++) {
      memory.putFloat(i * 4, i);
    }
    Tensor small = Tensor.inMemory(DType.FLOAT32, new long[] {2}, memory);
    assertArrayEquals(new float[] {0, 1}, small.toFloatArray());
    assertEquals(8, small.data().remaining());
    assertEquals(64, small.writableData().capacity());
    Tensor larger = Tensor.inMemory(DType.FLOAT32, new long[] {2, 4}, small.writableData());
    assertArrayEquals(
        new float[] {0, 1, 2, 3, 4, 5, 6, 7},
        larger.toFloatArray(),
        "the same memory, seen larger");
    assertEquals(64, larger.writableData().capacity());
  }

  @Test
  void aViewOfLargerBytesMayRefillOnlyItsOwn() {
    ByteBuffer shared = ByteBuffer.allocate(16 * 4).order(ByteOrder.LITTLE_ENDIAN);
    Tensor view = Tensor.wrap(DType.FLOAT32, new long[] {3}, shared.position(8));
    assertEquals(
        12,
        view.writableData().capacity(),
        "the rest of someone else's buffer is not the tensor's");
    assertEquals(12, Tensor.allocate(DType.FLOAT32, 3).writableData().capacity());
  }

  @Test
  void aReadGoesIntoTheEarlierTensorsMemoryWhenItFits() {
    Tensor earlier =
        Tensor.inMemory(
            DType.FLOAT32,
            new long[] {2},
            ByteBuffer.allocateDirect(64).order(ByteOrder.LITTLE_ENDIAN));
    ByteBuffer reused = Tensor.memoryFor(earlier, DType.FLOAT32, 48, true);
    assertEquals(64, reused.capacity(), "all of the earlier memory, not just its two elements");
    reused.putFloat(0, 7f);
    assertEquals(7f, earlier.getFloat(0), "the same memory");
    assertEquals(
        80, Tensor.memoryFor(earlier, DType.FLOAT32, 80, true).capacity(), "too small: new memory");
    assertEquals(64, Tensor.memoryFor(null, DType.INT64, 64, false).capacity());
    assertTrue(
        Tensor.memoryFor(earlier, DType.INT32, 16, true).getInt(0) == 0
            && earlier.getFloat(0) == 7f,
        "another type: new memory, the earlier tensor untouched");
    Tensor onHeap =
        Tensor.inMemory(
            DType.FLOAT32, new long[] {2}, ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN));
    assertTrue(
        Tensor.memoryFor(onHeap, DType.FLOAT32, 8, true).isDirect(),
        "direct memory where it is asked for");
    assertEquals(64, Tensor.memoryFor(onHeap, DType.FLOAT32, 8, false).capacity());
  }
}
