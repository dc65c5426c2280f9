package oclc.compiler;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import oclc.artifact.Folders;
import oclc.cache.KernelCache;
import oclc.codegen.opencl.KernelOverrides;
import oclc.codegen.opencl.UserKernel;
import oclc.ir.Constant;
import oclc.ir.DType;
import oclc.ir.Graph;
import oclc.ir.Node;
import oclc.ir.OclcException;
import oclc.ir.Remedy;
import oclc.ir.Shape;
import oclc.ir.ShapeAssertion;
import oclc.ir.Tensor;
import oclc.ir.TensorType;
import oclc.ir.ValueInfo;
import oclc.ir.exec.Comparison;
import oclc.ir.exec.ReferenceExecutor;
import oclc.lowering.SizeRanges;
import oclc.runtime.Executable;
import oclc.runtime.KernelBuilder;
import oclc.runtime.OpenClContext;
import oclc.runtime.Session;

/**
 * Checks every node a user kernel overrides, before the artifact is trusted: the node alone, at the
 * smallest and the largest sizes of the compiled ranges, on random inputs, on the device against
 * the reference executor. A mismatch names the node, its input shapes and the error.
 */
public final class OverrideVerifier {
  /** Relative L2 error a user kernel may have against the reference (float outputs). */
  static final double TOLERANCE = 1e-4;

  private OverrideVerifier() {}

  /** What was checked: one line per node and size. */
  static List<String> verify(
      Graph graph,
      SizeRanges ranges,
      KernelOverrides overrides,
      OpenClContext device,
      KernelCache cache,
      Path scratch) {
    List<String> checked = new ArrayList<>();
    for (Node node : graph.nodes()) {
      var kernel = overrides.find(node);
      if (kernel.isEmpty()) {
        continue;
      }
      for (Map<String, Long> sizes : ends(graph, ranges)) {
        checked.add(check(graph, node, kernel.get(), sizes, device, cache, scratch));
      }
    }
    return checked;
  }

  private static String check(
      Graph graph,
      Node node,
      UserKernel kernel,
      Map<String, Long> sizes,
      OpenClContext device,
      KernelCache cache,
      Path scratch) {
    Random random = new Random(node.name().hashCode() * 31L + sizes.hashCode());
    List<ValueInfo> inputs = new ArrayList<>();
    Map<String, Constant> constants = new LinkedHashMap<>();
    Map<String, Tensor> bound = new LinkedHashMap<>();
    for (String input : node.inputs()) {
      if (input.isEmpty() || bound.containsKey(input) || constants.containsKey(input)) {
        continue;
      }
      Constant known = graph.constants().get(input);
      if (known instanceof Constant.Data) {
        constants.put(input, known);
      } else if (known instanceof Constant.Symbolic s) {
        constants.put(input, new Constant.Data(s.tensor().evaluate(sizes::get)));
      } else {
        TensorType type = graph.type(input).orElseThrow();
        Tensor value = randomTensor(type.dtype(), type.shape().evaluate(sizes::get), random);
        inputs.add(new ValueInfo(input, new TensorType(type.dtype(), Shape.of(value.shape()))));
        bound.put(input, value);
      }
    }
    List<ValueInfo> outputs = new ArrayList<>();
    Map<String, TensorType> types = new LinkedHashMap<>();
    for (String output : node.outputs()) {
      if (!output.isEmpty()) {
        TensorType type = graph.type(output).orElseThrow();
        TensorType concrete =
            new TensorType(type.dtype(), Shape.of(type.shape().evaluate(sizes::get)));
        outputs.add(new ValueInfo(output, concrete));
        types.put(output, concrete);
      }
    }
    Graph alone =
        new Graph(
            node.name(),
            inputs,
            outputs,
            List.of(node),
            constants,
            types,
            List.<ShapeAssertion>of(),
            graph.opsets());
    Map<String, Tensor> expected = new ReferenceExecutor().run(alone, bound);
    Path folder = scratch.resolve("verify-" + Math.abs((long) alone.hashCode()) + ".oclc");
    ModelCompiler.writeArtifact(
        new LoadedModel(Path.of(node.name() + ".onnx"), alone, alone),
        folder,
        SizeRanges.open(),
        new KernelOverrides(Map.of(node.name(), kernel), Map.of()));
    String where =
        "kernel "
            + kernel.kernelName()
            + " ("
            + kernel.file()
            + ") for "
            + node
            + " with inputs "
            + shapes(bound, constants);
    try (Executable executable =
            Executable.load(folder, device, cache, KernelBuilder.SILENT, w -> {});
        Session session = executable.newSession().poisonBuffers(true)) {
      bound.forEach(session::bind);
      var planned = session.plan().launch(node.name()).variant();
      if (!planned.equals("user:" + kernel.kernelName())) {
        return where + ": not used at these sizes (its 'when' excludes them)";
      }
      session.run();
      for (ValueInfo out : outputs) {
        compare(expected.get(out.name()), session.output(out.name()), TOLERANCE)
            .ifPresent(
                problem -> {
                  throw new OclcException(
                      where + ": output '" + out.name() + "' " + problem + "; fix the kernel",
                      Remedy.SKIP_VERIFY);
                });
      }
      return where + ": matches the reference";
    } finally {
      Folders.deleteTree(folder);
    }
  }

