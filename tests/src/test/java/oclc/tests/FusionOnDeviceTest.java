package oclc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import oclc.artifact.Manifest;
import oclc.artifact.Manifest.NodeLaunches;
import oclc.codegen.opencl.KernelOverrides;
import oclc.codegen.opencl.UserKernel;
import oclc.compiler.LoadedModel;
import oclc.compiler.ModelCompiler;
import oclc.ir.Attribute;
import oclc.ir.Attributes;
import oclc.ir.Constant;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.Graph;
import oclc.ir.Node;
import oclc.ir.Shape;
import oclc.ir.Tensor;
import oclc.ir.TensorType;
import oclc.ir.ValueInfo;
import oclc.ir.exec.Comparison;
import oclc.ir.exec.ReferenceExecutor;
import oclc.ir.passes.Passes;
import oclc.lowering.Schedule;
import oclc.lowering.SizeRanges;
import oclc.runtime.Executable;
import oclc.runtime.KernelBuilder;
import oclc.runtime.LaunchPlan;
import oclc.runtime.Session;
import oclc.tests.support.Gpt2Inputs;
import oclc.tests.support.TestDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Operator fusion on the device: --no-fuse keeps one launch per node (one per MatMul/Gemm), fusion
 * launches fewer kernels, and fused and unfused artifacts compute the same values within float32
 * rounding, on random inputs, as the reference does.
 */
class FusionOnDeviceTest {
  private static final double ROUNDING = 1e-5;
  private static final Path MINI = Path.of("gpt2-mini-past-opset16", "model.onnx");

  @TempDir Path folder;

  @Test
  void
      noFuseKeepsEveryNodeAndOneLaunchPerMatMulWhileFusionLaunchesFewerKernelsWithTheSameResults() {
    LoadedModel model = LoadedModel.load(SharedData.models().resolve(MINI));
    Graph graph = model.simplified();
    Map<String, SizeRanges.Interval> dims = Map.of("batch_size", new SizeRanges.Interval(1, 4));
    SizeRanges ranges = SizeRanges.forGraph(graph, dims, Map.of(), true);
    try (Executable unfused = compile(model, ranges, KernelOverrides.none(), false, "unfused");
        Executable fused = compile(model, ranges, KernelOverrides.none(), true, "fused");
        Session plain = unfused.newSession().poisonBuffers(true);
        Session fast = fused.newSession().poisonBuffers(true)) {
      assertEquals(false, unfused.manifest().fusion());
      assertEquals(true, fused.manifest().fusion());
      assertEquals(
          graph.nodes().stream().map(Node::name).toList(),
          unfused.manifest().nodes().stream().map(NodeLaunches::name).toList(),
          "--no-fuse keeps every node, in order");
      assertTrue(
          unfused.manifest().nodes().stream()
              .allMatch(n -> n.fused().isEmpty() && n.internal().isEmpty()));
      Set<String> covered =
          fused.manifest().nodes().stream()
              .flatMap(n -> n.covers().stream())
              .collect(Collectors.toSet());
      assertEquals(
          graph.nodes().stream().map(Node::name).collect(Collectors.toSet()),
          covered,
          "every node is computed by exactly one launch");
      long products =
          graph.nodes().stream()
              .filter(n -> n.opType().equals("MatMul") || n.opType().equals("Gemm"))
              .count();
      Random random = new Random(11);
      for (long[] step : new long[][] {{1, 16, 0}, {1, 1, 16}, {3, 1, 40}}) {
        Map<String, Tensor> inputs = Gpt2Inputs.random(graph, random, step[0], step[1], step[2]);
        inputs.forEach(plain::bind);
        inputs.forEach(fast::bind);
        LaunchPlan plainPlan = plain.plan();
        LaunchPlan fastPlan = fast.plan();
        long productLaunches =
            plainPlan.launches().stream()
                .filter(l -> l.opType().equals("MatMul") || l.opType().equals("Gemm"))
                .mapToLong(FusionOnDeviceTest::enqueues)
                .sum();
        assertEquals(products, productLaunches, "--no-fuse: one launch per MatMul/Gemm node");
        long before = enqueues(plainPlan);
        long after = enqueues(fastPlan);
        System.out.printf(
            "gpt2-mini batch %d, sequence %d, past %d: %d kernel launches unfused, %d fused%n",
            step[0], step[1], step[2], before, after);
        assertTrue(
            after * 10 <= before * 7,
            "fusion saves at least 30% of the launches: " + before + " -> " + after);
        plain.run();
        fast.run();
        for (Manifest.TensorSpec output : unfused.manifest().outputs()) {
          double error =
              Comparison.relativeL2(plain.output(output.name()), fast.output(output.name()));
          assertTrue(
              error <= ROUNDING, output.name() + " fused against unfused: relative L2 " + error);
        }
      }
    }
  }

