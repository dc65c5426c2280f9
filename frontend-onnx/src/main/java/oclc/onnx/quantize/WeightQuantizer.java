package oclc.onnx.quantize;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import oclc.ir.OclcException;
import oclc.ir.Tensor;
import oclc.onnx.OnnxTensors;
import oclc.onnx.proto.OnnxProto.AttributeProto;
import oclc.onnx.proto.OnnxProto.GraphProto;
import oclc.onnx.proto.OnnxProto.ModelProto;
import oclc.onnx.proto.OnnxProto.NodeProto;
import oclc.onnx.proto.OnnxProto.OperatorSetIdProto;
import oclc.onnx.proto.OnnxProto.TensorProto;

/**
 * Rewrites a ModelProto's weights into a {@link WeightOptions}' format: a MatMul or Gemm over a
 * constant 2-D float weight becomes MatMulNBits (a Gemm's bias an Add after it), a Gather of rows
 * of a constant 2-D float table GatherBlockQuantized (uint8 storage, as ONNX Runtime 1.23's CPU
 * kernel takes it: gather axis 0, quantized along the rows), or, for fp16, the weight is stored
 * float16 and read through a Cast to float. Weights matching {@code --keep-fp32}, float16 weights
 * (already half) and an embedding whose rows cannot be packed stay as they are, each said in the
 * summary.
 */
public final class WeightQuantizer {
  static final String MICROSOFT = "com.microsoft";

  /** Told how many weights there are, then of each as it is done (a progress bar). */
  public interface Listener {
    Listener SILENT =
        new Listener() {
          @Override
          public void start(int weights) {}

          @Override
          public void done(String weight) {}
        };

    void start(int weights);

    void done(String weight);
  }

  /** The rewritten model and a row per weight considered. */
  public record Result(ModelProto model, List<QuantizedWeight> weights) {
    public long bytesBefore() {
      return weights.stream().mapToLong(QuantizedWeight::bytesBefore).sum();
    }

    public long bytesAfter() {
      return weights.stream().mapToLong(QuantizedWeight::bytesAfter).sum();
    }

    /** The summary table: tensor, shape, format, bytes before and after, and the totals. */
    public List<String> table() {
      int width = Math.max(6, weights.stream().mapToInt(w -> w.tensor().length()).max().orElse(0));
      String row = "%-" + width + "s  %-12s  %-30s  %12s  %12s";
      List<String> lines = new ArrayList<>();
      lines.add(String.format(row, "tensor", "shape", "format", "bytes before", "bytes after"));
      for (QuantizedWeight w : weights) {
        lines.add(
            String.format(row, w.tensor(), w.shape(), w.format(), w.bytesBefore(), w.bytesAfter()));
      }
      lines.add(
          String.format(
              row,
              "total",
              "",
              String.format("%.2fx smaller", (double) bytesBefore() / Math.max(1, bytesAfter())),
              bytesBefore(),
              bytesAfter()));
      return lines;
    }
  }

  private enum Use {
    MATMUL,
    GEMM,
    GATHER
  }

  /** A node reading a weight: which input, and how (a Gemm's transB: the weight is [N, K]). */
  private record Candidate(int nodeIndex, Use use, String weight, boolean rowsAreOutputs) {}

  private final Path modelFile;
  private final WeightOptions options;
  private final Listener listener;
  private final GraphProto graph;
  private final Map<String, TensorProto> initializers = new LinkedHashMap<>();
  private final Set<String> usedNames = new HashSet<>();
  private final List<TensorProto> added = new ArrayList<>();
  private final List<NodeProto> castsFirst = new ArrayList<>();
  private final Map<Integer, List<NodeProto>> replacements = new HashMap<>();
  private final List<QuantizedWeight> rows = new ArrayList<>();
  private final Map<String, String> float16Copies = new HashMap<>();
  private final Map<String, TensorProto> roundedInPlace = new HashMap<>();
  private final List<GatherQuantized> gathered = new ArrayList<>();

  /** An embedding quantized for GatherBlockQuantized: its initializers and its values. */
  private record GatherQuantized(
      String data,
      String scales,
      String zeroPoints,
      BlockQuantizer.Matrix values,
      int rows,
      int rowLength) {}

  private WeightQuantizer(
      ModelProto model, Path modelFile, WeightOptions options, Listener listener) {
    this.modelFile = modelFile;
    this.options = options;
    this.listener = listener;
    this.graph = model.getGraph();
    for (TensorProto t : graph.getInitializerList()) {
      initializers.put(t.getName(), t);
      usedNames.add(t.getName());
    }
    for (NodeProto n : graph.getNodeList()) {
      usedNames.addAll(n.getOutputList());
      usedNames.add(n.getName());
    }
    graph.getInputList().forEach(in -> usedNames.add(in.getName()));
  }

