package oclc.ir.exec;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToLongFunction;
import oclc.ir.Dim;
import oclc.ir.OclcException;

/** The values of the graph's symbols, learnt from the shapes of bound tensors. */
public final class SymbolBindings implements ToLongFunction<String> {
  private final Map<String, Long> values = new TreeMap<>();

  /**
   * The same values for lookups, in binding order: a plan evaluates thousands of dims over a few
   * symbols, whose names are interned ({@link Dim.Symbol}), so a scan comparing references first
   * beats hashing. The tree keeps them in order for printing.
   */
  private String[] names = new String[0];

  private long[] bound = new long[0];

  /**
   * Binds a bare symbol to {@code actual}, or checks {@code expected} once its symbols are known.
   */
  public boolean unify(Dim expected, long actual) {
    var symbol = expected.asSymbol();
    if (symbol.isPresent() && !values.containsKey(symbol.get())) {
      bind(symbol.get(), actual);
      return true;
    }
    if (!isBound(expected)) {
      return true; // checked later, once its symbols are bound
    }
    return expected.evaluate(this) == actual;
  }

  public boolean isBound(Dim dim) {
    return dim.isConstant() || values.keySet().containsAll(dim.symbols());
  }

  public void bind(String symbol, long value) {
    values.put(symbol, value);
    for (int i = 0; i < names.length; i++) {
      if (names[i].equals(symbol)) {
        bound[i] = value;
        return;
      }
    }
    names = java.util.Arrays.copyOf(names, names.length + 1);
    bound = java.util.Arrays.copyOf(bound, bound.length + 1);
    names[names.length - 1] = symbol;
    bound[bound.length - 1] = value;
  }

  @Override
  public long applyAsLong(String symbol) {
    for (int i = 0; i < names.length; i++) {
      if (names[i] == symbol) {
        return bound[i];
      }
    }
    for (int i = 0; i < names.length; i++) {
      if (names[i].equals(symbol)) {
        return bound[i];
      }
    }
    throw new OclcException("symbol '" + symbol + "' has no value: no input shape determines it");
  }

  public Map<String, Long> values() {
    return Collections.unmodifiableMap(values);
  }

  @Override
  public String toString() {
    return values.toString();
  }
}
