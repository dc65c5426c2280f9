package oclc.codegen.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class BroadcastGeometryTest {
  @Test
  void aBiasOverRowsCollapsesToRowsByColumns() {
    BroadcastGeometry g = BroadcastGeometry.of(new long[] {2, 5, 64}, new long[] {2, 5, 64}, new long[] {64});
    assertArrayEquals(new long[] {1, 10, 64}, g.extents());
    assertArrayEquals(new long[] {0, 64, 1}, g.inputStrides()[0]);
    assertArrayEquals(new long[] {0, 0, 1}, g.inputStrides()[1]);
  }

  @Test
  void sameShapesCollapseToOneAxis() {
    BroadcastGeometry g = BroadcastGeometry.of(new long[] {3, 4, 5}, new long[] {3, 4, 5}, new long[] {3, 4, 5});
    assertArrayEquals(new long[] {1, 1, 60}, g.extents());
    assertArrayEquals(new long[] {0, 0, 1}, g.inputStrides()[0]);
  }

  @Test
  void aMaskOverHeadsKeepsThreeAxes() {
    // scores [b=2, h=4, q=3, k=7] with a mask [1, 1, 3, 7]
    BroadcastGeometry g = BroadcastGeometry.of(new long[] {2, 4, 3, 7}, new long[] {2, 4, 3, 7}, new long[] {1, 1, 3, 7});
    assertArrayEquals(new long[] {1, 8, 21}, g.extents());
    assertArrayEquals(new long[] {0, 21, 1}, g.inputStrides()[0]);
    assertArrayEquals(new long[] {0, 0, 1}, g.inputStrides()[1]);
  }

  @Test
  void anOuterProductUsesStrideZeroOnEachSide() {
    BroadcastGeometry g = BroadcastGeometry.of(new long[] {3, 4}, new long[] {3, 1}, new long[] {1, 4});
    assertArrayEquals(new long[] {1, 3, 4}, g.extents());
    assertArrayEquals(new long[] {0, 1, 0}, g.inputStrides()[0]);
    assertArrayEquals(new long[] {0, 0, 1}, g.inputStrides()[1]);
  }

  @Test
  void threeInputsOfAWhereShareOneGeometry() {
    // Where(mask [1, 1, 3, 7], scores [2, 4, 3, 7], scalar)
    BroadcastGeometry g = BroadcastGeometry.of(new long[] {2, 4, 3, 7}, new long[] {1, 1, 3, 7}, new long[] {2, 4, 3, 7}, new long[0]);
    assertArrayEquals(new long[] {1, 8, 21}, g.extents());
    assertArrayEquals(new long[] {0, 0, 1}, g.inputStrides()[0]);
    assertArrayEquals(new long[] {0, 21, 1}, g.inputStrides()[1]);
    assertArrayEquals(new long[] {0, 0, 0}, g.inputStrides()[2]);
  }

  @Test
  void moreThanThreeAlternatingAxesAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> BroadcastGeometry.of(
        new long[] {2, 3, 4, 5}, new long[] {2, 1, 4, 1}, new long[] {1, 3, 1, 5}));
  }
}
