package oclc.codegen.cpu;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import oclc.artifact.ArtifactJson;
import oclc.artifact.Manifest.Argument;
import oclc.artifact.Manifest.BufferKind;
import oclc.artifact.Manifest.BufferSpec;
import oclc.artifact.Manifest.Dispatch;
import oclc.artifact.Manifest.NodeLaunches;
import oclc.artifact.Manifest.Variant;
import oclc.ir.Constant;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.Graph;
import oclc.ir.Node;
import oclc.ir.Tensor;
import oclc.ir.TensorType;
import oclc.ir.UnsupportedFeatureException;
import oclc.ir.ValueInfo;
import oclc.lowering.LoweredGraph;
import oclc.lowering.LoweringAttributes;
import oclc.lowering.LoweringScope;
import oclc.lowering.Schedule;
import oclc.lowering.SizeRanges;
import oclc.lowering.passes.LoweringOptions;
import oclc.lowering.passes.LoweringPasses;

/**
 * Lowers a graph (after the passes) to Java kernel variants: per node the variants of its family
 * ({@link JavaLowerings}, which the families' declarations give: the same size classes as on
 * OpenCL), else the labelled reference fallback. A value whose shape only the data decides
 * (untyped, or with a symbol no input shape binds) gets no buffer: the nodes that make or read it
 * run the fallback, and the session holds it as a host tensor, planned once it exists. It reads
 * what the lowering passes recorded in the graph: the KV cache appends, and the decomposed norms
 * and rotaries fuse-decomposed-norms and fuse-decomposed-rotary made one node (one launch of its
 * Java kernel, the values between the nodes it replaces kept in no buffer); nothing else is fused.
 */
public final class JavaLowering extends LoweringScope {
  /** The name of the variant a node computed by its op's reference evaluation has. */
  public static final String FALLBACK_VARIANT = "reference";

  /** The nodes of a Java artifact that its reference fallback computes, in graph order. */
  public static List<NodeLaunches> fallbackNodes(oclc.artifact.Manifest manifest) {
    return manifest.nodes().stream()
        .filter(n -> n.variants().stream().anyMatch(v -> v.name().equals(FALLBACK_VARIANT)))
        .toList();
  }

  private final JavaLowerings lowerings;
  private final Set<String> hostHeld = new LinkedHashSet<>();

  /**
   * Views with permuted axes (a Transpose read in place): output → the axis of the input each of
   * its axes reads.
   */
  private final Map<String, List<Integer>> permutations = new LinkedHashMap<>();

  private JavaLowering(JavaLowerings lowerings, Graph graph, SizeRanges ranges, Schedule schedule) {
    super(graph, ranges, schedule.validated());
    this.lowerings = lowerings;
  }

  /**
   * Every node's Java variants, the buffers, the kernels' descriptions (JSON by name) and the
   * params, with {@code fuse} the decomposed norms as one launch each: {@code graph} is after the
   * standard passes; this runs the lowering passes ({@link #passOptions}), then {@link
   * #lowerPassed}.
   */
  public static LoweredGraph lower(
      JavaLowerings lowerings, Graph graph, SizeRanges ranges, Schedule schedule, boolean fuse) {
    return lowerPassed(
        lowerings, LoweringPasses.run(graph, passOptions(ranges, fuse)), ranges, schedule);
  }

  /** The options of the lowering passes for the Java backend: no fusion groups, only the norms. */
  public static LoweringOptions passOptions(SizeRanges ranges, boolean fuse) {
    return LoweringOptions.of(fuse, ranges);
  }

  /** Lowers a graph after the lowering passes, reading what they recorded in it. */
  public static LoweredGraph lowerPassed(
      JavaLowerings lowerings, Graph graph, SizeRanges ranges, Schedule schedule) {
    return new JavaLowering(lowerings, graph, ranges, schedule).lowerAll();
  }

  private LoweredGraph lowerAll() {
    Set<String> inputSymbols = new LinkedHashSet<>();
    graph()
        .inputs()
        .forEach(in -> in.shape().dims().forEach(d -> inputSymbols.addAll(d.symbols())));
    for (Node node : graph().nodes()) {
      for (String output : node.outputs()) {
        if (!output.isEmpty()
            && graph().type(output).map(t -> !bound(t, inputSymbols)).orElse(true)) {
          hostHeld.add(output);
        }
      }
    }
    List<NodeLaunches> nodes = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (Node node : graph().nodes()) {
      try {
        nodes.add(LoweringAttributes.launches(node, variants(node)));
      } catch (IllegalArgumentException e) {
        problems.add(node + ": " + e.getMessage());
      }
    }
    if (!problems.isEmpty()) {
      throw new UnsupportedFeatureException(
          "the Java backend cannot compute "
              + problems.size()
              + " node"
              + (problems.size() == 1 ? "" : "s")
              + ":\n  "
              + String.join("\n  ", problems));
    }
    return new LoweredGraph(nodes, buffers(), kernels(), paramBytes());
  }

  private static boolean bound(TensorType type, Set<String> inputSymbols) {
    return type.shape().dims().stream().allMatch(d -> inputSymbols.containsAll(d.symbols()));
  }

