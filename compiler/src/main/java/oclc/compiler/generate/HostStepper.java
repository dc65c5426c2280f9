package oclc.compiler.generate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import oclc.ir.Dim;
import oclc.ir.OclcException;
import oclc.ir.Tensor;
import oclc.ir.ValueInfo;

/**
 * Steps any backend through a graph, one or several rows at once: with state inputs, each step's
 * present outputs become the next step's past inputs (read back and bound again); without them, the
 * whole sequence runs again. The ids, attention mask and position ids are {@link DecoderInputs}'.
 */
public final class HostStepper implements Generator.Stepper {
  private final Function<Map<String, Tensor>, Map<String, Tensor>> run;
  private final DecoderInputs decoder;
  private Map<String, Tensor> states = new LinkedHashMap<>();
  private final List<List<Long>> sequences = new ArrayList<>();
  private int[] padding = {0};
  private long pastLength;

  /**
   * {@code run} computes the named outputs from the named inputs (the reference executor, a device
   * session).
   */
  public HostStepper(
      Function<Map<String, Tensor>, Map<String, Tensor>> run,
      List<ValueInfo> inputs,
      List<String> outputs) {
    this(run, DecoderInputs.of(inputs, outputs, Map.of()));
  }

  public HostStepper(
      Function<Map<String, Tensor>, Map<String, Tensor>> run, DecoderInputs decoder) {
    this.run = run;
    this.decoder = decoder;
  }

  /**
   * Rows of a batch whose first {@code padding[r]} prompt positions are left padding (masked, as
   * Hugging Face's generate pads); before the first step.
   */
  public HostStepper padded(int[] padding) {
    if (!sequences.isEmpty()) {
      throw new IllegalStateException("the padding is set before the first step");
    }
    if (decoder.attentionMask().isEmpty()
        && java.util.Arrays.stream(padding).anyMatch(p -> p > 0)) {
      throw new OclcException(
          "prompts of different lengths need the model's attention_mask to pad them; this model"
              + " has no such input: give prompts of one length");
    }
    this.padding = padding.clone();
    return this;
  }

  /**
   * A past of length 0 of the input's type: each symbolic dim 1 (batch) except the past length,
   * which is 0.
   */
  public static Tensor emptyPast(ValueInfo in) {
    long[] shape = new long[in.shape().rank()];
    for (int axis = 0; axis < shape.length; axis++) {
      Dim d = in.shape().dim(axis);
      shape[axis] =
          d.isConstant()
              ? d.constant()
              : d.symbols().stream().anyMatch(s -> s.contains("past")) ? 0 : 1;
    }
    return Tensor.allocate(in.dtype(), shape);
  }

  public boolean hasPast() {
    return !decoder.states().isEmpty();
  }

  public DecoderInputs decoder() {
    return decoder;
  }

  @Override
  public float[] step(long[] newTokens) {
    return step(new long[][] {newTokens})[0];
  }

  /** One step of every row (as many new tokens each): each row's last logits. */
  public float[][] step(long[][] newTokens) {
    if (newTokens.length != padding.length) {
      throw new IllegalArgumentException(
          newTokens.length + " rows, but padding for " + padding.length);
    }
    if (sequences.isEmpty()) {
      for (int row = 0; row < newTokens.length; row++) {
        sequences.add(new ArrayList<>());
      }
      for (DecoderInputs.State s : decoder.states()) {
        states.put(s.past().name(), s.initial(newTokens.length, decoder.batchDim()));
      }
    }
    for (int row = 0; row < newTokens.length; row++) {
      for (long t : newTokens[row]) {
        sequences.get(row).add(t);
      }
    }
    long[][] tokens =
        hasPast()
            ? newTokens
            : sequences.stream()
                .map(s -> s.stream().mapToLong(Long::longValue).toArray())
                .toArray(long[][]::new);
    long past = hasPast() ? pastLength : 0;
    Map<String, Tensor> results = run.apply(decoder.step(tokens, past, padding, states));
    Map<String, Tensor> next = new LinkedHashMap<>();
    for (DecoderInputs.State s : decoder.states()) {
      next.put(s.past().name(), results.get(s.present()));
    }
    states = next;
    pastLength += newTokens[0].length;
    return Generator.lastRows(results.get(decoder.logits()));
  }

  /** The logits output: named so, else the first. */
  public static String logitsOf(List<String> outputs) {
    return outputs.contains("logits") ? "logits" : outputs.getFirst();
  }

  @Override
  public String mode() {
    return hasPast()
        ? "past keys and values read back and bound again each step"
        : "no past inputs in this graph: the whole sequence runs again at every step";
  }
}
