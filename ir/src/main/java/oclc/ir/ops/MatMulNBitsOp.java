package oclc.ir.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import oclc.ir.Attributes;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.EvaluationContext;
import oclc.ir.InferenceContext;
import oclc.ir.OpDefinition;
import oclc.ir.Shape;
import oclc.ir.Tensor;
import oclc.ir.TensorType;

/**
 * ONNX Runtime's MatMulNBits (com.microsoft): {@code Y = A · dequantize(B)ᵀ (+ bias)}, A [..., K]
 * float32, B the transposed weight [N, K] block-quantized along K ({@link BlockQuantization}) and
 * stored as uint8 [N, blocks, blockBytes]; scales N·blocks float32; zero points optional (packed
 * uint8, or float32 one per block). Not decomposed: the quantized-matmul kernel family reads the
 * packed bytes. accuracy_level is ONNX Runtime's permission to compute in lower precision; oclc
 * computes in float32 at every level, which level 0 asks for.
 */
final class MatMulNBitsOp implements OpDefinition {
  static final int A = 0, B = 1, SCALES = 2, ZERO_POINTS = 3, GROUP_INDEX = 4, BIAS = 5;

  @Override
  public String opType() {
    return "MatMulNBits";
  }

  @Override
  public String domain() {
    return MicrosoftOps.DOMAIN;
  }

  /** The layout of B's rows from the attributes (bits checked by {@link #unsupportedReason}). */
  static BlockQuantization layout(Attributes attributes) {
    return new BlockQuantization(
        (int) attributes.getInt("bits", 4),
        (int) attributes.getInt("block_size"),
        attributes.getInt("K"));
  }

  @Override
  public Optional<String> unsupportedReason(InferenceContext context) {
    Attributes attributes = context.attributes();
    long bits = attributes.getInt("bits", 4);
    if (!BlockQuantization.supportsBits(bits)) {
      return Optional.of("MatMulNBits with bits=" + bits + " is not supported (4 or 8 are)");
    }
    if (context.hasInput(GROUP_INDEX)) {
      return Optional.of(
          "MatMulNBits with g_idx (act-order weights) is not supported: re-quantize without it");
    }
    if (context.inputDType(A) != DType.FLOAT32) {
      return Optional.of(
          "MatMulNBits of " + context.inputDType(A) + " activations is not supported (float32 is)");
    }
    if (context.inputDType(B) != DType.UINT8) {
      return Optional.of(
          "MatMulNBits with " + context.inputDType(B) + " weights is not supported (uint8 is)");
    }
    if (context.hasInput(ZERO_POINTS)
        && context.inputDType(ZERO_POINTS) != DType.UINT8
        && context.inputDType(ZERO_POINTS) != DType.FLOAT32) {
      return Optional.of(
          "MatMulNBits with "
              + context.inputDType(ZERO_POINTS)
              + " zero points is not supported (uint8 or float32 are)");
    }
    return Optional.empty();
  }

  @Override
  public List<TensorType> inferTypes(InferenceContext context) {
    Attributes attributes = context.attributes();
    if (!attributes.has("K") || !attributes.has("N") || !attributes.has("block_size")) {
      throw context.error("MatMulNBits needs the attributes K, N and block_size");
    }
    long k = attributes.getInt("K");
    long n = attributes.getInt("N");
    long blockSize = attributes.getInt("block_size");
    if (k <= 0 || n <= 0 || !BlockQuantization.validBlockSize(blockSize)) {
      throw context.error(
          "MatMulNBits needs K, N > 0 and block_size a power of two ≥ 16; got K="
              + k
              + ", N="
              + n
              + ", block_size="
              + blockSize);
    }
    BlockQuantization layout = layout(attributes);
    Shape a = context.inputShape(A);
    if (a.rank() == 0) {
      throw context.error("MatMulNBits' A must have rank ≥ 1");
    }
    Dim aK = a.dim(a.rank() - 1);
    if (aK.isConstant() && aK.constant() != k) {
      throw context.error("A " + a + " does not end in K=" + k);
    }
    context.unify(aK, Dim.of(k), "A's last dim and K");
    expectShape(context, B, "B", Shape.of(n, layout.blocks(), layout.blockBytes()));
    expectElements(context, SCALES, "scales", n * layout.blocks());
    if (context.hasInput(ZERO_POINTS)) {
      boolean packed = context.inputDType(ZERO_POINTS) == DType.UINT8;
      expectElements(
          context,
          ZERO_POINTS,
          "zero_points",
          n * (packed ? layout.zeroPointRowBytes() : layout.blocks()));
    }
    if (context.hasInput(BIAS)) {
      expectElements(context, BIAS, "bias", n);
    }
    List<Dim> out = new ArrayList<>(a.dims().subList(0, a.rank() - 1));
    out.add(Dim.of(n));
    return List.of(new TensorType(context.inputDType(A), new Shape(out)));
  }

  private static void expectShape(InferenceContext context, int input, String role, Shape want) {
    Shape got = context.inputShape(input);
    if (got.isStatic() && !got.equals(want)) {
      throw context.error("MatMulNBits' " + role + " must have shape " + want + "; got " + got);
    }
  }

  private static void expectElements(
      InferenceContext context, int input, String role, long elements) {
    Dim count = context.inputShape(input).elementCount();
    if (count.isConstant() && count.constant() != elements) {
      throw context.error(
          "MatMulNBits' "
              + role
              + " must have "
              + elements
              + " elements; got "
              + context.inputShape(input));
    }
  }

  @Override
  public List<Tensor> evaluate(EvaluationContext context) {
    BlockQuantization layout = layout(context.attributes());
    int k = (int) layout.length();
    int n = (int) context.attributes().getInt("N");
    Tensor a = context.input(A);
    Tensor b = context.input(B);
    Tensor scales = context.input(SCALES);
    Tensor zeroPoints = context.optionalInput(ZERO_POINTS).orElse(null);
    Tensor bias = context.optionalInput(BIAS).orElse(null);
    long[] shape = a.shape().clone();
    shape[shape.length - 1] = n;
    Tensor y = Tensor.allocate(a.dtype(), shape);
    int rows = a.size() / k;
    long rowBytes = layout.blocks() * layout.blockBytes();
    float[] column = new float[k];
    for (int j = 0; j < n; j++) {
      for (int p = 0; p < k; p++) {
        column[p] = layout.dequantize(b, j * rowBytes, scales, zeroPoints, j, p);
      }
      for (int i = 0; i < rows; i++) {
        double sum = 0;
        for (int p = 0; p < k; p++) {
          sum += (double) a.getFloat(i * k + p) * column[p];
        }
        y.setDouble(i * n + j, sum + (bias == null ? 0 : bias.getFloat(j)));
      }
    }
    return List.of(y);
  }
}
