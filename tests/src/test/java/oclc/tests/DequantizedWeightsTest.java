package oclc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.onnxruntime.OrtException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import oclc.compiler.LoadedModel;
import oclc.ir.DType;
import oclc.ir.Node;
import oclc.ir.Tensor;
import oclc.onnx.proto.OnnxProto.GraphProto;
import oclc.onnx.proto.OnnxProto.ModelProto;
import oclc.onnx.proto.OnnxProto.NodeProto;
import oclc.onnx.proto.OnnxProto.OperatorSetIdProto;
import oclc.onnx.proto.OnnxProto.TensorProto;
import oclc.tests.support.AgainstOnnxRuntime;
import oclc.tests.support.OneNodeModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files that are quantized already, as ONNX writes them (opset 21): {@code MatMul(a,
 * DequantizeLinear(W, scale, zero point))} with W an int8, uint8 or int4 initializer, per column or
 * blocked along K. The quantized-matmuls pass makes the product MatMulNBits over W's values, which
 * the reference, OpenCL and the Java kernels compute (no fallback) within relative L2 1e-4 of ONNX
 * Runtime, which dequantizes the file's weight itself; rows 1 (the GEMV) and 17 (the GEMM).
 */
class DequantizedWeightsTest {
  private static final double FLOAT32_BOUND = 1e-4;

  @TempDir Path directory;

  /** W's stored type: the int4 of ONNX packs two values a byte, the lower index low. */
  enum Stored {
    INT8(DType.INT8, -128, 127, TensorProto.DataType.INT8_VALUE),
    UINT8(DType.UINT8, 0, 255, TensorProto.DataType.UINT8_VALUE),
    INT4(DType.INT8, -8, 7, TensorProto.DataType.INT4_VALUE);

    final DType values;
    final int low;
    final int high;
    final int onnxType;

    Stored(DType values, int low, int high, int onnxType) {
      this.values = values;
      this.low = low;
      this.high = high;
      this.onnxType = onnxType;
    }
  }

  /** W, its scale and zero point, drawn once for the file and its oracle's. */
  private record Weight(Tensor w, Tensor scale, Tensor zeroPoint, int blockSize) {}

  private static Weight weight(Stored stored, int k, int n, int blockSize, Random random) {
    long[] scaleShape =
        blockSize == 0 ? new long[] {n} : new long[] {Math.ceilDiv(k, blockSize), n};
    Tensor scale = Tensor.allocate(DType.FLOAT32, scaleShape);
    for (int i = 0; i < scale.size(); i++) {
      scale.setFloat(i, (0.01f + random.nextFloat() * 0.1f) * (random.nextBoolean() ? 1 : -1));
    }
    return new Weight(
        integers(random, stored, k, n), scale, integers(random, stored, scaleShape), blockSize);
  }

