package oclc.ir.ops;

import java.util.List;
import oclc.ir.Attribute;
import oclc.ir.Attributes;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.InferenceContext;
import oclc.ir.NodeRewrite;
import oclc.ir.Shape;
import oclc.ir.Tensor;
import oclc.ir.TensorType;

/**
 * What ONNX Runtime's normalizations of rows share: the reference normalization of each row of the
 * last axis (in double), the float32 statistics' type, and the default-domain node that computes it
 * ({@code LayerNormalization} or {@code RMSNormalization} over the last axis), which the fast
 * backends run natively.
 */
final class MicrosoftRows {
  private MicrosoftRows() {}

  /** The per-row statistics: {@code shape} with its last dim 1, in float32. */
  static TensorType statistics(Shape shape) {
    return new TensorType(DType.FLOAT32, shape.withDim(shape.rank() - 1, Dim.of(1)));
  }

  /**
   * Checks that {@code index}, when present, is a vector of the hidden size, of {@code x}'s type.
   */
  static void checkVector(InferenceContext context, int index, String role, TensorType x) {
    if (!context.hasInput(index)) {
      return;
    }
    Shape shape = context.inputShape(index);
    if (shape.rank() != 1 || context.inputDType(index) != x.dtype()) {
      throw context.error(
          role
              + " must be a vector of the hidden size, of "
              + x.dtype()
              + "; got "
              + context.inputType(index));
    }
    context.unify(shape.dim(0), x.shape().dim(x.rank() - 1), role + "'s length is the hidden size");
  }

  /**
   * Normalizes each row of {@code sum}'s last axis into {@code y}: centred (unless {@code rms}),
   * divided by the root of the mean square plus epsilon, scaled by gamma and shifted by beta (null
   * for none). {@code means} and {@code inverseDeviations}, when not null, get each row's mean (0
   * for rms) and the inverse of its deviation.
   */
  static void normalize(
      Tensor sum,
      Tensor gamma,
      Tensor beta,
      double epsilon,
      boolean rms,
      Tensor y,
      Tensor means,
      Tensor inverseDeviations) {
    int hidden = (int) sum.dim(sum.rank() - 1);
    int rows = hidden == 0 ? 0 : sum.size() / hidden;
    for (int r = 0; r < rows; r++) {
      int base = r * hidden;
      double mean = 0;
      if (!rms) {
        for (int i = 0; i < hidden; i++) {
          mean += sum.getDouble(base + i);
        }
        mean /= hidden;
      }
      double square = 0;
      for (int i = 0; i < hidden; i++) {
        double d = sum.getDouble(base + i) - mean;
        square += d * d;
      }
      double inverse = 1 / Math.sqrt(square / hidden + epsilon);
      for (int i = 0; i < hidden; i++) {
        double v = (sum.getDouble(base + i) - mean) * inverse * gamma.getDouble(i);
        y.setDouble(base + i, beta == null ? v : v + beta.getDouble(i));
      }
      if (means != null) {
        means.setDouble(r, mean);
        inverseDeviations.setDouble(r, inverse);
      }
    }
  }

  /**
   * Adds the default-domain node that normalizes the rows of {@code sum} over its last axis,
   * writing {@code outputs} (the normalized rows, then, for LayerNormalization, the mean and the
   * inverse deviation, "" where absent).
   */
  static void addNormalization(
      NodeRewrite rewrite,
      boolean rms,
      double epsilon,
      List<String> outputs,
      String sum,
      String gamma,
      String beta) {
    Attributes attributes =
        Attributes.NONE
            .with("axis", new Attribute.IntValue(-1))
            .with("epsilon", new Attribute.FloatValue((float) epsilon));
    if (rms) {
      rewrite.addAs(outputs.subList(0, 1), "normalize", "RMSNormalization", attributes, sum, gamma);
    } else {
      String[] inputs =
          beta.isEmpty() ? new String[] {sum, gamma} : new String[] {sum, gamma, beta};
      rewrite.addAs(trimmed(outputs), "normalize", "LayerNormalization", attributes, inputs);
    }
  }

  /** A scalar constant of {@code dtype}. */
  static String scalar(NodeRewrite rewrite, String role, DType dtype, double value) {
    return rewrite.constant(role, Tensor.ofDoubles(dtype, new long[0], value));
  }

  /** Outputs without their absent tail: a node has only as many outputs as it writes. */
  private static List<String> trimmed(List<String> outputs) {
    int end = outputs.size();
    while (end > 1 && outputs.get(end - 1).isEmpty()) {
      end--;
    }
    return outputs.subList(0, end);
  }
}
