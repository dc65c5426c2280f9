package oclc.tests.support;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import oclc.ir.DType;
import oclc.ir.Tensor;
import oclc.runtime.Session;

/** Checks of {@link Session#output(String, Tensor)} that hold on every backend. */
public final class OutputReuse {
  private OutputReuse() {}

  /**
   * After a run: the logits read into a NaN-filled tensor of their size are the logits, in that
   * tensor's own memory; a tensor without room gets a new one and is left as it was.
   */
  public static void assertReadsIntoAnEarlierTensor(Session session) {
    Tensor fresh = session.output("logits");
    Tensor holder =
        Tensor.wrap(
            DType.FLOAT32,
            fresh.shape(),
            ByteBuffer.allocateDirect(fresh.size() * 4).order(ByteOrder.LITTLE_ENDIAN));
    for (int i = 0; i < holder.size(); i++) {
      holder.setFloat(i, Float.NaN);
    }
    Tensor read = session.output("logits", holder);
    assertArrayEquals(fresh.toFloatArray(), read.toFloatArray());
    assertArrayEquals(
        fresh.toFloatArray(), holder.toFloatArray(), "read into the holder's own memory");
    Tensor tooSmall =
        Tensor.wrap(
            DType.FLOAT32,
            new long[] {1},
            ByteBuffer.allocateDirect(4).order(ByteOrder.LITTLE_ENDIAN));
    tooSmall.setFloat(0, -7f);
    assertArrayEquals(
        fresh.toFloatArray(), session.output("logits", tooSmall).toFloatArray(), "a new tensor");
    assertEquals(-7f, tooSmall.getFloat(0), "a tensor without room is left as it was");
    // A holder with more room than the logits need keeps all of it, for a later, longer read.
    Tensor roomy =
        Tensor.inMemory(
            DType.FLOAT32,
            new long[] {1},
            ByteBuffer.allocateDirect(fresh.size() * 4 + 64).order(ByteOrder.LITTLE_ENDIAN));
    Tensor kept = session.output("logits", roomy);
    assertArrayEquals(fresh.toFloatArray(), kept.toFloatArray());
    assertEquals(fresh.size() * 4 + 64, kept.writableData().capacity(), "the whole memory is kept");
    assertEquals(fresh.size() * 4, kept.data().remaining(), "the tensor itself is the logits");
  }
}