  private List<Variant> variants(Node node) {
    boolean touchesHost =
        node.inputs().stream().anyMatch(hostHeld::contains)
            || node.outputs().stream().anyMatch(hostHeld::contains);
    if (!touchesHost) {
      Optional<List<Variant>> family = lowerings.lower(node, this);
      if (family.isPresent()) {
        return family.get();
      }
    }
    return List.of(fallback(node));
  }

  /** The op's reference evaluation as the node's one variant. */
  private Variant fallback(Node node) {
    for (String input : node.inputs()) {
      if (!input.isEmpty() && graph().constants().get(input) instanceof Constant.Symbolic) {
        throw new IllegalArgumentException(
            "'"
                + input
                + "' is shape arithmetic known only when the symbols are "
                + "bound, which the reference fallback does not evaluate");
      }
    }
    List<Argument> arguments = new ArrayList<>();
    node.inputs()
        .forEach(input -> arguments.add(input.isEmpty() ? new Argument.Buffer("") : read(input)));
    node.outputs().forEach(output -> arguments.add(new Argument.Buffer(output)));
    String kernel =
        kernel(
            "reference_" + node.opType() + "_" + nodeIndex(node),
            new JavaKernelSpec.Reference(
                JavaKernelSpec.NodeSpec.of(node), graph().opset(node.domain())));
    return new Variant(
        FALLBACK_VARIANT,
        List.of(),
        List.of(new Dispatch(kernel, arguments, List.of(Dim.of(1)), List.of())));
  }

  private int nodeIndex(Node node) {
    return graph().nodes().indexOf(node);
  }

  // What the families see and record.

  Optional<TensorType> type(String value) {
    return graph().type(value);
  }

  @Override
  public List<Dim> shape(String value) {
    return graph().type(value).orElseThrow().shape().dims();
  }

  DType dtype(String value) {
    return graph().type(value).orElseThrow().dtype();
  }

  /** An integer input known at compile time as dims (a constant, or folded shape arithmetic). */
  Optional<List<Dim>> dims(String value) {
    return switch (graph().constants().get(value)) {
      case Constant.Symbolic(var s) -> Optional.of(s.elements());
      case Constant.Data(Tensor t) when t.dtype().isInteger() ->
          Optional.of(java.util.Arrays.stream(t.toLongArray()).mapToObj(Dim::of).toList());
      case null, default -> Optional.empty();
    };
  }

  /**
   * Whether a value is shape arithmetic only the bound symbols make concrete (no buffer holds it).
   */
  boolean symbolic(String value) {
    return graph().constants().get(value) instanceof Constant.Symbolic;
  }

  /** The buffer argument of a value a kernel reads: a constant becomes a param, stored as it is. */
  Argument.Buffer read(String value) {
    constant(value).ifPresent(t -> param(value, t));
    return new Argument.Buffer(value);
  }

  /**
   * {@code output} as {@code input}'s memory with its axes permuted, read through strides (no
   * copy).
   */
  void permutedView(String output, String input, List<Integer> permutation) {
    view(output, input);
    permutations.put(output, permutation);
  }

  /** Registers a kernel description under a name; equal names must describe the same kernel. */
  String kernel(String name, JavaKernelSpec spec) {
    String json;
    try {
      json = ArtifactJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(spec) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot describe kernel " + name, e);
    }
    return kernel(name, json);
  }

  /**
   * Every buffer: inputs, node outputs with a shape the input shapes decide (views marked), params.
   */
  private List<BufferSpec> buffers() {
    Map<String, BufferSpec> buffers = new LinkedHashMap<>();
    for (ValueInfo in : graph().inputs()) {
      buffers.put(in.name(), cacheLayouts().inputBuffer(in));
    }
    Set<String> outputs =
        new LinkedHashSet<>(graph().outputs().stream().map(ValueInfo::name).toList());
    for (Node node : graph().nodes()) {
      for (String output : node.outputs()) {
        if (output.isEmpty() || hostHeld.contains(output)) {
          continue;
        }
        TensorType type = graph().type(output).orElseThrow();
        BufferKind kind = outputs.contains(output) ? BufferKind.OUTPUT : BufferKind.INTERMEDIATE;
        if (cacheLayouts().byPresent().containsKey(output)) {
          buffers.put(
              output,
              BufferSpec.value(output, type.dtype(), type.shape().dims(), BufferKind.CACHE)
                  .storedAs(layout(output)));
          continue;
        }
        String viewed = views().get(output);
        List<Integer> permutation = permutations.get(output);
        buffers.put(
            output,
            viewed == null
                ? BufferSpec.value(output, type.dtype(), type.shape().dims(), kind)
                : permutation != null
                    ? BufferSpec.permutedView(
                        output, type.dtype(), type.shape().dims(), kind, viewed, permutation)
                    : BufferSpec.view(output, type.dtype(), type.shape().dims(), kind, viewed));
      }
    }
    for (ValueInfo out : graph().outputs()) {
      if (!buffers.containsKey(out.name())
          && !params().containsKey(out.name())
          && !hostHeld.contains(out.name())) {
        if (graph().constants().get(out.name()) instanceof Constant.Data(var tensor)) {
          param(out.name(), tensor); // an output folded at compile time
        } else {
          throw new UnsupportedFeatureException(
              "output '"
                  + out.name()
                  + "' is shape arithmetic known only when the "
                  + "symbols are bound; the Java backend computes tensors");
        }
      }
    }
    buffers.putAll(params());
    return new ArrayList<>(buffers.values());
  }
}