  /**
   * {@code model} (read from {@code modelFile}, whose folder holds any external data) with its
   * weights in {@code options}' format; the model itself where they ask for the weights as
   * exported.
   */
  public static Result quantize(
      ModelProto model, Path modelFile, WeightOptions options, Listener listener) {
    if (options.asExported()) {
      return new Result(model, List.of());
    }
    return new WeightQuantizer(model, modelFile, options, listener).run(model);
  }

  private Result run(ModelProto model) {
    List<Candidate> candidates = new ArrayList<>(candidates());
    // embeddings first, so that a tied LM head finds its embedding's quantized copy
    candidates.sort(Comparator.comparing(c -> c.use() != Use.GATHER));
    listener.start(candidates.size());
    for (Candidate c : candidates) {
      NodeProto node = graph.getNode(c.nodeIndex());
      TensorProto weight = initializers.get(c.weight());
      String kept = keptBecause(node, weight);
      if (kept != null) {
        rows.add(row(weight, "fp32 (" + kept + ")", bytes(weight)));
      } else if (options.format() == WeightFormat.FP16) {
        toFloat16(c, node, weight);
      } else if (c.use() == Use.GATHER) {
        toGatherBlockQuantized(c, node, weight);
      } else {
        toMatMulNBits(c, node, weight);
      }
      listener.done(c.weight());
    }
    return new Result(rewritten(model), List.copyOf(rows));
  }

  private List<Candidate> candidates() {
    List<Candidate> found = new ArrayList<>();
    for (int i = 0; i < graph.getNodeCount(); i++) {
      NodeProto n = graph.getNode(i);
      if (!n.getDomain().isEmpty() && !n.getDomain().equals("ai.onnx")) {
        continue;
      }
      switch (n.getOpType()) {
        case "MatMul" -> {
          if (n.getInputCount() == 2 && isWeight(n.getInput(1)) && !isWeight(n.getInput(0))) {
            found.add(new Candidate(i, Use.MATMUL, n.getInput(1), false));
          }
        }
        case "Gemm" -> {
          boolean plain =
              floatAttribute(n, "alpha", 1) == 1
                  && intAttribute(n, "transA", 0) == 0
                  && (n.getInputCount() < 3
                      || n.getInput(2).isEmpty()
                      || floatAttribute(n, "beta", 1) == 1);
          if (plain && isWeight(n.getInput(1)) && !isWeight(n.getInput(0))) {
            found.add(new Candidate(i, Use.GEMM, n.getInput(1), intAttribute(n, "transB", 0) != 0));
          }
        }
        case "Gather" -> {
          if (intAttribute(n, "axis", 0) == 0 && isWeight(n.getInput(0))) {
            found.add(new Candidate(i, Use.GATHER, n.getInput(0), true));
          }
        }
        default -> {}
      }
    }
    return found;
  }

  /** A constant 2-D float32 or float16 matrix. */
  private boolean isWeight(String name) {
    TensorProto t = initializers.get(name);
    return t != null
        && t.getDimsCount() == 2
        && (t.getDataType() == TensorProto.DataType.FLOAT_VALUE
            || t.getDataType() == TensorProto.DataType.FLOAT16_VALUE);
  }

  private String keptBecause(NodeProto node, TensorProto weight) {
    if (options.keeps(weight.getName()) || options.keeps(node.getName())) {
      return "kept: --keep-fp32";
    }
    if (weight.getDataType() == TensorProto.DataType.FLOAT16_VALUE) {
      return "kept: already float16";
    }
    return null;
  }

