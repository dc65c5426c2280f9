package oclc.ir.ops;

import java.util.List;
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
 * com.microsoft EmbedLayerNormalization: for each token of {@code input_ids [B, S]} (int32), its
 * word embedding plus its position's (row {@code position_ids[b, s]}, broadcast from {@code [1,
 * S]}, or {@code s} without position_ids) plus its segment's (where segment_ids are given), layer
 * normalized over the hidden size with gamma and beta. Outputs: the normalized embedding {@code [B,
 * S, H]}; mask_index {@code [B]} (int32), the count of ones in each row of {@code mask}, 0 without
 * a mask; embedding_sum, the sum before normalization.
 */
final class EmbedLayerNormalizationOp implements MicrosoftOp {
  /** ONNX Runtime's kDefaultEmbedLayerNormEpsilon. */
  private static final float DEFAULT_EPSILON = 1e-12f;

  private static final int INPUT_IDS = 0,
      SEGMENT_IDS = 1,
      WORD_EMBEDDING = 2,
      POSITION_EMBEDDING = 3,
      SEGMENT_EMBEDDING = 4,
      GAMMA = 5,
      BETA = 6,
      MASK = 7,
      POSITION_IDS = 8;

  @Override
  public String opType() {
    return "EmbedLayerNormalization";
  }

  @Override
  public List<TensorType> inferTypes(InferenceContext context) {
    Shape ids = ids(context, INPUT_IDS, "input_ids");
    TensorType words = context.inputType(WORD_EMBEDDING);
    if (words.rank() != 2 || !words.dtype().isFloat()) {
      throw context.error(
          "word_embedding must be a float matrix [vocabulary, hidden]; got " + words);
    }
    Dim hidden = words.shape().dim(1);
    for (int table : new int[] {POSITION_EMBEDDING, SEGMENT_EMBEDDING}) {
      if (context.hasInput(table)) {
        TensorType t = context.inputType(table);
        if (t.rank() != 2 || t.dtype() != words.dtype()) {
          throw context.error("embedding tables must be " + words.dtype() + " matrices; got " + t);
        }
        context.unify(t.shape().dim(1), hidden, "an embedding table's width is the hidden size");
      }
    }
    if (context.hasInput(SEGMENT_IDS) != context.hasInput(SEGMENT_EMBEDDING)) {
      throw context.error("segment_ids and segment_embedding come together");
    }
    for (int index : new int[] {SEGMENT_IDS, MASK}) {
      if (context.hasInput(index)) {
        Shape shape = ids(context, index, index == MASK ? "mask" : "segment_ids");
        context.unify(shape.dim(0), ids.dim(0), "batch size");
        context.unify(shape.dim(1), ids.dim(1), "sequence length");
      }
    }
    if (context.hasInput(POSITION_IDS)) {
      Shape positions = ids(context, POSITION_IDS, "position_ids");
      if (!positions.dim(0).equals(Dim.of(1))) {
        context.unify(positions.dim(0), ids.dim(0), "position_ids' batch size");
      }
      context.unify(positions.dim(1), ids.dim(1), "sequence length");
    }
    Shape out = Shape.of(ids.dim(0), ids.dim(1), hidden);
    TensorType embedding = new TensorType(words.dtype(), out);
    MicrosoftRows.checkVector(context, GAMMA, "gamma", embedding);
    MicrosoftRows.checkVector(context, BETA, "beta", embedding);
    return List.of(embedding, new TensorType(DType.INT32, Shape.of(ids.dim(0))), embedding);
  }

  private static Shape ids(InferenceContext context, int index, String role) {
    TensorType t = context.inputType(index);
    if (t.rank() != 2 || t.dtype() != DType.INT32) {
      throw context.error(role + " must be int32 [batch, sequence]; got " + t);
    }
    return t.shape();
  }

  @Override
  public List<Tensor> evaluate(EvaluationContext context) {
    Tensor ids = context.input(INPUT_IDS);
    Tensor words = context.input(WORD_EMBEDDING);
    Tensor positions = context.input(POSITION_EMBEDDING);
    int batch = (int) ids.dim(0);
    int sequence = (int) ids.dim(1);
    int hidden = (int) words.dim(1);
    Tensor sum = Tensor.allocate(words.dtype(), batch, sequence, hidden);
    for (int token = 0; token < batch * sequence; token++) {
      int position = token % sequence;
      if (context.hasInput(POSITION_IDS)) {
        Tensor positionIds = context.input(POSITION_IDS);
        position = (int) positionIds.getLong(positionIds.dim(0) == 1 ? position : token);
      }
      int word = row(context, ids, token, words);
      int at = row(context, positions, position, "position");
      int segment =
          context.hasInput(SEGMENT_IDS)
              ? row(context, context.input(SEGMENT_IDS), token, context.input(SEGMENT_EMBEDDING))
              : -1;
      for (int i = 0; i < hidden; i++) {
        double v = words.getDouble(word * hidden + i) + positions.getDouble(at * hidden + i);
        if (segment >= 0) {
          v += context.input(SEGMENT_EMBEDDING).getDouble(segment * hidden + i);
        }
        sum.setDouble(token * hidden + i, v);
      }
    }
    Tensor y = Tensor.allocate(words.dtype(), sum.shape());
    MicrosoftRows.normalize(
        sum,
        context.input(GAMMA),
        context.optionalInput(BETA).orElse(null),
        context.attributes().getFloat("epsilon", DEFAULT_EPSILON),
        false,
        y,
        null,
        null);
    Tensor maskIndex = Tensor.allocate(DType.INT32, batch);
    if (context.hasInput(MASK)) {
      Tensor mask = context.input(MASK);
      for (int i = 0; i < mask.size(); i++) {
        if (mask.getLong(i) == 1) {
          maskIndex.setLong(i / sequence, maskIndex.getLong(i / sequence) + 1);
        }
      }
    }
    return List.of(y, maskIndex, sum);
  }

