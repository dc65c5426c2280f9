package oclc.ir;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToLongFunction;

/**
 * A tensor dimension as a symbolic integer expression: constants, symbols, {@code + - *}, floor
 * division, modulo, min and max.
 *
 * <p>Every {@code Dim} is kept in one canonical form — a polynomial with integer coefficients over
 * <em>atoms</em> (symbols and the non-polynomial operations, whose arguments are themselves
 * canonical) — so that equal expressions compare equal: {@code past + seq} equals {@code seq +
 * past}. Symbols stand for dimension sizes and are therefore assumed non-negative; the simplifier
 * uses that fact to decide {@code min}, {@code max} and comparisons where it can.
 */
public final class Dim implements Comparable<Dim> {

  /** A factor of a monomial that is not a plain integer. */
  public sealed interface Atom permits Symbol, Op {}

  /**
   * A named dimension such as {@code sequence_length}. The name is an opaque label: an ONNX
   * dim_param such as {@code past_sequence_length + 1} is one symbol, never arithmetic, and its
   * text is quoted ({@code "past_sequence_length + 1"}) so that it reads back as one.
   */
  public record Symbol(String name) implements Atom {
    /** One instance per name, so that the lookups of a symbol's value compare references first. */
    public Symbol {
      name = name.intern();
    }

    @Override
    public String toString() {
      return DimParser.isPlainName(name) ? name : DimParser.quoted(name);
    }
  }

  /** The non-polynomial operations, kept as opaque atoms over canonical arguments. */
  public enum OpKind {
    FLOOR_DIV,
    MOD,
    MIN,
    MAX
  }

  /** {@code kind(left, right)}; MIN and MAX store their arguments in canonical order. */
  public record Op(OpKind kind, Dim left, Dim right) implements Atom {
    @Override
    public String toString() {
      return switch (kind) {
        case FLOOR_DIV -> "floordiv(" + left + ", " + right + ")";
        case MOD -> "mod(" + left + ", " + right + ")";
        case MIN -> "min(" + left + ", " + right + ")";
        case MAX -> "max(" + left + ", " + right + ")";
      };
    }
  }

  /** A product of atoms, sorted; the empty product is the constant term's monomial. */
  private record Monomial(List<Atom> atoms) implements Comparable<Monomial> {
    static final Monomial ONE = new Monomial(List.of());

    Monomial times(Monomial other) {
      List<Atom> all = new ArrayList<>(atoms);
      all.addAll(other.atoms);
      all.sort(Comparator.comparing(Atom::toString));
      return new Monomial(List.copyOf(all));
    }

    @Override
    public int compareTo(Monomial other) {
      if (atoms.size() != other.atoms.size()) {
        return Integer.compare(other.atoms.size(), atoms.size()); // higher degree first
      }
      return toString().compareTo(other.toString());
    }

    @Override
    public String toString() {
      return String.join(" * ", atoms.stream().map(Dim::atomText).toList());
    }
  }

  private static final Dim ZERO = new Dim(new TreeMap<>());

  /** Monomial → non-zero coefficient. */
  private final TreeMap<Monomial, Long> terms;

  /**
   * Whether no symbol appears, and then the value: a session evaluates thousands of shapes per
   * plan.
   */
  private final boolean fixed;

  private final long fixedValue;

  /**
   * {@link #symbols()}, found at its first call (an immutable set: a race computes it twice at
   * worst).
   */
  private Set<String> symbols;

  private Dim(TreeMap<Monomial, Long> terms) {
    this.terms = terms;
    this.fixed = terms.isEmpty() || (terms.size() == 1 && terms.containsKey(Monomial.ONE));
    this.fixedValue = fixed ? terms.getOrDefault(Monomial.ONE, 0L) : 0;
  }

  public static Dim of(long value) {
    if (value == 0) {
      return ZERO;
    }
    TreeMap<Monomial, Long> t = new TreeMap<>();
    t.put(Monomial.ONE, value);
    return new Dim(t);
  }

  /** The dim that {@code text} (as {@link #toString} writes it) denotes. */
  public static Dim parse(String text) {
    return DimParser.parse(text);
  }

  public static Dim symbol(String name) {
    return atom(new Symbol(name));
  }

