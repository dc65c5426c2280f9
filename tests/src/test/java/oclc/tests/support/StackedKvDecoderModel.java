package oclc.tests.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import oclc.ir.DType;
import oclc.ir.Tensor;
import oclc.onnx.proto.OnnxProto.GraphProto;
import oclc.onnx.proto.OnnxProto.ModelProto;
import oclc.onnx.proto.OnnxProto.OperatorSetIdProto;
import oclc.onnx.proto.OnnxProto.TensorProto;

/**
 * A small decoder in the form ONNX Runtime's GPT-2 files take, written with the project's protobuf
 * classes: int32 {@code ids [batch, sequence]}, {@code position_ids} and {@code attention_mask
 * [batch, total]}, one state of keys and values stacked as {@code [2, batch, 1, past, 2]} (each
 * token's id, repeated) that grows into the present along the past axis. Its logits {@code [batch,
 * 1, vocabulary]} peak at {@code (sum of every id so far + total + last position) mod vocabulary},
 * so greedy generation reads the state, the mask and the positions of every step.
 */
public final class StackedKvDecoderModel {
  public static final int VOCABULARY = 11;

  private StackedKvDecoderModel() {}

  /** The next token greedy generation picks after {@code sequence}, as the model computes it. */
  public static long next(java.util.List<Long> sequence) {
    long sum = sequence.stream().mapToLong(Long::longValue).sum();
    long total = sequence.size();
    return (sum + total + total - 1) % VOCABULARY;
  }

  /**
   * Writes the model to {@code file}, its ids input, state and outputs named {@code ids}, {@code
   * past}, {@code present} and {@code logits}.
   */
  public static Path write(Path file, String ids, String past, String present, String logits) {
    GraphProto.Builder g = GraphProto.newBuilder().setName("stacked_kv_decoder");
    g.addInput(OneNodeModel.valueInfo(ids, DType.INT32, "batch", "sequence"));
    g.addInput(OneNodeModel.valueInfo("position_ids", DType.INT32, "batch", "sequence"));
    g.addInput(OneNodeModel.valueInfo("attention_mask", DType.INT32, "batch", "total"));
    g.addInput(OneNodeModel.valueInfo(past, DType.FLOAT32, 2, "batch", 1, "past", 2));
    g.addOutput(OneNodeModel.valueInfo(logits, DType.FLOAT32, "batch", 1, VOCABULARY));
    g.addOutput(OneNodeModel.valueInfo(present, DType.FLOAT32, 2, "batch", 1, "total", 2));
    g.addInitializer(longs("kv_axes", 0, 2, 4));
    g.addInitializer(longs("kv_shape", 2, 1, 1, 1, 2));
    g.addInitializer(longs("state_axes", 2, 3, 4));
    g.addInitializer(longs("stack_axis", 0));
    g.addInitializer(longs("sequence_axis", 1));
    g.addInitializer(longs("logit_axes", 1, 2));
    g.addInitializer(floats("quarter", new long[0], 0.25f));
    g.addInitializer(floats("vocabulary", new long[0], VOCABULARY));
    float[] ids0 = new float[VOCABULARY];
    for (int i = 0; i < VOCABULARY; i++) {
      ids0[i] = i;
    }
    g.addInitializer(floats("candidates", new long[] {VOCABULARY}, ids0));
    g.addNode(
        OneNodeModel.node("Cast", ids, "ids_float").addAttribute(OneNodeModel.integer("to", 1)));
    g.addNode(OneNodeModel.node("Unsqueeze", "ids_float", "kv_axes", "kv_one"));
    g.addNode(OneNodeModel.node("Expand", "kv_one", "kv_shape", "kv_new"));
    g.addNode(
        OneNodeModel.node("Concat", past, "kv_new", present)
            .addAttribute(OneNodeModel.integer("axis", 3)));
    // over the trailing axes, then the stack: each a reduction of adjacent axes
    g.addNode(
        OneNodeModel.node("ReduceSum", present, "state_axes", "row_sums")
            .addAttribute(OneNodeModel.integer("keepdims", 0)));
    g.addNode(
        OneNodeModel.node("ReduceSum", "row_sums", "stack_axis", "state_sum")
            .addAttribute(OneNodeModel.integer("keepdims", 0)));
    g.addNode(OneNodeModel.node("Mul", "state_sum", "quarter", "id_sum"));
    g.addNode(
        OneNodeModel.node("Cast", "attention_mask", "mask_float")
            .addAttribute(OneNodeModel.integer("to", 1)));
    g.addNode(
        OneNodeModel.node("ReduceSum", "mask_float", "sequence_axis", "total")
            .addAttribute(OneNodeModel.integer("keepdims", 0)));
    g.addNode(
        OneNodeModel.node("Cast", "position_ids", "positions_float")
            .addAttribute(OneNodeModel.integer("to", 1)));
    g.addNode(
        OneNodeModel.node("ReduceMax", "positions_float", "last_position")
            .addAttribute(OneNodeModel.ints("axes", 1))
            .addAttribute(OneNodeModel.integer("keepdims", 0)));
    g.addNode(OneNodeModel.node("Add", "id_sum", "total", "partial"));
    g.addNode(OneNodeModel.node("Add", "partial", "last_position", "score"));
    g.addNode(
        OneNodeModel.node("Mod", "score", "vocabulary", "target")
            .addAttribute(OneNodeModel.integer("fmod", 1)));
    g.addNode(OneNodeModel.node("Unsqueeze", "target", "logit_axes", "target_column"));
    g.addNode(OneNodeModel.node("Sub", "candidates", "target_column", "distance"));
    g.addNode(OneNodeModel.node("Mul", "distance", "distance", "square"));
    g.addNode(OneNodeModel.node("Neg", "square", logits));
    ModelProto model =
        ModelProto.newBuilder()
            .setIrVersion(8)
            .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(17))
            .setGraph(g)
            .build();
    try {
      Files.write(file, model.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  private static TensorProto longs(String name, long... values) {
    return OneNodeModel.initializer(name, Tensor.ofLongs(new long[] {values.length}, values));
  }

  private static TensorProto floats(String name, long[] shape, float... values) {
    return OneNodeModel.initializer(name, Tensor.ofFloats(shape, values));
  }
}
