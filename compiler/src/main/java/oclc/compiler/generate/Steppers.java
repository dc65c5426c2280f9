package oclc.compiler.generate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import oclc.artifact.Manifest;
import oclc.ir.Shape;
import oclc.ir.Tensor;
import oclc.ir.TensorType;
import oclc.ir.ValueInfo;
import oclc.runtime.Session;

/**
 * The stepper for a compiled model's session, as {@code oclc generate} and {@code oclc profile}
 * step it.
 */
public final class Steppers {
  private Steppers() {}

  /**
   * A device session: stepped in place when every past input lives in a KV cache, else with the
   * host handing the past back each step.
   */
  public static Generator.Stepper forSession(Manifest manifest, Session session) {
    List<ValueInfo> inputs =
        manifest.inputs().stream()
            .map(t -> new ValueInfo(t.name(), new TensorType(t.dtype(), new Shape(t.shape()))))
            .toList();
    List<String> outputs = manifest.outputs().stream().map(Manifest.TensorSpec::name).toList();
    List<String> cached = session.cachedInputs();
    if (!cached.isEmpty() && cached.size() == inputs.size() - 1) {
      Map<String, long[]> empty = new LinkedHashMap<>();
      for (ValueInfo in : inputs.subList(1, inputs.size())) {
        empty.put(in.name(), HostStepper.emptyPast(in).shape());
      }
      return new CachedStepper(
          session, inputs.getFirst().name(), HostStepper.logitsOf(outputs), empty);
    }
    return new HostStepper(
        in -> {
          in.forEach(session::bind);
          session.run();
          Map<String, Tensor> results = new LinkedHashMap<>();
          outputs.forEach(o -> results.put(o, session.output(o)));
          return results;
        },
        inputs,
        outputs);
  }
}
