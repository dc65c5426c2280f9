package oclc.codegen.opencl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import oclc.artifact.Manifest.BufferKind;
import oclc.artifact.Manifest.BufferSpec;
import oclc.artifact.Manifest.NodeLaunches;
import oclc.artifact.Manifest.Variant;
import oclc.ir.Constant;
import oclc.ir.DataDependentShapeException;
import oclc.ir.Graph;
import oclc.ir.Node;
import oclc.ir.Remedy;
import oclc.ir.TensorType;
import oclc.ir.UnsupportedFeatureException;
import oclc.ir.ValueInfo;
import oclc.lowering.LoweredGraph;
import oclc.lowering.LoweringAttributes;
import oclc.lowering.Schedule;
import oclc.lowering.SizeRanges;
import oclc.lowering.VariantNames;
import oclc.lowering.passes.LoweringOptions;
import oclc.lowering.passes.LoweringPasses;

/** Lowers every node of a graph (after the passes) to OpenCL kernel variants. */
public final class GraphLowering {
  private GraphLowering() {}

  /**
   * Lowers {@code graph} for the sizes {@code ranges} covers (every variant a node needs for them);
   * a graph with nodes no kernel computes is an error that lists every such node with its reason.
   */
  public static LoweredGraph lower(Lowerings lowerings, Graph graph, SizeRanges ranges) {
    return lower(lowerings, graph, ranges, KernelOverrides.none(), Schedule.defaults());
  }

  /**
   * The same, with the user's kernels: a node an override names gets the user's variant first (it
   * is taken wherever its sizes admit), then the generated ones, where they exist, for the rest.
   */
  public static LoweredGraph lower(
      Lowerings lowerings,
      Graph graph,
      SizeRanges ranges,
      KernelOverrides overrides,
      Schedule schedule) {
    return lower(lowerings, graph, ranges, overrides, schedule, false);
  }

  /**
   * The same; with {@code fuse}, elementwise nodes are fused into the launches of the products they
   * follow and into chains as {@link Fusion} says (a node with a user kernel stays alone), else
   * every node is a launch of its own. {@code graph} is after the standard passes: this runs the
   * lowering passes ({@link #passOptions}), then {@link #lowerPassed}.
   */
  public static LoweredGraph lower(
      Lowerings lowerings,
      Graph graph,
      SizeRanges ranges,
      KernelOverrides overrides,
      Schedule schedule,
      boolean fuse) {
    Graph passed = LoweringPasses.run(graph, passOptions(ranges, overrides, schedule, fuse));
    return lowerPassed(lowerings, passed, ranges, overrides, schedule);
  }

  /**
   * The options of the lowering passes for OpenCL: user kernels never fused, fusion groups planned
   * by {@link Fusion}.
   */
  public static LoweringOptions passOptions(
      SizeRanges ranges, KernelOverrides overrides, Schedule schedule, boolean fuse) {
    return new LoweringOptions(
        fuse,
        ranges,
        node -> overrides.find(node).isPresent(),
        Optional.of(Fusion.planner(ranges, schedule, overrides)));
  }

  /**
   * Lowers a graph after the lowering passes: the KV caches, fused norms and fusion groups they
   * recorded in it are read, not decided again.
   */
  public static LoweredGraph lowerPassed(
      Lowerings lowerings,
      Graph graph,
      SizeRanges ranges,
      KernelOverrides overrides,
      Schedule schedule) {
    LoweringContext context = new LoweringContext(graph, ranges, schedule.validated());
    List<NodeLaunches> nodes = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    Set<String> inputSymbols = new LinkedHashSet<>();
    graph.inputs().forEach(in -> in.shape().dims().forEach(d -> inputSymbols.addAll(d.symbols())));
    boolean fusedProblem = false;
    List<Fusion.Unit> units = Fusion.recorded(graph, context);
    Set<String> internal = new LinkedHashSet<>();
    for (Fusion.Unit unit : units) {
      if (unit instanceof Fusion.Group group) {
        try {
          nodes.add(launches(group, context));
          internal.addAll(group.internal());
        } catch (NotLowerableException | IllegalArgumentException e) {
          problems.add(
              group.first()
                  + " (fused with "
                  + group.covered().size()
                  + " nodes): "
                  + e.getMessage()
                  + "; unfused, its nodes are lowered alone");
          fusedProblem = true;
        }
        continue;
      }
      Node node = ((Fusion.Single) unit).node();
      try {
        unboundSymbol(node, context, inputSymbols)
            .ifPresent(
                symbol -> {
                  throw new DataDependentShapeException(
                      "symbol '" + symbol + "' of its output shape is set by no input shape");
                });
        List<Variant> variants = new ArrayList<>();
        var user = overrides.find(node);
        if (user.isPresent()) {
          variants.add(UserKernelLowering.lower(node, context, user.get()));
        }
        var lowering = lowerings.find(node);
        if (lowering.isPresent() && (user.isEmpty() || !user.get().when().isEmpty())) {
          variants.addAll(lowering.get().lower(node, context));
        } else if (user.isEmpty()) {
          throw new NotLowerableException("no OpenCL kernel for " + node.qualifiedOpType());
        }
        nodes.add(LoweringAttributes.launches(node, VariantNames.distinct(variants)));
      } catch (NotLowerableException | IllegalArgumentException e) {
        if (node.attributes().has(LoweringAttributes.FUSED)) {
          problems.add(
              node
                  + " (the "
                  + LoweringAttributes.strings(node, LoweringAttributes.FUSED).size()
                  + " nodes after it, fused): "
                  + e.getMessage()
                  + "; unfused, they are lowered alone");
          fusedProblem = true;
        } else {
          problems.add(node + ": " + e.getMessage());
        }
      } catch (DataDependentShapeException e) {
        problems.add(
            node
                + ": its shape depends on input data ("
                + e.getMessage()
                + "); ahead-of-time kernels need shapes known from the input shapes");
      }
    }
    if (!problems.isEmpty()) {
      String message =
          "the OpenCL backend cannot compute "
              + problems.size()
              + " node"
              + (problems.size() == 1 ? "" : "s")
              + ":\n  "
              + String.join("\n  ", problems);
      throw fusedProblem
          ? new UnsupportedFeatureException(message, Remedy.UNFUSE)
          : new UnsupportedFeatureException(message);
    }
    return new LoweredGraph(
        nodes, buffers(graph, context, internal), context.kernels(), context.paramBytes());
  }