  private void toFloat16(Candidate c, NodeProto node, TensorProto weight) {
    if (float16Copies.containsKey(weight.getName())) {
      return; // a second reader of the same weight reads the same Cast
    }
    Tensor values = decode(weight);
    int count = values.size();
    if (options.compiling()) {
      float[] rounded = new float[count];
      for (int i = 0; i < count; i++) {
        rounded[i] = Float.float16ToFloat(Float.floatToFloat16(values.getFloat(i)));
      }
      roundedInPlace.put(weight.getName(), floats(weight.getName(), weight.getDimsList(), rounded));
      float16Copies.put(weight.getName(), weight.getName());
      rows.add(row(weight, "fp16 values, stored float32", bytes(weight)));
      return;
    }
    ByteBuffer half = ByteBuffer.allocate(count * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < count; i++) {
      half.putShort(Float.floatToFloat16(values.getFloat(i)));
    }
    String name = fresh(weight.getName() + "_fp16");
    added.add(tensor(name, TensorProto.DataType.FLOAT16_VALUE, weight.getDimsList(), half.array()));
    castsFirst.add(
        NodeProto.newBuilder()
            .setOpType("Cast")
            .setName(fresh(weight.getName() + "/Cast_fp16"))
            .addInput(name)
            .addOutput(weight.getName())
            .addAttribute(
                AttributeProto.newBuilder()
                    .setName("to")
                    .setType(AttributeProto.AttributeType.INT)
                    .setI(TensorProto.DataType.FLOAT_VALUE))
            .build());
    float16Copies.put(weight.getName(), name);
    rows.add(row(weight, "fp16 (Cast to float)", count * 2L));
  }

  private void toMatMulNBits(Candidate c, NodeProto node, TensorProto weight) {
    int bits = options.format().bits();
    int block = options.blockSize();
    Tensor values = decode(weight);
    int d0 = (int) weight.getDims(0);
    int d1 = (int) weight.getDims(1);
    // MatMulNBits' B holds a row per output (N), quantized along the inputs (K).
    int n = c.rowsAreOutputs() ? d0 : d1;
    int k = c.rowsAreOutputs() ? d1 : d0;
    BlockQuantizer.Matrix rowsByOutput =
        c.rowsAreOutputs()
            ? (row, col) -> values.getFloat(row * k + col)
            : (row, col) -> values.getFloat(col * n + row);
    int blocks = Math.ceilDiv(k, block);
    int blob = block * bits / 8;
    String base = weight.getName() + "_Q" + bits;
    String data;
    String scales;
    String zeroPoints;
    long bytesAfter;
    String format = options.format().label() + " MatMulNBits b" + block;
    List<NodeProto> nodes = new ArrayList<>();
    GatherQuantized tied = k % block == 0 ? tiedEmbedding(rowsByOutput, n, k) : null;
    if (tied != null) {
      // A tied LM head: the embedding's rows are B's rows, byte for byte; only the shapes differ.
      data = reshaped(tied.data(), new long[] {n, blocks, blob}, nodes);
      scales = reshaped(tied.scales(), new long[] {-1}, nodes);
      zeroPoints = reshaped(tied.zeroPoints(), new long[] {-1}, nodes);
      bytesAfter = 8 * 5;
      format += ", shares " + tied.data();
    } else {
      BlockQuantizer.Quantized q = BlockQuantizer.quantize(rowsByOutput, n, k, bits, block);
      data = fresh(base);
      scales = fresh(base + "_scales");
      zeroPoints = fresh(base + "_zero_points");
      byte[] packed = q.packedCodes(blocks * blob);
      byte[] zp = q.packedZeroPoints();
      added.add(
          tensor(
              data,
              TensorProto.DataType.UINT8_VALUE,
              List.of((long) n, (long) blocks, (long) blob),
              packed));
      added.add(floats(scales, List.of((long) n * blocks), q.scales()));
      added.add(
          tensor(zeroPoints, TensorProto.DataType.UINT8_VALUE, List.of((long) zp.length), zp));
      bytesAfter = packed.length + 4L * q.scales().length + zp.length;
    }
    boolean withBias =
        c.use() == Use.GEMM && node.getInputCount() > 2 && !node.getInput(2).isEmpty();
    String product = withBias ? fresh(node.getOutput(0) + "_MatMulNBits") : node.getOutput(0);
    String nodeName = node.getName().isEmpty() ? data + "/MatMulNBits" : node.getName();
    nodes.add(
        NodeProto.newBuilder()
            .setOpType("MatMulNBits")
            .setDomain(MICROSOFT)
            .setName(nodeName)
            .addInput(node.getInput(0))
            .addInput(data)
            .addInput(scales)
            .addInput(zeroPoints)
            .addOutput(product)
            .addAttribute(intAttr("K", k))
            .addAttribute(intAttr("N", n))
            .addAttribute(intAttr("bits", bits))
            .addAttribute(intAttr("block_size", block))
            .build());
    if (withBias) {
      nodes.add(
          NodeProto.newBuilder()
              .setOpType("Add")
              .setName(fresh(nodeName + "/bias"))
              .addInput(product)
              .addInput(node.getInput(2))
              .addOutput(node.getOutput(0))
              .build());
    }
    replacements.put(c.nodeIndex(), nodes);
    rows.add(row(weight, format, bytesAfter));
  }

