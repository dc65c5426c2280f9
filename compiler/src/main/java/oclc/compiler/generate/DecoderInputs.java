package oclc.compiler.generate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import oclc.ir.Dim;
import oclc.ir.OclcException;
import oclc.ir.Shape;
import oclc.ir.Tensor;
import oclc.ir.ValueInfo;

/**
 * What a decoder graph's inputs are for generation, found by name and shape: the token ids (int32
 * or int64, as declared), Hugging Face's {@code attention_mask} and {@code position_ids} where the
 * graph has them, and the state each step hands to the next: a past input and the present output it
 * becomes ({@code past_key_values.N.key → present.N.key}, {@code past_N → present_N} with keys and
 * values stacked, {@code past_k_N → present_k_N}), growing along the one axis where their shapes
 * differ, or not growing at all (a convolution's state).
 */
public record DecoderInputs(
    ValueInfo ids,
    Optional<ValueInfo> attentionMask,
    Optional<ValueInfo> positionIds,
    List<State> states,
    String logits) {
  public DecoderInputs {
    states = List.copyOf(states);
  }

  /**
   * One state pair. {@code growingAxis}: where the present is longer than the past by the step's
   * tokens; -1 for a state that keeps its shape.
   */
  public record State(ValueInfo past, String present, int growingAxis) {
    /** The state before the first step: length 0 where it grows, zeros where it does not. */
    public Tensor initial(long batch, Dim batchDim) {
      long[] shape = new long[past.shape().rank()];
      for (int axis = 0; axis < shape.length; axis++) {
        Dim d = past.shape().dim(axis);
        shape[axis] =
            axis == growingAxis
                ? 0
                : d.isConstant() ? d.constant() : d.equals(batchDim) ? batch : 1;
      }
      return Tensor.allocate(past.dtype(), shape);
    }
  }

  /**
   * The graph's conventions. {@code outputShapes}: each output's shape, where known (the growing
   * axis is then where past and present differ; without it, the axis of a symbol named past).
   */
  public static DecoderInputs of(
      List<ValueInfo> inputs, List<String> outputs, Map<String, Shape> outputShapes) {
    return of(inputs, outputs, outputShapes, DecoderNames.HUGGING_FACE);
  }

  /**
   * As {@link #of(List, List, Map)}, the roles and state pairs named by {@code names} (a
   * genai_config.json's) first.
   */
  public static DecoderInputs of(
      List<ValueInfo> inputs,
      List<String> outputs,
      Map<String, Shape> outputShapes,
      DecoderNames names) {
    String logits =
        outputs.contains(names.logits())
            ? names.logits()
            : outputs.contains("logits") ? "logits" : outputs.getFirst();
    if (!logits.equals(names.logits()) && !logits.toLowerCase().contains("logit")) {
      throw new OclcException(
          "generation needs a logits output; the model's outputs are " + outputs);
    }
    ValueInfo ids = null;
    ValueInfo mask = null;
    ValueInfo positions = null;
    List<State> states = new ArrayList<>();
    for (ValueInfo in : inputs) {
      String name = in.name();
      if (name.equals(names.attentionMask())) {
        mask = in;
      } else if (name.equals(names.positionIds())) {
        positions = in;
      } else if (name.equals(names.ids())) {
        ids = in;
      } else {
        Optional<String> present =
            names.presentOf(name, outputs).or(() -> presentOf(name, outputs));
        if (present.isPresent()) {
          states.add(new State(in, present.get(), growingAxis(in, present.get(), outputShapes)));
        } else if (ids == null && in.dtype().isInteger() && in.shape().rank() == 2) {
          ids = in;
        } else {
          throw new OclcException(
              "the model's input '"
                  + name
                  + "' is none of "
                  + names.ids()
                  + ", "
                  + names.attentionMask()
                  + ", "
                  + names.positionIds()
                  + " or a past state with a present output (past_key_values.N.key →"
                  + " present.N.key, past_N → present_N"
                  + names.states().stream()
                      .map(p -> ", " + p.past() + " → " + p.present())
                      .reduce("", String::concat)
                  + "); its outputs are "
                  + outputs);
        }
      }
    }
    if (ids == null) {
      throw new OclcException("the model has no token-ids input (input_ids) among " + inputs);
    }
    return new DecoderInputs(
        ids, Optional.ofNullable(mask), Optional.ofNullable(positions), states, logits);
  }

  /**
   * A past input's present output: past_k_0 → present_k_0, past_key_values.0.key → present.0.key.
   */
  public static Optional<String> presentOf(String past, List<String> outputs) {
    if (!past.contains("past")) {
      return Optional.empty();
    }
    return java.util.stream.Stream.of(
            past.replaceFirst("past_key_values", "present"), past.replaceFirst("past", "present"))
        .filter(outputs::contains)
        .findFirst();
  }

  private static int growingAxis(ValueInfo past, String present, Map<String, Shape> shapes) {
    Shape presentShape = shapes.get(present);
    if (presentShape == null) {
      for (int axis = 0; axis < past.shape().rank(); axis++) {
        if (past.shape().dim(axis).symbols().stream().anyMatch(s -> s.contains("past"))) {
          return axis;
        }
      }
      return -1;
    }
    String pair =
        "the state '"
            + past.name()
            + "' "
            + past.shape()
            + " and its present '"
            + present
            + "' "
            + presentShape;
    if (presentShape.rank() != past.shape().rank()) {
      throw new OclcException(pair + " differ in rank");
    }
    int growing = -1;
    for (int axis = 0; axis < presentShape.rank(); axis++) {
      if (!presentShape.dim(axis).equals(past.shape().dim(axis))) {
        if (growing >= 0) {
          throw new OclcException(pair + " differ on more than one axis: which one grows?");
        }
        growing = axis;
      }
    }
    return growing;
  }

  /** The batch dim of the ids, which a state's initial value takes the batch size at. */
  public Dim batchDim() {
    return ids.shape().dim(0);
  }

  /**
   * One step's inputs: each row's new tokens (as many per row), after {@code pastLength} earlier
   * positions; row r's first {@code padding[r]} positions are left padding. The mask and the
   * position ids are Hugging Face's generate's: 0 over the padding, and position_ids = cumsum(mask)
   * - 1, with 1 over the padding.
   */
  public Map<String, Tensor> step(
      long[][] tokens, long pastLength, int[] padding, Map<String, Tensor> states) {
    int batch = tokens.length;
    int length = tokens[0].length;
    long total = pastLength + length;
    long[] idValues = new long[batch * length];
    long[] maskValues = new long[(int) (batch * total)];
    long[] positionValues = new long[batch * length];
    for (int row = 0; row < batch; row++) {
      System.arraycopy(tokens[row], 0, idValues, row * length, length);
      for (int t = 0; t < total; t++) {
        maskValues[(int) (row * total + t)] = t < padding[row] ? 0 : 1;
      }
      for (int j = 0; j < length; j++) {
        long t = pastLength + j;
        positionValues[row * length + j] = t < padding[row] ? 1 : t - padding[row];
      }
    }
    Map<String, Tensor> inputs = new LinkedHashMap<>();
    inputs.put(ids.name(), Tensor.ofLongs(ids.dtype(), new long[] {batch, length}, idValues));
    attentionMask.ifPresent(
        m ->
            inputs.put(m.name(), Tensor.ofLongs(m.dtype(), new long[] {batch, total}, maskValues)));
    positionIds.ifPresent(
        p ->
            inputs.put(
                p.name(), Tensor.ofLongs(p.dtype(), new long[] {batch, length}, positionValues)));
    inputs.putAll(states);
    return inputs;
  }
}