  /**
   * A group's launch: named after its first node, reading the group's inputs, writing what it
   * stores.
   */
  private static NodeLaunches launches(Fusion.Group group, LoweringContext context) {
    List<Variant> variants = VariantNames.distinct(FusedLowering.lower(group, context));
    Set<String> inputs = new LinkedHashSet<>();
    Set<String> computed = new LinkedHashSet<>();
    for (Node node :
        group.anchor() == null ? group.members() : concat(group.anchor(), group.members())) {
      node.inputs().stream()
          .filter(in -> !in.isEmpty() && !computed.contains(in))
          .forEach(inputs::add);
      computed.addAll(node.outputs());
    }
    Node first = group.first();
    List<String> fused = group.covered().stream().filter(n -> n != first).map(Node::name).toList();
    return new NodeLaunches(
        first.name(),
        first.qualifiedOpType(),
        List.copyOf(inputs),
        group.stored(),
        variants,
        fused,
        group.internal());
  }

  private static List<Node> concat(Node first, List<Node> rest) {
    List<Node> all = new ArrayList<>(List.of(first));
    all.addAll(rest);
    return all;
  }

  /**
   * A symbol of an output's shape that no graph input's shape binds (a size read from data, such as
   * OneHot's depth).
   */
  private static java.util.Optional<String> unboundSymbol(
      Node node, LoweringContext context, Set<String> inputSymbols) {
    return node.outputs().stream()
        .filter(output -> !output.isEmpty() && context.graph().type(output).isPresent())
        .flatMap(output -> context.type(output).shape().dims().stream())
        .flatMap(d -> d.symbols().stream())
        .filter(symbol -> !inputSymbols.contains(symbol))
        .findFirst();
  }

  /**
   * Every buffer: inputs, node outputs (views marked), graph outputs that are constants, and
   * params.
   */
  private static List<BufferSpec> buffers(
      Graph graph, LoweringContext context, Set<String> internal) {
    Map<String, BufferSpec> buffers = new LinkedHashMap<>();
    for (ValueInfo in : graph.inputs()) {
      buffers.put(in.name(), context.inputBuffer(in));
    }
    for (Node node : graph.nodes()) {
      for (String output : node.outputs()) {
        if (output.isEmpty() || internal.contains(output)) {
          continue; // no value, or one a fused launch keeps in registers
        }
        TensorType type = context.type(output);
        BufferKind kind = LoweringContext.kindOf(graph, output);
        String viewed = context.views().get(output);
        if (context.caches().containsKey(output)) {
          buffers.put(
              output,
              BufferSpec.value(output, type.dtype(), type.shape().dims(), BufferKind.CACHE)
                  .storedAs(context.layout(output)));
          continue;
        }
        buffers.put(
            output,
            viewed == null
                ? BufferSpec.value(output, type.dtype(), type.shape().dims(), kind)
                : BufferSpec.view(output, type.dtype(), type.shape().dims(), kind, viewed));
      }
    }
    Set<String> missing = new LinkedHashSet<>();
    for (ValueInfo out : graph.outputs()) {
      if (!buffers.containsKey(out.name()) && !context.params().containsKey(out.name())) {
        if (graph.constants().get(out.name()) instanceof Constant.Data(var tensor)) {
          context.param(out.name(), tensor); // an output folded at compile time
        } else {
          missing.add(out.name());
        }
      }
    }
    if (!missing.isEmpty()) {
      throw new UnsupportedFeatureException(
          "outputs "
              + missing
              + " are shape arithmetic known only when the "
              + "symbols are bound; the OpenCL backend computes tensors");
    }
    buffers.putAll(context.params());
    return new ArrayList<>(buffers.values());
  }
}
