package oclc.ir;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What shape inference knows at one node: input types, compile-time inputs, attributes. */
public final class InferenceContext extends NodeContext {
  private final List<TensorType> inputTypes;
  private final List<Constant> knownInputs;
  private final List<ShapeAssertion> assumptions = new ArrayList<>();
  private final DimUnifier unifier;

  /**
   * @param inputTypes one per node input; null for an absent optional input
   * @param knownInputs one per node input; null where the value is not known at compile time
   */
  public InferenceContext(
      Node node, long opset, List<TensorType> inputTypes, List<Constant> knownInputs) {
    this(node, opset, inputTypes, knownInputs, null);
  }

  /**
   * @param unifier the graph's classes of equal dims, which {@link #unify} adds to; null where the
   *     graph's dims are already unified (a context of an inferred graph)
   */
  public InferenceContext(
      Node node,
      long opset,
      List<TensorType> inputTypes,
      List<Constant> knownInputs,
      DimUnifier unifier) {
    super(node, opset);
    this.inputTypes = new ArrayList<>(inputTypes);
    this.knownInputs = new ArrayList<>(knownInputs);
    this.unifier = unifier;
  }

  /**
   * The context of a node of an inferred graph, from the graph's value types and constants (what
   * backends use to read a node's attributes and compile-time inputs as inference saw them).
   */
  public static InferenceContext of(Graph graph, Node node) {
    List<TensorType> inputTypes = new ArrayList<>();
    List<Constant> known = new ArrayList<>();
    for (String input : node.inputs()) {
      inputTypes.add(input.isEmpty() ? null : graph.type(input).orElse(null));
      known.add(input.isEmpty() ? null : graph.constants().get(input));
    }
    return new InferenceContext(node, graph.opset(node.domain()), inputTypes, known);
  }

  public int inputCount() {
    return node().inputs().size();
  }

  public int outputCount() {
    return node().outputs().size();
  }

  public boolean hasInput(int index) {
    return index < inputCount() && !node().inputs().get(index).isEmpty();
  }

  public TensorType inputType(int index) {
    if (!hasInput(index)) {
      throw error("input " + index + " is required");
    }
    TensorType type = inputTypes.get(index);
    if (type == null) {
      throw new DataDependentShapeException(
          node() + ": the type of input " + index + " is known only at run time");
    }
    return type;
  }

  public DType inputDType(int index) {
    return inputType(index).dtype();
  }

  public Shape inputShape(int index) {
    return inputType(index).shape();
  }

  /** The input's tensor when it is a compile-time constant. */
  public Optional<Tensor> constantInput(int index) {
    if (hasInput(index) && knownInputs.get(index) instanceof Constant.Data(Tensor t)) {
      return Optional.of(t);
    }
    return Optional.empty();
  }

  /** The input's elements as dims, when it is an integer constant or folded shape arithmetic. */
  public Optional<SymbolicTensor> symbolicInput(int index) {
    if (!hasInput(index)) {
      return Optional.empty();
    }
    return switch (knownInputs.get(index)) {
      case Constant.Symbolic(SymbolicTensor s) -> Optional.of(s);
      case Constant.Data(Tensor t)
          when (t.dtype().isInteger() || t.dtype().isBool()) && t.size() <= 1 << 16 ->
          Optional.of(SymbolicTensor.of(t));
      case null, default -> Optional.empty();
    };
  }

  /** The input's elements as dims, or an error saying this shape input must be known. */
  public SymbolicTensor requireSymbolicInput(int index, String role) {
    return symbolicInput(index)
        .orElseThrow(
            () ->
                new DataDependentShapeException(
                    node() + ": the " + role + " (input " + index + ") is known only at run time"));
  }

  /** A fresh symbol for a dim that only the data decides (e.g. NonZero's count). */
  public Dim dataDependentDim(String what) {
    return Dim.symbol(node().name() + "." + what);
  }

  /**
   * Records an assumption about the symbols, checked when they are bound, and returns the bound.
   */
  public void assume(Dim lessOrEqual, Dim bound, String reason) {
    if (lessOrEqual.compareKnown(bound).map(c -> c <= 0).orElse(false)) {
      return;
    }
    assumptions.add(new ShapeAssertion(lessOrEqual, bound, reason + " in " + node()));
  }

  /**
   * Two dims this node needs equal ({@code why}: "broadcast", "the contracted dims", ...): the dim
   * both stand for once unified (an assumption the bind checks), or empty where they cannot be
   * unified, and the op keeps its own rule.
   */
  public Optional<Dim> unify(Dim a, Dim b, String why) {
    if (a.equals(b)) {
      return Optional.of(a);
    }
    return unifier == null ? Optional.empty() : unifier.unify(a, b, why + " in " + node());
  }

  public List<ShapeAssertion> assumptions() {
    return List.copyOf(assumptions);
  }

  public ShapeInferenceException error(String message) {
    return new ShapeInferenceException(node() + ": " + message);
  }
}
