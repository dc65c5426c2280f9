package oclc.tests.support;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import oclc.ir.DType;
import oclc.ir.Tensor;

/**
 * ONNX Runtime (Java, CPU, one thread) as the independent oracle: runs a model file on oclc tensors
 * and returns its outputs as oclc tensors, bytes for bytes.
 */
public final class OnnxRuntimeOracle implements AutoCloseable {
  private final OrtEnvironment env = OrtEnvironment.getEnvironment();
  private final OrtSession session;

  public OnnxRuntimeOracle(Path model) throws OrtException {
    this(model, OrtSession.SessionOptions.OptLevel.ALL_OPT);
  }

  /**
   * With graph rewrites up to {@code level} only: ONNX Runtime 1.23's layer-norm fusion breaks on
   * float16 GPT-2 ("InsertedPrecisionFreeCast_... does not exist"), which its basic level avoids.
   */
  public OnnxRuntimeOracle(Path model, OrtSession.SessionOptions.OptLevel level)
      throws OrtException {
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      options.setOptimizationLevel(level);
      session = env.createSession(model.toString(), options);
    }
  }

  /** Every output of the model, by name, for these inputs. */
  public Map<String, Tensor> run(Map<String, Tensor> inputs) throws OrtException {
    List<OnnxTensor> made = new ArrayList<>();
    try {
      Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
      for (var input : inputs.entrySet()) {
        OnnxTensor t = toOrt(input.getValue());
        made.add(t);
        feeds.put(input.getKey(), t);
      }
      Map<String, Tensor> outputs = new LinkedHashMap<>();
      try (OrtSession.Result result = session.run(feeds)) {
        for (Map.Entry<String, OnnxValue> output : result) {
          outputs.put(output.getKey(), fromOrt((OnnxTensor) output.getValue()));
        }
      }
      return outputs;
    } finally {
      made.forEach(OnnxTensor::close);
    }
  }

  @Override
  public void close() throws OrtException {
    session.close();
  }

  private OnnxTensor toOrt(Tensor t) throws OrtException {
    ByteBuffer bytes =
        ByteBuffer.allocateDirect(t.data().remaining()).order(ByteOrder.nativeOrder());
    ByteBuffer source = t.data().duplicate().order(ByteOrder.LITTLE_ENDIAN);
    bytes.put(source).flip();
    return OnnxTensor.createTensor(env, bytes, t.shape(), javaType(t.dtype()));
  }

  private static Tensor fromOrt(OnnxTensor t) {
    DType dtype = dtype(t.getInfo().type);
    ByteBuffer bytes = t.getByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    return Tensor.wrap(dtype, t.getInfo().getShape(), bytes);
  }

  private static OnnxJavaType javaType(DType dtype) {
    return switch (dtype) {
      case FLOAT32 -> OnnxJavaType.FLOAT;
      case FLOAT64 -> OnnxJavaType.DOUBLE;
      case FLOAT16 -> OnnxJavaType.FLOAT16;
      case BFLOAT16 -> OnnxJavaType.BFLOAT16;
      case INT8 -> OnnxJavaType.INT8;
      case UINT8 -> OnnxJavaType.UINT8;
      case INT16 -> OnnxJavaType.INT16;
      case INT32 -> OnnxJavaType.INT32;
      case INT64 -> OnnxJavaType.INT64;
      case BOOL -> OnnxJavaType.BOOL;
      default -> throw new IllegalArgumentException("no ONNX Runtime Java type for " + dtype);
    };
  }

  private static DType dtype(OnnxJavaType type) {
    return switch (type) {
      case FLOAT -> DType.FLOAT32;
      case DOUBLE -> DType.FLOAT64;
      case FLOAT16 -> DType.FLOAT16;
      case BFLOAT16 -> DType.BFLOAT16;
      case INT8 -> DType.INT8;
      case UINT8 -> DType.UINT8;
      case INT16 -> DType.INT16;
      case INT32 -> DType.INT32;
      case INT64 -> DType.INT64;
      case BOOL -> DType.BOOL;
      default -> throw new IllegalArgumentException("no oclc type for ONNX Runtime's " + type);
    };
  }
}
