package oclc.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import oclc.ir.Constant;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.Graph;
import oclc.ir.Shape;
import oclc.ir.Tensor;
import oclc.ir.UnsupportedFeatureException;
import oclc.onnx.proto.OnnxProto.GraphProto;
import oclc.onnx.proto.OnnxProto.ModelProto;
import oclc.onnx.proto.OnnxProto.NodeProto;
import oclc.onnx.proto.OnnxProto.OperatorSetIdProto;
import oclc.onnx.proto.OnnxProto.StringStringEntryProto;
import oclc.onnx.proto.OnnxProto.TensorProto;
import oclc.onnx.proto.OnnxProto.TensorShapeProto;
import oclc.onnx.proto.OnnxProto.TypeProto;
import oclc.onnx.proto.OnnxProto.ValueInfoProto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxModelLoaderTest {
  @TempDir Path folder;

  /** A model y = Identity(x) over a symbolic, a fixed and an unnamed dim, with one initializer. */
  private static ModelProto.Builder model(TensorProto initializer) {
    TensorShapeProto shape =
        TensorShapeProto.newBuilder()
            .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("batch_size"))
            .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(3))
            .addDim(TensorShapeProto.Dimension.newBuilder())
            .build();
    TypeProto type =
        TypeProto.newBuilder()
            .setTensorType(TypeProto.Tensor.newBuilder().setElemType(1).setShape(shape))
            .build();
    GraphProto.Builder graph =
        GraphProto.newBuilder()
            .setName("g")
            .addInput(ValueInfoProto.newBuilder().setName("x").setType(type))
            .addOutput(ValueInfoProto.newBuilder().setName("y").setType(type))
            .addNode(NodeProto.newBuilder().setOpType("Identity").addInput("x").addOutput("y"));
    if (initializer != null) {
      graph.addInitializer(initializer);
    }
    return ModelProto.newBuilder()
        .setIrVersion(8)
        .setGraph(graph)
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17));
  }

  private Path write(ModelProto model) throws IOException {
    Path file = folder.resolve("model.onnx");
    Files.write(file, model.toByteArray());
    return file;
  }

  @Test
  void namedFixedAndUnnamedDimsBecomeSymbolsAndConstants() throws IOException {
    Graph g = OnnxModelLoader.load(write(model(null).build()));
    assertEquals(
        Shape.of(Dim.symbol("batch_size"), Dim.of(3), Dim.symbol("x_dim2")),
        g.inputs().get(0).shape());
    assertEquals(17, g.opset(""));
    assertEquals("Identity_0", g.nodes().get(0).name());
  }

  @Test
  void rawAndTypedInitializersDecodeToTheSameValues() throws IOException {
    ByteBuffer raw =
        ByteBuffer.allocate(12)
            .order(ByteOrder.LITTLE_ENDIAN)
            .putFloat(1.5f)
            .putFloat(-2f)
            .putFloat(3.25f);
    TensorProto rawTensor =
        TensorProto.newBuilder()
            .setName("w")
            .setDataType(1)
            .addDims(3)
            .setRawData(ByteString.copyFrom(raw.array()))
            .build();
    TensorProto typed =
        TensorProto.newBuilder()
            .setName("w")
            .setDataType(1)
            .addDims(3)
            .addFloatData(1.5f)
            .addFloatData(-2f)
            .addFloatData(3.25f)
            .build();
    float[] fromRaw =
        ((Constant.Data) OnnxModelLoader.load(write(model(rawTensor).build())).constants().get("w"))
            .tensor()
            .toFloatArray();
    float[] fromTyped =
        ((Constant.Data) OnnxModelLoader.load(write(model(typed).build())).constants().get("w"))
            .tensor()
            .toFloatArray();
    assertArrayEquals(new float[] {1.5f, -2f, 3.25f}, fromRaw);
    assertArrayEquals(fromRaw, fromTyped);
  }

  @Test
  void rawInitializersAreViewsOfTheMappedFileNotCopies() throws IOException {
    TensorProto raw =
        TensorProto.newBuilder()
            .setName("w")
            .setDataType(1)
            .addDims(1024)
            .setRawData(ByteString.copyFrom(new byte[4096]))
            .build();
    Tensor t =
        ((Constant.Data) OnnxModelLoader.load(write(model(raw).build())).constants().get("w"))
            .tensor();
    assertTrue(t.data().isDirect(), "the weights must stay in the memory-mapped file");
  }

  private Tensor initializer(TensorProto proto) throws IOException {
    Graph g = OnnxModelLoader.load(write(model(proto).build()));
    return ((Constant.Data) g.constants().get(proto.getName())).tensor();
  }

  private static long[] values(Tensor t) {
    long[] values = new long[t.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = t.getLong(i);
    }
    return values;
  }

  @Test
  void int4AndUint4UnpackToInt8AndUint8OfTheSameValuesLowNibbleFirst() throws IOException {
    // 3 values, the last byte's high nibble unused: 0x9F → -1, -7 (int4) or 15, 9 (uint4); 0x08 →
    // -8
    byte[] packed = {(byte) 0x9F, 0x08};
    for (int type : new int[] {22, 21}) {
      TensorProto raw =
          TensorProto.newBuilder()
              .setName("w" + type)
              .setDataType(type)
              .addDims(3)
              .setRawData(ByteString.copyFrom(packed))
              .build();
      TensorProto typed =
          TensorProto.newBuilder()
              .setName("t" + type)
              .setDataType(type)
              .addDims(3)
              .addInt32Data(0x9F)
              .addInt32Data(0x08)
              .build();
      long[] want = type == 22 ? new long[] {-1, -7, -8} : new long[] {15, 9, 8};
      DType dtype = type == 22 ? DType.INT8 : DType.UINT8;
      for (TensorProto proto : new TensorProto[] {raw, typed}) {
        Tensor t = initializer(proto);
        assertEquals(dtype, t.dtype());
        assertArrayEquals(want, values(t), proto.getName());
      }
    }
    TensorProto short4 =
        TensorProto.newBuilder()
            .setName("short")
            .setDataType(22)
            .addDims(5)
            .setRawData(ByteString.copyFrom(packed))
            .build();
    assertTrue(
        assertThrows(ModelLoadException.class, () -> initializer(short4))
            .getMessage()
            .contains("needs 3 bytes of packed values, but has 2"));
  }

  @Test
  void float16AndBoolTypedFieldsHoldBitsInInt32Data() throws IOException {
    TensorProto half =
        TensorProto.newBuilder()
            .setName("h")
            .setDataType(10)
            .addDims(2)
            .addInt32Data(Float.floatToFloat16(0.5f))
            .addInt32Data(Float.floatToFloat16(-4f))
            .build();
    Tensor t =
        ((Constant.Data) OnnxModelLoader.load(write(model(half).build())).constants().get("h"))
            .tensor();
    assertEquals(DType.FLOAT16, t.dtype());
    assertArrayEquals(new float[] {0.5f, -4f}, t.toFloatArray());
  }

  @Test
  void externalDataIsMappedFromItsFileAtItsOffset() throws IOException {
    ByteBuffer bytes = ByteBuffer.allocate(16 + 16).order(ByteOrder.LITTLE_ENDIAN);
    bytes.position(16);
    bytes.putFloat(7f).putFloat(8f).putFloat(-9f).putFloat(10.5f);
    Files.write(folder.resolve("weights.bin"), bytes.array());
    TensorProto external =
        TensorProto.newBuilder()
            .setName("w")
            .setDataType(1)
            .addDims(2)
            .addDims(2)
            .setDataLocation(TensorProto.DataLocation.EXTERNAL)
            .addExternalData(
                StringStringEntryProto.newBuilder().setKey("location").setValue("weights.bin"))
            .addExternalData(StringStringEntryProto.newBuilder().setKey("offset").setValue("16"))
            .addExternalData(StringStringEntryProto.newBuilder().setKey("length").setValue("16"))
            .build();
    Tensor t =
        ((Constant.Data) OnnxModelLoader.load(write(model(external).build())).constants().get("w"))
            .tensor();
    assertArrayEquals(new long[] {2, 2}, t.shape());
    assertArrayEquals(new float[] {7f, 8f, -9f, 10.5f}, t.toFloatArray());

    Files.delete(folder.resolve("weights.bin"));
    ModelLoadException missing =
        assertThrows(
            ModelLoadException.class, () -> OnnxModelLoader.load(folder.resolve("model.onnx")));
    assertTrue(
        missing.getMessage().contains("weights.bin")
            && missing.getMessage().contains("does not exist"),
        missing.getMessage());
  }

  @Test
  void aTruncatedModelNamesTheFileAndSaysSo() throws IOException {
    ByteBuffer raw = ByteBuffer.allocate(4000);
    TensorProto big =
        TensorProto.newBuilder()
            .setName("w")
            .setDataType(1)
            .addDims(1000)
            .setRawData(ByteString.copyFrom(raw.array()))
            .build();
    byte[] whole = model(big).build().toByteArray();
    Path cut = folder.resolve("cut.onnx");
    Files.write(cut, Arrays.copyOf(whole, whole.length / 2));
    ModelLoadException e = assertThrows(ModelLoadException.class, () -> OnnxModelLoader.load(cut));
    assertTrue(
        e.getMessage().startsWith(cut + ": the file is truncated or corrupt"), e.getMessage());
  }

  @Test
  void missingEmptyAndGarbageFilesAreClearErrors() throws IOException {
    Path none = folder.resolve("none.onnx");
    assertTrue(
        assertThrows(ModelLoadException.class, () -> OnnxModelLoader.load(none))
            .getMessage()
            .contains("no such model file"));
    Path empty = Files.write(folder.resolve("empty.onnx"), new byte[0]);
    assertTrue(
        assertThrows(ModelLoadException.class, () -> OnnxModelLoader.load(empty))
            .getMessage()
            .contains("is empty"));
    Path garbage =
        Files.writeString(
            folder.resolve("garbage.onnx"), "this is not a model at all, just some text\n");
    ModelLoadException e =
        assertThrows(ModelLoadException.class, () -> OnnxModelLoader.load(garbage));
    assertTrue(e.getMessage().startsWith(garbage.toString()), e.getMessage());
  }

  @Test
  void anUnknownOpsetDomainIsNamedWithTheNodesThatUseIt() throws IOException {
    ModelProto.Builder m = model(null);
    m.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("com.example").setVersion(1));
    m.getGraphBuilder()
        .addNode(
            NodeProto.newBuilder()
                .setName("mystery")
                .setDomain("com.example")
                .setOpType("Frobnicate")
                .addInput("y")
                .addOutput("z"));
    UnsupportedFeatureException e =
        assertThrows(
            UnsupportedFeatureException.class, () -> OnnxModelLoader.load(write(m.build())));
    assertTrue(
        e.getMessage().contains("'com.example'") && e.getMessage().contains("Frobnicate 'mystery'"),
        e.getMessage());
  }

  @Test
  void anOpsetNewerThanKnownIsRefused() throws IOException {
    ModelProto m =
        model(null)
            .setOpsetImport(0, OperatorSetIdProto.newBuilder().setDomain("").setVersion(99))
            .build();
    UnsupportedFeatureException e =
        assertThrows(UnsupportedFeatureException.class, () -> OnnxModelLoader.load(write(m)));
    assertTrue(e.getMessage().contains("opset 99 is newer"), e.getMessage());
  }

  @Test
  void tensorFilesRoundTrip() throws IOException {
    Tensor t = Tensor.ofLongs(new long[] {2, 2}, 5, -6, 7, 1L << 40);
    Path file = folder.resolve("input_0.pb");
    OnnxTensors.write(file, "input_ids", t);
    OnnxTensors.NamedTensor back = OnnxTensors.read(file);
    assertEquals("input_ids", back.name());
    assertArrayEquals(t.toLongArray(), back.tensor().toLongArray());
  }
}