  private static Dim atom(Atom atom) {
    TreeMap<Monomial, Long> t = new TreeMap<>();
    t.put(new Monomial(List.of(atom)), 1L);
    return new Dim(t);
  }

  // ---- arithmetic ----

  public Dim plus(Dim other) {
    TreeMap<Monomial, Long> t = new TreeMap<>(terms);
    other.terms.forEach((m, c) -> addTerm(t, m, c));
    return new Dim(t);
  }

  public Dim plus(long value) {
    return plus(of(value));
  }

  public Dim minus(Dim other) {
    return plus(other.times(-1));
  }

  public Dim minus(long value) {
    return plus(-value);
  }

  public Dim times(long factor) {
    if (factor == 0) {
      return ZERO;
    }
    TreeMap<Monomial, Long> t = new TreeMap<>();
    terms.forEach((m, c) -> t.put(m, Math.multiplyExact(c, factor)));
    return new Dim(t);
  }

  public Dim times(Dim other) {
    TreeMap<Monomial, Long> t = new TreeMap<>();
    terms.forEach(
        (m1, c1) ->
            other.terms.forEach((m2, c2) -> addTerm(t, m1.times(m2), Math.multiplyExact(c1, c2))));
    return new Dim(t);
  }

  private static void addTerm(TreeMap<Monomial, Long> t, Monomial m, long c) {
    long sum = Math.addExact(t.getOrDefault(m, 0L), c);
    if (sum == 0) {
      t.remove(m);
    } else {
      t.put(m, sum);
    }
  }

  /** Floor division, as Python's {@code //}. */
  public Dim floorDiv(Dim divisor) {
    if (isConstant() && divisor.isConstant()) {
      return of(Math.floorDiv(constant(), divisor.requireNonZero()));
    }
    if (divisor.equals(of(1))) {
      return this;
    }
    if (equals(divisor)) {
      return of(1); // a dimension divided by itself; sizes of zero are not divisors
    }
    if (divisor.isConstant()
        && divisor.constant() > 0
        && variableCoefficientsDivisibleBy(divisor.constant())) {
      // (c·q + r) // c = q + r // c, for the constant remainder r
      long c = divisor.constant();
      return quotientOfVariableTerms(c).plus(Math.floorDiv(constantTerm(), c));
    }
    Dim exact = divideByMonomial(divisor);
    if (exact != null) {
      return exact;
    }
    return atom(new Op(OpKind.FLOOR_DIV, this, divisor));
  }

  /** This divided by a one-term divisor when every term divides exactly, else null. */
  private Dim divideByMonomial(Dim divisor) {
    if (divisor.terms.size() != 1) {
      return null;
    }
    Map.Entry<Monomial, Long> d = divisor.terms.firstEntry();
    if (d.getValue() <= 0) {
      return null;
    }
    TreeMap<Monomial, Long> quotient = new TreeMap<>();
    for (Map.Entry<Monomial, Long> e : terms.entrySet()) {
      List<Atom> remaining = new ArrayList<>(e.getKey().atoms());
      for (Atom a : d.getKey().atoms()) {
        if (!remaining.remove(a)) {
          return null;
        }
      }
      if (e.getValue() % d.getValue() != 0) {
        return null;
      }
      quotient.put(new Monomial(List.copyOf(remaining)), e.getValue() / d.getValue());
    }
    return new Dim(quotient);
  }

  private boolean variableCoefficientsDivisibleBy(long c) {
    return terms.entrySet().stream()
        .allMatch(e -> e.getKey().atoms().isEmpty() || e.getValue() % c == 0);
  }

  private long constantTerm() {
    return terms.getOrDefault(Monomial.ONE, 0L);
  }

  private Dim quotientOfVariableTerms(long c) {
    TreeMap<Monomial, Long> t = new TreeMap<>();
    terms.forEach(
        (m, coefficient) -> {
          if (!m.atoms().isEmpty()) {
            t.put(m, coefficient / c);
          }
        });
    return new Dim(t);
  }

  public Dim floorDiv(long divisor) {
    return floorDiv(of(divisor));
  }

  /** Ceiling division for a positive divisor. */
  public Dim ceilDiv(Dim divisor) {
    return plus(divisor).minus(1).floorDiv(divisor);
  }

