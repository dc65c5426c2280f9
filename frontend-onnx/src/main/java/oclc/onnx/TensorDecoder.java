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
    long[] shape = proto.getDimsList().stream().mapToLong(Long::longValue).toArray();
    long count = 1;
    for (long d : shape) {
      if (d < 0) {
        throw fail("tensor " + name + " has a negative dimension in " + Arrays.toString(shape));
      }
      count *= d;
    }
    int code = proto.getDataType();
    if (code == TensorProto.DataType.UINT4_VALUE || code == TensorProto.DataType.INT4_VALUE) {
      return unpackNibbles(proto, code == TensorProto.DataType.INT4_VALUE, shape, count, name);
    }
    DType dtype = dtypeOf(code, "tensor " + name);
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

  /**
   * An int4 or uint4 tensor (two values a byte, the lower index in the low nibble; int32_data holds
   * one such byte per element) as the int8 or uint8 tensor of the same values, which every op
   * computes with; a byte per value costs twice the packed bytes, so the quantized-matmul import
   * pass packs them again for MatMulNBits.
   */
  private Tensor unpackNibbles(
      TensorProto proto, boolean signed, long[] shape, long count, String name) {
    DType dtype = signed ? DType.INT8 : DType.UINT8;
    long packedBytes = Math.ceilDiv(count, 2);
    if (count > Integer.MAX_VALUE) {
      throw new UnsupportedFeatureException(
          modelFile + ": tensor " + name + " is larger than 2 GiB once unpacked");
    }
    ByteBuffer packed;
    if (proto.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
      packed = external(proto, name, packedBytes);
    } else if (proto.hasRawData()) {
      packed = proto.getRawData().asReadOnlyByteBuffer();
    } else {
      packed = ByteBuffer.allocate(proto.getInt32DataCount());
      proto.getInt32DataList().forEach(v -> packed.put((byte) (int) v));
      packed.flip();
    }
    if (packed.remaining() != packedBytes) {
      throw fail(
          "tensor "
              + name
              + " of type "
              + (signed ? "INT4" : "UINT4")
              + " and shape "
              + Arrays.toString(shape)
              + " needs "
              + packedBytes
              + " bytes of packed values, but has "
              + packed.remaining());
    }
    ByteBuffer values = ByteBuffer.allocate((int) count).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < count; i++) {
      int pair = packed.get(packed.position() + i / 2);
      int nibble = (i & 1) == 0 ? pair & 0xF : (pair >>> 4) & 0xF;
      values.put((byte) (signed && nibble >= 8 ? nibble - 16 : nibble));
    }
    return Tensor.wrap(dtype, shape, values.flip());
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
