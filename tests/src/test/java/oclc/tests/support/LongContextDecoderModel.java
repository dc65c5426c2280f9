package oclc.tests.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import oclc.ir.DType;
import oclc.ir.Tensor;
import oclc.onnx.proto.OnnxProto.GraphProto;
import oclc.onnx.proto.OnnxProto.ModelProto;
import oclc.onnx.proto.OnnxProto.NodeProto;
import oclc.onnx.proto.OnnxProto.OperatorSetIdProto;
import oclc.onnx.proto.OnnxProto.TensorProto;

/**
 * A tiny GPT-2-shaped decoder with a long position table, written with the project's protobuf
 * classes, for generation far longer than the shared exports' 128 or 256 positions allow: int64
 * {@code input_ids [batch, sequence_length]}, per layer {@code past_key_values.N.key/.value [batch,
 * heads, past_sequence_length, head]} concatenated with the new keys and values into {@code
 * present.N.key/.value} (the KV cache the compiler keeps on the device), positions {@code
 * past..past+sequence-1} counted in the graph from the past's shape (as GPT-2's export does) and
 * the causal mask built from them (no mask table, so the model stays small at any length); pre-norm
 * attention and a ReLU MLP with residuals, a final norm and an untied head. Weights are random from
 * a fixed seed, the head scaled so that the logits spread wide (greedy choices far from ties, so
 * backends agree token for token over thousands of steps).
 */
public final class LongContextDecoderModel {
  public static final int LAYERS = 2;
  public static final int WIDTH = 32;
  public static final int HEADS = 2;
  public static final int HEAD = WIDTH / HEADS;
  public static final int VOCABULARY = 96;

  /** Rows of the position table: the most positions any compile of this model may admit. */
  public static final int POSITIONS = 4096;

  private final GraphProto.Builder graph = GraphProto.newBuilder().setName("long_context_decoder");
  private final Random random = new Random(18);

  private LongContextDecoderModel() {}

