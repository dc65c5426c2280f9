package oclc.ir.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import oclc.ir.Attributes;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.EvaluationContext;
import oclc.ir.InferenceContext;
import oclc.ir.OpDefinition;
import oclc.ir.Shape;
import oclc.ir.Tensor;
import oclc.ir.TensorType;

/**
 * ONNX Runtime's GatherBlockQuantized (com.microsoft): Gather of a block-quantized table, the
 * gathered values dequantized ({@link BlockQuantization}). oclc takes data as uint8 quantized along
 * its last axis (4-bit values packed two to a byte along it: its logical length is twice the stored
 * one), float32 scales of data's shape with the last axis in blocks, optional uint8 zero points
 * packed as data is; the output is float32 of Gather's shape over the logical data. int4 and uint4
 * tensors have no element type in oclc, so data of those types is refused.
 */
final class GatherBlockQuantizedOp implements OpDefinition {
  static final int DATA = 0, INDICES = 1, SCALES = 2, ZERO_POINTS = 3;

  @Override
  public String opType() {
    return "GatherBlockQuantized";
  }

  @Override
  public String domain() {
    return MicrosoftOps.DOMAIN;
  }

  @Override
  public Optional<String> unsupportedReason(InferenceContext context) {
    Attributes attributes = context.attributes();
    long bits = attributes.getInt("bits", 4);
    if (!BlockQuantization.supportsBits(bits)) {
      return Optional.of(
          "GatherBlockQuantized with bits=" + bits + " is not supported (4 or 8 are)");
    }
    DType data = context.inputDType(DATA);
    if (data != DType.UINT8) {
      return Optional.of(
          "GatherBlockQuantized of "
              + data
              + " data is not supported: oclc takes uint8 data (int4/uint4 tensors are not"
              + " supported; re-export with uint8 packing)");
    }
    int rank = context.inputShape(DATA).rank();
    if (rank < 1 || normalized(attributes.getInt("quantize_axis", 1), rank) != rank - 1) {
      return Optional.of(
          "GatherBlockQuantized of uint8 data is quantized along its last axis; quantize_axis="
              + attributes.getInt("quantize_axis", 1)
              + " of rank "
              + rank
              + " is not supported");
    }
    long gatherAxis = normalized(attributes.getInt("gather_axis", 0), rank);
    if (gatherAxis < 0 || gatherAxis >= rank - 1) {
      return Optional.of(
          "GatherBlockQuantized gathers along an axis before the quantized one; gather_axis="
              + attributes.getInt("gather_axis", 0)
              + " of rank "
              + rank
              + " is not supported");
    }
    if (context.inputDType(SCALES) != DType.FLOAT32) {
      return Optional.of(
          "GatherBlockQuantized with "
              + context.inputDType(SCALES)
              + " scales is not supported (float32 is)");
    }
    DType indices = context.inputDType(INDICES);
    if (indices != DType.INT32 && indices != DType.INT64) {
      return Optional.of("GatherBlockQuantized takes int32 or int64 indices; got " + indices);
    }
    if (context.hasInput(ZERO_POINTS) && context.inputDType(ZERO_POINTS) != DType.UINT8) {
      return Optional.of("GatherBlockQuantized's zero points must be uint8, as data is");
    }
    return Optional.empty();
  }

  private static long normalized(long axis, int rank) {
    return axis < 0 ? axis + rank : axis;
  }

  /** The logical length of data's last axis and its block layout. */
  static BlockQuantization layout(Attributes attributes, long storedLength) {
    int bits = (int) attributes.getInt("bits", 4);
    return new BlockQuantization(
        bits, (int) attributes.getInt("block_size", 128), storedLength * (8 / bits));
  }

  static int gatherAxis(Attributes attributes, int rank) {
    return (int) normalized(attributes.getInt("gather_axis", 0), rank);
  }

