package oclc.codegen.cpu.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PackedMatrixTest {
  @Test
  void packedLengthCoversWholePanels() {
    assertEquals(0, PackedMatrix.packedLength(0, 5));
    assertEquals(0, PackedMatrix.packedLength(5, 0));
    assertEquals(3 * 64, PackedMatrix.packedLength(3, 1));
    assertEquals(3 * 64, PackedMatrix.packedLength(3, 64));
    assertEquals(3 * 128, PackedMatrix.packedLength(3, 65));
    assertEquals(768 * 50304, PackedMatrix.packedLength(768, 50257));
  }

  @Test
  void unpackGivesBackWhatWasPackedAndThePaddingIsZero() {
    Random random = new Random(3);
    for (int[] shape : new int[][] {{1, 1}, {3, 63}, {7, 64}, {5, 65}, {17, 130}, {2, 200}}) {
      int k = shape[0];
      int n = shape[1];
      float[] b = new float[4 + k * n];
      for (int i = 0; i < b.length; i++) {
        b[i] = random.nextFloat() + 0.5f;
      }
      float[] packed = new float[2 + PackedMatrix.packedLength(k, n) + 2];
      Arrays.fill(packed, Float.NaN);
      PackedMatrix.pack(b, 4, k, n, packed, 2);
      assertTrue(
          Float.isNaN(packed[1]) && Float.isNaN(packed[packed.length - 2]),
          "wrote outside its range");
      int padding = 0;
      for (int i = 2; i < packed.length - 2; i++) {
        assertTrue(!Float.isNaN(packed[i]), "packed[" + i + "] unwritten");
        padding += packed[i] == 0f ? 1 : 0;
      }
      assertEquals(
          (long) PackedMatrix.packedLength(k, n) - (long) k * n,
          padding,
          "zero padding of " + k + "x" + n);
      float[] back = new float[1 + k * n];
      Arrays.fill(back, Float.NaN);
      PackedMatrix.unpack(packed, 2, k, n, back, 1);
      assertArrayEquals(
          Arrays.copyOfRange(b, 4, b.length), Arrays.copyOfRange(back, 1, back.length));
    }
  }

  @Test
  void aPanelIsKMajor() {
    int k = 3;
    int n = 70;
    float[] b = new float[k * n];
    for (int i = 0; i < b.length; i++) {
      b[i] = i;
    }
    float[] packed = new float[PackedMatrix.packedLength(k, n)];
    PackedMatrix.pack(b, 0, k, n, packed, 0);
    assertEquals(b[1 * n + 5], packed[1 * 64 + 5]);
    assertEquals(b[2 * n + 66], packed[64 * k + 2 * 64 + 2]);
  }
}
