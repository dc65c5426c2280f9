package oclc.ir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** What a reader that refills one tensor may write into: all of an in-memory tensor's memory, only a view's own bytes. */
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
    assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5, 6, 7}, larger.toFloatArray(), "the same memory, seen larger");
    assertEquals(64, larger.writableData().capacity());
  }

  @Test
  void aViewOfLargerBytesMayRefillOnlyItsOwn() {
    ByteBuffer shared = ByteBuffer.allocate(16 * 4).order(ByteOrder.LITTLE_ENDIAN);
    Tensor view = Tensor.wrap(DType.FLOAT32, new long[] {3}, shared.position(8));
    assertEquals(12, view.writableData().capacity(), "the rest of someone else's buffer is not the tensor's");
    assertEquals(12, Tensor.allocate(DType.FLOAT32, 3).writableData().capacity());
  }
}
