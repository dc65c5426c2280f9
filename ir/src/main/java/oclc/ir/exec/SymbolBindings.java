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
  /** The same values for lookups (a plan evaluates thousands of dims; the tree keeps them in order for printing). */
  private final Map<String, Long> lookup = new java.util.HashMap<>();

  /** Binds a bare symbol to {@code actual}, or checks {@code expected} once its symbols are known. */
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
    lookup.put(symbol, value);
  }

  @Override
  public long applyAsLong(String symbol) {
    Long v = lookup.get(symbol);
    if (v == null) {
      throw new OclcException("symbol '" + symbol + "' has no value: no input shape determines it");
    }
    return v;
  }

  public Map<String, Long> values() {
    return Collections.unmodifiableMap(values);
  }

  @Override
  public String toString() {
    return values.toString();
  }
}
