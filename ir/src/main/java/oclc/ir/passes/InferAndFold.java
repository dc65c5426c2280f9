package oclc.ir.passes;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import oclc.ir.Constant;
import oclc.ir.DataDependentShapeException;
import oclc.ir.DimUnifier;
import oclc.ir.EvaluationContext;
import oclc.ir.Graph;
import oclc.ir.InferenceContext;
import oclc.ir.Node;
import oclc.ir.OclcException;
import oclc.ir.OpDefinition;
import oclc.ir.OpRegistry;
import oclc.ir.Shape;
import oclc.ir.ShapeAssertion;
import oclc.ir.ShapeInferenceException;
import oclc.ir.Tensor;
import oclc.ir.TensorType;
import oclc.ir.ValueInfo;

/**
 * Infers the type of every value over symbolic dims, in one forward sweep, and folds what is known
 * at compile time: a node whose inputs are all constant tensors is evaluated by the reference
 * executor; a node of shape arithmetic whose inputs are known as dims is evaluated symbolically.
 * Folded nodes leave the graph; their outputs become constants.
 *
 * <p>Dims an op needs equal are unified as the sweep meets them ({@link DimUnifier}): every node
 * after sees its inputs' dims resolved, and at the end every type, symbolic constant and assumption
 * is, so that a symbol unified with an expression of others ({@code total_sequence_length}) is left
 * only in the inputs' declared shapes, and the unifications join the graph's assumptions.
 */
public final class InferAndFold implements Pass {
  /** Larger results stay nodes: folding must not blow up the artifact. */
  private static final long MAX_FOLDED_ELEMENTS = 1 << 24;

  private final OpRegistry registry;

  public InferAndFold() {
    this(OpRegistry.standard());
  }

  public InferAndFold(OpRegistry registry) {
    this.registry = registry;
  }

  @Override
  public String name() {
    return "infer-and-fold";
  }

  @Override
  public Graph apply(Graph graph) {
    UnsupportedOps.check(graph, registry);
    Map<String, TensorType> types = new HashMap<>();
    graph.inputs().forEach(in -> types.put(in.name(), in.type()));
    graph.constants().forEach((name, c) -> types.put(name, c.type()));
    Map<String, Constant> constants = new LinkedHashMap<>(graph.constants());
    Map<String, TensorType> valueTypes = new LinkedHashMap<>();
    List<ShapeAssertion> assertions = new ArrayList<>(graph.assertions());
    List<Node> remaining = new ArrayList<>();

    Set<String> runTimeTyped = new HashSet<>();
    DimUnifier unifier = DimUnifier.forInputs(graph.inputs());
    for (Node node : graph.nodes()) {
      OpDefinition op = registry.find(node).orElseThrow();
      InferenceContext context = contextFor(graph, node, types, constants, runTimeTyped, unifier);
      guarded(node, () -> op.unsupportedReason(context))
          .ifPresent(
              reason -> {
                throw new UnsupportedOpsException(List.of(node + ": " + reason));
              });
      List<TensorType> outputTypes;
      try {
        outputTypes = guarded(node, () -> op.inferTypes(context));
      } catch (DataDependentShapeException e) {
        // Known only by running: such values stay untyped, and so does what depends on them.
        node.outputs().stream().filter(o -> !o.isEmpty()).forEach(runTimeTyped::add);
        remaining.add(node);
        continue;
      }
      if (outputTypes.size() < node.outputs().size()) {
        throw context.error(
            "shape inference gave "
                + outputTypes.size()
                + " outputs for "
                + node.outputs().size()
                + " declared");
      }
      addNew(assertions, context.assumptions());
      outputTypes = outputTypes.stream().map(unifier::resolve).toList();
      for (int i = 0; i < node.outputs().size(); i++) {
        String output = node.outputs().get(i);
        if (!output.isEmpty()) {
          types.put(output, outputTypes.get(i));
          valueTypes.put(output, outputTypes.get(i));
        }
      }
      List<TensorType> typed = outputTypes;
      Optional<List<Constant>> folded =
          guarded(node, () -> fold(graph, node, op, context, typed, constants));
      if (folded.isPresent()) {
        for (int i = 0; i < node.outputs().size(); i++) {
          String output = node.outputs().get(i);
          if (!output.isEmpty()) {
            constants.put(output, folded.get().get(i));
            valueTypes.remove(output);
          }
        }
      } else {
        remaining.add(node);
      }
    }
    List<ValueInfo> outputs =
        graph.outputs().stream()
            .map(
                o ->
                    new ValueInfo(
                        o.name(), unifier.resolve(types.getOrDefault(o.name(), o.type()))))
            .toList();
    if (!unifier.substitution().isEmpty() || !unifier.equalities().isEmpty()) {
      constants.replaceAll((name, c) -> unifier.resolve(c));
      valueTypes.replaceAll((name, t) -> unifier.resolve(t));
      List<ShapeAssertion> resolved = new ArrayList<>();
      addNew(
          resolved, assertions.stream().map(a -> a.equality() ? a : unifier.resolve(a)).toList());
      addNew(resolved, unifier.equalities());
      assertions = resolved;
    }
    return new Graph(
        graph.name(),
        graph.inputs(),
        outputs,
        remaining,
        constants,
        valueTypes,
        assertions,
        graph.opsets());
  }

