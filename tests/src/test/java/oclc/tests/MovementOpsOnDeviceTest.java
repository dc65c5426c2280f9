package oclc.tests;

import java.util.Map;
import java.util.Random;
import java.util.Set;
import oclc.ir.Attribute;
import oclc.ir.DType;
import oclc.ir.Tensor;
import oclc.tests.support.Reference;
import org.junit.jupiter.api.Test;

/**
 * The gathers, scatters, pads, tiles and masks whose semantics are subtle (negative indices,
 * duplicate scatter indices, reflect padding, crops, one-hot depth known at compile time, windows
 * of more than four axes), each a one-node model compiled for the device and run into poisoned
 * buffers, against the reference op. Inputs marked constant become compile-time constants.
 */
class MovementOpsOnDeviceTest {

  /**
   * Runs {@code opType} on the device with {@code inputs} (those in {@code constant} folded in) and
   * checks it exactly.
   */
  private static void check(
      String opType,
      Map<String, Attribute> attributes,
      long opset,
      Set<Integer> constant,
      Tensor... inputs) {
    OneNodeOnDevice.check(opType, attributes, opset, constant, OneNodeOnDevice.exactly(), inputs);
  }

  private static Map<String, Attribute> axis(long axis) {
    return Map.of("axis", new Attribute.IntValue(axis));
  }

  private static Tensor floats(long... shape) {
    return Reference.random(new Random(java.util.Arrays.hashCode(shape)), false, shape);
  }

  private static Tensor longs(long[] shape, long... values) {
    return Tensor.ofLongs(shape, values);
  }

  private static Tensor ints(long[] shape, long... values) {
    return Tensor.ofLongs(DType.INT32, shape, values);
  }

  @Test
  void gatherAlongTheMiddleAxisTakesNegativeInt32Indices() {
    check(
        "Gather",
        axis(1),
        13,
        Set.of(),
        floats(3, 4, 5),
        ints(new long[] {2, 3}, 0, -1, 2, -4, 3, 1));
    check("Gather", axis(-1), 13, Set.of(1), floats(2, 3, 5), longs(new long[] {4}, 4, -5, 0, 2));
    check("Gather", axis(0), 13, Set.of(), floats(4, 3), ints(new long[] {}, -2));
  }

  @Test
  void gatherElementsReadsAlongItsAxisWithNegativeIndices() {
    check(
        "GatherElements",
        axis(-1),
        13,
        Set.of(),
        longs(new long[] {3, 4}, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12),
        longs(new long[] {3, 2}, -1, 0, 2, -3, 3, 3));
    check(
        "GatherElements",
        axis(1),
        13,
        Set.of(),
        floats(2, 5, 3),
        ints(new long[] {2, 2, 3}, 4, 0, -1, 1, 1, 2, -5, 3, 0, 2, 2, 2));
  }

  @Test
  void gatherNdTakesNegativeIndicesWithinBatches() {
    check(
        "GatherND",
        Map.of(),
        13,
        Set.of(),
        floats(3, 4, 2),
        longs(new long[] {2, 2, 2}, 0, -1, 2, 3, -3, 0, 1, 1));
    check(
        "GatherND",
        Map.of("batch_dims", new Attribute.IntValue(1)),
        13,
        Set.of(),
        floats(3, 4, 2),
        ints(new long[] {3, 2, 1}, 0, -1, 2, 3, -4, 1));
  }

  @Test
  void padMatchesTheReferenceInEveryMode() {
    long[] pads = {1, 2, 3, 1, 1, 2};
    for (String mode : new String[] {"constant", "edge", "wrap", "reflect"}) {
      check(
          "Pad",
          Map.of("mode", new Attribute.StringValue(mode)),
          13,
          Set.of(1),
          floats(2, 3, 4),
          longs(new long[] {6}, pads));
    }
    // A crop on one axis, a pad value, and axes (opset 18) that leave the first axis alone.
    check(
        "Pad",
        Map.of(),
        13,
        Set.of(1),
        floats(3, 4, 5),
        longs(new long[] {6}, 0, -1, 2, 0, 1, -2),
        Tensor.ofFloats(new long[] {}, 2.5f));
    check(
        "Pad",
        Map.of("mode", new Attribute.StringValue("reflect")),
        18,
        Set.of(1, 3),
        floats(2, 3, 4, 5),
        longs(new long[] {4}, 2, 4, 1, 3),
        Tensor.ofFloats(new long[] {}, 0f),
        longs(new long[] {2}, -2, 3));
  }