  @Override
  public List<TensorType> inferTypes(InferenceContext context) {
    Attributes attributes = context.attributes();
    long blockSize = attributes.getInt("block_size", 128);
    if (!BlockQuantization.validBlockSize(blockSize)) {
      throw context.error(
          "GatherBlockQuantized's block_size must be a power of two ≥ 16; got " + blockSize);
    }
    Shape data = context.inputShape(DATA);
    int rank = data.rank();
    Dim stored = data.dim(rank - 1);
    if (!stored.isConstant()) {
      throw context.error("GatherBlockQuantized needs data's last axis known; got " + data);
    }
    BlockQuantization layout = layout(attributes, stored.constant());
    Shape logical = data.withDim(rank - 1, Dim.of(layout.length()));
    expectShape(context, SCALES, "scales", logical.withDim(rank - 1, Dim.of(layout.blocks())));
    if (context.hasInput(ZERO_POINTS)) {
      expectShape(
          context,
          ZERO_POINTS,
          "zero_points",
          logical.withDim(rank - 1, Dim.of(layout.zeroPointRowBytes())));
    }
    int axis = gatherAxis(attributes, rank);
    List<Dim> out = new ArrayList<>(logical.dims().subList(0, axis));
    out.addAll(context.inputShape(INDICES).dims());
    out.addAll(logical.dims().subList(axis + 1, rank));
    return List.of(new TensorType(context.inputDType(SCALES), new Shape(out)));
  }

  private static void expectShape(InferenceContext context, int input, String role, Shape want) {
    Shape got = context.inputShape(input);
    if (got.rank() != want.rank() || (got.isStatic() && want.isStatic() && !got.equals(want))) {
      throw context.error(
          "GatherBlockQuantized's " + role + " must have shape " + want + "; got " + got);
    }
  }

  @Override
  public OptionalInt indexedAxis(Attributes attributes, int input) {
    return input == INDICES
        ? OptionalInt.of((int) attributes.getInt("gather_axis", 0))
        : OptionalInt.empty();
  }

  @Override
  public List<Tensor> evaluate(EvaluationContext context) {
    Tensor data = context.input(DATA);
    Tensor indices = context.input(INDICES);
    Tensor scales = context.input(SCALES);
    Tensor zeroPoints = context.optionalInput(ZERO_POINTS).orElse(null);
    int rank = data.rank();
    long[] shape = data.shape();
    BlockQuantization layout = layout(context.attributes(), shape[rank - 1]);
    int axis = gatherAxis(context.attributes(), rank);
    long outer = 1, middle = 1;
    for (int d = 0; d < axis; d++) {
      outer *= shape[d];
    }
    for (int d = axis + 1; d < rank - 1; d++) {
      middle *= shape[d];
    }
    long axisLength = shape[axis];
    long length = layout.length();
    long storedRow = shape[rank - 1];
    List<Long> out = new ArrayList<>();
    for (int d = 0; d < axis; d++) {
      out.add(shape[d]);
    }
    for (long d : indices.shape()) {
      out.add(d);
    }
    for (int d = axis + 1; d < rank - 1; d++) {
      out.add(shape[d]);
    }
    out.add(length);
    Tensor y = Tensor.allocate(scales.dtype(), out.stream().mapToLong(Long::longValue).toArray());
    int count = indices.size();
    for (long o = 0; o < outer; o++) {
      for (int i = 0; i < count; i++) {
        long index = indices.getLong(i);
        if (index < -axisLength || index >= axisLength) {
          throw context.error("index " + index + " is out of range for an axis of " + axisLength);
        }
        long source = index < 0 ? index + axisLength : index;
        for (long m = 0; m < middle; m++) {
          long row = (o * axisLength + source) * middle + m;
          long target = ((o * count + i) * middle + m) * length;
          for (long p = 0; p < length; p++) {
            y.setFloat(
                (int) (target + p),
                layout.dequantize(data, row * storedRow, scales, zeroPoints, row, p));
          }
        }
      }
    }
    return List.of(y);
  }
}
