package oclc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import oclc.compiler.conformance.ConformanceRunner;
import oclc.compiler.LoadedModel;
import oclc.compiler.conformance.TestDataSet;
import oclc.ir.Dim;
import oclc.ir.Graph;
import oclc.ir.Node;
import oclc.ir.Tensor;
import oclc.ir.TensorType;
import oclc.ir.exec.Comparison;
import oclc.ir.exec.ReferenceExecutor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The PyTorch GPT-2 exports of ../shared/models, on the reference executor. */
class Gpt2ModelsTest {
  private static final Set<String> MODEL_SYMBOLS =
      Set.of("batch_size", "sequence_length", "past_sequence_length");

  static Stream<Path> models() {
    return SharedData.gpt2Models().stream();
  }

  @ParameterizedTest
  @MethodSource("models")
  void afterThePassesNoShapeNodeRemainsAndEveryShapeUsesOnlyTheModelSymbols(Path model) {
    LoadedModel loaded = LoadedModel.load(model.resolve("model.onnx"));
    Graph g = loaded.simplified();
    assertTrue(loaded.imported().opCounts().containsKey("Shape"), "the export computes shapes with Shape nodes");
    assertFalse(g.opCounts().containsKey("Shape"), "Shape nodes left: " + g.opCounts());
    for (Node node : g.nodes()) {
      for (String output : node.outputs()) {
        TensorType type = g.type(output).orElseThrow();
        for (Dim d : type.shape().dims()) {
          assertTrue(MODEL_SYMBOLS.containsAll(d.symbols()),
              node + " output " + output + " has shape " + type.shape());
        }
      }
    }
  }

  @ParameterizedTest
  @MethodSource("models")
  void everyTestSetPassesWithinTheBackendTestTolerance(Path model) {
    ConformanceRunner.Outcome outcome = new ConformanceRunner().run(model);
    assertEquals(ConformanceRunner.Verdict.PASSED, outcome.verdict(), outcome.line());
  }

  @ParameterizedTest
  @MethodSource("models")
  void everyFloatOutputIsWithinRelativeL2OfOneInTenThousand(Path model) {
    LoadedModel loaded = LoadedModel.load(model.resolve("model.onnx"));
    for (Path setFolder : TestDataSet.folders(model)) {
      TestDataSet set = TestDataSet.read(setFolder, loaded.simplified());
      Map<String, Tensor> actual = new ReferenceExecutor().run(loaded.simplified(), set.inputs());
      set.expectedOutputs().forEach((name, expected) -> {
        double error = Comparison.relativeL2(expected, actual.get(name));
        assertTrue(error <= 1e-4, setFolder + " " + name + ": relative L2 " + error);
      });
    }
  }

  @ParameterizedTest
  @MethodSource("models")
  void attentionScoresKeepTheKeyLengthSymbolic(Path model) {
    Graph g = LoadedModel.load(model.resolve("model.onnx")).simplified();
    boolean hasPast = g.inputs().size() > 1;
    Dim seq = Dim.symbol("sequence_length");
    Dim keyLength = hasPast ? Dim.symbol("past_sequence_length").plus(seq) : seq;
    boolean found = g.nodes().stream()
        .filter(n -> n.opType().equals("Softmax"))
        .map(n -> g.type(n.outputs().get(0)).orElseThrow().shape())
        .anyMatch(s -> s.rank() == 4 && s.dim(2).equals(seq) && s.dim(3).equals(keyLength));
    assertTrue(found, "no Softmax over [.., sequence_length, " + keyLength + "]");
  }
}
