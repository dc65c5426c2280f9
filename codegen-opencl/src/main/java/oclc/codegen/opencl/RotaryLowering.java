package oclc.codegen.opencl;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import oclc.artifact.Manifest.Argument;
import oclc.artifact.Manifest.Variant;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.Node;
import oclc.lowering.Dims;

/**
 * RotaryEmbedding (opset 23) over a 4-D [batch, heads, sequence, head] input, or a 3-D [batch,
 * sequence, heads · head] one with num_heads; cos and sin caches rowed by position ids ([max
 * position, rotary / 2]) or, without them, by batch and position ([batch, sequence, rotary / 2]).
 */
public final class RotaryLowering implements NodeLowering {
  @Override
  public List<Variant> lower(Node node, LoweringContext context) {
    String x = node.inputs().get(0);
    String cos = node.inputs().get(1);
    String sin = node.inputs().get(2);
    boolean hasPositions = node.inputs().size() > 3 && !node.inputs().get(3).isEmpty();
    String output = node.outputs().get(0);
    DType type = context.dtype(x);
    if ((type != DType.FLOAT32 && type != DType.FLOAT64)
        || context.dtype(cos) != type
        || context.dtype(sin) != type) {
      throw new NotLowerableException(
          "the rotary kernel takes float32 or float64 input and caches of its type, not "
              + type
              + " with "
              + context.dtype(cos)
              + " caches");
    }
    List<Dim> shape = context.shape(x);
    Dim heads;
    Dim head;
    Dim sequence;
    Dim headStride;
    Dim positionStride;
    if (shape.size() == 4) {
      heads = shape.get(1);
      sequence = shape.get(2);
      head = shape.get(3);
      headStride = sequence.times(head);
      positionStride = head;
    } else if (shape.size() == 3) {
      long numHeads = node.attributes().getInt("num_heads", 0);
      if (numHeads <= 0) {
        throw new NotLowerableException("a 3-D RotaryEmbedding input needs num_heads");
      }
      heads = Dim.of(numHeads);
      sequence = shape.get(1);
      head = shape.get(2).floorDiv(numHeads);
      headStride = head;
      positionStride = shape.get(2);
    } else {
      throw new NotLowerableException(
          "RotaryEmbedding takes a 3-D or 4-D input, not rank " + shape.size());
    }
    long rotaryAttribute = node.attributes().getInt("rotary_embedding_dim", 0);
    Dim rotary = rotaryAttribute == 0 ? head : Dim.of(rotaryAttribute);
    Dim half = rotary.floorDiv(2);
    boolean interleaved = node.attributes().getInt("interleaved", 0) != 0;
    if (hasPositions && !context.dtype(node.inputs().get(3)).isInteger()) {
      throw new NotLowerableException(
          "position ids must be integers, not " + context.dtype(node.inputs().get(3)));
    }
    KernelSource kernel = kernel(type, hasPositions ? context.dtype(node.inputs().get(3)) : null);
    List<Argument> buffers =
        new ArrayList<>(List.of(context.read(x), context.read(cos), context.read(sin)));
    if (hasPositions) {
      buffers.add(context.read(node.inputs().get(3)));
    }
    buffers.add(context.write(output));
    Dim positionBatchStride = sequence;
    if (hasPositions && Dims.isOne(context.shape(node.inputs().get(3)).get(0))) {
      positionBatchStride = Dim.of(0);
    }
    Dim batchStride = Dims.product(shape.subList(1, shape.size()));
    buffers.addAll(
        Scalars.ints(
            List.of(
                heads,
                half,
                rotary,
                batchStride,
                headStride,
                positionStride,
                Dim.of(interleaved ? 2 : 1),
                interleaved ? Dim.of(1) : half,
                positionBatchStride,
                context.shape(cos).getLast())));
    List<Dim> globalSize = List.of(half.plus(head.minus(rotary)), sequence, shape.get(0));
    return NodeLowering.single(context.dispatch(kernel, buffers, globalSize));
  }

  /**
   * The rotary kernel for {@code type} elements, its angles rowed by position ids of {@code
   * positions} (or, null, by batch and position).
   */
  static KernelSource kernel(DType type, DType positions) {
    String positionType = positions == null ? "" : ElementTypes.bufferType(positions);
    String kernelName =
        "rotary_embedding_"
            + ElementTypes.suffix(type)
            + (positions == null ? "" : "_" + positionType);
    return KernelSource.rendered(
        "rotary",
        "rotary",
        kernelName,
        Map.of(
            "type",
            ElementTypes.bufferType(type),
            "positionType",
            positions == null ? false : positionType));
  }
}
