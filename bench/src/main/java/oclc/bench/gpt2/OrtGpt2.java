package oclc.bench.gpt2;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import oclc.compiler.generate.Generator;
import oclc.compiler.generate.HostStepper;
import oclc.compiler.generate.TokenChooser;
import oclc.ir.OclcException;

/**
 * ONNX Runtime (CPU execution provider, every graph optimization, intra-op threads as given) on the
 * same decode graph: each step's present outputs are fed back as the next step's past inputs
 * without leaving ORT's memory, and only the logits are read.
 */
public final class OrtGpt2 implements Gpt2Engine {
  private final OrtEnvironment environment = OrtEnvironment.getEnvironment();
  private final OrtSession.SessionOptions options;
  private final OrtSession session;
  private final String idsInput;
  private final String logitsOutput;
  private final Map<String, String> presentOfPast = new LinkedHashMap<>();
  private final Map<String, long[]> emptyPasts = new LinkedHashMap<>();
  private final int threads;

  public OrtGpt2(Path model, int intraOpThreads) {
    this(model, intraOpThreads, OrtSession.SessionOptions.OptLevel.ALL_OPT, null);
  }

  /**
   * A session from {@code model} with every optimization that also writes the optimized graph to
   * {@code optimizedModel}: what a user deploying ORT does once, so that later starts load that
   * ({@link #fromOptimized}).
   */
  public static OrtGpt2 optimizing(Path model, int intraOpThreads, Path optimizedModel) {
    return new OrtGpt2(
        model, intraOpThreads, OrtSession.SessionOptions.OptLevel.ALL_OPT, optimizedModel);
  }

  /**
   * A session from the graph {@link #optimizing} saved, with graph optimizations off: they were
   * applied before saving, on this machine, and running them again would redo that work.
   */
  public static OrtGpt2 fromOptimized(Path optimizedModel, int intraOpThreads) {
    return new OrtGpt2(
        optimizedModel, intraOpThreads, OrtSession.SessionOptions.OptLevel.NO_OPT, null);
  }

  private OrtGpt2(
      Path model, int intraOpThreads, OrtSession.SessionOptions.OptLevel level, Path saveTo) {
    this.threads = intraOpThreads;
    OrtSession.SessionOptions madeOptions = null;
    OrtSession madeSession = null;
    try {
      madeOptions = new OrtSession.SessionOptions();
      madeOptions.setIntraOpNumThreads(intraOpThreads);
      madeOptions.setInterOpNumThreads(1);
      madeOptions.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      madeOptions.setOptimizationLevel(level);
      if (saveTo != null) {
        madeOptions.setOptimizedModelFilePath(saveTo.toString());
      }
      madeSession = environment.createSession(model.toString(), madeOptions);
      List<String> inputs = new ArrayList<>(madeSession.getInputNames());
      List<String> outputs = new ArrayList<>(madeSession.getOutputNames());
      idsInput = inputs.getFirst();
      logitsOutput = HostStepper.logitsOf(outputs);
      Map<String, NodeInfo> infos = madeSession.getInputInfo();
      for (String past : inputs.subList(1, inputs.size())) {
        presentOfPast.put(past, Generator.presentOf(past, outputs));
        long[] shape = ((TensorInfo) infos.get(past).getInfo()).getShape().clone();
        for (int axis = 0; axis < shape.length; axis++) {
          if (shape[axis]
              < 0) { // symbolic: batch 1, past length 0 (the third axis of GPT-2's past)
            shape[axis] = axis == shape.length - 2 ? 0 : 1;
          }
        }
        emptyPasts.put(past, shape);
      }
      if (presentOfPast.isEmpty()) {
        throw new OclcException(
            "the benchmark needs a GPT-2 decode graph with past inputs; "
                + model
                + " has "
                + inputs);
      }
    } catch (OrtException | RuntimeException e) {
      closeQuietly(madeSession, madeOptions);
      if (e instanceof OrtException) {
        throw new OclcException("ONNX Runtime cannot load " + model + ": " + e.getMessage(), e);
      }
      throw (RuntimeException) e;
    }
    options = madeOptions;
    session = madeSession;
  }

