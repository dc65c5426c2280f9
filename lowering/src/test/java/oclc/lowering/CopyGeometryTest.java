package oclc.lowering;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import oclc.ir.Dim;
import org.junit.jupiter.api.Test;

class CopyGeometryTest {
  @Test
  void theHeadSplitTransposeKeepsFourAxes() {
    // [b=2, s=3, h=4, d=16] -> [b, h, s, d]
    CopyGeometry g = CopyGeometry.transpose(Dims.of(2, 3, 4, 16), new long[] {0, 2, 1, 3});
    assertEquals(Dims.of(2, 4, 3, 16), g.extents());
    assertEquals(Dims.of(192, 16, 64, 1), g.inputStrides());
    assertEquals(Dims.of(192, 48, 16, 1), g.outputStrides());
  }

  @Test
  void anIdentityPermutationCollapsesToOneContiguousRun() {
    CopyGeometry g = CopyGeometry.transpose(Dims.of(2, 3, 4), new long[] {0, 1, 2});
    assertEquals(Dims.of(1, 1, 1, 24), g.extents());
    assertEquals(Dims.of(0, 0, 0, 1), g.inputStrides());
  }

  @Test
  void aConcatPartWritesItsWindowAtTheAxisOffset() {
    CopyGeometry g = CopyGeometry.concatPart(Dims.of(2, 5, 4), Dims.of(2, 8, 4), 1, Dim.of(3));
    assertEquals(Dim.of(12), g.outputOffset());
    assertEquals(Dims.of(1, 1, 2, 20), g.extents());
    assertEquals(Dims.of(0, 0, 20, 1), g.inputStrides());
    assertEquals(Dims.of(0, 0, 32, 1), g.outputStrides());
  }

  @Test
  void aSliceStartsAtItsOffsetAndStepsByItsStrides() {
    // rows 1..2 of 6 by steps of 2 are evenly spaced across the two planes, so the axes merge
    CopyGeometry g =
        CopyGeometry.slice(
            Dims.of(4, 6, 8), Dims.of(2, 3, 2), Dims.of(1, 0, 2), new long[] {1, 2, 3});
    assertEquals(Dim.of(50), g.inputOffset());
    assertEquals(Dims.of(1, 1, 6, 2), g.extents());
    assertEquals(Dims.of(0, 0, 16, 3), g.inputStrides());
    CopyGeometry uneven =
        CopyGeometry.slice(
            Dims.of(4, 6, 8), Dims.of(2, 2, 2), Dims.of(1, 0, 2), new long[] {1, 2, 3});
    assertEquals(Dims.of(1, 2, 2, 2), uneven.extents());
    assertEquals(Dims.of(0, 48, 16, 3), uneven.inputStrides());
  }

  @Test
  void theCausalMaskSliceStartsAtThePastLength() {
    // mask [1, 1, 128, 128][:, :, past : past + seq, :]
    Dim seq = Dim.symbol("sequence_length");
    Dim past = Dim.symbol("past_sequence_length");
    CopyGeometry g =
        CopyGeometry.slice(
            Dims.of(1, 1, 128, 128),
            List.of(Dim.of(1), Dim.of(1), seq, Dim.of(128)),
            List.of(Dim.of(0), Dim.of(0), past, Dim.of(0)),
            new long[] {1, 1, 1, 1});
    assertEquals(past.times(128), g.inputOffset());
    assertEquals(List.of(Dim.of(1), Dim.of(1), Dim.of(1), seq.times(128)), g.extents());
  }

  @Test
  void theNewKeysOfAConcatLandAfterThePast() {
    Dim batch = Dim.symbol("batch_size");
    Dim seq = Dim.symbol("sequence_length");
    Dim past = Dim.symbol("past_sequence_length");
    List<Dim> present = List.of(batch, Dim.of(4), past.plus(seq), Dim.of(16));
    CopyGeometry g =
        CopyGeometry.concatPart(List.of(batch, Dim.of(4), seq, Dim.of(16)), present, 2, past);
    assertEquals(past.times(16), g.outputOffset());
    assertEquals(List.of(Dim.of(1), Dim.of(1), batch.times(4), seq.times(16)), g.extents());
    assertEquals(
        List.of(Dim.of(0), Dim.of(0), past.plus(seq).times(16), Dim.of(1)), g.outputStrides());
  }
}