  /**
   * A dense layer as GPT-2 has one: MatMul, a bias that broadcasts, the tanh GELU as its exporter
   * writes it, a residual add of a value from elsewhere, and the biased value also read by a
   * Softmax outside the group, so it must be stored. 24 columns: an epilogue per element (the last
   * panel is partial); 32: a panel of 16 columns per call. The GEMV streams one or two panels per
   * work-item.
   */
  @ParameterizedTest(name = "{0} columns, {1} GEMV panel(s) per item")
  @CsvSource({"24, 1", "32, 1", "24, 2", "32, 2"})
  void anEpilogueOfBiasGeluAndResidualMatchesUnfusedAndStoresWhatOthersRead(
      int columns, int gemvPanels) {
    Dim rows = Dim.symbol("rows");
    Random random = new Random(3);
    Map<String, Constant> constants = new LinkedHashMap<>();
    constants.put("w", new Constant.Data(gaussian(random, 16, columns)));
    constants.put("bias", new Constant.Data(gaussian(random, columns)));
    constants.put("half", Constant.scalar(0.5f));
    constants.put("three", Constant.scalar(3f));
    constants.put("k", Constant.scalar(0.044715f));
    constants.put("root", Constant.scalar(0.7978845608f));
    constants.put("one", Constant.scalar(1f));
    List<Node> nodes =
        List.of(
            Node.of("mm", "MatMul", "x", "w", "m"),
            Node.of("bias_add", "Add", "m", "bias", "h"),
            Node.of("half_h", "Mul", "h", "half", "g"),
            Node.of("cube", "Pow", "h", "three", "p"),
            Node.of("scale", "Mul", "p", "k", "q"),
            Node.of("inner", "Add", "h", "q", "s"),
            Node.of("outer", "Mul", "s", "root", "u"),
            Node.of("tanh", "Tanh", "u", "t"),
            Node.of("plus_one", "Add", "t", "one", "a"),
            Node.of("gelu", "Mul", "g", "a", "gelu"),
            Node.of("residual", "Add", "gelu", "r", "y"),
            new Node(
                "softmax",
                "",
                "Softmax",
                List.of("h"),
                List.of("z"),
                new Attributes(Map.of("axis", new Attribute.IntValue(-1)))));
    Graph graph =
        graph(
            "dense",
            List.of(
                input("x", DType.FLOAT32, rows, Dim.of(16)),
                input("r", DType.FLOAT32, rows, Dim.of(columns))),
            List.of(output("y", rows, columns), output("z", rows, columns)),
            nodes,
            constants);
    LoadedModel model = loaded(graph);
    SizeRanges ranges =
        SizeRanges.forGraph(
            model.simplified(), Map.of("rows", new SizeRanges.Interval(1, 8)), Map.of(), true);
    Schedule defaults = Schedule.defaults();
    Schedule schedule =
        defaults.withMatMul(0, new Schedule.MatMulClass("1", "gemv", 4, 1, gemvPanels));
    assertEquals(
        "gemv", defaults.matmul().getFirst().kernel(), "the first class is the one-row GEMV");
    try (Executable unfused =
            compile(model, ranges, KernelOverrides.none(), false, schedule, "unfused" + columns);
        Executable fused =
            compile(model, ranges, KernelOverrides.none(), true, schedule, "fused" + columns)) {
      NodeLaunches dense = launch(fused.manifest(), "mm");
      String kernel = dense.variants().getLast().dispatches().getFirst().kernel();
      assertEquals(
          columns == 32,
          fused.artifact().kernelSource(kernel).contains("16 columns at a time"),
          kernel);
      assertEquals(
          List.of(
              "bias_add",
              "half_h",
              "cube",
              "scale",
              "inner",
              "outer",
              "tanh",
              "plus_one",
              "gelu",
              "residual"),
          dense.fused());
      assertEquals(
          List.of("h", "y"), dense.outputs(), "h is read by the Softmax outside the group: stored");
      assertTrue(dense.internal().containsAll(List.of("m", "g", "p", "gelu")));
      for (long n : new long[] {1, 7}) { // the GEMV and a GEMM
        Map<String, Tensor> inputs =
            Map.of("x", gaussian(random, n, 16), "r", gaussian(random, n, columns));
        Map<String, Tensor> expected = new ReferenceExecutor().run(model.simplified(), inputs);
        try (Session plain = unfused.newSession().poisonBuffers(true);
            Session fast = fused.newSession().poisonBuffers(true).keepEveryValue(true)) {
          inputs.forEach(plain::bind);
          inputs.forEach(fast::bind);
          plain.run();
          fast.run();
          assertEquals(12, enqueues(plain.currentPlan()), "unfused: one launch per node");
          assertEquals(2, enqueues(fast.currentPlan()), "fused: the dense layer and the Softmax");
          for (String out : List.of("y", "z")) {
            assertAgree(
                plain.output(out),
                fast.output(out),
                "rows " + n + " " + out + " fused against unfused");
            assertAgree(
                expected.get(out),
                fast.output(out),
                "rows " + n + " " + out + " fused against the reference");
          }
          Tensor h = fast.read("h");
          Map<String, Tensor> values = new LinkedHashMap<>();
          new ReferenceExecutor()
              .run(
                  model.simplified(),
                  inputs,
                  (node, outputs) -> values.put(node.outputs().get(0), outputs.get(0)));
          assertAgree(values.get("h"), h, "the stored intermediate h");
          var notStored = assertThrows(IllegalArgumentException.class, () -> fast.read("m"));
          assertTrue(
              notStored.getMessage().contains("fused launch of 'mm'")
                  && notStored.getMessage().contains("compiled without fusion"),
              notStored.getMessage());
          var member =
              assertThrows(IllegalArgumentException.class, () -> fast.launch("tanh", "fused"));
          assertTrue(
              member.getMessage().contains("fused into the launch of 'mm'"), member.getMessage());
        }
      }
    }
  }

