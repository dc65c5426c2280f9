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

  /** How many rows the batch holds now. */
  public int rows() {
    return padding.length;
  }

  /** The positions every row has behind it (its own and its left padding). */
  public long pastLength() {
    return pastLength;
  }

  /**
   * Whether rows can leave and join between steps: the state is handed back (past inputs), each
   * state grows along its positions after the batch axis, and a row's left padding can be masked
   * (else only rows of one length can be brought together).
   */
  public boolean regroupable() {
    return hasPast()
        && !sequences.isEmpty()
        && decoder.states().stream()
            .allMatch(s -> s.growingAxis() > batchAxis(s) && batchAxis(s) >= 0);
  }

  /** Whether rows that arrive at another length can join, their shorter pasts padded and masked. */
  public boolean pads() {
    return decoder.attentionMask().isPresent();
  }

  /** Keeps the rows {@code kept} (in that order) and drops the others, between steps. */
  public void keepRows(int[] kept) {
    regroup(
        java.util.Arrays.stream(kept).mapToObj(row -> new Row(this, row, 0)).toList(), pastLength);
  }

  /**
   * Adds the one row of {@code joining} (a stepper of the same graph that has run its prompt) as
   * the batch's last row, between steps. The shorter past, the batch's or the newcomer's, is
   * left-padded and masked to the longer, as a batch's prompts are at its start.
   */
  public void admit(HostStepper joining) {
    if (joining.rows() != 1 || !joining.regroupable() || !regroupable()) {
      throw new IllegalStateException("only a stepped row of a graph with past states can join");
    }
    long joined = Math.max(pastLength, joining.pastLength);
    if ((joined != pastLength || joined != joining.pastLength) && !pads()) {
      throw new OclcException(
          "rows of different lengths need the model's attention_mask to pad them; this model"
              + " has no such input");
    }
    List<Row> rows = new ArrayList<>(shifted(joined - pastLength));
    rows.add(new Row(joining, 0, joined - joining.pastLength));
    regroup(rows, joined);
  }

  /**
   * Drops the positions that are padding in every row (left when the longest rows have left), so
   * that the batch's past is no longer than its longest row needs.
   */
  public void trimPadding() {
    int common = java.util.Arrays.stream(padding).min().orElse(0);
    if (common > 0) {
      regroup(shifted(-common), pastLength - common);
    }
  }

  /**
   * Row {@code row} of {@code from}, its positions moved right by {@code shift} (its left padding
   * grows by as many; negative: padding dropped).
   */
  private record Row(HostStepper from, int row, long shift) {}

  /** Every row of this batch, moved by {@code shift}. */
  private List<Row> shifted(long shift) {
    return java.util.stream.IntStream.range(0, rows())
        .mapToObj(row -> new Row(this, row, shift))
        .toList();
  }

  /** Makes the batch {@code rows}, in order, over {@code length} positions. */
  private void regroup(List<Row> rows, long length) {
    Map<String, Tensor> next = new LinkedHashMap<>();
    for (DecoderInputs.State s : decoder.states()) {
      String past = s.past().name();
      List<StateRows.Source> sources =
          rows.stream()
              .map(r -> new StateRows.Source(r.from().states.get(past), r.row(), r.shift()))
              .toList();
      next.put(past, StateRows.regrouped(sources, batchAxis(s), s.growingAxis(), length));
    }
    int[] newPadding =
        rows.stream().mapToInt(r -> r.from().padding[r.row()] + (int) r.shift()).toArray();
    List<List<Long>> newSequences =
        rows.stream().map(r -> r.from().sequences.get(r.row())).toList();
    states = next;
    pastLength = length;
    padding = newPadding;
    sequences.clear();
    sequences.addAll(newSequences);
  }

  private int batchAxis(DecoderInputs.State s) {
    List<Dim> dims = s.past().shape().dims();
    return dims.indexOf(decoder.batchDim());
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
