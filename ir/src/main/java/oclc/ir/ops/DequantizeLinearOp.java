package oclc.ir.ops;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.EvaluationContext;
import oclc.ir.InferenceContext;
import oclc.ir.OpDefinition;
import oclc.ir.Shape;
import oclc.ir.Tensor;
import oclc.ir.TensorType;

/**
 * DequantizeLinear: {@code y = (x − x_zero_point) · x_scale}, computed in float32 as ONNX's
 * reference does and rounded once to the scale's type (or {@code output_dtype}, opset 23). The
 * scale is one of three forms: a scalar (per tensor), a vector along {@code axis} (per axis, opset
 * 13), or a tensor of x's rank whose {@code axis} dim is {@code ceil(x[axis] / block_size)}
 * (blocked, opset 21). The zero point, where given, has the scale's shape and x's type; int4 and
 * uint4 weights arrive as int8 and uint8 (the ONNX importer unpacks them). Weights folded at
 * compile time are the common case (the constant folding evaluates this); a DequantizeLinear of a
 * run-time x takes the reference fallback on Java and has no OpenCL kernel. A MatMul of a constant
 * one's output becomes MatMulNBits before the fold ({@code oclc.ir.passes.QuantizedMatMuls}).
 */
final class DequantizeLinearOp implements OpDefinition {
  static final int X = 0, SCALE = 1, ZERO_POINT = 2;

  private static final Set<DType> VALUE_TYPES =
      Set.of(DType.INT8, DType.UINT8, DType.INT16, DType.UINT16, DType.INT32);
  private static final Set<DType> SCALE_TYPES =
      Set.of(DType.FLOAT32, DType.FLOAT16, DType.BFLOAT16);

  @Override
  public String opType() {
    return "DequantizeLinear";
  }

  @Override
  public Optional<String> unsupportedReason(InferenceContext context) {
    DType x = context.inputDType(X);
    if (!VALUE_TYPES.contains(x)) {
      return Optional.of(
          "DequantizeLinear of "
              + x
              + " values is not supported (int8, uint8, int16, uint16, int32, int4 and uint4 are)");
    }
    DType scale = context.inputDType(SCALE);
    if (!SCALE_TYPES.contains(scale)) {
      return Optional.of(
          "DequantizeLinear with " + scale + " scales is not supported (float32, float16 are)");
    }
    return Optional.empty();
  }

  /** How the scale applies to x. */
  enum Form {
    PER_TENSOR,
    PER_AXIS,
    BLOCKED
  }

  /** The scale's form, its axis (normalized) and block size; checked against x's shape. */
  record Layout(Form form, int axis, long blockSize) {
    /** The index into the scale of x's element {@code index} of x's shape {@code x}. */
    int scaleIndex(long[] x, long[] strides, int index) {
      return switch (form) {
        case PER_TENSOR -> 0;
        case PER_AXIS -> (int) (index / strides[axis] % x[axis]);
        case BLOCKED -> {
          long along = index / strides[axis] % x[axis];
          long outer = index / (strides[axis] * x[axis]);
          long inner = index % strides[axis];
          long blocks = Math.ceilDiv(x[axis], blockSize);
          yield (int) ((outer * blocks + along / blockSize) * strides[axis] + inner);
        }
      };
    }
  }

