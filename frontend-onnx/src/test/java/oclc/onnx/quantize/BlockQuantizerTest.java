package oclc.onnx.quantize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import oclc.ir.OclcException;
import org.junit.jupiter.api.Test;

class BlockQuantizerTest {
  @Test
  void everyValueReadsBackWithinHalfItsBlocksStep() {
    Random random = new Random(7);
    float[][] rows = new float[3][70]; // 70: the last block of 32 holds 6 values
    for (float[] row : rows) {
      for (int c = 0; c < row.length; c++) {
        row[c] = (float) random.nextGaussian() + (c < 32 ? 2 : 0); // one block all above 0
      }
    }
    for (int bits : new int[] {4, 8}) {
      BlockQuantizer.Quantized q = BlockQuantizer.quantize((r, c) -> rows[r][c], 3, 70, bits, 32);
      assertEquals(3, q.blocksPerRow());
      for (int r = 0; r < 3; r++) {
        for (int c = 0; c < 70; c++) {
          float step = q.scales()[r * 3 + c / 32];
          assertTrue(
              Math.abs(q.value(r, c) - rows[r][c]) <= step / 2 * 1.0001f,
              bits + " bits, row " + r + " column " + c);
        }
      }
    }
  }

  @Test
  void theRangeAlwaysHoldsZero() {
    float[] row = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    BlockQuantizer.Quantized q = BlockQuantizer.quantize((r, c) -> row[c], 1, 16, 4, 16);
    assertEquals(16f / 15, q.scales()[0], 1e-6);
    assertEquals(0, q.zeroPoints()[0]);
    assertEquals(15, q.codes()[15]);
  }

  @Test
  void fourBitCodesPackLowNibbleFirstAndRowsPadToWholeBlocks() {
    float[] row = new float[20];
    for (int c = 0; c < 20; c++) {
      row[c] = c % 2 == 0 ? -1 : 1; // the codes 0 and 15
    }
    BlockQuantizer.Quantized q = BlockQuantizer.quantize((r, c) -> row[c], 1, 20, 4, 16);
    byte[] packed = q.packedCodes(16); // two blocks of 8 bytes
    assertEquals((byte) 0xF0, packed[0]);
    // the padding of the second block (columns 20..31) is its zero point: it reads as 0
    int zeroPoint = q.zeroPoints()[1];
    assertEquals((byte) (zeroPoint | zeroPoint << 4), packed[15]);
    assertArrayEquals(
        new byte[] {(byte) (q.zeroPoints()[0] | q.zeroPoints()[1] << 4)}, q.packedZeroPoints());
  }

  @Test
  void blocksThatAreNoPowerOfTwoFromSixteenAreRefusedByName() {
    OclcException e =
        assertThrows(
            OclcException.class, () -> new WeightOptions(WeightFormat.INT4, 48, List.of()));
    assertTrue(e.getMessage().contains("--block 48"), e.getMessage());
    assertThrows(OclcException.class, () -> new WeightOptions(WeightFormat.INT4, 8, List.of()));
    assertTrue(
        assertThrows(OclcException.class, () -> WeightFormat.parse("int3"))
            .getMessage()
            .contains("fp32, fp16, int8, int4"));
  }

  @Test
  void keepPatternsAreGlobsOverWholeNames() {
    WeightOptions options = new WeightOptions(WeightFormat.INT4, 32, List.of("wte.*", "/h.0/*"));
    assertTrue(options.keeps("wte.weight"));
    assertTrue(options.keeps("/h.0/attn/c_attn/Gemm"));
    assertTrue(!options.keeps("h.0.attn.c_attn.weight"));
    assertTrue(!options.keeps("xwte.weight"));
  }
}
