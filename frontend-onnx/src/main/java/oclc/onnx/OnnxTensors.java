package oclc.onnx;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import oclc.ir.Tensor;
import oclc.onnx.proto.OnnxProto.TensorProto;

/** Reads and writes single TensorProto files ({@code input_0.pb} of the backend-test layout). */
public final class OnnxTensors {
  private OnnxTensors() {}

  /** A tensor with the name stored in its file (possibly empty). */
  public record NamedTensor(String name, Tensor tensor) {}

  public static NamedTensor read(Path file) {
    try {
      TensorProto proto = TensorProto.parseFrom(Files.readAllBytes(file));
      return new NamedTensor(proto.getName(), new TensorDecoder(file).decode(proto));
    } catch (InvalidProtocolBufferException e) {
      throw new ModelLoadException(
          file + ": not a valid TensorProto file (" + e.getMessage() + ")", e);
    } catch (IOException e) {
      throw new ModelLoadException(file + ": cannot read: " + e.getMessage(), e);
    }
  }

  /** An initializer of the model file {@code modelFile} (external data read beside it). */
  public static Tensor decode(Path modelFile, TensorProto proto) {
    return new TensorDecoder(modelFile).decode(proto);
  }

  public static void write(Path file, String name, Tensor tensor) throws IOException {
    TensorProto proto =
        TensorProto.newBuilder()
            .setName(name)
            .setDataType(tensor.dtype().onnxCode())
            .addAllDims(Arrays.stream(tensor.shape()).boxed().toList())
            .setRawData(ByteString.copyFrom(tensor.data()))
            .build();
    Files.write(file, proto.toByteArray());
  }
}
