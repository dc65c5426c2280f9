package oclc.onnx;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import oclc.ir.DType;
import oclc.ir.Tensor;
import oclc.ir.UnsupportedFeatureException;
import oclc.onnx.proto.OnnxProto.StringStringEntryProto;
import oclc.onnx.proto.OnnxProto.TensorProto;

/**
 * TensorProto → {@link Tensor}. Raw and external data become views (of the memory-mapped model or
 * of the mapped external file), so that weights are never held twice; the typed fields are
 * converted into new little-endian bytes.
 */
final class TensorDecoder {
  private final Path modelFile;

  TensorDecoder(Path modelFile) {
    this.modelFile = modelFile;
  }

  Tensor decode(TensorProto proto) {
    String name = proto.getName().isEmpty() ? "(unnamed)" : "'" + proto.getName() + "'";
    DType dtype = dtypeOf(proto.getDataType(), "tensor " + name);
    long[] shape = proto.getDimsList().stream().mapToLong(Long::longValue).toArray();
    long count = 1;
    for (long d : shape) {
      if (d < 0) {
        throw fail("tensor " + name + " has a negative dimension in " + Arrays.toString(shape));
      }
      count *= d;
    }
    long bytes = count * dtype.byteSize();
    if (bytes > Integer.MAX_VALUE) {
      throw new UnsupportedFeatureException(
          modelFile + ": tensor " + name + " is larger than 2 GiB");
    }
    if (proto.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
      return Tensor.wrap(dtype, shape, external(proto, name, bytes));
    }
    if (proto.hasRawData()) {
      ByteBuffer raw = proto.getRawData().asReadOnlyByteBuffer();
      if (raw.remaining() != bytes) {
        throw fail(
            "tensor "
                + name
                + " of type "
                + dtype
                + " and shape "
                + Arrays.toString(shape)
                + " needs "
                + bytes
                + " bytes of raw data, but has "
                + raw.remaining());
      }
      return Tensor.wrap(dtype, shape, raw);
    }
    return Tensor.wrap(dtype, shape, typedFields(proto, dtype, (int) count, name));
  }

  DType dtypeOf(int code, String what) {
    DType dtype =
        DType.fromOnnxCode(code)
            .orElseThrow(
                () ->
                    new UnsupportedFeatureException(
                        modelFile
                            + ": "
                            + what
                            + " has element type "
                            + TensorProto.DataType.forNumber(code)
                            + ", which oclc does not support"));
    if (!dtype.isSupported()) {
      throw new UnsupportedFeatureException(
          modelFile + ": " + what + " has element type " + dtype + ", which oclc does not support");
    }
    return dtype;
  }

  private ByteBuffer external(TensorProto proto, String name, long bytes) {
    String location = null;
    long offset = 0;
    long length = -1;
    for (StringStringEntryProto entry : proto.getExternalDataList()) {
      switch (entry.getKey()) {
        case "location" -> location = entry.getValue();
        case "offset" -> offset = Long.parseLong(entry.getValue());
        case "length" -> length = Long.parseLong(entry.getValue());
        default -> {} // "checksum" and others are optional
      }
    }
    if (location == null) {
      throw fail("tensor " + name + " says its data is external but gives no location");
    }
    Path dataFile = modelFile.toAbsolutePath().getParent().resolve(location).normalize();
    if (length >= 0 && length != bytes) {
      throw fail(
          "tensor "
              + name
              + " needs "
              + bytes
              + " bytes but its external data entry gives length "
              + length);
    }
    try (FileChannel channel = FileChannel.open(dataFile, StandardOpenOption.READ)) {
      if (offset + bytes > channel.size()) {
        throw fail(
            "tensor "
                + name
                + " needs bytes "
                + offset
                + ".."
                + (offset + bytes)
                + " of "
                + dataFile
                + ", which has only "
                + channel.size());
      }
      return channel
          .map(FileChannel.MapMode.READ_ONLY, offset, bytes)
          .order(ByteOrder.LITTLE_ENDIAN);
    } catch (NoSuchFileException e) {
      throw fail("the external data file " + dataFile + " of tensor " + name + " does not exist");
    } catch (IOException e) {
      throw fail(
          "cannot read the external data file "
              + dataFile
              + " of tensor "
              + name
              + ": "
              + e.getMessage());
    }
  }

  private ByteBuffer typedFields(TensorProto p, DType dtype, int count, String name) {
    ByteBuffer out = ByteBuffer.allocate(count * dtype.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
    int given =
        switch (dtype) {
          case FLOAT32 -> {
            p.getFloatDataList().forEach(out::putFloat);
            yield p.getFloatDataCount();
          }
          case FLOAT64 -> {
            p.getDoubleDataList().forEach(out::putDouble);
            yield p.getDoubleDataCount();
          }
          case INT64 -> {
            p.getInt64DataList().forEach(out::putLong);
            yield p.getInt64DataCount();
          }
          case UINT64 -> {
            p.getUint64DataList().forEach(out::putLong);
            yield p.getUint64DataCount();
          }
          case UINT32 -> {
            p.getUint64DataList().forEach(v -> out.putInt((int) (long) v));
            yield p.getUint64DataCount();
          }
          case INT32 -> {
            p.getInt32DataList().forEach(out::putInt);
            yield p.getInt32DataCount();
          }
          case INT16, UINT16, FLOAT16, BFLOAT16 -> {
            p.getInt32DataList().forEach(v -> out.putShort((short) (int) v));
            yield p.getInt32DataCount();
          }
          case INT8, UINT8, BOOL -> {
            p.getInt32DataList().forEach(v -> out.put((byte) (int) v));
            yield p.getInt32DataCount();
          }
          default ->
              throw new UnsupportedFeatureException(
                  modelFile + ": tensor " + name + " of type " + dtype);
        };
    if (given != count) {
      throw fail(
          "tensor "
              + name
              + " of type "
              + dtype
              + " needs "
              + count
              + " elements, but has "
              + given);
    }
    return out.flip();
  }

  private ModelLoadException fail(String message) {
    return new ModelLoadException(modelFile + ": " + message);
  }
}
