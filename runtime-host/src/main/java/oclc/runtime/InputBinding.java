package oclc.runtime;

import java.util.List;
import java.util.Map;
import oclc.artifact.Manifest;
import oclc.artifact.Manifest.SymbolRange;
import oclc.ir.Graph;
import oclc.ir.Remedy;
import oclc.ir.Shape;
import oclc.ir.ShapeAssertion;
import oclc.ir.TensorType;
import oclc.ir.ValueInfo;
import oclc.ir.exec.InputShapeException;
import oclc.ir.exec.ReferenceExecutor;
import oclc.ir.exec.SymbolBindings;

/**
 * How every backend's session learns the symbols from its bound inputs and checks them against the
 * compile.
 */
public final class InputBinding {
  private InputBinding() {}

  /** The inputs, outputs and assumptions as a graph without nodes: what binding checks against. */
  public static Graph signatureOf(Manifest manifest) {
    List<ValueInfo> inputs =
        manifest.inputs().stream()
            .map(t -> new ValueInfo(t.name(), new TensorType(t.dtype(), new Shape(t.shape()))))
            .toList();
    List<ValueInfo> outputs =
        manifest.outputs().stream()
            .map(t -> new ValueInfo(t.name(), new TensorType(t.dtype(), new Shape(t.shape()))))
            .toList();
    List<ShapeAssertion> assertions =
        manifest.assumptions().stream()
            .map(a -> new ShapeAssertion(a.lessOrEqual(), a.bound(), a.reason(), a.equality()))
            .toList();
    return new Graph(
        manifest.model(), inputs, outputs, List.of(), Map.of(), Map.of(), assertions, Map.of());
  }

  /**
   * The symbols the input shapes give (dtypes, symbolic shapes and assumptions checked); a symbol
   * outside its compiled range is an error that names it, its value and the range.
   */
  public static SymbolBindings bind(
      Manifest manifest, Graph signature, Map<String, ReferenceExecutor.BoundShape> shapes) {
    SymbolBindings bindings = ReferenceExecutor.bindShapes(signature, shapes);
    for (SymbolRange range : manifest.symbols()) {
      Long value = bindings.values().get(range.name());
      if (value != null && !range.admits(value)) {
        throw new InputShapeException(
            "the inputs give "
                + range.name()
                + " = "
                + value
                + ", outside the compiled range "
                + range.min()
                + ".."
                + range.max(),
            Remedy.WIDEN_DIM,
            range.name());
      }
    }
    return bindings;
  }
}