  private static void closeQuietly(OrtSession session, OrtSession.SessionOptions options) {
    try {
      if (session != null) {
        session.close();
      }
    } catch (OrtException ignored) {
      // already failing; the first error is the one to report
    }
    if (options != null) {
      options.close();
    }
  }

  @Override
  public String name() {
    return "ORT";
  }

  /** The size of the logits' last axis. */
  public int vocabulary() {
    try {
      long[] shape = ((TensorInfo) session.getOutputInfo().get(logitsOutput).getInfo()).getShape();
      return (int) shape[shape.length - 1];
    } catch (OrtException e) {
      throw new OclcException("ONNX Runtime: " + e.getMessage(), e);
    }
  }

  /** The intra-op threads this session runs with. */
  public int threads() {
    return threads;
  }

  @Override
  public Run run(long[] prompt, int decodeSteps) {
    List<Long> tokens = new ArrayList<>();
    List<float[]> logits = new ArrayList<>();
    Map<String, OnnxTensor> empty = new LinkedHashMap<>();
    OrtSession.Result previous = null;
    try {
      for (var e : emptyPasts.entrySet()) {
        empty.put(
            e.getKey(),
            OnnxTensor.createTensor(environment, FloatBuffer.allocate(0), e.getValue()));
      }
      long start = System.nanoTime();
      previous = step(prompt, new LinkedHashMap<>(empty));
      float[] row = lastRow(previous);
      double prefill = (System.nanoTime() - start) / 1e6;
      logits.add(row);
      tokens.add((long) TokenChooser.greedy().choose(row));
      long decodeStart = System.nanoTime();
      for (int i = 0; i < decodeSteps; i++) {
        Map<String, OnnxTensorLike> pasts = new LinkedHashMap<>();
        for (var e : presentOfPast.entrySet()) {
          pasts.put(e.getKey(), (OnnxTensorLike) previous.get(e.getValue()).orElseThrow());
        }
        OrtSession.Result next = step(new long[] {tokens.getLast()}, pasts);
        previous.close();
        previous = next;
        row = lastRow(previous);
        logits.add(row);
        tokens.add((long) TokenChooser.greedy().choose(row));
      }
      double decode = (System.nanoTime() - decodeStart) / 1e6;
      return new Run(prefill, decode, decodeSteps, tokens, logits, null);
    } catch (OrtException e) {
      throw new OclcException("ONNX Runtime failed: " + e.getMessage(), e);
    } finally {
      if (previous != null) {
        previous.close();
      }
      empty.values().forEach(OnnxTensor::close);
    }
  }

  private OrtSession.Result step(long[] tokens, Map<String, ? extends OnnxTensorLike> pasts)
      throws OrtException {
    Map<String, OnnxTensorLike> inputs = new LinkedHashMap<>();
    try (OnnxTensor ids =
        OnnxTensor.createTensor(
            environment, LongBuffer.wrap(tokens), new long[] {1, tokens.length})) {
      inputs.put(idsInput, ids);
      inputs.putAll(pasts);
      return session.run(inputs);
    }
  }

  /**
   * The last position's logits; ORT copies out the whole output, as oclc reads its whole logits
   * back.
   */
  private float[] lastRow(OrtSession.Result result) {
    OnnxTensor logits = (OnnxTensor) result.get(logitsOutput).orElseThrow();
    long[] shape = logits.getInfo().getShape();
    int vocabulary = (int) shape[shape.length - 1];
    FloatBuffer buffer = logits.getFloatBuffer();
    float[] row = new float[vocabulary];
    buffer.get(buffer.limit() - vocabulary, row);
    return row;
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      throw new OclcException("closing the ONNX Runtime session: " + e.getMessage(), e);
    }
    options.close();
  }
}
