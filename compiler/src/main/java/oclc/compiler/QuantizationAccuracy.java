package oclc.compiler;

import oclc.compiler.generate.DecoderNames;
import oclc.compiler.generate.Generator;
import oclc.compiler.generate.Steppers;
import oclc.ir.Graph;

/**
 * How far a decoder with quantized weights is from the one as exported, on the reference executor:
 * the relative L2 of their logits over a short prompt and the steps after it, and how many of the
 * float32 model's greedy tokens the quantized one also picks when fed the same tokens (teacher
 * forced, so that one early difference does not count for every later step).
 */
public record QuantizationAccuracy(double logitsRelativeL2, int agreeing, int tokens) {
  /** A prompt of ids every shared model's vocabulary holds. */
  static final long[] PROMPT = {1, 5, 9, 2, 7, 3, 8, 4};

  public static QuantizationAccuracy measure(
      Graph exported, Graph quantized, DecoderNames names, int tokens) {
    Generator.Stepper reference = Steppers.reference(exported, names);
    Generator.Stepper candidate = Steppers.reference(quantized, names);
    float[] expected = reference.step(PROMPT);
    float[] actual = candidate.step(PROMPT);
    double difference = 0;
    double norm = 0;
    int agreeing = 0;
    for (int i = 0; ; i++) {
      for (int v = 0; v < expected.length; v++) {
        double d = (double) expected[v] - actual[v];
        difference += d * d;
        norm += (double) expected[v] * expected[v];
      }
      long token = argmax(expected);
      if (argmax(actual) == token) {
        agreeing++;
      }
      if (i + 1 == tokens) {
        break;
      }
      expected = reference.step(new long[] {token});
      actual = candidate.step(new long[] {token});
    }
    return new QuantizationAccuracy(
        Math.sqrt(difference / Math.max(norm, 1e-30)), agreeing, tokens);
  }

  private static long argmax(float[] logits) {
    int best = 0;
    for (int v = 1; v < logits.length; v++) {
      if (logits[v] > logits[best]) {
        best = v;
      }
    }
    return best;
  }

  @Override
  public String toString() {
    return String.format(
        "logits relative L2 %.3g against the weights as exported, greedy agreement %d/%d tokens"
            + " (reference executor, %d-token prompt)",
        logitsRelativeL2, agreeing, tokens, PROMPT.length);
  }
}