  /** Modulo with the sign of the divisor, as Python's {@code %}. */
  public Dim mod(Dim divisor) {
    if (isConstant() && divisor.isConstant()) {
      return of(Math.floorMod(constant(), divisor.requireNonZero()));
    }
    if (divisor.equals(of(1)) || equals(divisor)) {
      return ZERO;
    }
    if (divisor.isConstant()
        && divisor.constant() > 0
        && variableCoefficientsDivisibleBy(divisor.constant())) {
      return of(Math.floorMod(constantTerm(), divisor.constant()));
    }
    return atom(new Op(OpKind.MOD, this, divisor));
  }

  public Dim min(Dim other) {
    if (other.minus(this).isNonNegative()) {
      return this;
    }
    if (minus(other).isNonNegative()) {
      return other;
    }
    return ordered(OpKind.MIN, this, other);
  }

  public Dim max(Dim other) {
    if (other.minus(this).isNonNegative()) {
      return other;
    }
    if (minus(other).isNonNegative()) {
      return this;
    }
    return ordered(OpKind.MAX, this, other);
  }

  private static Dim ordered(OpKind kind, Dim a, Dim b) {
    return a.compareTo(b) <= 0 ? atom(new Op(kind, a, b)) : atom(new Op(kind, b, a));
  }

  private long requireNonZero() {
    if (constant() == 0) {
      throw new ArithmeticException("division of a dimension by zero");
    }
    return constant();
  }

  // ---- facts ----

  public boolean isConstant() {
    return fixed;
  }

  /** The value of a constant dim; throws for a symbolic one. */
  public long constant() {
    if (!isConstant()) {
      throw new IllegalStateException("dimension " + this + " is symbolic, not a constant");
    }
    return terms.getOrDefault(Monomial.ONE, 0L);
  }

  /**
   * The largest number known to divide this dim for every value of the symbols: the gcd of its
   * coefficients (every atom is an integer). 0 for the zero dim, which everything divides.
   */
  public long knownDivisor() {
    long g = 0;
    for (long c : terms.values()) {
      g = gcd(g, Math.abs(c));
    }
    return g;
  }

  private static long gcd(long a, long b) {
    return b == 0 ? a : gcd(b, a % b);
  }

  public Optional<Long> constantValue() {
    return isConstant() ? Optional.of(constant()) : Optional.empty();
  }

