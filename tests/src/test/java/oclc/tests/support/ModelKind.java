package oclc.tests.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import oclc.onnx.proto.OnnxProto.GraphProto;
import oclc.onnx.proto.OnnxProto.ModelProto;
import oclc.onnx.proto.OnnxProto.ValueInfoProto;

/**
 * What a model of ../shared/models is, told from its graph's inputs and operator domains (read from
 * the protobuf directly, so a model oclc cannot import is told too). The GPT-2-specific property
 * tests apply to {@link #GPT2_EXPORT} only.
 */
public enum ModelKind {
  /**
   * GPT-2 exported by torch.onnx.export with our exporter ({@code ../tools/export_gpt2.py}): {@code
   * gpt2-*}.
   */
  GPT2_EXPORT("gpt2-export"),
  /**
   * A Llama-architecture decoder in Optimum's layout ({@code ../tools/export_llama.py}): {@code
   * llama-*}.
   */
  LLAMA_OPTIMUM("llama-optimum"),
  /** A GPT-2 rewritten by ONNX Runtime's transformer optimizer into com.microsoft operators. */
  ORT_OPTIMIZED("ort-optimized");

  private final String label;

  ModelKind(String label) {
    this.label = label;
  }

  /** The word for it in the checked-in list. */
  public String label() {
    return label;
  }

  public static Optional<ModelKind> ofLabel(String label) {
    return List.of(values()).stream().filter(k -> k.label.equals(label)).findFirst();
  }

  /** The kind of {@code folder/model.onnx}; empty for a graph like none of them. */
  public static Optional<ModelKind> detect(Path folder) {
    ModelProto model;
    try {
      model = ModelProto.parseFrom(Files.readAllBytes(folder.resolve("model.onnx")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    GraphProto graph = model.getGraph();
    if (graph.getNodeList().stream().anyMatch(n -> n.getDomain().equals("com.microsoft"))) {
      return Optional.of(ORT_OPTIMIZED);
    }
    Set<String> initializers = new HashSet<>();
    graph.getInitializerList().forEach(t -> initializers.add(t.getName()));
    List<String> inputs =
        graph.getInputList().stream()
            .map(ValueInfoProto::getName)
            .filter(name -> !initializers.contains(name))
            .toList();
    if (inputs.isEmpty() || !inputs.getFirst().equals("input_ids")) {
      return Optional.empty();
    }
    List<String> rest = inputs.subList(1, inputs.size());
    if (rest.stream().allMatch(name -> name.matches("past_[kv]_\\d+"))) {
      return Optional.of(GPT2_EXPORT);
    }
    boolean optimumInputs =
        rest.size() >= 2
            && rest.get(0).equals("attention_mask")
            && rest.get(1).equals("position_ids")
            && rest.subList(2, rest.size()).stream()
                .allMatch(name -> name.matches("past_key_values\\.\\d+\\.(key|value)"));
    return optimumInputs ? Optional.of(LLAMA_OPTIMUM) : Optional.empty();
  }
}