  private void toGatherBlockQuantized(Candidate c, NodeProto node, TensorProto weight) {
    int bits = options.format().bits();
    int block = options.blockSize();
    int vocabulary = (int) weight.getDims(0);
    int width = (int) weight.getDims(1);
    if (width * bits % 8 != 0) {
      rows.add(row(weight, "fp32 (kept: odd row width)", bytes(weight)));
      return;
    }
    Tensor values = decode(weight);
    BlockQuantizer.Quantized q =
        BlockQuantizer.quantize(
            (row, col) -> values.getFloat(row * width + col), vocabulary, width, bits, block);
    int blocks = q.blocksPerRow();
    String base = weight.getName() + "_Q" + bits;
    String data = fresh(base);
    String scales = fresh(base + "_scales");
    String zeroPoints = fresh(base + "_zero_points");
    byte[] packed = q.packedCodes(width * bits / 8);
    byte[] zp = q.packedZeroPoints();
    added.add(
        tensor(
            data,
            TensorProto.DataType.UINT8_VALUE,
            List.of((long) vocabulary, (long) width * bits / 8),
            packed));
    added.add(floats(scales, List.of((long) vocabulary, (long) blocks), q.scales()));
    added.add(
        tensor(
            zeroPoints,
            TensorProto.DataType.UINT8_VALUE,
            List.of((long) vocabulary, (long) zp.length / vocabulary),
            zp));
    gathered.add(
        new GatherQuantized(
            data,
            scales,
            zeroPoints,
            (row, col) -> values.getFloat(row * width + col),
            vocabulary,
            width));
    replacements.put(
        c.nodeIndex(),
        List.of(
            NodeProto.newBuilder()
                .setOpType("GatherBlockQuantized")
                .setDomain(MICROSOFT)
                .setName(node.getName().isEmpty() ? data + "/GatherBlockQuantized" : node.getName())
                .addInput(data)
                .addInput(node.getInput(1))
                .addInput(scales)
                .addInput(zeroPoints)
                .addOutput(node.getOutput(0))
                .addAttribute(intAttr("gather_axis", 0))
                .addAttribute(intAttr("quantize_axis", 1))
                .addAttribute(intAttr("block_size", block))
                .addAttribute(intAttr("bits", bits))
                .build()));
    rows.add(
        row(
            weight,
            options.format().label() + " GatherBlockQuantized b" + block,
            packed.length + 4L * q.scales().length + zp.length));
  }

  /** The embedding quantized already whose rows equal these (a tied LM head's), or null. */
  private GatherQuantized tiedEmbedding(BlockQuantizer.Matrix rows, int n, int k) {
    for (GatherQuantized g : gathered) {
      if (g.rows() == n && g.rowLength() == k && equal(g.values(), rows, n, k)) {
        return g;
      }
    }
    return null;
  }

  private static boolean equal(BlockQuantizer.Matrix a, BlockQuantizer.Matrix b, int n, int k) {
    for (int r = 0; r < n; r++) {
      for (int c = 0; c < k; c++) {
        if (Float.floatToRawIntBits(a.at(r, c)) != Float.floatToRawIntBits(b.at(r, c))) {
          return false;
        }
      }
    }
    return true;
  }

  /** {@code value} read in {@code shape} through a Reshape added to {@code nodes}. */
  private String reshaped(String value, long[] shape, List<NodeProto> nodes) {
    String shapeName = fresh(value + "_shape");
    ByteBuffer bytes = ByteBuffer.allocate(8 * shape.length).order(ByteOrder.LITTLE_ENDIAN);
    for (long d : shape) {
      bytes.putLong(d);
    }
    added.add(
        tensor(
            shapeName,
            TensorProto.DataType.INT64_VALUE,
            List.of((long) shape.length),
            bytes.array()));
    String out = fresh(value + "_reshaped");
    nodes.add(
        NodeProto.newBuilder()
            .setOpType("Reshape")
            .setName(fresh(value + "/Reshape"))
            .addInput(value)
            .addInput(shapeName)
            .addOutput(out)
            .build());
    return out;
  }

