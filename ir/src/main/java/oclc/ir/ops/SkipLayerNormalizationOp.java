package oclc.ir.ops;

import java.util.List;
import oclc.ir.Attributes;
import oclc.ir.EvaluationContext;
import oclc.ir.InferenceContext;
import oclc.ir.NodeRewrite;
import oclc.ir.Shape;
import oclc.ir.Tensor;
import oclc.ir.TensorType;

/**
 * com.microsoft SkipLayerNormalization and SkipSimplifiedLayerNormalization: {@code sum = input +
 * skip (+ bias)} normalized over the hidden size (the last axis), centred for the layer form and
 * not for the simplified (RMS) one, scaled by gamma and (layer form) shifted by beta. input is
 * {@code [B, S, H]} or {@code [T, H]}; skip has its shape, or {@code [1, S, H]} or {@code [S, H]}
 * for a 3-D input. Outputs: the normalized rows; each row's mean and inverse deviation (float32,
 * {@code [..., 1]}); the sum.
 */
final class SkipLayerNormalizationOp implements MicrosoftOp {
  /** ONNX Runtime's kDefaultSkipLayerNormEpsilon. */
  private static final float DEFAULT_EPSILON = 1e-12f;

  private final boolean simplified;

  SkipLayerNormalizationOp(boolean simplified) {
    this.simplified = simplified;
  }

  @Override
  public String opType() {
    return simplified ? "SkipSimplifiedLayerNormalization" : "SkipLayerNormalization";
  }

  /** Inputs are input, skip, gamma, beta, bias; the simplified form has no beta. */
  private int betaIndex() {
    return simplified ? -1 : 3;
  }

  private int biasIndex() {
    return simplified ? 3 : 4;
  }

  @Override
  public List<TensorType> inferTypes(InferenceContext context) {
    TensorType input = context.inputType(0);
    TensorType skip = context.inputType(1);
    int rank = input.rank();
    if (rank < 2
        || rank > 3
        || skip.rank() < 2
        || skip.rank() > rank
        || skip.dtype() != input.dtype()) {
      throw context.error(
          "input must be [batch, sequence, hidden] or [tokens, hidden] and skip of its type, its"
              + " shape or [1, sequence, hidden] or [sequence, hidden]; got "
              + input
              + " and "
              + skip);
    }
    Shape in = input.shape();
    Shape skipShape = skip.shape();
    for (int back = 1; back <= 2; back++) {
      context.unify(
          skipShape.dim(skipShape.rank() - back),
          in.dim(rank - back),
          "skip's last two dims are input's");
    }
    if (skip.rank() == 3) {
      Broadcast.shapes(context, in, skipShape);
    }
    MicrosoftRows.checkVector(context, 2, "gamma", input);
    if (betaIndex() >= 0) {
      MicrosoftRows.checkVector(context, betaIndex(), "beta", input);
    }
    MicrosoftRows.checkVector(context, biasIndex(), "bias", input);
    TensorType statistics = MicrosoftRows.statistics(in);
    return List.of(input, statistics, statistics, input);
  }

  @Override
  public List<Tensor> evaluate(EvaluationContext context) {
    Tensor input = context.input(0);
    Tensor skip = context.input(1);
    Tensor bias = context.optionalInput(biasIndex()).orElse(null);
    int hidden = (int) input.dim(input.rank() - 1);
    Tensor sum = Tensor.allocate(input.dtype(), input.shape());
    for (int i = 0; i < sum.size(); i++) {
      double v = input.getDouble(i) + skip.getDouble(i % skip.size());
      sum.setDouble(i, bias == null ? v : v + bias.getDouble(i % hidden));
    }
    TensorType statistics = MicrosoftRows.statistics(Shape.of(input.shape()));
    Tensor means = Tensor.allocate(statistics.dtype(), statistics.shape().toLongs());
    Tensor inverseDeviations = Tensor.allocate(statistics.dtype(), statistics.shape().toLongs());
    Tensor y = Tensor.allocate(input.dtype(), input.shape());
    MicrosoftRows.normalize(
        sum,
        context.input(2),
        betaIndex() >= 0 ? context.optionalInput(betaIndex()).orElse(null) : null,
        context.attributes().getFloat("epsilon", DEFAULT_EPSILON),
        simplified,
        y,
        means,
        inverseDeviations);
    return List.of(y, means, inverseDeviations, sum);
  }

  @Override
  public boolean decompose(NodeRewrite rewrite) {
    boolean statistics = !rewrite.output(1).isEmpty() || !rewrite.output(2).isEmpty();
    if (simplified && statistics) {
      return false; // RMSNormalization has no statistics outputs
    }
    boolean biased = rewrite.context().hasInput(biasIndex());
    String sum =
        rewrite.addAs(
            biased ? "" : rewrite.output(3),
            "skip",
            "Add",
            Attributes.NONE,
            rewrite.input(0),
            rewrite.input(1));
    if (biased) {
      sum =
          rewrite.addAs(
              rewrite.output(3), "bias", "Add", Attributes.NONE, sum, rewrite.input(biasIndex()));
    }
    MicrosoftRows.addNormalization(
        rewrite,
        simplified,
        rewrite.context().attributes().getFloat("epsilon", DEFAULT_EPSILON),
        List.of(rewrite.output(0), rewrite.output(1), rewrite.output(2)),
        sum,
        rewrite.input(2),
        betaIndex() >= 0 ? rewrite.input(betaIndex()) : "");
    return true;
  }
}