  /**
   * LayerNorm's tail as exported: var + eps and its Sqrt are per row, the rest per element; then a
   * mask.
   */
  @Test
  void aChainWithSmallerAndBroadcastValuesMatchesUnfused() {
    Dim batch = Dim.symbol("batch");
    Random random = new Random(5);
    Map<String, Constant> constants = new LinkedHashMap<>();
    constants.put("eps", Constant.scalar(1e-5f));
    constants.put("gamma", new Constant.Data(gaussian(random, 32)));
    constants.put("beta", new Constant.Data(gaussian(random, 32)));
    constants.put("low", Constant.scalar(-1e4f));
    List<Node> nodes =
        List.of(
            Node.of("eps_add", "Add", "v", "eps", "e"),
            Node.of("sqrt", "Sqrt", "e", "s"),
            Node.of("div", "Div", "x", "s", "d"),
            Node.of("mul", "Mul", "d", "gamma", "g"),
            Node.of("add", "Add", "g", "beta", "o"),
            new Node(
                "where", "", "Where", List.of("mask", "o", "low"), List.of("w"), Attributes.NONE));
    Graph graph =
        graph(
            "norm",
            List.of(
                input("x", DType.FLOAT32, batch, Dim.of(4), Dim.of(32)),
                input("v", DType.FLOAT32, batch, Dim.of(4), Dim.of(1)),
                input("mask", DType.BOOL, Dim.of(4), Dim.of(32))),
            List.of(output("o", batch, 4, 32), output("w", batch, 4, 32)),
            nodes,
            constants);
    LoadedModel model = loaded(graph);
    SizeRanges ranges =
        SizeRanges.forGraph(
            model.simplified(), Map.of("batch", new SizeRanges.Interval(1, 3)), Map.of(), true);
    try (Executable unfused = compile(model, ranges, KernelOverrides.none(), false, "unfused");
        Executable fused = compile(model, ranges, KernelOverrides.none(), true, "fused")) {
      NodeLaunches chain = launch(fused.manifest(), "eps_add");
      assertEquals(List.of("sqrt", "div", "mul", "add", "where"), chain.fused());
      assertEquals(
          List.of("o", "w"), chain.outputs(), "o is a graph output as well as read by the Where");
      Tensor x = gaussian(random, 3, 4, 32);
      Tensor v = gaussian(random, 3, 4, 1);
      for (int i = 0; i < v.size(); i++) {
        v.setFloat(i, Math.abs(v.getFloat(i)) + 0.1f);
      }
      Tensor mask = Tensor.allocate(DType.BOOL, 4, 32);
      for (int i = 0; i < mask.size(); i++) {
        mask.setBool(i, random.nextBoolean());
      }
      Map<String, Tensor> inputs = Map.of("x", x, "v", v, "mask", mask);
      Map<String, Tensor> expected = new ReferenceExecutor().run(model.simplified(), inputs);
      try (Session plain = unfused.newSession().poisonBuffers(true);
          Session fast = fused.newSession().poisonBuffers(true)) {
        inputs.forEach(plain::bind);
        inputs.forEach(fast::bind);
        plain.run();
        fast.run();
        assertEquals(6, enqueues(plain.currentPlan()));
        assertEquals(1, enqueues(fast.currentPlan()));
        for (String out : List.of("o", "w")) {
          assertAgree(plain.output(out), fast.output(out), out + " fused against unfused");
          assertAgree(expected.get(out), fast.output(out), out + " fused against the reference");
        }
      }
    }
  }

