package oclc.compiler.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import oclc.ir.Graph;
import oclc.ir.OclcException;
import oclc.ir.Tensor;
import oclc.onnx.OnnxTensors;

/**
 * One {@code test_data_set_N} folder of the ONNX backend-test layout: {@code input_K.pb} for the
 * K-th graph input and {@code output_K.pb} for the K-th graph output.
 */
public record TestDataSet(
    Path folder, Map<String, Tensor> inputs, Map<String, Tensor> expectedOutputs) {

  public static TestDataSet read(Path folder, Graph graph) {
    return read(
        folder,
        graph.inputs().stream().map(v -> v.name()).toList(),
        graph.outputs().stream().map(v -> v.name()).toList());
  }

  /** The set for a model with these inputs and outputs, in graph order. */
  public static TestDataSet read(Path folder, List<String> inputNames, List<String> outputNames) {
    if (!Files.isDirectory(folder)) {
      throw new OclcException("test data folder " + folder + " does not exist");
    }
    List<Path> inputFiles = numbered(folder, "input_");
    List<Path> outputFiles = numbered(folder, "output_");
    if (inputFiles.size() != inputNames.size()) {
      throw new OclcException(
          folder
              + " has "
              + inputFiles.size()
              + " input files, but the model has "
              + inputNames.size()
              + " inputs");
    }
    Map<String, Tensor> inputs = new LinkedHashMap<>();
    for (int k = 0; k < inputFiles.size(); k++) {
      inputs.put(inputNames.get(k), OnnxTensors.read(inputFiles.get(k)).tensor());
    }
    Map<String, Tensor> outputs = new LinkedHashMap<>();
    for (int k = 0; k < outputFiles.size() && k < outputNames.size(); k++) {
      outputs.put(outputNames.get(k), OnnxTensors.read(outputFiles.get(k)).tensor());
    }
    return new TestDataSet(folder, inputs, outputs);
  }

  /** The {@code test_data_set_*} folders of a case, in numeric order. */
  public static List<Path> folders(Path caseFolder) {
    try (Stream<Path> entries = Files.list(caseFolder)) {
      return entries
          .filter(p -> p.getFileName().toString().startsWith("test_data_set_"))
          .filter(Files::isDirectory)
          .sorted((a, b) -> Integer.compare(suffix(a), suffix(b)))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Path> numbered(Path folder, String prefix) {
    List<Path> files = new ArrayList<>();
    for (int k = 0; Files.exists(folder.resolve(prefix + k + ".pb")); k++) {
      files.add(folder.resolve(prefix + k + ".pb"));
    }
    return files;
  }

  private static int suffix(Path p) {
    String name = p.getFileName().toString();
    try {
      return Integer.parseInt(name.substring(name.lastIndexOf('_') + 1));
    } catch (NumberFormatException e) {
      return Integer.MAX_VALUE;
    }
  }
}
