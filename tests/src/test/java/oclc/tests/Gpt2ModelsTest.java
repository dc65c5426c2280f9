package oclc.tests;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import oclc.compiler.LoadedModel;
import oclc.ir.Dim;
import oclc.ir.Graph;
import oclc.ir.Node;
import oclc.ir.TensorType;
import oclc.tests.support.ModelExpectations;
import oclc.tests.support.ModelKind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * GPT-2-specific properties of the GPT-2 exports of ../shared/models (our exporter's, the {@code
 * gpt2-*} folders: {@link ModelKind#GPT2_EXPORT}) after the passes. The other models (Llama in
 * Optimum's layout, ONNX Runtime's optimized GPT-2) have other shapes and inputs; what every model
 * does on each backend is {@link SharedModelsTest}'s and the list's.
 */
class Gpt2ModelsTest {
  private static final Set<String> MODEL_SYMBOLS =
      Set.of("batch_size", "sequence_length", "past_sequence_length");

  static Stream<Path> models() {
    List<Path> exports =
        ModelExpectations.foldersOfKind(SharedData.models(), ModelKind.GPT2_EXPORT);
    assertFalse(exports.isEmpty(), "no GPT-2 export in " + SharedData.models());
    return exports.stream();
  }

  @ParameterizedTest
  @MethodSource("models")
  void inAGpt2ExportAfterThePassesNoShapeNodeRemainsAndEveryShapeUsesOnlyTheModelSymbols(
      Path model) {
    LoadedModel loaded = LoadedModel.load(model.resolve("model.onnx"));
    Graph g = loaded.simplified();
    assertTrue(
        loaded.imported().opCounts().containsKey("Shape"),
        "the export computes shapes with Shape nodes");
    assertFalse(g.opCounts().containsKey("Shape"), "Shape nodes left: " + g.opCounts());
    for (Node node : g.nodes()) {
      for (String output : node.outputs()) {
        TensorType type = g.type(output).orElseThrow();
        for (Dim d : type.shape().dims()) {
          assertTrue(
              MODEL_SYMBOLS.containsAll(d.symbols()),
              node + " output " + output + " has shape " + type.shape());
        }
      }
    }
  }

  @ParameterizedTest
  @MethodSource("models")
  void aGpt2ExportsAttentionScoresKeepTheKeyLengthSymbolic(Path model) {
    Graph g = LoadedModel.load(model.resolve("model.onnx")).simplified();
    boolean hasPast = g.inputs().size() > 1;
    Dim seq = Dim.symbol("sequence_length");
    Dim keyLength = hasPast ? Dim.symbol("past_sequence_length").plus(seq) : seq;
    boolean found =
        g.nodes().stream()
            .filter(n -> n.opType().equals("Softmax"))
            .map(n -> g.type(n.outputs().get(0)).orElseThrow().shape())
            .anyMatch(s -> s.rank() == 4 && s.dim(2).equals(seq) && s.dim(3).equals(keyLength));
    assertTrue(found, "no Softmax over [.., sequence_length, " + keyLength + "]");
  }
}