  static Layout layout(InferenceContext context) {
    Shape x = context.inputShape(X);
    Shape scale = context.inputShape(SCALE);
    long blockSize = context.attributes().getInt("block_size", 0);
    boolean oneValue = scale.elementCount().isConstant() && scale.elementCount().constant() == 1;
    if (blockSize < 0) {
      throw context.error("DequantizeLinear's block_size must be ≥ 0; got " + blockSize);
    }
    if (blockSize == 0 && (scale.rank() == 0 || (scale.rank() == 1 && oneValue))) {
      return new Layout(Form.PER_TENSOR, 0, 0);
    }
    int axis = Axes.normalize(context, context.attributes().getInt("axis", 1), x.rank());
    if (blockSize == 0) {
      if (scale.rank() != 1) {
        throw context.error(
            "DequantizeLinear's x_scale must be a scalar or a vector along axis "
                + axis
                + " without block_size; got "
                + scale);
      }
      expectDim(context, scale.dim(0), x.dim(axis), "per-axis x_scale " + scale, axis);
      return new Layout(Form.PER_AXIS, axis, 0);
    }
    if (scale.rank() != x.rank()) {
      throw context.error(
          "DequantizeLinear's blocked x_scale " + scale + " must have x's rank " + x.rank());
    }
    for (int d = 0; d < x.rank(); d++) {
      Dim want = d == axis ? x.dim(d).ceilDiv(Dim.of(blockSize)) : x.dim(d);
      expectDim(context, scale.dim(d), want, "blocked x_scale " + scale, d);
    }
    return new Layout(Form.BLOCKED, axis, blockSize);
  }

  private static void expectDim(InferenceContext context, Dim got, Dim want, String what, int d) {
    if (got.isConstant() && want.isConstant() && got.constant() != want.constant()) {
      throw context.error(
          "DequantizeLinear's " + what + " needs " + want + " at dim " + d + ", not " + got);
    }
    context.unify(got, want, "DequantizeLinear's scale and x");
  }

  private static DType outputType(InferenceContext context) {
    DType scale = context.inputDType(SCALE);
    long code = context.attributes().getInt("output_dtype", 0);
    if (code != 0 && code != scale.onnxCode()) {
      throw context.error(
          "DequantizeLinear's output_dtype " + code + " must be x_scale's type " + scale);
    }
    return scale;
  }

  @Override
  public List<TensorType> inferTypes(InferenceContext context) {
    layout(context);
    if (context.hasInput(ZERO_POINT)) {
      if (context.inputDType(ZERO_POINT) != context.inputDType(X)) {
        throw context.error(
            "DequantizeLinear's x_zero_point is "
                + context.inputDType(ZERO_POINT)
                + " but x is "
                + context.inputDType(X));
      }
      Shape zeroPoint = context.inputShape(ZERO_POINT);
      Shape scale = context.inputShape(SCALE);
      if (zeroPoint.isStatic()
          && scale.isStatic()
          && zeroPoint.elementCount().constant() != scale.elementCount().constant()) {
        throw context.error(
            "DequantizeLinear's x_zero_point " + zeroPoint + " must have x_scale's shape " + scale);
      }
    }
    return List.of(new TensorType(outputType(context), context.inputShape(X)));
  }

  @Override
  public List<Tensor> evaluate(EvaluationContext context) {
    Tensor x = context.input(X);
    Tensor scale = context.input(SCALE);
    Tensor zeroPoint = context.optionalInput(ZERO_POINT).orElse(null);
    Layout layout = layout(x.shape(), scale.shape(), context);
    long[] shape = x.shape();
    long[] strides = Tensor.rowMajorStrides(shape);
    Tensor y = Tensor.allocate(scale.dtype(), shape);
    for (int i = 0; i < x.size(); i++) {
      int s = layout.scaleIndex(shape, strides, i);
      float zero = zeroPoint == null ? 0 : (float) zeroPoint.getLong(s);
      y.setFloat(i, ((float) x.getLong(i) - zero) * scale.getFloat(s));
    }
    return List.of(y);
  }

  /** The layout of run-time tensors, as inference would find it for their shapes. */
  private static Layout layout(long[] x, long[] scale, EvaluationContext context) {
    long blockSize = context.attributes().getInt("block_size", 0);
    if (blockSize == 0 && Tensor.elementCount(scale) == 1) {
      return new Layout(Form.PER_TENSOR, 0, 0);
    }
    int axis = Axes.normalize(context.attributes().getInt("axis", 1), x.length);
    return new Layout(blockSize == 0 ? Form.PER_AXIS : Form.BLOCKED, axis, blockSize);
  }
}
