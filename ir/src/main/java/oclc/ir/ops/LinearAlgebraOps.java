package oclc.ir.ops;

import java.util.List;
import oclc.ir.OpDefinition;

/** Matrix products, normalizations and the dequantization of their quantized weights. */
public final class LinearAlgebraOps {
  private LinearAlgebraOps() {}

  public static List<OpDefinition> definitions() {
    return List.of(
        new MatMulOp(),
        new GemmOp(),
        new LayerNormalizationOp(false),
        new LayerNormalizationOp(true),
        new EinsumOp(),
        new RotaryEmbeddingOp(),
        new AttentionOp(),
        new DequantizeLinearOp());
  }
}