  @Test
  void oneHotWithADepthKnownAtCompileTime() {
    check(
        "OneHot",
        axis(1),
        11,
        Set.of(1),
        Tensor.ofFloats(new long[] {2, 3}, 0f, -1f, 4.7f, 7f, -6f, 2f),
        longs(new long[] {}, 5),
        Tensor.ofFloats(new long[] {2}, -1f, 3f));
    check(
        "OneHot",
        Map.of(),
        11,
        Set.of(1),
        longs(new long[] {4}, 1, -2, 0, 9),
        longs(new long[] {}, 3),
        longs(new long[] {2}, 0, 1));
  }

  @Test
  void scatterElementsAppliesDuplicateIndicesInTheReferencesOrder() {
    Tensor data = floats(3, 4);
    Tensor indices = longs(new long[] {2, 4}, 1, 0, -1, 1, 1, 2, 2, 1);
    Tensor updates = floats(2, 4);
    for (String reduction : new String[] {"none", "add", "mul", "max", "min"}) {
      check(
          "ScatterElements",
          Map.of(
              "axis", new Attribute.IntValue(0), "reduction", new Attribute.StringValue(reduction)),
          18,
          Set.of(),
          data,
          indices,
          updates);
    }
    check(
        "ScatterElements",
        axis(-1),
        18,
        Set.of(),
        data,
        ints(new long[] {3, 2}, 3, 3, 0, -4, 2, 1),
        floats(3, 2));
  }

  @Test
  void scatterNdAppliesDuplicateTuplesInOrder() {
    Tensor data = floats(4, 3, 2);
    for (String reduction : new String[] {"none", "add", "mul", "max", "min"}) {
      check(
          "ScatterND",
          Map.of("reduction", new Attribute.StringValue(reduction)),
          18,
          Set.of(),
          data,
          longs(new long[] {3, 1}, 1, -3, 3),
          floats(3, 3, 2));
      check(
          "ScatterND",
          Map.of("reduction", new Attribute.StringValue(reduction)),
          18,
          Set.of(),
          data,
          longs(new long[] {2, 2, 3}, 0, 1, 1, 0, 1, 1, 3, -1, 0, 0, 1, 1),
          floats(2, 2));
    }
  }

  @Test
  void tileDepthToSpaceAndAWideTransposeUseTheEightAxisCopy() {
    check("Tile", Map.of(), 13, Set.of(1), floats(2, 3, 4), longs(new long[] {3}, 2, 3, 2));
    check(
        "Transpose",
        Map.of("perm", new Attribute.Ints(new long[] {5, 3, 1, 4, 2, 0})),
        13,
        Set.of(),
        floats(2, 3, 2, 3, 2, 2));
    check(
        "DepthToSpace",
        Map.of("blocksize", new Attribute.IntValue(2), "mode", new Attribute.StringValue("CRD")),
        13,
        Set.of(),
        floats(2, 8, 3, 2));
    check(
        "SpaceToDepth",
        Map.of("blocksize", new Attribute.IntValue(2)),
        13,
        Set.of(),
        floats(2, 3, 4, 6));
  }

  @Test
  void triluTakesItsDiagonalAsAConstantOrAnInput() {
    Tensor x = longs(new long[] {2, 3, 4}, java.util.stream.LongStream.range(1, 25).toArray());
    check(
        "Trilu",
        Map.of("upper", new Attribute.IntValue(0)),
        14,
        Set.of(1),
        x,
        Tensor.scalarLong(-1));
    check("Trilu", Map.of(), 14, Set.of(), x, Tensor.scalarLong(2));
    check("Trilu", Map.of(), 14, Set.of(), floats(5, 3));
  }
}
