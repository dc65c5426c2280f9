package oclc.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import oclc.compiler.LoadedModel;
import oclc.compiler.conformance.Backend;
import oclc.compiler.conformance.OpenClBackend;
import oclc.ir.Attribute;
import oclc.ir.Attributes;
import oclc.ir.Constant;
import oclc.ir.Graph;
import oclc.ir.Node;
import oclc.ir.Shape;
import oclc.ir.Tensor;
import oclc.ir.TensorType;
import oclc.ir.ValueInfo;
import oclc.ir.exec.Comparison;
import oclc.ir.passes.Passes;
import oclc.tests.support.Reference;
import oclc.tests.support.TestDevice;

/**
 * One op as a one-node model, compiled for the device and run into poisoned buffers, against the
 * reference op.
 */
final class OneNodeOnDevice {
  private static final java.util.concurrent.atomic.AtomicInteger models =
      new java.util.concurrent.atomic.AtomicInteger();

  private static OpenClBackend backend;

  private OneNodeOnDevice() {}

  /** One backend on the test device for every one-node check of the JVM. */
  private static synchronized OpenClBackend backend() {
    if (backend == null) {
      backend = new OpenClBackend(TestDevice.context(), TestDevice.cache(), w -> {});
      Runtime.getRuntime().addShutdownHook(new Thread(backend::close));
    }
    return backend;
  }

  /** How a result is compared with the reference's: a mismatch's description, or empty. */
  interface Agreement
      extends java.util.function.BiFunction<Tensor, Tensor, java.util.Optional<String>> {}

  static Agreement exactly() {
    return (expected, actual) -> Comparison.allClose(expected, actual, 0, 0);
  }

  static Agreement withinRelativeL2(double bound) {
    return (expected, actual) -> {
      double error = Comparison.relativeL2(expected, actual);
      return error <= bound
          ? java.util.Optional.empty()
          : java.util.Optional.of("relative L2 " + error);
    };
  }

  static Agreement elementwise(double rtol, double atol) {
    return (expected, actual) -> Comparison.allClose(expected, actual, rtol, atol);
  }

  /**
   * Runs {@code opType} with {@code inputs} (those in {@code constant} folded in as compile-time
   * constants) and checks the result agrees with the reference's.
   */
  static void check(
      String opType,
      Map<String, Attribute> attributes,
      long opset,
      Set<Integer> constant,
      Agreement agreement,
      Tensor... inputs) {
    Attributes attrs = new Attributes(attributes);
    Tensor expected = Reference.evaluate(opType, attrs, opset, inputs);
    List<String> names = new ArrayList<>();
    List<ValueInfo> graphInputs = new ArrayList<>();
    Map<String, Constant> constants = new LinkedHashMap<>();
    Map<String, Tensor> bound = new LinkedHashMap<>();
    for (int i = 0; i < inputs.length; i++) {
      String name = "in" + i;
      names.add(name);
      if (constant.contains(i)) {
        constants.put(name, new Constant.Data(inputs[i]));
      } else {
        graphInputs.add(
            new ValueInfo(name, new TensorType(inputs[i].dtype(), Shape.of(inputs[i].shape()))));
        bound.put(name, inputs[i]);
      }
    }
    ValueInfo output =
        new ValueInfo("y", new TensorType(expected.dtype(), Shape.of(expected.shape())));
    Graph graph =
        new Graph(
            "one_" + opType,
            graphInputs,
            List.of(output),
            List.of(new Node("n", "", opType, names, List.of("y"), attrs)),
            constants,
            Map.of(),
            List.of(),
            Map.of("", opset));
    Graph simplified = Passes.runStandard(graph);
    // A graph built here has no file: the artifact hashes its text instead.
    Path model = Path.of("one-node", opType + "_" + models.getAndIncrement() + ".onnx");
    try (Backend.Prepared prepared = backend().prepare(new LoadedModel(model, graph, simplified))) {
      Tensor actual = prepared.run(bound).get("y");
      assertArrayEquals(expected.shape(), actual.shape(), opType + " shape");
      assertEquals(expected.dtype(), actual.dtype(), opType + " dtype");
      var mismatch = agreement.apply(expected, actual);
      assertTrue(mismatch.isEmpty(), opType + " " + attributes + ": " + mismatch.orElse(""));
    }
  }
}
