package oclc.ir.ops;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import oclc.ir.Attribute;
import oclc.ir.Attributes;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.EvaluationContext;
import oclc.ir.InferenceContext;
import oclc.ir.NodeRewrite;
import oclc.ir.Shape;
import oclc.ir.Tensor;
import oclc.ir.TensorType;

/**
 * com.microsoft RotaryEmbedding: ONNX's RotaryEmbedding (opset 23) with its inputs in another order
 * (input, position_ids, cos_cache, sin_cache) and position_ids of two forms: [batch, seq], or one
 * element, the first position of every batch (positions p, p + 1, …). Input [batch, seq, hidden] or
 * [batch, heads, seq, head]; caches [max position, rotary / 2]. Without num_heads the head is twice
 * the caches' width, as ONNX Runtime derives it. It decomposes into ONNX's RotaryEmbedding, the
 * offset form's positions made by a Range.
 */
final class MicrosoftRotaryEmbeddingOp implements MicrosoftOp {
  @Override
  public String opType() {
    return "RotaryEmbedding";
  }

  /** Heads and head size of an input, and the rotated part of each head. */
  private record Geometry(long heads, long head, long rotary) {
    static Geometry of(
        long rank,
        long[] dims,
        long cacheWidth,
        Attributes a,
        java.util.function.Function<String, RuntimeException> error) {
      long given = a.getInt("num_heads", 0);
      long rotaryDim = a.getInt("rotary_embedding_dim", 0);
      long heads;
      long head;
      if (rank == 4) {
        heads = dims[1];
        head = dims[3];
      } else {
        head = given > 0 ? dims[2] / given : 2 * cacheWidth;
        heads = head > 0 ? dims[2] / head : 0;
      }
      long rotary = rotaryDim > 0 ? rotaryDim : head;
      if (heads <= 0
          || heads * head != (rank == 4 ? dims[1] * dims[3] : dims[2])
          || rotary > head
          || rotary % 2 != 0
          || rotary != 2 * cacheWidth
          || (rotaryDim > 0 && given == 0)) {
        throw error.apply(
            "RotaryEmbedding: heads of "
                + java.util.Arrays.toString(dims)
                + " (num_heads "
                + given
                + ", rotary_embedding_dim "
                + rotaryDim
                + ") do not match caches "
                + cacheWidth
                + " wide (half the rotated dims; num_heads is needed with rotary_embedding_dim)");
      }
      return new Geometry(heads, head, rotary);
    }

    /** ONNX's rotary_embedding_dim: 0 where the whole head rotates. */
    long onnxRotaryDim() {
      return rotary == head ? 0 : rotary;
    }
  }

  @Override
  public List<TensorType> inferTypes(InferenceContext context) {
    TensorType x = context.inputType(0);
    Shape positions = context.inputShape(1);
    Shape cos = context.inputShape(2);
    if ((x.rank() != 3 && x.rank() != 4)
        || context.inputDType(1) != DType.INT64
        || cos.rank() != 2
        || !cos.dim(1).isConstant()
        || !context.inputShape(3).equals(cos)
        || context.attributes().getInt("is_packed_batching", 0) != 0) {
      throw context.error(
          "RotaryEmbedding takes an input [batch, seq, hidden] or [batch, heads, seq, head],"
              + " int64 position_ids and two caches [positions, rotary / 2] of one shape, unpacked;"
              + " got "
              + x
              + ", "
              + context.inputType(1)
              + ", "
              + cos
              + ", "
              + context.inputShape(3));
    }
    Shape shape = x.shape();
    Dim seq = shape.dim(x.rank() == 4 ? 2 : 1);
    if (positions.rank() == 2) {
      context.unify(positions.dim(0), shape.dim(0), "position_ids' batch");
      context.unify(positions.dim(1), seq, "position_ids' sequence");
    } else if (positions.rank() > 1 || !positions.elementCount().equals(Dim.of(1))) {
      throw context.error(
          "position_ids must be [batch, seq] or one element (the first position); got "
              + positions);
    }
    if (shape.dim(x.rank() - 1).isConstant() && (x.rank() == 3 || shape.dim(1).isConstant())) {
      Geometry.of(
          x.rank(), known(shape), cos.dim(1).constant(), context.attributes(), context::error);
    }
    return List.of(x);
  }

