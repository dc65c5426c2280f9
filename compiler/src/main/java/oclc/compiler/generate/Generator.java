package oclc.compiler.generate;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.LongConsumer;
import java.util.function.LongPredicate;
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
    return generateWhile(
        stepper,
        prompt,
        maxNewTokens,
        chooser,
        stopIds,
        token -> {
          onToken.accept(token);
          return true;
        });
  }

  /**
   * As {@link #generate(Stepper, long[], int, TokenChooser, Set, LongConsumer)}, with {@code
   * onToken} also saying whether to go on (false: a stop string was met).
   */
  public static Result generateWhile(
      Stepper stepper,
      long[] prompt,
      int maxNewTokens,
      TokenChooser chooser,
      Set<Long> stopIds,
      LongPredicate onToken) {
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
      boolean goOn = onToken.test(next);
      endOfSequence = stopIds.contains(next);
      if (!goOn) {
        break;
      }
      if (i + 1 < maxNewTokens && !endOfSequence) {
        logits = stepper.step(new long[] {next});
      }
    }
    int steps = tokens.size() - 1;
    double decode = steps > 0 ? (System.nanoTime() - decodeStart) / 1e6 / steps : 0;
    return new Result(tokens, prefill, decode, stepper.mode(), endOfSequence);
  }

  /** Each row's new tokens (up to and with its end of sequence) and how long it took. */
  public record BatchResult(
      List<List<Long>> tokens, double prefillMillis, double decodeMillisPerStep, String mode) {}

  /**
   * Several prompts at once, as Hugging Face's generate batches them: left-padded with {@code
   * padId} to the longest (masked out, position ids counting from each row's first real token); a
   * row that reaches an end of sequence goes on with {@code padId} while the others finish.
   */
  public static BatchResult generateBatch(
      HostStepper stepper,
      List<long[]> prompts,
      int maxNewTokens,
      TokenChooser chooser,
      Set<Long> stopIds,
      long padId) {
    int longest = prompts.stream().mapToInt(p -> p.length).max().orElse(0);
    if (longest == 0 || prompts.stream().anyMatch(p -> p.length == 0)) {
      throw new OclcException("a prompt is empty: give at least one token id in each");
    }
    int batch = prompts.size();
    int[] padding = new int[batch];
    long[][] rows = new long[batch][longest];
    for (int r = 0; r < batch; r++) {
      long[] prompt = prompts.get(r);
      padding[r] = longest - prompt.length;
      java.util.Arrays.fill(rows[r], 0, padding[r], padId);
      System.arraycopy(prompt, 0, rows[r], padding[r], prompt.length);
    }
    stepper.padded(padding);
    long start = System.nanoTime();
    float[][] logits = stepper.step(rows);
    double prefill = (System.nanoTime() - start) / 1e6;
    for (long[] prompt : prompts) {
      for (long id : prompt) {
        checkInVocabulary(id, logits[0].length);
      }
    }
    List<List<Long>> tokens = new ArrayList<>();
    boolean[] finished = new boolean[batch];
    for (int r = 0; r < batch; r++) {
      tokens.add(new ArrayList<>());
    }
    long decodeStart = System.nanoTime();
    int steps = 0;
    for (int i = 0; i < maxNewTokens; i++) {
      long[][] next = new long[batch][1];
      boolean allFinished = true;
      for (int r = 0; r < batch; r++) {
        if (finished[r]) {
          next[r][0] = padId;
          continue;
        }
        next[r][0] = chooser.choose(logits[r]);
        tokens.get(r).add(next[r][0]);
        finished[r] = stopIds.contains(next[r][0]);
        allFinished &= finished[r];
      }
      if (allFinished || i + 1 == maxNewTokens) {
        break;
      }
      logits = stepper.step(next);
      steps++;
    }
    double decode = steps > 0 ? (System.nanoTime() - decodeStart) / 1e6 / steps : 0;
    return new BatchResult(tokens, prefill, decode, stepper.mode());
  }

  private static void checkInVocabulary(long id, int vocabulary) {
    if (id < 0 || id >= vocabulary) {
      throw new OclcException(
          "token id " + id + " is outside the model's vocabulary of " + vocabulary + " tokens");
    }
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

  /** Each row's last-position logits of a [batch, sequence, vocabulary] output. */
  public static float[][] lastRows(Tensor logits) {
    long[] shape = logits.shape();
    int vocabulary = (int) shape[shape.length - 1];
    int batch = shape.length == 3 ? (int) shape[0] : 1;
    int rowsPerBatch = logits.size() / vocabulary / batch;
    float[][] rows = new float[batch][vocabulary];
    for (int b = 0; b < batch; b++) {
      int offset = ((b + 1) * rowsPerBatch - 1) * vocabulary;
      for (int i = 0; i < vocabulary; i++) {
        rows[b][i] = logits.getFloat(offset + i);
      }
    }
    return rows;
  }

  /** Token ids as the [1, n] int64 tensor GPT-2 takes. */
  public static Tensor ids(long[] tokens) {
    return Tensor.ofLongs(DType.INT64, new long[] {1, tokens.length}, tokens);
  }

  /** A name's counterpart: past_k_0 → present_k_0, past_key_values.0.key → present.0.key. */
  public static String presentOf(String past, List<String> outputs) {
    return DecoderInputs.presentOf(past, outputs)
        .orElseThrow(
            () ->
                new OclcException(
                    "the model has a past input '"
                        + past
                        + "' but no matching present output among "
                        + outputs));
  }
}