  /** True when the dim is provably ≥ 0 for every non-negative value of its symbols. */
  public boolean isNonNegative() {
    for (Map.Entry<Monomial, Long> e : terms.entrySet()) {
      if (e.getValue() < 0) {
        return false;
      }
      for (Atom a : e.getKey().atoms()) {
        if (!isNonNegative(a)) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean isNonNegative(Atom atom) {
    return switch (atom) {
      case Symbol s -> true;
      case Op(OpKind kind, Dim l, Dim r) ->
          switch (kind) {
            case FLOOR_DIV -> l.isNonNegative() && r.isPositive();
            case MOD -> r.isPositive();
            case MIN -> l.isNonNegative() && r.isNonNegative();
            case MAX -> l.isNonNegative() || r.isNonNegative();
          };
    };
  }

  /** True when the dim is provably ≥ 1. */
  public boolean isPositive() {
    return minus(1).isNonNegative();
  }

  /**
   * Compares two dims where the answer holds for every value of the symbols: negative, zero or
   * positive like {@link Long#compare}; empty where it depends on the symbols.
   */
  public Optional<Integer> compareKnown(Dim other) {
    Dim difference = minus(other);
    if (difference.isConstant()) {
      return Optional.of(Long.signum(difference.constant()));
    }
    if (difference.isPositive()) {
      return Optional.of(1);
    }
    if (other.minus(this).isPositive()) {
      return Optional.of(-1);
    }
    return Optional.empty();
  }

  /** The symbols this dim mentions, at any depth. */
  public Set<String> symbols() {
    Set<String> known = symbols;
    if (known == null) {
      Set<String> names = new TreeSet<>();
      collectSymbols(names);
      known = Collections.unmodifiableSet(names);
      symbols = known;
    }
    return known;
  }

  private void collectSymbols(Set<String> into) {
    for (Monomial m : terms.keySet()) {
      for (Atom a : m.atoms()) {
        switch (a) {
          case Symbol s -> into.add(s.name());
          case Op op -> {
            op.left().collectSymbols(into);
            op.right().collectSymbols(into);
          }
        }
      }
    }
  }

  /** If this dim is exactly one symbol, its name. */
  public Optional<String> asSymbol() {
    if (terms.size() == 1) {
      Map.Entry<Monomial, Long> e = terms.firstEntry();
      if (e.getValue() == 1
          && e.getKey().atoms().size() == 1
          && e.getKey().atoms().get(0) instanceof Symbol s) {
        return Optional.of(s.name());
      }
    }
    return Optional.empty();
  }

  /**
   * Evaluates each of {@code dims} (a shape, work sizes) with every symbol's value given by {@code
   * symbolValues}: a new array, in a plain loop (plans call it for every node).
   */
  public static long[] evaluate(List<Dim> dims, ToLongFunction<String> symbolValues) {
    long[] values = new long[dims.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = dims.get(i).evaluate(symbolValues);
    }
    return values;
  }

  /** Evaluates the dim with every symbol's value given by {@code symbolValues}. */
  public long evaluate(ToLongFunction<String> symbolValues) {
    if (fixed) {
      return fixedValue;
    }
    long sum = 0;
    for (Map.Entry<Monomial, Long> e : terms.entrySet()) {
      long product = e.getValue();
      for (Atom a : e.getKey().atoms()) {
        product = Math.multiplyExact(product, evaluate(a, symbolValues));
      }
      sum = Math.addExact(sum, product);
    }
    return sum;
  }

  private static long evaluate(Atom atom, ToLongFunction<String> symbolValues) {
    return switch (atom) {
      case Symbol s -> symbolValues.applyAsLong(s.name());
      case Op(OpKind kind, Dim l, Dim r) -> {
        long a = l.evaluate(symbolValues);
        long b = r.evaluate(symbolValues);
        yield switch (kind) {
          case FLOOR_DIV -> Math.floorDiv(a, b);
          case MOD -> Math.floorMod(a, b);
          case MIN -> Math.min(a, b);
          case MAX -> Math.max(a, b);
        };
      }
    };
  }

  /** Replaces symbols by dims (those absent from the map stay), re-simplifying the result. */
  public Dim substitute(Map<String, Dim> replacements) {
    Dim result = ZERO;
    for (Map.Entry<Monomial, Long> e : terms.entrySet()) {
      Dim product = of(e.getValue());
      for (Atom a : e.getKey().atoms()) {
        product = product.times(substitute(a, replacements));
      }
      result = result.plus(product);
    }
    return result;
  }

  private static Dim substitute(Atom atom, Map<String, Dim> replacements) {
    return switch (atom) {
      case Symbol s -> replacements.getOrDefault(s.name(), atom(s));
      case Op(OpKind kind, Dim l, Dim r) -> {
        Dim a = l.substitute(replacements);
        Dim b = r.substitute(replacements);
        yield switch (kind) {
          case FLOOR_DIV -> a.floorDiv(b);
          case MOD -> a.mod(b);
          case MIN -> a.min(b);
          case MAX -> a.max(b);
        };
      }
    };
  }

  // ---- identity and text ----

  @Override
  public boolean equals(Object o) {
    return o instanceof Dim other && terms.equals(other.terms);
  }

  @Override
  public int hashCode() {
    return terms.hashCode();
  }

  /** Orders by text, so that canonical argument orders are stable across runs. */
  @Override
  public int compareTo(Dim other) {
    return toString().compareTo(other.toString());
  }

  /**
   * Reads like the expression: {@code past_sequence_length + sequence_length}, {@code 2 * n - 1}.
   */
  @Override
  public String toString() {
    if (terms.isEmpty()) {
      return "0";
    }
    StringBuilder text = new StringBuilder();
    for (Map.Entry<Monomial, Long> e : terms.entrySet()) {
      long c = e.getValue();
      Monomial m = e.getKey();
      if (text.isEmpty()) {
        if (c < 0) {
          text.append('-');
        }
      } else {
        text.append(c < 0 ? " - " : " + ");
      }
      long magnitude = Math.abs(c);
      if (m.atoms().isEmpty()) {
        text.append(magnitude);
      } else {
        if (magnitude != 1) {
          text.append(magnitude).append(" * ");
        }
        text.append(m);
      }
    }
    return text.toString();
  }

  private static String atomText(Atom atom) {
    return atom.toString();
  }
}