  /** The dims, −1 where symbolic (the batch and sequence, which the geometry does not read). */
  private static long[] known(Shape shape) {
    return shape.dims().stream().mapToLong(d -> d.isConstant() ? d.constant() : -1).toArray();
  }

  @Override
  public List<Tensor> evaluate(EvaluationContext context) {
    Tensor x = context.input(0);
    Tensor positions = context.input(1);
    Tensor cos = context.input(2);
    Geometry g = Geometry.of(x.rank(), x.shape(), cos.dim(1), context.attributes(), context::error);
    long batch = x.dim(0);
    long seq = x.dim(x.rank() == 4 ? 2 : 1);
    if (positions.rank() != 2) {
      Tensor expanded = Tensor.allocate(DType.INT64, batch, seq);
      for (int i = 0; i < expanded.size(); i++) {
        expanded.setLong(i, positions.getLong(0) + i % seq);
      }
      positions = expanded;
    }
    return List.of(
        RotaryEmbeddingOp.rotate(
            x,
            cos,
            context.input(3),
            positions,
            g.heads(),
            g.onnxRotaryDim(),
            context.attributes().getInt("interleaved", 0) != 0));
  }

  @Override
  public boolean decompose(NodeRewrite rewrite) {
    InferenceContext context = rewrite.context();
    TensorType x = context.inputType(0);
    if (!x.shape().dim(x.rank() - 1).isConstant()
        || (x.rank() == 4 && !x.shape().dim(1).isConstant())) {
      return false;
    }
    Geometry g =
        Geometry.of(
            x.rank(),
            known(x.shape()),
            context.inputShape(2).dim(1).constant(),
            context.attributes(),
            context::error);
    String positions = rewrite.input(1);
    if (context.inputShape(1).rank() != 2) {
      // p, p + 1, … for every batch, broadcast over the batch.
      String dims = rewrite.add("input_dims", "Shape", rewrite.input(0));
      String first =
          rewrite.add(
              "first_position",
              "Reshape",
              positions,
              rewrite.constant("scalar_shape", Tensor.ofLongs(new long[] {0})));
      String seq =
          rewrite.add(
              "seq_length",
              "Gather",
              dims,
              rewrite.constant("seq_axis", Tensor.scalarLong(x.rank() == 4 ? 2 : 1)));
      // p + (0, 1, …): the Range's length is the sequence's, known from the shapes.
      String range =
          rewrite.add(
              "positions",
              "Add",
              rewrite.add(
                  "offsets",
                  "Range",
                  rewrite.constant("zero", Tensor.scalarLong(0)),
                  seq,
                  rewrite.constant("one", Tensor.scalarLong(1))),
              first);
      String rows =
          rewrite.add(
              "batch_rows",
              "Concat",
              ContribAttentionMask.integer("axis", 0),
              rewrite.add(
                  "batch",
                  "Gather",
                  dims,
                  rewrite.constant("batch_axis", Tensor.ofLongs(new long[] {1}, 0))),
              rewrite.constant("row", Tensor.ofLongs(new long[] {1}, 1)));
      positions =
          rewrite.add(
              "batch_positions",
              "Expand",
              rewrite.add(
                  "position_row",
                  "Reshape",
                  range,
                  ContribAttentionMask.shape(rewrite, "row", 1, -1)),
              rows);
    }
    Map<String, Attribute> attributes = new LinkedHashMap<>();
    attributes.put(
        "interleaved", new Attribute.IntValue(context.attributes().getInt("interleaved", 0)));
    attributes.put("rotary_embedding_dim", new Attribute.IntValue(g.onnxRotaryDim()));
    if (x.rank() == 3) {
      attributes.put("num_heads", new Attribute.IntValue(g.heads()));
    }
    rewrite.addAs(
        rewrite.output(0),
        "rotated",
        "RotaryEmbedding",
        new Attributes(attributes),
        rewrite.input(0),
        rewrite.input(2),
        rewrite.input(3),
        positions);
    return true;
  }
}
