package oclc.compiler.generate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;
import oclc.ir.DType;
import oclc.ir.OclcException;
import oclc.ir.Tensor;

/**
 * Generates tokens with a GPT-2 graph, one sequence at a time: a prefill over the prompt, then one
 * token per step, until the tokens asked for or an end-of-sequence token. How each step runs (the
 * KV cache kept on the device, handed back and forth, or the whole sequence run again for a graph
 * without past inputs) is the {@link Stepper}'s business.
 */
public final class Generator {
  /**
   * Runs the model on new token ids (given what came before) and returns the logits of the last
   * position.
   */
  public interface Stepper {
    float[] step(long[] newTokens);

    /** How this stepper uses the graph, for the user: e.g. "KV cache on the device". */
    String mode();
  }

  /**
   * The new tokens and how long it took; {@code endOfSequence}: it stopped at an end-of-sequence
   * token (the last of {@code tokens}) before {@code maxNewTokens}.
   */
  public record Result(
      List<Long> tokens,
      double prefillMillis,
      double decodeMillisPerToken,
      String mode,
      boolean endOfSequence) {}

  private Generator() {}

  /** Every one of {@code maxNewTokens} tokens. */
  public static Result generate(
      Stepper stepper, long[] prompt, int maxNewTokens, TokenChooser chooser) {
    return generate(stepper, prompt, maxNewTokens, chooser, Set.of(), token -> {});
  }

  /**
   * Up to {@code maxNewTokens} tokens, stopping after one of {@code stopIds}; each token goes to
   * {@code onToken} as soon as it is chosen (to print it while the next is computed).
   */
  public static Result generate(
      Stepper stepper,
      long[] prompt,
      int maxNewTokens,
      TokenChooser chooser,
      Set<Long> stopIds,
      LongConsumer onToken) {
    if (prompt.length == 0) {
      throw new OclcException("the prompt is empty: give at least one token id");
    }
    List<Long> tokens = new ArrayList<>();
    long start = System.nanoTime();
    float[] logits = stepper.step(prompt);
    double prefill = (System.nanoTime() - start) / 1e6;
    for (long id : prompt) {
      if (id < 0 || id >= logits.length) {
        throw new OclcException(
            "token id "
                + id
                + " is outside the model's vocabulary of "
                + logits.length
                + " tokens");
      }
    }
    long decodeStart = System.nanoTime();
    boolean endOfSequence = false;
    for (int i = 0; i < maxNewTokens && !endOfSequence; i++) {
      long next = chooser.choose(logits);
      tokens.add(next);
      onToken.accept(next);
      endOfSequence = stopIds.contains(next);
      if (i + 1 < maxNewTokens && !endOfSequence) {
        logits = stepper.step(new long[] {next});
      }
    }
    int steps = tokens.size() - 1;
    double decode = steps > 0 ? (System.nanoTime() - decodeStart) / 1e6 / steps : 0;
    return new Result(tokens, prefill, decode, stepper.mode(), endOfSequence);
  }

  /** The last position's logits of a [1, sequence, vocabulary] output. */
  public static float[] lastRow(Tensor logits) {
    long[] shape = logits.shape();
    int vocabulary = (int) shape[shape.length - 1];
    int rows = logits.size() / vocabulary;
    float[] row = new float[vocabulary];
    for (int i = 0; i < vocabulary; i++) {
      row[i] = logits.getFloat((rows - 1) * vocabulary + i);
    }
    return row;
  }

  /** Token ids as the [1, n] int64 tensor GPT-2 takes. */
  public static Tensor ids(long[] tokens) {
    return Tensor.ofLongs(DType.INT64, new long[] {1, tokens.length}, tokens);
  }

  /** A name's counterpart: past_k_0 → present_k_0, past_key_values.0.key → present.0.key. */
  public static String presentOf(String past, List<String> outputs) {
    for (String candidate :
        List.of(
            past.replaceFirst("past_key_values", "present"),
            past.replaceFirst("past", "present"))) {
      if (outputs.contains(candidate)) {
        return candidate;
      }
    }
    throw new OclcException(
        "the model has a past input '"
            + past
            + "' but no matching present output among "
            + outputs);
  }

  /** The inputs of one step, by name, for a graph whose first input is the token ids. */
  static Map<String, Tensor> stepInputs(String idsName, long[] tokens, Map<String, Tensor> pasts) {
    Map<String, Tensor> inputs = new LinkedHashMap<>();
    inputs.put(idsName, ids(tokens));
    inputs.putAll(pasts);
    return inputs;
  }
}