  /**
   * The user wants their dense untouched: a node with a --kernel override is launched alone, and so
   * are its readers' groups.
   */
  @Test
  void aNodeWithAUserKernelIsNeverFused() {
    Random random = new Random(7);
    Map<String, Constant> constants = new LinkedHashMap<>();
    constants.put("w", new Constant.Data(gaussian(random, 16, 24)));
    constants.put("bias", new Constant.Data(gaussian(random, 24)));
    Graph graph =
        graph(
            "dense",
            List.of(input("x", DType.FLOAT32, Dim.of(2), Dim.of(16))),
            List.of(output("y", Dim.of(2), 24)),
            List.of(
                Node.of("mm", "MatMul", "x", "w", "m"),
                Node.of("bias_add", "Add", "m", "bias", "h"),
                Node.of("tanh", "Tanh", "h", "y")),
            constants);
    LoadedModel model = loaded(graph);
    SizeRanges ranges = SizeRanges.forGraph(model.simplified(), Map.of(), Map.of(), true);
    UserKernel dense = UserKernel.read(Path.of("..", "examples", "kernels", "dense.cl"));
    try (Executable fused =
        compile(
            model, ranges, new KernelOverrides(Map.of("mm", dense), Map.of()), true, "override")) {
      NodeLaunches mm = launch(fused.manifest(), "mm");
      assertEquals(List.of(), mm.fused(), "the overridden MatMul stays alone");
      assertEquals(
          List.of("tanh"),
          launch(fused.manifest(), "bias_add").fused(),
          "its readers still fuse with each other");
      Map<String, Tensor> inputs = Map.of("x", gaussian(random, 2, 16));
      try (Session s = fused.newSession().poisonBuffers(true)) {
        inputs.forEach(s::bind);
        s.run();
        assertAgree(
            new ReferenceExecutor().run(model.simplified(), inputs).get("y"), s.output("y"), "y");
      }
    }
  }

  private Executable compile(
      LoadedModel model, SizeRanges ranges, KernelOverrides overrides, boolean fuse, String name) {
    return compile(model, ranges, overrides, fuse, Schedule.defaults(), name);
  }

  private Executable compile(
      LoadedModel model,
      SizeRanges ranges,
      KernelOverrides overrides,
      boolean fuse,
      Schedule schedule,
      String name) {
    Path artifact = folder.resolve(name + ".oclc");
    ModelCompiler.writeArtifact(model, artifact, ranges, overrides, schedule, fuse);
    return Executable.load(
        artifact, TestDevice.context(), TestDevice.cache(), KernelBuilder.SILENT, w -> {});
  }

  private static long enqueues(LaunchPlan plan) {
    return plan.launches().stream().mapToLong(FusionOnDeviceTest::enqueues).sum();
  }

  private static long enqueues(LaunchPlan.PlannedLaunch launch) {
    return launch.dispatches().stream().filter(d -> !d.skipped()).count();
  }

  private static NodeLaunches launch(Manifest manifest, String name) {
    return manifest.nodes().stream()
        .filter(n -> n.name().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new AssertionError(
                    "no launch named "
                        + name
                        + " in "
                        + manifest.nodes().stream().map(NodeLaunches::name).toList()));
  }

  private static void assertAgree(Tensor expected, Tensor actual, String what) {
    double error = Comparison.relativeL2(expected, actual);
    assertTrue(error <= ROUNDING, what + ": relative L2 " + error);
  }

  private static ValueInfo input(String name, DType type, Dim... dims) {
    return new ValueInfo(name, new TensorType(type, Shape.of(dims)));
  }

  private static ValueInfo output(String name, Dim rows, long... rest) {
    List<Dim> dims = new ArrayList<>(List.of(rows));
    for (long d : rest) {
      dims.add(Dim.of(d));
    }
    return new ValueInfo(name, new TensorType(DType.FLOAT32, new Shape(dims)));
  }

  private static Graph graph(
      String name,
      List<ValueInfo> inputs,
      List<ValueInfo> outputs,
      List<Node> nodes,
      Map<String, Constant> constants) {
    return new Graph(name, inputs, outputs, nodes, constants, Map.of(), List.of(), Map.of("", 17L));
  }

  private static LoadedModel loaded(Graph graph) {
    return new LoadedModel(
        Path.of("fusion", graph.name() + ".onnx"), graph, Passes.runStandard(graph));
  }

  private static Tensor gaussian(Random random, long... shape) {
    Tensor t = Tensor.allocate(DType.FLOAT32, shape);
    for (int i = 0; i < t.size(); i++) {
      t.setFloat(i, (float) random.nextGaussian());
    }
    return t;
  }
}
