package oclc.compiler.generate;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import oclc.ir.DType;
import oclc.ir.Tensor;
import oclc.runtime.Session;

/**
 * Steps a device session whose past inputs live in KV caches: the prefill binds empty pasts; each
 * decode step only binds the new token, the keys and values staying on the device and growing in
 * place ({@link Session#advanceCache()}). A decoder with attention_mask and position_ids inputs
 * (ONNX Runtime's files) is also given those each step, as {@link DecoderInputs} makes them (ones
 * over every position so far, positions counting from the past length), in the declared types.
 */
public final class CachedStepper implements Generator.Stepper {
  private final Session session;
  private final String idsInput;
  private final String logitsOutput;
  private final List<String> pastInputs;
  private final java.util.Map<String, Tensor> emptyPasts;
  private final Optional<DecoderInputs> decoder;
  private boolean started;
  private long pastLength;

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
    this(session, idsInput, logitsOutput, emptyPasts, type, Optional.empty());
  }

  /**
   * A decoder's session whose every state input {@code decoder} names lives in a KV cache: its ids,
   * mask and position ids bound each step as {@code decoder} makes them.
   */
  public CachedStepper(
      Session session, DecoderInputs decoder, Map<String, long[]> emptyPasts, DType type) {
    this(session, decoder.ids().name(), decoder.logits(), emptyPasts, type, Optional.of(decoder));
  }

  private CachedStepper(
      Session session,
      String idsInput,
      String logitsOutput,
      Map<String, long[]> emptyPasts,
      DType type,
      Optional<DecoderInputs> decoder) {
    this.session = session;
    this.idsInput = idsInput;
    this.logitsOutput = logitsOutput;
    this.decoder = decoder;
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
    if (decoder.isPresent()) {
      decoder
          .get()
          .step(new long[][] {newTokens}, pastLength, new int[] {0}, Map.of())
          .forEach(session::bind);
    } else {
      session.bind(idsInput, Generator.ids(newTokens));
    }
    pastLength += newTokens.length;
    session.run();
    logits = session.output(logitsOutput, logits);
    return Generator.lastRow(logits);
  }

  @Override
  public String mode() {
    return "KV cache on the device (" + pastInputs.size() + " caches), appended in place each step";
  }
}
