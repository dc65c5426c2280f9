package oclc.tests.support;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Greedy generation over ONNX Runtime Java, one sequence, written apart from oclc's generator: a
 * prefill over the prompt, then one token per step, each state input fed the present output it
 * pairs with from the step before (an empty past at first: its first dynamic dim, the batch, 1,
 * every later one, the past length, 0); the token ids, {@code attention_mask} (ones over every
 * position so far) and {@code position_ids} (counting from the past length) in the types the model
 * declares.
 */
public final class OrtGreedyDecoder implements AutoCloseable {
  private final OrtEnvironment env = OrtEnvironment.getEnvironment();
  private final OrtSession session;
  private final String ids;
  private final String logits;
  private final UnaryOperator<String> presentOf;

  /** {@code presentOf}: a state input's present output; ids and logits as the model names them. */
  public OrtGreedyDecoder(Path model, String ids, String logits, UnaryOperator<String> presentOf)
      throws OrtException {
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      session = env.createSession(model.toString(), options);
    }
    this.ids = ids;
    this.logits = logits;
    this.presentOf = presentOf;
  }

  /** The tokens chosen and, for each, the logits of the step's last position it was chosen from. */
  public record Run(List<Long> tokens, List<float[]> logits) {}

  /** {@code count} new tokens after {@code prompt}. */
  public List<Long> generate(long[] prompt, int count) throws OrtException {
    return run(prompt, count).tokens();
  }

  /** {@code count} new tokens after {@code prompt}, with the logits each was chosen from. */
  public Run run(long[] prompt, int count) throws OrtException {
    Map<String, OnnxTensor> states = new LinkedHashMap<>();
    for (Map.Entry<String, NodeInfo> in : session.getInputInfo().entrySet()) {
      if (!role(in.getKey())) {
        states.put(in.getKey(), emptyPast((TensorInfo) in.getValue().getInfo()));
      }
    }
    List<Long> generated = new ArrayList<>();
    List<float[]> chosenFrom = new ArrayList<>();
    long[] step = prompt;
    long past = 0;
    try {
      for (int i = 0; i < count; i++) {
        Map<String, OnnxTensor> inputs = new LinkedHashMap<>(states);
        List<OnnxTensor> made = new ArrayList<>();
        long total = past + step.length;
        long[] positions = new long[step.length];
        for (int j = 0; j < step.length; j++) {
          positions[j] = past + j;
        }
        long[] ones = new long[(int) total];
        java.util.Arrays.fill(ones, 1);
        for (Map.Entry<String, NodeInfo> in : session.getInputInfo().entrySet()) {
          String name = in.getKey();
          OnnxJavaType type = ((TensorInfo) in.getValue().getInfo()).type;
          long[] values =
              name.equals(ids) ? step : name.equals("attention_mask") ? ones : positions;
          if (role(name)) {
            OnnxTensor t = integers(type, values, new long[] {1, values.length});
            made.add(t);
            inputs.put(name, t);
          }
        }
        try (OrtSession.Result result = session.run(inputs)) {
          float[][][] scores = (float[][][]) result.get(logits).orElseThrow().getValue();
          float[] last = scores[0][scores[0].length - 1];
          int best = 0;
          for (int v = 1; v < last.length; v++) {
            if (last[v] > last[best]) {
              best = v;
            }
          }
          generated.add((long) best);
          chosenFrom.add(last.clone());
          Map<String, OnnxTensor> next = new LinkedHashMap<>();
          for (String state : states.keySet()) {
            OnnxValue present = result.get(presentOf.apply(state)).orElseThrow();
            next.put(state, copy((OnnxTensor) present));
          }
          states.values().forEach(OnnxTensor::close);
          states = next;
          past = total;
          step = new long[] {best};
        } finally {
          made.forEach(OnnxTensor::close);
        }
      }
    } finally {
      states.values().forEach(OnnxTensor::close);
    }
    return new Run(generated, chosenFrom);
  }

  private boolean role(String name) {
    return name.equals(ids) || name.equals("attention_mask") || name.equals("position_ids");
  }

  private OnnxTensor integers(OnnxJavaType type, long[] values, long[] shape) throws OrtException {
    if (type == OnnxJavaType.INT32) {
      int[] narrow = new int[values.length];
      for (int i = 0; i < values.length; i++) {
        narrow[i] = Math.toIntExact(values[i]);
      }
      return OnnxTensor.createTensor(env, IntBuffer.wrap(narrow), shape);
    }
    return OnnxTensor.createTensor(env, LongBuffer.wrap(values), shape);
  }

  private OnnxTensor emptyPast(TensorInfo info) throws OrtException {
    long[] shape = info.getShape().clone();
    boolean batchSeen = false;
    for (int axis = 0; axis < shape.length; axis++) {
      if (shape[axis] < 0) {
        shape[axis] = batchSeen ? 0 : 1;
        batchSeen = true;
      }
    }
    return OnnxTensor.createTensor(env, FloatBuffer.allocate(0), shape);
  }

  /** A present held past the result that made it: its floats copied into a new tensor. */
  private OnnxTensor copy(OnnxTensor present) throws OrtException {
    FloatBuffer source = present.getFloatBuffer();
    FloatBuffer copied = FloatBuffer.allocate(source.remaining());
    copied.put(source).flip();
    return OnnxTensor.createTensor(env, copied, present.getInfo().getShape());
  }

  @Override
  public void close() throws OrtException {
    session.close();
  }
}
