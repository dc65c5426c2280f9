package oclc.compiler.generate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.OclcException;
import oclc.ir.Tensor;
import oclc.ir.ValueInfo;

/**
 * Steps any backend through a graph: with past inputs, each step's present outputs become the next
 * step's past inputs (read back and bound again); without them, the whole sequence runs again.
 */
public final class HostStepper implements Generator.Stepper {
  private final Function<Map<String, Tensor>, Map<String, Tensor>> run;
  private final List<ValueInfo> inputs;
  private final List<String> outputs;
  private final Map<String, String> presentOfPast = new LinkedHashMap<>();
  private Map<String, Tensor> pasts = new LinkedHashMap<>();
  private final List<Long> sequence = new ArrayList<>();

  /**
   * {@code run} computes the named outputs from the named inputs (the reference executor, a device
   * session).
   */
  public HostStepper(
      Function<Map<String, Tensor>, Map<String, Tensor>> run,
      List<ValueInfo> inputs,
      List<String> outputs) {
    this.run = run;
    this.inputs = inputs;
    this.outputs = outputs;
    if (!outputs.contains("logits") && !outputs.getFirst().toLowerCase().contains("logit")) {
      throw new OclcException(
          "generation needs a logits output; the model's outputs are " + outputs);
    }
    for (ValueInfo in : inputs.subList(1, inputs.size())) {
      presentOfPast.put(in.name(), Generator.presentOf(in.name(), outputs));
      pasts.put(in.name(), emptyPast(in));
    }
  }

  /** A past of length 0: each symbolic dim 1 (batch) except the past length, which is 0. */
  public static Tensor emptyPast(ValueInfo in) {
    long[] shape = new long[in.shape().rank()];
    for (int axis = 0; axis < shape.length; axis++) {
      Dim d = in.shape().dim(axis);
      shape[axis] =
          d.isConstant()
              ? d.constant()
              : d.symbols().stream().anyMatch(s -> s.contains("past")) ? 0 : 1;
    }
    return Tensor.allocate(DType.FLOAT32, shape);
  }

  public boolean hasPast() {
    return !presentOfPast.isEmpty();
  }

  @Override
  public float[] step(long[] newTokens) {
    for (long t : newTokens) {
      sequence.add(t);
    }
    long[] tokens = hasPast() ? newTokens : sequence.stream().mapToLong(Long::longValue).toArray();
    Map<String, Tensor> results =
        run.apply(Generator.stepInputs(inputs.getFirst().name(), tokens, pasts));
    Map<String, Tensor> next = new LinkedHashMap<>();
    presentOfPast.forEach((past, present) -> next.put(past, results.get(present)));
    pasts = next;
    return Generator.lastRow(results.get(logitsOf(outputs)));
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