  /** The table row that {@code ids[token]} names, checked against the table. */
  private static int row(EvaluationContext context, Tensor ids, int token, Tensor table) {
    return row(context, table, (int) ids.getLong(token), "id");
  }

  private static int row(EvaluationContext context, Tensor table, int row, String what) {
    if (row < 0 || row >= table.dim(0)) {
      throw context.error(what + " " + row + " is outside its embedding table of " + table.dim(0));
    }
    return row;
  }

  @Override
  public boolean decompose(NodeRewrite rewrite) {
    String ids = rewrite.input(INPUT_IDS);
    String sum = rewrite.add("word", "Gather", rewrite.input(WORD_EMBEDDING), ids);
    boolean segments = rewrite.context().hasInput(SEGMENT_IDS);
    String position =
        rewrite.context().hasInput(POSITION_IDS)
            ? rewrite.add(
                "position",
                "Gather",
                rewrite.input(POSITION_EMBEDDING),
                rewrite.input(POSITION_IDS))
            : rewrite.add(
                "position",
                "Slice",
                rewrite.input(POSITION_EMBEDDING),
                rewrite.constant("zero", Tensor.ofLongs(new long[] {1}, 0)),
                idsDim(rewrite, 1),
                rewrite.constant("zero", Tensor.ofLongs(new long[] {1}, 0)));
    String embeddingSum = segments ? "" : rewrite.output(2);
    sum = rewrite.addAs(embeddingSum, "add_position", "Add", Attributes.NONE, sum, position);
    if (segments) {
      String segment =
          rewrite.add(
              "segment", "Gather", rewrite.input(SEGMENT_EMBEDDING), rewrite.input(SEGMENT_IDS));
      sum = rewrite.addAs(rewrite.output(2), "add_segment", "Add", Attributes.NONE, sum, segment);
    }
    MicrosoftRows.addNormalization(
        rewrite,
        false,
        rewrite.context().attributes().getFloat("epsilon", DEFAULT_EPSILON),
        List.of(rewrite.output(0)),
        sum,
        rewrite.input(GAMMA),
        rewrite.input(BETA));
    if (!rewrite.output(1).isEmpty()) {
      addMaskIndex(rewrite);
    }
    return true;
  }

  /** mask_index: the sum over the sequence of (mask == 1), or zeros without a mask. */
  private static void addMaskIndex(NodeRewrite rewrite) {
    if (!rewrite.context().hasInput(MASK)) {
      Attributes zero =
          Attributes.NONE.with(
              "value", new Attribute.TensorValue(Tensor.ofLongs(DType.INT32, new long[] {1}, 0)));
      rewrite.addAs(rewrite.output(1), "mask_index", "ConstantOfShape", zero, idsDim(rewrite, 0));
      return;
    }
    String ones =
        rewrite.add(
            "mask_ones",
            "Equal",
            rewrite.input(MASK),
            rewrite.constant("one", Tensor.ofLongs(DType.INT32, new long[0], 1)));
    String counted =
        rewrite.add(
            "mask_counted",
            "Cast",
            Attributes.NONE.with("to", new Attribute.IntValue(DType.INT32.onnxCode())),
            ones);
    // A reverse running sum's first element is the row's total: CumSum runs natively on every
    // backend over rows of any length (the Java ReduceSum needs rows known to be non-empty).
    String totals =
        rewrite.add(
            "mask_totals",
            "CumSum",
            Attributes.NONE.with("reverse", new Attribute.IntValue(1)),
            counted,
            rewrite.constant("sequence_axis", Tensor.scalarLong(1)));
    Attributes sequenceAxis = Attributes.NONE.with("axis", new Attribute.IntValue(1));
    rewrite.addAs(
        rewrite.output(1),
        "mask_index",
        "Gather",
        sequenceAxis,
        totals,
        rewrite.constant("first", Tensor.scalarLong(0)));
  }

  /** input_ids' dim {@code axis} as a one-element int64 vector. */
  private static String idsDim(NodeRewrite rewrite, int axis) {
    String shape = rewrite.add("ids_shape", "Shape", rewrite.input(INPUT_IDS));
    return rewrite.add(
        "ids_dim_" + axis,
        "Gather",
        shape,
        rewrite.constant("axis_" + axis, Tensor.ofLongs(new long[] {1}, axis)));
  }
}