  /**
   * How {@code actual} misses {@code reference}: a float output by a relative L2 error above {@code
   * tolerance}, another in any element; empty when it matches.
   */
  public static java.util.Optional<String> compare(
      Tensor reference, Tensor actual, double tolerance) {
    if (reference.dtype().isFloat()) {
      double error = Comparison.relativeL2(reference, actual);
      return error <= tolerance
          ? java.util.Optional.empty()
          : java.util.Optional.of(
              "is off by a relative L2 error of "
                  + String.format("%.3e", error)
                  + " against the reference (at most "
                  + tolerance
                  + ")");
    }
    return Comparison.allClose(reference, actual, 0, 0)
        .map(mismatch -> "differs from the reference: " + mismatch);
  }

  /**
   * The smallest (each symbol at its minimum, at least 1) and the largest sizes the ranges and
   * assumptions allow.
   */
  static List<Map<String, Long>> ends(Graph graph, SizeRanges ranges) {
    Map<String, Long> smallest = new HashMap<>();
    Map<String, Long> largest = new HashMap<>();
    ranges
        .freeSymbols()
        .forEach(
            (name, r) -> {
              smallest.put(name, Math.max(1, r.min()));
              largest.put(name, Math.max(Math.max(1, r.min()), Math.min(r.max(), 4096)));
            });
    for (ShapeAssertion a : graph.assertions()) {
      if (a.equality()) {
        continue; // holds once the unified symbols are added
      }
      while (a.lessOrEqual().evaluate(largest::get) > a.bound().evaluate(largest::get)) {
        String shrink =
            a.lessOrEqual().symbols().stream()
                .filter(s -> largest.get(s) > smallest.get(s))
                .max((x, y) -> Long.compare(largest.get(x), largest.get(y)))
                .orElse(null);
        if (shrink == null) {
          break;
        }
        largest.put(shrink, largest.get(shrink) - 1);
      }
    }
    return smallest.equals(largest)
        ? List.of(ranges.withUnified(smallest))
        : List.of(ranges.withUnified(smallest), ranges.withUnified(largest));
  }

  public static Tensor randomTensor(DType dtype, long[] shape, Random random) {
    Tensor t = Tensor.allocate(dtype, shape);
    for (int i = 0; i < t.size(); i++) {
      if (dtype.isFloat()) {
        t.setDouble(i, random.nextGaussian());
      } else if (dtype.isBool()) {
        t.setBool(i, random.nextBoolean());
      } else {
        t.setLong(i, random.nextInt(3));
      }
    }
    return t;
  }

  private static String shapes(Map<String, Tensor> bound, Map<String, Constant> constants) {
    List<String> parts = new ArrayList<>();
    bound.forEach(
        (name, t) -> parts.add(name + " " + t.dtype() + java.util.Arrays.toString(t.shape())));
    constants.forEach((name, c) -> parts.add(name + " " + c.type() + " (constant)"));
    return String.join(", ", parts);
  }

  static Path scratch() {
    try {
      return Files.createTempDirectory("oclc-verify");
    } catch (java.io.IOException e) {
      throw new OclcException(
          "cannot make a temporary folder to check the user kernels: " + e.getMessage(), e);
    }
  }
}
