package oclc.ir;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The dims shape inference found equal (a broadcast, the non-axis dims of a Concat, a MatMul's
 * contracted dims): a union-find over {@link Dim}s whose classes are kept solved, each eliminated
 * symbol mapped to an expression over the symbols still free, so that {@link #resolve} of any dim
 * is one substitution and two dims of one class resolve to the same dim.
 *
 * <p>Names are opaque labels, so which symbol to eliminate follows the graph, never a name: a bare
 * symbol made equal to an expression of others is eliminated ({@code total_sequence_length ==
 * past_sequence_length + sequence_length}); of two bare symbols, the one whose first input comes
 * later ({@code attention_mask}'s after {@code input_ids}'); otherwise the latest symbol the
 * difference of the two dims is linear in, with coefficient ±1. Only symbols the inputs' shapes
 * bind are unified, since every unification is an assumption checked at bind ({@link
 * ShapeAssertion#equal}); a dim of a data-dependent symbol is left as it is.
 */
public final class DimUnifier {
  /** The symbols of the inputs' shapes, in order of first appearance. */
  private final List<String> inputSymbols;

  /** Eliminated symbol → its dim over free symbols. */
  private final Map<String, Dim> solved = new LinkedHashMap<>();

  private final List<ShapeAssertion> equalities = new ArrayList<>();

  public DimUnifier(List<String> inputSymbols) {
    this.inputSymbols = List.copyOf(inputSymbols);
  }

  /** For a graph: the symbols of its inputs' shapes, in order. */
  public static DimUnifier forInputs(List<ValueInfo> inputs) {
    Set<String> names = new java.util.LinkedHashSet<>();
    inputs.forEach(in -> in.shape().dims().forEach(d -> names.addAll(d.symbols())));
    return new DimUnifier(new ArrayList<>(names));
  }

  /** The dim with every eliminated symbol replaced by what it equals. */
  public Dim resolve(Dim dim) {
    if (solved.isEmpty() || dim.isConstant()) {
      return dim;
    }
    for (String s : dim.symbols()) {
      if (solved.containsKey(s)) {
        return dim.substitute(solved);
      }
    }
    return dim;
  }

  public Shape resolve(Shape shape) {
    if (solved.isEmpty()) {
      return shape;
    }
    return new Shape(shape.dims().stream().map(this::resolve).toList());
  }

  public TensorType resolve(TensorType type) {
    return solved.isEmpty() ? type : new TensorType(type.dtype(), resolve(type.shape()));
  }

  public SymbolicTensor resolve(SymbolicTensor tensor) {
    return solved.isEmpty()
        ? tensor
        : new SymbolicTensor(
            tensor.dtype(), tensor.shape(), tensor.elements().stream().map(this::resolve).toList());
  }

  public Constant resolve(Constant constant) {
    return constant instanceof Constant.Symbolic(SymbolicTensor s)
        ? new Constant.Symbolic(resolve(s))
        : constant;
  }

  /** An assumption of shape inference over the final symbols (a {@code <=} one resolved). */
  public ShapeAssertion resolve(ShapeAssertion a) {
    return new ShapeAssertion(resolve(a.lessOrEqual()), resolve(a.bound()), a.reason());
  }

  /**
   * Makes {@code a} and {@code b} one class and returns the dim both now stand for; empty where
   * they cannot be made equal here (different constants, or a symbol no input binds), and the
   * caller keeps its own rule. {@code reason} says which op needs them equal.
   */
  public Optional<Dim> unify(Dim a, Dim b, String reason) {
    Dim left = resolve(a);
    Dim right = resolve(b);
    if (left.equals(right)) {
      return Optional.of(left);
    }
    if (left.minus(right).isConstant()) {
      return Optional.empty(); // never equal: 3 against 4, n against n + 1
    }
    if (!inputSymbols.containsAll(left.symbols()) || !inputSymbols.containsAll(right.symbols())) {
      return Optional.empty();
    }
    Optional<String> eliminated = eliminated(left, right);
    if (eliminated.isEmpty()) {
      // Equal by assumption but not solvable for one symbol (2 * n against m * k): checked at bind.
      equalities.add(ShapeAssertion.equal(left, right, reason));
      return Optional.of(left.compareTo(right) <= 0 ? left : right);
    }
    String symbol = eliminated.get();
    Dim value = solve(left.minus(right), symbol);
    Map<String, Dim> step = Map.of(symbol, value);
    solved.replaceAll((s, d) -> d.substitute(step));
    solved.put(symbol, value);
    equalities.add(ShapeAssertion.equal(Dim.symbol(symbol), value, reason));
    return Optional.of(resolve(left));
  }

  /** Which symbol the class loses, per the rule of the class comment. */
  private Optional<String> eliminated(Dim left, Dim right) {
    Optional<String> l = left.asSymbol();
    Optional<String> r = right.asSymbol();
    if (l.isPresent() && r.isEmpty() && !right.symbols().contains(l.get())) {
      return l;
    }
    if (r.isPresent() && l.isEmpty() && !left.symbols().contains(r.get())) {
      return r;
    }
    Dim difference = left.minus(right);
    String latest = null;
    for (String s : difference.symbols()) {
      if (isUnitLinear(difference, s)
          && (latest == null || inputSymbols.indexOf(s) > inputSymbols.indexOf(latest))) {
        latest = s;
      }
    }
    return Optional.ofNullable(latest);
  }

  /** Whether {@code d} is {@code ±s + rest} with {@code s} absent from {@code rest}. */
  private static boolean isUnitLinear(Dim d, String s) {
    Dim rest = d.substitute(Map.of(s, Dim.of(0)));
    Dim coefficient = d.minus(rest).substitute(Map.of(s, Dim.of(1)));
    return d.minus(rest).equals(Dim.symbol(s).times(coefficient))
        && coefficient.isConstant()
        && Math.abs(coefficient.constant()) == 1;
  }

  /** {@code s} from {@code difference == 0}, where the difference is {@code ±s + rest}. */
  private static Dim solve(Dim difference, String s) {
    Dim rest = difference.substitute(Map.of(s, Dim.of(0)));
    long coefficient = difference.minus(rest).substitute(Map.of(s, Dim.of(1))).constant();
    return rest.times(-coefficient);
  }

  /** Eliminated symbol → the dim it equals, over free symbols only. */
  public Map<String, Dim> substitution() {
    return java.util.Collections.unmodifiableMap(solved);
  }

  /**
   * Every unification made, as an assumption the bind checks: {@code symbol == dim} for each
   * eliminated symbol (over the free symbols), {@code a == b} for one that solved for none.
   */
  public List<ShapeAssertion> equalities() {
    return equalities.stream()
        .map(
            e ->
                ShapeAssertion.equal(
                    e.lessOrEqual().asSymbol().filter(solved::containsKey).isPresent()
                        ? e.lessOrEqual()
                        : resolve(e.lessOrEqual()),
                    resolve(e.bound()),
                    e.reason()))
        .toList();
  }
}