  /**
   * An op's own failure while typing or folding a node (an attribute of the wrong kind, an input of
   * a rank it cannot take, constant inputs its evaluation refuses), reported against the node: a
   * damaged or hostile model gets an error that names it, not a stack trace. oclc's documented
   * errors pass through as they are.
   */
  private static <T> T guarded(Node node, Supplier<T> work) {
    try {
      return work.get();
    } catch (OclcException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new ShapeInferenceException(
          node
              + ": its op cannot take this node ("
              + e.getClass().getSimpleName()
              + ": "
              + e.getMessage()
              + ")",
          e);
    }
  }

  /** Adds each of {@code more} that {@code into} does not hold yet. */
  private static void addNew(List<ShapeAssertion> into, List<ShapeAssertion> more) {
    for (ShapeAssertion a : more) {
      boolean known =
          into.stream()
              .anyMatch(
                  b ->
                      b.equality() == a.equality()
                          && b.lessOrEqual().equals(a.lessOrEqual())
                          && b.bound().equals(a.bound()));
      if (!known && (a.equality() || !trivially(a))) {
        into.add(a);
      }
    }
  }

  /** A {@code <=} assumption that resolution made true for every value of the symbols. */
  private static boolean trivially(ShapeAssertion a) {
    return a.lessOrEqual().compareKnown(a.bound()).map(c -> c <= 0).orElse(false);
  }

  private static InferenceContext contextFor(
      Graph graph,
      Node node,
      Map<String, TensorType> types,
      Map<String, Constant> constants,
      Set<String> runTimeTyped,
      DimUnifier unifier) {
    List<TensorType> inputTypes = new ArrayList<>();
    List<Constant> known = new ArrayList<>();
    for (String input : node.inputs()) {
      if (input.isEmpty()) {
        inputTypes.add(null);
        known.add(null);
        continue;
      }
      TensorType type = types.get(input);
      if (type == null && !runTimeTyped.contains(input)) {
        throw new ShapeInferenceException(
            node + ": input '" + input + "' is not defined before it");
      }
      inputTypes.add(type == null ? null : unifier.resolve(type));
      Constant constant = constants.get(input);
      known.add(constant == null ? null : unifier.resolve(constant));
    }
    return new InferenceContext(node, graph.opset(node.domain()), inputTypes, known, unifier);
  }

  /** The node's outputs as constants, when they are known at compile time. */
  private static Optional<List<Constant>> fold(
      Graph graph,
      Node node,
      OpDefinition op,
      InferenceContext context,
      List<TensorType> outputTypes,
      Map<String, Constant> constants) {
    if (!fitsFolding(outputTypes)) {
      return foldedView(node, op, outputTypes, constants);
    }
    List<Tensor> inputs = new ArrayList<>();
    boolean allData = true;
    for (String input : node.inputs()) {
      if (input.isEmpty()) {
        inputs.add(null);
      } else if (constants.get(input) instanceof Constant.Data(Tensor t)) {
        inputs.add(t);
      } else {
        allData = false;
        break;
      }
    }
    if (allData) {
      // an op's own failure here is reported against the node by guarded()
      List<Tensor> results =
          op.evaluate(new EvaluationContext(node, graph.opset(node.domain()), inputs));
      return Optional.of(results.stream().<Constant>map(Constant.Data::new).toList());
    }
    return op.evaluateSymbolic(context)
        .map(
            results ->
                results.stream()
                    .<Constant>map(
                        s ->
                            s.toConstant()
                                .<Constant>map(Constant.Data::new)
                                .orElseGet(() -> new Constant.Symbolic(s)))
                    .toList());
  }

  /**
   * A view of a constant too large to fold by copying (a quantized file's tied head, its
   * embedding's packed rows reshaped into MatMulNBits' blocks): the constant's bytes under the
   * output's shape.
   */
  private static Optional<List<Constant>> foldedView(
      Node node, OpDefinition op, List<TensorType> outputTypes, Map<String, Constant> constants) {
    Shape shape = outputTypes.get(0).shape();
    if (op.viewsFirstInput()
        && shape.isStatic()
        && constants.get(node.inputs().get(0)) instanceof Constant.Data(Tensor data)) {
      return Optional.of(List.of(new Constant.Data(data.reshape(shape.toLongs()))));
    }
    return Optional.empty();
  }

  private static boolean fitsFolding(List<TensorType> outputTypes) {
    for (TensorType t : outputTypes) {
      Shape s = t.shape();
      if (!s.isStatic() || s.elementCount().constant() > MAX_FOLDED_ELEMENTS) {
        return false;
      }
    }
    return true;
  }
}
