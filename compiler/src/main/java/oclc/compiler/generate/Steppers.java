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
   * A device session: stepped in place when every state input is a past living in a KV cache (the
   * ids, and the attention mask and position ids where the graph has them, bound each step), else
   * with the host handing the past back each step.
   */
  public static Generator.Stepper forSession(Manifest manifest, Session session) {
    return forSession(manifest, session, DecoderNames.HUGGING_FACE);
  }

  /** As {@link #forSession(Manifest, Session)}, the inputs and outputs going by {@code names}. */
  public static Generator.Stepper forSession(
      Manifest manifest, Session session, DecoderNames names) {
    DecoderInputs decoder = decoderInputs(manifest, names);
    List<ValueInfo> pasts = decoder.states().stream().map(DecoderInputs.State::past).toList();
    List<String> cached = session.cachedInputs();
    if (!cached.isEmpty()
        && new java.util.HashSet<>(cached)
            .equals(new java.util.HashSet<>(pasts.stream().map(ValueInfo::name).toList()))) {
      Map<String, long[]> empty = new LinkedHashMap<>();
      for (ValueInfo past : pasts) {
        empty.put(past.name(), HostStepper.emptyPast(past).shape());
      }
      return new CachedStepper(session, decoder, empty, pasts.getFirst().dtype());
    }
    return hostStepper(manifest, session, names);
  }

  /** A device session stepped by the host, which hands the state back each step (any batch). */
  public static HostStepper hostStepper(Manifest manifest, Session session) {
    return hostStepper(manifest, session, DecoderNames.HUGGING_FACE);
  }

  /** As {@link #hostStepper(Manifest, Session)}, the inputs and outputs going by {@code names}. */
  public static HostStepper hostStepper(Manifest manifest, Session session, DecoderNames names) {
    List<String> outputs = manifest.outputs().stream().map(Manifest.TensorSpec::name).toList();
    return new HostStepper(
        in -> {
          in.forEach(session::bind);
          session.run();
          Map<String, Tensor> results = new LinkedHashMap<>();
          outputs.forEach(o -> results.put(o, session.output(o)));
          return results;
        },
        decoderInputs(manifest, names));
  }

  /** What a compiled decoder's inputs are for generation, from its manifest. */
  private static DecoderInputs decoderInputs(Manifest manifest, DecoderNames names) {
    List<ValueInfo> inputs =
        manifest.inputs().stream()
            .map(t -> new ValueInfo(t.name(), new TensorType(t.dtype(), new Shape(t.shape()))))
            .toList();
    List<String> outputs = manifest.outputs().stream().map(Manifest.TensorSpec::name).toList();
    Map<String, Shape> shapes = new LinkedHashMap<>();
    manifest.outputs().forEach(o -> shapes.put(o.name(), new Shape(o.shape())));
    return DecoderInputs.of(inputs, outputs, shapes, names);
  }

  /** The reference executor over a graph, stepped by the host. */
  public static HostStepper reference(oclc.ir.Graph graph) {
    return reference(graph, DecoderNames.HUGGING_FACE);
  }

  /** As {@link #reference(oclc.ir.Graph)}, the inputs and outputs going by {@code names}. */
  public static HostStepper reference(oclc.ir.Graph graph, DecoderNames names) {
    Map<String, Shape> shapes = new LinkedHashMap<>();
    graph.outputs().forEach(o -> shapes.put(o.name(), o.shape()));
    return new HostStepper(
        inputs -> new oclc.ir.exec.ReferenceExecutor().run(graph, inputs),
        DecoderInputs.of(
            graph.inputs(), graph.outputs().stream().map(ValueInfo::name).toList(), shapes, names));
  }
}
