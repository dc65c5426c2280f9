package oclc.compiler.generate;

import java.util.List;
import oclc.ir.DType;
import oclc.ir.Tensor;
import oclc.runtime.Session;

/**
 * Steps a device session whose past inputs live in KV caches: the prefill binds empty pasts; each
 * decode step only binds the new token, the keys and values staying on the device and growing in
 * place ({@link Session#advanceCache()}).
 */
public final class CachedStepper implements Generator.Stepper {
  private final Session session;
  private final String idsInput;
  private final String logitsOutput;
  private final List<String> pastInputs;
  private final java.util.Map<String, Tensor> emptyPasts;
  private boolean started;

  /** The last step's logits, whose memory the next step's are read into. */
  private Tensor logits;

  /** {@code emptyPasts}: each past input's shape at length 0 (batch 1), float32 pasts. */
  public CachedStepper(
      Session session,
      String idsInput,
      String logitsOutput,
      java.util.Map<String, long[]> emptyPasts) {
    this(session, idsInput, logitsOutput, emptyPasts, DType.FLOAT32);
  }

  /** The same, with pasts of {@code type} (a float16 model's). */
  public CachedStepper(
      Session session,
      String idsInput,
      String logitsOutput,
      java.util.Map<String, long[]> emptyPasts,
      DType type) {
    this.session = session;
    this.idsInput = idsInput;
    this.logitsOutput = logitsOutput;
    this.pastInputs = session.cachedInputs();
    this.emptyPasts = new java.util.LinkedHashMap<>();
    emptyPasts.forEach((name, shape) -> this.emptyPasts.put(name, Tensor.allocate(type, shape)));
  }

  @Override
  public float[] step(long[] newTokens) {
    if (started) {
      session.advanceCache();
    } else {
      emptyPasts.forEach(session::bind);
      started = true;
    }
    session.bind(idsInput, Generator.ids(newTokens));
    session.run();
    logits = session.output(logitsOutput, logits);
    return Generator.lastRow(logits);
  }

  @Override
  public String mode() {
    return "KV cache on the device (" + pastInputs.size() + " caches), appended in place each step";
  }
}