  /** The model with the replaced nodes, the new initializers and no initializer left unread. */
  private ModelProto rewritten(ModelProto model) {
    List<NodeProto> nodes = new ArrayList<>(castsFirst);
    for (int i = 0; i < graph.getNodeCount(); i++) {
      nodes.addAll(replacements.getOrDefault(i, List.of(graph.getNode(i))));
    }
    Set<String> read = new HashSet<>();
    for (NodeProto n : nodes) {
      read.addAll(n.getInputList());
    }
    graph.getOutputList().forEach(out -> read.add(out.getName()));
    GraphProto.Builder builder = graph.toBuilder().clearNode().addAllNode(nodes).clearInitializer();
    Set<String> dropped = new HashSet<>();
    for (TensorProto t : initializers.values()) {
      if (roundedInPlace.containsKey(t.getName())) {
        builder.addInitializer(roundedInPlace.get(t.getName()));
      } else if (read.contains(t.getName()) && !float16Copies.containsKey(t.getName())) {
        builder.addInitializer(t);
      } else {
        dropped.add(t.getName());
      }
    }
    builder.addAllInitializer(added);
    // Older exports list initializers among the inputs; a dropped one must not become an input.
    builder.clearInput();
    graph.getInputList().stream()
        .filter(in -> !dropped.contains(in.getName()))
        .forEach(builder::addInput);
    ModelProto.Builder result = model.toBuilder().setGraph(builder);
    boolean microsoft = nodes.stream().anyMatch(n -> n.getDomain().equals(MICROSOFT));
    boolean imported =
        model.getOpsetImportList().stream().anyMatch(o -> o.getDomain().equals(MICROSOFT));
    if (microsoft && !imported) {
      result.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain(MICROSOFT).setVersion(1));
    }
    return result.build();
  }

  /**
   * Writes {@code model} to {@code out} through a temporary file beside it, moved into place once
   * whole, so that an interrupted write leaves no truncated model.
   */
  public static void write(ModelProto model, Path out) {
    Path folder = out.toAbsolutePath().getParent();
    Path partial = null;
    try {
      Files.createDirectories(folder);
      partial = Files.createTempFile(folder, out.getFileName().toString(), ".partial");
      try (OutputStream stream = Files.newOutputStream(partial)) {
        model.writeTo(stream);
      }
      try {
        Files.move(
            partial, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(partial, out, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new OclcException("cannot write " + out + ": " + e.getMessage(), e);
    } finally {
      if (partial != null) {
        try {
          Files.deleteIfExists(partial);
        } catch (IOException ignored) {
          // the move took it, or the folder is gone: nothing is left to clean
        }
      }
    }
  }

  private Tensor decode(TensorProto weight) {
    return OnnxTensors.decode(modelFile, weight);
  }

  private String fresh(String wanted) {
    String name = wanted;
    for (int i = 1; usedNames.contains(name); i++) {
      name = wanted + "_" + i;
    }
    usedNames.add(name);
    return name;
  }

  private static QuantizedWeight row(TensorProto weight, String format, long bytesAfter) {
    return new QuantizedWeight(
        weight.getName(),
        weight.getDimsList().stream().map(String::valueOf).reduce((a, b) -> a + "x" + b).orElse(""),
        format,
        bytes(weight),
        bytesAfter);
  }

  private static long bytes(TensorProto weight) {
    long count =
        weight.getDimsList().stream().mapToLong(Long::longValue).reduce(1, (a, b) -> a * b);
    return count * (weight.getDataType() == TensorProto.DataType.FLOAT16_VALUE ? 2 : 4);
  }

  private static TensorProto tensor(String name, int dataType, List<Long> dims, byte[] bytes) {
    return TensorProto.newBuilder()
        .setName(name)
        .setDataType(dataType)
        .addAllDims(dims)
        .setRawData(ByteString.copyFrom(bytes))
        .build();
  }

  private static TensorProto floats(String name, List<Long> dims, float[] values) {
    ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      bytes.putFloat(v);
    }
    return tensor(name, TensorProto.DataType.FLOAT_VALUE, dims, bytes.array());
  }

  private static AttributeProto intAttr(String name, long value) {
    return AttributeProto.newBuilder()
        .setName(name)
        .setType(AttributeProto.AttributeType.INT)
        .setI(value)
        .build();
  }

  private static long intAttribute(NodeProto node, String name, long fallback) {
    return node.getAttributeList().stream()
        .filter(a -> a.getName().equals(name))
        .mapToLong(AttributeProto::getI)
        .findFirst()
        .orElse(fallback);
  }

  private static float floatAttribute(NodeProto node, String name, float fallback) {
    return node.getAttributeList().stream()
        .filter(a -> a.getName().equals(name))
        .map(AttributeProto::getF)
        .findFirst()
        .orElse(fallback);
  }
}
