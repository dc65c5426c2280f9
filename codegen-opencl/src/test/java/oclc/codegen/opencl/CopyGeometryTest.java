package oclc.codegen.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CopyGeometryTest {
  @Test
  void theHeadSplitTransposeKeepsFourAxes() {
    // [b=2, s=3, h=4, d=16] -> [b, h, s, d]
    CopyGeometry g = CopyGeometry.transpose(new long[] {2, 3, 4, 16}, new long[] {0, 2, 1, 3});
    assertArrayEquals(new long[] {2, 4, 3, 16}, g.extents());
    assertArrayEquals(new long[] {192, 16, 64, 1}, g.inputStrides());
    assertArrayEquals(new long[] {192, 48, 16, 1}, g.outputStrides());
  }

  @Test
  void anIdentityPermutationCollapsesToOneContiguousRun() {
    CopyGeometry g = CopyGeometry.transpose(new long[] {2, 3, 4}, new long[] {0, 1, 2});
    assertArrayEquals(new long[] {1, 1, 1, 24}, g.extents());
    assertArrayEquals(new long[] {0, 0, 0, 1}, g.inputStrides());
  }

  @Test
  void aConcatPartWritesItsWindowAtTheAxisOffset() {
    CopyGeometry g = CopyGeometry.concatPart(new long[] {2, 5, 4}, new long[] {2, 8, 4}, 1, 3);
    assertEquals(12, g.outputOffset());
    assertArrayEquals(new long[] {1, 1, 2, 20}, g.extents());
    assertArrayEquals(new long[] {0, 0, 20, 1}, g.inputStrides());
    assertArrayEquals(new long[] {0, 0, 32, 1}, g.outputStrides());
  }

  @Test
  void aSliceStartsAtItsOffsetAndStepsByItsStrides() {
    // rows 1..2 of 6 by steps of 2 are evenly spaced across the two planes, so the axes merge
    CopyGeometry g = CopyGeometry.slice(new long[] {4, 6, 8}, new long[] {2, 3, 2}, new long[] {1, 0, 2}, new long[] {1, 2, 3});
    assertEquals(50, g.inputOffset());
    assertArrayEquals(new long[] {1, 1, 6, 2}, g.extents());
    assertArrayEquals(new long[] {0, 0, 16, 3}, g.inputStrides());
    CopyGeometry uneven = CopyGeometry.slice(new long[] {4, 6, 8}, new long[] {2, 2, 2}, new long[] {1, 0, 2}, new long[] {1, 2, 3});
    assertArrayEquals(new long[] {1, 2, 2, 2}, uneven.extents());
    assertArrayEquals(new long[] {0, 48, 16, 3}, uneven.inputStrides());
  }
}
