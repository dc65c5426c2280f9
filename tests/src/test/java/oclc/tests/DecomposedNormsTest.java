package oclc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import oclc.artifact.Manifest;
import oclc.artifact.Manifest.NodeLaunches;
import oclc.codegen.cpu.JavaLowering;
import oclc.compiler.LoadedModel;
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
import oclc.lowering.SizeRanges;
import oclc.lowering.passes.FuseDecomposedNorms;
import oclc.runtime.CompiledModel;
import oclc.runtime.Executable;
import oclc.runtime.Session;
import oclc.runtime.cpu.JavaExecutable;
import oclc.tests.support.JavaDevice;
import oclc.tests.support.Reference;
import oclc.tests.support.TestDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fuse-decomposed-norms pass on Llama's RMSNorm: the shared Llama exports, rewritten, still
 * give their expected outputs on the reference executor; and a decomposed RMSNorm made here is one
 * RMSNormalization launch on both fast backends that agrees with the reference.
 */
class DecomposedNormsTest {
  /**
   * Nodes one decomposed RMSNorm of the Llama exports has: Pow, ReduceMean, Add, Sqrt, Div, Mul,
   * Mul.
   */
  private static final int RMS_NORM_NODES = 7;

  @TempDir Path folder;

  static Stream<Path> llamaModels() throws IOException {
    try (Stream<Path> folders = Files.list(SharedData.models())) {
      return folders
          .filter(f -> f.getFileName().toString().startsWith("llama-"))
          .sorted()
          .toList()
          .stream();
    }
  }

  @ParameterizedTest
  @MethodSource("llamaModels")
  void everyRmsNormOfALlamaExportIsOneNodeAndTheModelStillGivesItsExpectedOutputs(Path model) {
    Path file = model.resolve("model.onnx");
    Graph standard = LoadedModel.load(file).simplified();
    Graph rewritten = LoadedModel.load(file, FuseDecomposedNorms.NAME).simplified();
    long norms = standard.nodes().stream().filter(n -> n.opType().equals("ReduceMean")).count();
    assertTrue(norms > 0, model + " has no ReduceMean: not the export this test knows");
    assertEquals(
        norms,
        rewritten.nodes().stream().filter(n -> n.opType().equals("RMSNormalization")).count(),
        "every decomposed RMSNorm is one node");
    assertEquals(standard.nodes().size() - norms * (RMS_NORM_NODES - 1), rewritten.nodes().size());
    Reference.assertExpectedOutputs(model, rewritten);
  }

  @Test
  void aDecomposedRmsNormIsOneLaunchOnOpenClThatMatchesTheReference() {
    LoadedModel model = handMade();
    try (Executable executable =
        TestDevice.compile(model, folder.resolve("opencl.oclc"), ranges(model), true)) {
      assertOneRmsLaunch(executable.manifest());
      assertAgreesWithTheReference(executable, model);
    }
  }

  @Test
  void aDecomposedRmsNormIsOneLaunchOfAJavaKernelThatMatchesTheReference() {
    LoadedModel model = handMade();
    try (JavaExecutable executable =
        JavaDevice.compile(model, folder.resolve("java.oclc"), ranges(model), true)) {
      assertOneRmsLaunch(executable.manifest());
      assertTrue(
          JavaLowering.fallbackNodes(executable.manifest()).isEmpty(),
          "computed by the row kernel, not the reference fallback");
      assertAgreesWithTheReference(executable, model);
    }
  }

  private static void assertOneRmsLaunch(Manifest manifest) {
    List<NodeLaunches> launches = manifest.nodes();
    assertEquals(List.of("rms/pow"), launches.stream().map(NodeLaunches::name).toList());
    assertEquals("RMSNormalization", launches.getFirst().opType());
    assertEquals(
        List.of("rms/mean", "rms/add", "rms/sqrt", "rms/div", "rms/mul", "rms/mul_1"),
        launches.getFirst().fused());
    assertEquals(List.of("s", "m", "e", "r", "i", "n"), launches.getFirst().internal());
  }

  private static void assertAgreesWithTheReference(CompiledModel executable, LoadedModel model) {
    Tensor x = Tensor.allocate(DType.FLOAT32, 3, 5, 96);
    Random random = new Random(11);
    for (int i = 0; i < x.size(); i++) {
      x.setFloat(i, (float) random.nextGaussian());
    }
    Tensor expected = new ReferenceExecutor().run(model.simplified(), Map.of("x", x)).get("y");
    try (Session session = executable.newSession().poisonBuffers(true)) {
      session.bind("x", x);
      session.run();
      double error = Comparison.relativeL2(expected, session.output("y"));
      assertTrue(error <= 1e-6, "relative L2 " + error);
    }
  }

  /** y = weight · (x · (1 / sqrt(mean(x²) + eps))), over rows of 96, as Llama exports write it. */
  private static LoadedModel handMade() {
    Dim batch = Dim.symbol("batch");
    Random random = new Random(3);
    float[] weight = new float[96];
    for (int i = 0; i < weight.length; i++) {
      weight[i] = (float) (1 + random.nextGaussian() / 4);
    }
    Map<String, Constant> constants = new LinkedHashMap<>();
    constants.put("two", Constant.scalar(2f));
    constants.put("one", Constant.scalar(1f));
    constants.put("eps", Constant.scalar(1e-6f));
    constants.put("weight", new Constant.Data(Tensor.ofFloats(new long[] {96}, weight)));
    Attributes lastAxis = new Attributes(Map.of("axes", new Attribute.Ints(new long[] {-1})));
    List<Node> nodes =
        List.of(
            Node.of("rms/pow", "Pow", "x", "two", "s"),
            new Node("rms/mean", "", "ReduceMean", List.of("s"), List.of("m"), lastAxis),
            Node.of("rms/add", "Add", "m", "eps", "e"),
            Node.of("rms/sqrt", "Sqrt", "e", "r"),
            Node.of("rms/div", "Div", "one", "r", "i"),
            Node.of("rms/mul", "Mul", "x", "i", "n"),
            Node.of("rms/mul_1", "Mul", "weight", "n", "y"));
    TensorType type = new TensorType(DType.FLOAT32, Shape.of(batch, Dim.of(5), Dim.of(96)));
    Graph graph =
        new Graph(
            "rms",
            List.of(new ValueInfo("x", type)),
            List.of(new ValueInfo("y", type)),
            nodes,
            constants,
            Map.of(),
            List.of(),
            Map.of("", 17L));
    return new LoadedModel(Path.of("rms", "rms.onnx"), graph, Passes.runStandard(graph));
  }

  private static SizeRanges ranges(LoadedModel model) {
    return SizeRanges.forGraph(
        model.simplified(), Map.of("batch", new SizeRanges.Interval(1, 4)), Map.of(), true);
  }
}
