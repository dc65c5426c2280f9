package oclc.ir.ops;

import java.util.List;
import oclc.ir.OpDefinition;

/**
 * ONNX Runtime's contrib operators (domain {@code com.microsoft}, defined in ONNX Runtime's
 * docs/ContribOperators.md), as its optimizer and model builder write them, and the one it defines
 * in the default domain (SimplifiedLayerNormalization). Each is {@link oclc.ir.Decomposable}: the
 * fast backends run the default-domain ops it rewrites into; except the block-quantized ones
 * (MatMulNBits, GatherBlockQuantized), which their kernel families compute from the packed bytes.
 */
public final class MicrosoftOps {
  public static final String DOMAIN = "com.microsoft";

  private MicrosoftOps() {}

  public static List<OpDefinition> definitions() {
    return List.of(
        new BiasAddOp(),
        new EmbedLayerNormalizationOp(),
        new SkipLayerNormalizationOp(false),
        new MicrosoftGeluOp(MicrosoftGeluOp.Form.FAST),
        new SkipLayerNormalizationOp(true),
        new SimplifiedLayerNormalizationOp(DOMAIN),
        new SimplifiedLayerNormalizationOp(""),
        new MicrosoftGeluOp(MicrosoftGeluOp.Form.BIAS),
        new MicrosoftGeluOp(MicrosoftGeluOp.Form.EXACT),
        new MicrosoftGeluOp(MicrosoftGeluOp.Form.QUICK),
        new MicrosoftAttentionOp(),
        new MicrosoftRotaryEmbeddingOp(),
        new MicrosoftMultiHeadAttentionOp(),
        new MicrosoftGroupQueryAttentionOp(),
        new MatMulNBitsOp(),
        new GatherBlockQuantizedOp());
  }
}