  /** W [k, n] stored as {@code stored}, scaled per column (blockSize 0) or in blocks along K. */
  private Path model(String name, Stored stored, Weight weight) {
    Tensor w = weight.w();
    Tensor scale = weight.scale();
    Tensor zeroPoint = weight.zeroPoint();
    int blockSize = weight.blockSize();
    int k = (int) w.shape()[0];
    int n = (int) w.shape()[1];
    NodeProto.Builder dequantize =
        OneNodeModel.node("DequantizeLinear", "w", "scale", "zero_point", "w_float")
            .addAttribute(OneNodeModel.integer("axis", blockSize == 0 ? 1 : 0));
    if (blockSize > 0) {
      dequantize.addAttribute(OneNodeModel.integer("block_size", blockSize));
    }
    GraphProto graph =
        GraphProto.newBuilder()
            .setName(name)
            .addInput(OneNodeModel.valueInfo("a", DType.FLOAT32, "rows", k))
            .addInitializer(initializer("w", w, stored))
            .addInitializer(OneNodeModel.initializer("scale", scale))
            .addInitializer(initializer("zero_point", zeroPoint, stored))
            .addNode(dequantize)
            .addNode(OneNodeModel.node("MatMul", "a", "w_float", "y"))
            .addOutput(OneNodeModel.valueInfo("y", DType.FLOAT32, "rows", n))
            .build();
    ModelProto model =
        ModelProto.newBuilder()
            .setIrVersion(10)
            .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(21))
            .setGraph(graph)
            .build();
    Path file = directory.resolve(name + ".onnx");
    try {
      Files.write(file, model.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  private static Tensor integers(Random random, Stored stored, long... shape) {
    Tensor t = Tensor.allocate(stored.values, shape);
    for (int i = 0; i < t.size(); i++) {
      t.setLong(i, stored.low + random.nextInt(stored.high - stored.low + 1));
    }
    return t;
  }

  /** {@code values} as an initializer of {@code stored}'s ONNX type (int4: packed nibbles). */
  private static TensorProto initializer(String name, Tensor values, Stored stored) {
    if (stored != Stored.INT4) {
      return OneNodeModel.initializer(name, values);
    }
    byte[] packed = new byte[Math.ceilDiv(values.size(), 2)];
    for (int i = 0; i < values.size(); i++) {
      int nibble = (int) values.getLong(i) & 0xF;
      packed[i / 2] |= (byte) (i % 2 == 0 ? nibble : nibble << 4);
    }
    TensorProto.Builder t =
        TensorProto.newBuilder()
            .setName(name)
            .setDataType(stored.onnxType)
            .setRawData(com.google.protobuf.ByteString.copyFrom(packed));
    for (long d : values.shape()) {
      t.addDims(d);
    }
    return t.build();
  }

  /** The model against ONNX Runtime on every backend, its product MatMulNBits of {@code bits}. */
  private void check(String name, Stored stored, int k, int n, int blockSize, long bits)
      throws OrtException {
    Random random = new Random(name.hashCode());
    Weight weight = weight(stored, k, n, blockSize, random);
    Path file = model(name, stored, weight);
    // ONNX Runtime fuses a DequantizeLinear of int4 into its own MatMulNBits, computed at accuracy
    // level 4 (int8 activations, relative L2 3e-3 here): its oracle reads the same values as int8.
    Path oracle = stored == Stored.INT4 ? model(name + "_as_int8", Stored.INT8, weight) : file;
    List<Node> products =
        LoadedModel.load(file).simplified().nodes().stream()
            .filter(node -> node.outputs().contains("y"))
            .toList();
    assertEquals(1, products.size());
    assertEquals("MatMulNBits", products.getFirst().opType(), "the product of " + name);
    assertEquals(bits, products.getFirst().attributes().getInt("bits"), "bits of " + name);
    List<Map<String, Tensor>> sets = new ArrayList<>();
    for (long rows : new long[] {1, 17}) {
      Tensor a = Tensor.allocate(DType.FLOAT32, rows, k);
      for (int i = 0; i < a.size(); i++) {
        a.setFloat(i, random.nextFloat() * 2 - 1);
      }
      sets.add(Map.of("a", a));
    }
    AgainstOnnxRuntime.check(file, oracle, sets, FLOAT32_BOUND);
  }

  @Test
  void int8PerColumn() throws OrtException {
    check("int8_per_column", Stored.INT8, 96, 40, 0, 8);
  }

  @Test
  void uint8InBlocksOf32() throws OrtException {
    check("uint8_blocked_32", Stored.UINT8, 160, 24, 32, 8);
  }

  @Test
  void uint8InBlocksOf64OverAShortLastBlock() throws OrtException {
    check("uint8_blocked_64", Stored.UINT8, 200, 24, 64, 8);
  }

  @Test
  void int4InBlocksOf32() throws OrtException {
    check("int4_blocked_32", Stored.INT4, 128, 36, 32, 4);
  }
}