  /** Writes the model to {@code file}. */
  public static Path write(Path file) {
    ModelProto model =
        ModelProto.newBuilder()
            .setIrVersion(8)
            .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(17))
            .setGraph(new LongContextDecoderModel().build())
            .build();
    try {
      Files.write(file, model.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  private GraphProto.Builder build() {
    graph.addInput(
        OneNodeModel.valueInfo("input_ids", DType.INT64, "batch_size", "sequence_length"));
    for (int l = 0; l < LAYERS; l++) {
      for (String kind : new String[] {"key", "value"}) {
        graph.addInput(
            OneNodeModel.valueInfo(
                "past_key_values." + l + "." + kind,
                DType.FLOAT32,
                "batch_size",
                HEADS,
                "past_sequence_length",
                HEAD));
      }
    }
    graph.addOutput(
        OneNodeModel.valueInfo(
            "logits", DType.FLOAT32, "batch_size", "sequence_length", VOCABULARY));
    for (int l = 0; l < LAYERS; l++) {
      for (String kind : new String[] {"key", "value"}) {
        graph.addOutput(
            OneNodeModel.valueInfo(
                "present." + l + "." + kind,
                DType.FLOAT32,
                "batch_size",
                HEADS,
                "total_sequence_length",
                HEAD));
      }
    }
    constant("one", Tensor.scalarLong(1));
    constant("two", Tensor.scalarLong(2));
    constant("zero", Tensor.scalarLong(0));
    constant("axis_0", Tensor.ofLongs(new long[] {1}, 0));
    constant("axis_1", Tensor.ofLongs(new long[] {1}, 1));
    constant("heads_shape", Tensor.ofLongs(new long[] {4}, 0, 0, HEADS, HEAD));
    constant("width_shape", Tensor.ofLongs(new long[] {3}, 0, 0, WIDTH));
    constant("masked", Tensor.ofFloats(new long[0], -1e9f));
    constant("unmasked", Tensor.ofFloats(new long[0], 0f));
    constant("scale", Tensor.ofFloats(new long[0], (float) (1 / Math.sqrt(HEAD))));

    // positions past..total-1 from the shapes, and the causal mask: a key after its query is out
    node("Shape", "input_ids", "ids_shape");
    node("Gather", "ids_shape", "one", "sequence");
    node("Shape", "past_key_values.0.key", "past_shape");
    node("Gather", "past_shape", "two", "past");
    node("Add", "past", "sequence", "total");
    node("Range", "past", "total", "one", "positions");
    node("Range", "zero", "total", "one", "key_positions");
    node("Unsqueeze", "key_positions", "axis_0", "key_row");
    node("Unsqueeze", "positions", "axis_1", "query_column");
    node("Greater", "key_row", "query_column", "future");
    node("Where", "future", "masked", "unmasked", "mask");

    weight("token_table", 1f, VOCABULARY, WIDTH);
    weight("position_table", 1f, POSITIONS, WIDTH);
    node("Gather", "token_table", "input_ids", "tokens");
    node("Gather", "position_table", "positions", "placed");
    node("Add", "tokens", "placed", "x_0");
    String x = "x_0";
    for (int l = 0; l < LAYERS; l++) {
      x = layer(l, x);
    }
    norm("final", x, "final_normed");
    weight("head", 1.5f, WIDTH, VOCABULARY);
    node("MatMul", "final_normed", "head", "logits");
    return graph;
  }

  /** One pre-norm block: attention over the past and the new tokens, then the MLP. */
  private String layer(int l, String x) {
    String p = "layer" + l + "_";
    norm(p + "attention", x, p + "a");
    for (String kind : new String[] {"query", "key", "value"}) {
      weight(p + kind + "_weight", (float) (1 / Math.sqrt(WIDTH)), WIDTH, WIDTH);
      node("MatMul", p + "a", p + kind + "_weight", p + kind + "_flat");
      node("Reshape", p + kind + "_flat", "heads_shape", p + kind + "_split");
      transpose(p + kind + "_split", p + kind + "_heads", 0, 2, 1, 3);
    }
    String presentKey = "present." + l + ".key";
    String presentValue = "present." + l + ".value";
    node("Concat", "past_key_values." + l + ".key", p + "key_heads", presentKey)
        .addAttribute(OneNodeModel.integer("axis", 2));
    node("Concat", "past_key_values." + l + ".value", p + "value_heads", presentValue)
        .addAttribute(OneNodeModel.integer("axis", 2));
    transpose(presentKey, p + "key_columns", 0, 1, 3, 2);
    node("MatMul", p + "query_heads", p + "key_columns", p + "scores");
    node("Mul", p + "scores", "scale", p + "scaled");
    node("Add", p + "scaled", "mask", p + "masked_scores");
    node("Softmax", p + "masked_scores", p + "weights")
        .addAttribute(OneNodeModel.integer("axis", -1));
    node("MatMul", p + "weights", presentValue, p + "context_heads");
    transpose(p + "context_heads", p + "context_split", 0, 2, 1, 3);
    node("Reshape", p + "context_split", "width_shape", p + "context");
    weight(p + "output_weight", (float) (1 / Math.sqrt(WIDTH)), WIDTH, WIDTH);
    node("MatMul", p + "context", p + "output_weight", p + "attended");
    node("Add", x, p + "attended", p + "x_attended");
    norm(p + "mlp", p + "x_attended", p + "m");
    weight(p + "up", (float) (1 / Math.sqrt(WIDTH)), WIDTH, 4 * WIDTH);
    weight(p + "down", (float) (1 / Math.sqrt(4 * WIDTH)), 4 * WIDTH, WIDTH);
    node("MatMul", p + "m", p + "up", p + "hidden");
    node("Relu", p + "hidden", p + "active");
    node("MatMul", p + "active", p + "down", p + "fed");
    node("Add", p + "x_attended", p + "fed", p + "out");
    return p + "out";
  }

  private void norm(String name, String input, String output) {
    float[] ones = new float[WIDTH];
    java.util.Arrays.fill(ones, 1f);
    constant(name + "_gain", Tensor.ofFloats(new long[] {WIDTH}, ones));
    constant(name + "_bias", Tensor.ofFloats(new long[] {WIDTH}, new float[WIDTH]));
    node("LayerNormalization", input, name + "_gain", name + "_bias", output)
        .addAttribute(OneNodeModel.integer("axis", -1))
        .addAttribute(OneNodeModel.floating("epsilon", 1e-5f));
  }

  private void transpose(String input, String output, long... perm) {
    node("Transpose", input, output).addAttribute(OneNodeModel.ints("perm", perm));
  }

  /** A random weight of {@code rows x columns}, normal with standard deviation {@code scale}. */
  private void weight(String name, float scale, int rows, int columns) {
    float[] values = new float[rows * columns];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) random.nextGaussian() * scale;
    }
    constant(name, Tensor.ofFloats(new long[] {rows, columns}, values));
  }

  private void constant(String name, Tensor value) {
    TensorProto t = OneNodeModel.initializer(name, value);
    graph.addInitializer(t);
  }

  /** A node whose last name is its one output and the others its inputs, added to the graph. */
  /** A node ({@link OneNodeModel#node}) added to the graph, its attributes still to add. */
  private NodeProto.Builder node(String opType, String... names) {
    return graph.addNodeBuilder().mergeFrom(OneNodeModel.node(opType, names).build());
  }
}
