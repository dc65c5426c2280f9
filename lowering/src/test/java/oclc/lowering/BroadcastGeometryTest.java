package oclc.lowering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import oclc.ir.Dim;
import org.junit.jupiter.api.Test;

class BroadcastGeometryTest {
  @Test
  void aBiasOverRowsCollapsesToRowsByColumns() {
    BroadcastGeometry g =
        BroadcastGeometry.of(new long[] {2, 5, 64}, new long[] {2, 5, 64}, new long[] {64});
    assertEquals(Dims.of(1, 10, 64), g.extents());
    assertEquals(Dims.of(0, 64, 1), g.inputStrides().get(0));
    assertEquals(Dims.of(0, 0, 1), g.inputStrides().get(1));
  }

  @Test
  void sameShapesCollapseToOneAxis() {
    BroadcastGeometry g =
        BroadcastGeometry.of(new long[] {3, 4, 5}, new long[] {3, 4, 5}, new long[] {3, 4, 5});
    assertEquals(Dims.of(1, 1, 60), g.extents());
    assertEquals(Dims.of(0, 0, 1), g.inputStrides().get(0));
  }

  @Test
  void aMaskOverHeadsKeepsThreeAxes() {
    // scores [b=2, h=4, q=3, k=7] with a mask [1, 1, 3, 7]
    BroadcastGeometry g =
        BroadcastGeometry.of(
            new long[] {2, 4, 3, 7}, new long[] {2, 4, 3, 7}, new long[] {1, 1, 3, 7});
    assertEquals(Dims.of(1, 8, 21), g.extents());
    assertEquals(Dims.of(0, 21, 1), g.inputStrides().get(0));
    assertEquals(Dims.of(0, 0, 1), g.inputStrides().get(1));
  }

  @Test
  void anOuterProductUsesStrideZeroOnEachSide() {
    BroadcastGeometry g =
        BroadcastGeometry.of(new long[] {3, 4}, new long[] {3, 1}, new long[] {1, 4});
    assertEquals(Dims.of(1, 3, 4), g.extents());
    assertEquals(Dims.of(0, 1, 0), g.inputStrides().get(0));
    assertEquals(Dims.of(0, 0, 1), g.inputStrides().get(1));
  }

  @Test
  void threeInputsOfAWhereShareOneGeometry() {
    // Where(mask [1, 1, 3, 7], scores [2, 4, 3, 7], scalar)
    BroadcastGeometry g =
        BroadcastGeometry.of(
            new long[] {2, 4, 3, 7}, new long[] {1, 1, 3, 7}, new long[] {2, 4, 3, 7}, new long[0]);
    assertEquals(Dims.of(1, 8, 21), g.extents());
    assertEquals(Dims.of(0, 0, 1), g.inputStrides().get(0));
    assertEquals(Dims.of(0, 21, 1), g.inputStrides().get(1));
    assertEquals(Dims.of(0, 0, 0), g.inputStrides().get(2));
  }

  @Test
  void fourAlternatingAxesLoopTheOutermostInsideTheWorkItem() {
    BroadcastGeometry g =
        BroadcastGeometry.of(
            new long[] {2, 3, 4, 5}, new long[] {2, 1, 4, 1}, new long[] {1, 3, 1, 5});
    assertEquals(4, g.axisCount());
    assertEquals(Dims.of(2, 3, 4, 5), g.extents());
    assertEquals(Dims.of(4, 0, 1, 0), g.inputStrides().get(0));
    assertEquals(Dims.of(0, 5, 0, 1), g.inputStrides().get(1));
    assertEquals(Dims.of(5, 4, 3), g.globalSize());
    assertEquals(Dims.of(2, 3, 4, 5, 4, 0, 1, 0, 0, 5, 0, 1), g.scalarArguments());
  }

  @Test
  void threeAxesThatSufficeKeepTheThreeAxisForm() {
    BroadcastGeometry g = BroadcastGeometry.of(new long[] {2, 4, 3, 7}, new long[] {1, 1, 3, 7});
    assertEquals(3, g.axisCount());
    assertEquals(Dims.of(8, 21, 0, 0, 1), g.scalarArguments());
  }

  @Test
  void moreThanFourAlternatingAxesAreRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            BroadcastGeometry.of(
                new long[] {2, 3, 4, 5, 6},
                new long[] {2, 1, 4, 1, 6},
                new long[] {1, 3, 1, 5, 1}));
  }

  @Test
  void theAttentionMaskBroadcastStaysSymbolic() {
    // Where(mask [1, 1, seq, past + seq], scores [batch, 4, seq, past + seq], scalar)
    Dim batch = Dim.symbol("batch_size");
    Dim seq = Dim.symbol("sequence_length");
    Dim keys = Dim.symbol("past_sequence_length").plus(seq);
    BroadcastGeometry g =
        BroadcastGeometry.of(
            List.of(batch, Dim.of(4), seq, keys),
            List.of(
                List.of(Dim.of(1), Dim.of(1), seq, keys),
                List.of(batch, Dim.of(4), seq, keys),
                List.of()));
    assertEquals(List.of(Dim.of(1), batch.times(4), seq.times(keys)), g.extents());
    assertEquals(List.of(Dim.of(0), Dim.of(0), Dim.of(1)), g.inputStrides().get(0));
    assertEquals(List.of(Dim.of(0), seq.times(keys), Dim.of(1)), g.inputStrides().get(1));
  }

  @Test
  void aSymbolicDimThatIsNotOneIsNeverTreatedAsBroadcast() {
    Dim seq = Dim.symbol("sequence_length");
    assertThrows(
        IllegalArgumentException.class,
        () ->
            BroadcastGeometry.of(
                List.of(seq, Dim.of(4)), List.of(List.of(Dim.symbol("other"), Dim.of(4)))));
  }
}
