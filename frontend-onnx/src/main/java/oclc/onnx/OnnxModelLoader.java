package oclc.onnx;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import oclc.ir.Graph;
import oclc.ir.Node;
import oclc.ir.OpRegistry;
import oclc.ir.UnsupportedFeatureException;
import oclc.onnx.proto.OnnxProto.ModelProto;
import oclc.onnx.proto.OnnxProto.OperatorSetIdProto;

/**
 * Reads an ONNX model file into a {@link Graph}. The file is memory-mapped and parsed with
 * aliasing, so that initializers are views of the mapping, not copies: a 630 MB GPT-2 small is held
 * once.
 */
public final class OnnxModelLoader {
  /** The newest default-domain opset oclc reads (the ONNX conformance cases of opset 28 pass). */
  public static final long NEWEST_OPSET = 28;

  private OnnxModelLoader() {}

  public static Graph load(Path modelFile) {
    return load(modelFile, UnaryOperator.identity());
  }

  /**
   * Reads the file, rewrites its ModelProto with {@code rewrite} (a weight quantization applied in
   * memory, say) and converts the result.
   */
  public static Graph load(Path modelFile, UnaryOperator<ModelProto> rewrite) {
    ModelProto model = rewrite.apply(parse(modelFile));
    if (!model.hasGraph()) {
      throw new ModelLoadException(modelFile + ": the file parses as ONNX but holds no graph");
    }
    Map<String, Long> opsets = opsets(model, modelFile);
    Graph graph = new GraphConverter(modelFile, opsets).convert(model.getGraph());
    checkDefinedBeforeUse(graph, modelFile);
    return graph;
  }

  /** The file's ModelProto, its initializers views of the memory-mapped file. */
  public static ModelProto parse(Path modelFile) {
    if (!Files.isRegularFile(modelFile)) {
      throw new ModelLoadException(modelFile + ": no such model file");
    }
    try (FileChannel channel = FileChannel.open(modelFile, StandardOpenOption.READ)) {
      long size = channel.size();
      if (size == 0) {
        throw new ModelLoadException(modelFile + ": the file is empty");
      }
      if (size > Integer.MAX_VALUE) {
        throw new ModelLoadException(
            modelFile
                + ": a protobuf file cannot exceed 2 GiB; "
                + "export the weights as external data");
      }
      MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
      // Parsed through a ByteString so that protobuf treats the mapping as immutable and lets
      // raw_data alias it; CodedInputStream.newInstance(ByteBuffer) would copy every tensor.
      CodedInputStream input = UnsafeByteOperations.unsafeWrap(mapped).newCodedInput();
      input.enableAliasing(true);
      input.setSizeLimit(Integer.MAX_VALUE);
      input.setRecursionLimit(256);
      ModelProto model = ModelProto.parseFrom(input);
      if (!model.hasIrVersion() && !model.hasGraph()) {
        throw new ModelLoadException(modelFile + ": not an ONNX model (no IR version, no graph)");
      }
      return model;
    } catch (InvalidProtocolBufferException e) {
      throw new ModelLoadException(
          modelFile
              + ": the file is truncated or corrupt, not a valid ONNX "
              + "protobuf ("
              + e.getMessage()
              + ")",
          e);
    } catch (IOException e) {
      throw new ModelLoadException(modelFile + ": cannot read the file: " + e.getMessage(), e);
    }
  }

  private static Map<String, Long> opsets(ModelProto model, Path modelFile) {
    Map<String, Long> opsets = new LinkedHashMap<>();
    for (OperatorSetIdProto id : model.getOpsetImportList()) {
      String domain = id.getDomain().equals("ai.onnx") ? "" : id.getDomain();
      opsets.put(domain, id.getVersion());
    }
    List<String> problems = new ArrayList<>();
    opsets.forEach(
        (domain, version) -> {
          // An imported domain no node uses (exporters add them freely) is harmless.
          boolean used =
              model.getGraph().getNodeList().stream().anyMatch(n -> n.getDomain().equals(domain));
          if (!domain.isEmpty() && used && !OpRegistry.standard().knowsDomain(domain)) {
            problems.add(
                "opset domain '"
                    + domain
                    + "' (version "
                    + version
                    + ") is not one oclc knows"
                    + usedBy(model, domain));
          } else if (version > NEWEST_OPSET) {
            problems.add(
                "default-domain opset "
                    + version
                    + " is newer than oclc knows (up to "
                    + NEWEST_OPSET
                    + ")");
          }
        });
    if (!problems.isEmpty()) {
      throw new UnsupportedFeatureException(modelFile + ": " + String.join("; ", problems));
    }
    return opsets;
  }

  private static String usedBy(ModelProto model, String domain) {
    List<String> nodes =
        model.getGraph().getNodeList().stream()
            .filter(n -> n.getDomain().equals(domain))
            .map(n -> n.getOpType() + (n.getName().isEmpty() ? "" : " '" + n.getName() + "'"))
            .toList();
    return nodes.isEmpty() ? "" : "; used by " + String.join(", ", nodes);
  }

  /** A file cut at a field boundary still parses; its dangling references give it away. */
  private static void checkDefinedBeforeUse(Graph graph, Path modelFile) {
    java.util.Set<String> defined = new java.util.HashSet<>(graph.constants().keySet());
    graph.inputs().forEach(in -> defined.add(in.name()));
    for (Node node : graph.nodes()) {
      for (String input : node.inputs()) {
        if (!input.isEmpty() && !defined.contains(input)) {
          throw new ModelLoadException(
              modelFile
                  + ": "
                  + node
                  + " reads '"
                  + input
                  + "', which no earlier node, input or initializer defines (is the file truncated?)");
        }
      }
      node.outputs().forEach(defined::add);
    }
    for (var out : graph.outputs()) {
      if (!defined.contains(out.name())) {
        throw new ModelLoadException(
            modelFile
                + ": graph output '"
                + out.name()
                + "' is never computed (is the file truncated?)");
      }
    }
  }
}
