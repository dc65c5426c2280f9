package oclc.ir.ops;

import java.util.List;
import oclc.ir.Attribute;
import oclc.ir.Attributes;
import oclc.ir.DType;
import oclc.ir.EvaluationContext;
import oclc.ir.InferenceContext;
import oclc.ir.NodeRewrite;
import oclc.ir.Tensor;
import oclc.ir.TensorType;

/**
 * ONNX Runtime's GELU activations (com.microsoft), one class for their forms: FastGelu, the tanh
 * approximation {@code 0.5·x·(1 + tanh(x·(B + C·x²)))} with an optional bias added to x first;
 * BiasGelu, the exact {@code 0.5·x·(1 + erf(x/√2))} of x plus a bias; Gelu, the exact one without a
 * bias; QuickGelu, {@code x·sigmoid(alpha·x)}. A bias has the length of x's last axis.
 */
final class MicrosoftGeluOp implements MicrosoftOp {
  /** √(2/π) and 0.044715·√(2/π), the tanh approximation's coefficients. */
  static final double B = Math.sqrt(2 / Math.PI), C = 0.044715 * Math.sqrt(2 / Math.PI);

  /** QuickGelu's default alpha. */
  private static final float QUICK_ALPHA = 1.702f;

  enum Form {
    FAST("FastGelu", true),
    BIAS("BiasGelu", true),
    EXACT("Gelu", false),
    QUICK("QuickGelu", false);

    final String opType;
    final boolean takesBias;

    Form(String opType, boolean takesBias) {
      this.opType = opType;
      this.takesBias = takesBias;
    }
  }

  private final Form form;

  MicrosoftGeluOp(Form form) {
    this.form = form;
  }

  @Override
  public String opType() {
    return form.opType;
  }

  @Override
  public List<TensorType> inferTypes(InferenceContext context) {
    TensorType x = context.inputType(0);
    if (!x.dtype().isFloat() || x.rank() == 0) {
      throw context.error(form.opType + " takes a float tensor of rank 1 or more; got " + x);
    }
    if (form == Form.BIAS && !context.hasInput(1)) {
      throw context.error("BiasGelu takes a bias");
    }
    if (form.takesBias) {
      MicrosoftRows.checkVector(context, 1, "bias", x);
    } else if (context.inputCount() > 1 && context.hasInput(1)) {
      throw context.error(form.opType + " takes one input");
    }
    return List.of(x);
  }

  @Override
  public List<Tensor> evaluate(EvaluationContext context) {
    Tensor x = context.input(0);
    Tensor bias = form.takesBias ? context.optionalInput(1).orElse(null) : null;
    double alpha = context.attributes().getFloat("alpha", QUICK_ALPHA);
    Tensor y = Tensor.allocate(x.dtype(), x.shape());
    for (int i = 0; i < y.size(); i++) {
      double v = x.getDouble(i) + (bias == null ? 0 : bias.getDouble(i % bias.size()));
      y.setDouble(
          i,
          switch (form) {
            case FAST -> 0.5 * v * (1 + Math.tanh(v * (B + C * v * v)));
            case BIAS, EXACT -> 0.5 * v * (1 + SpecialFunctions.erf(v / Math.sqrt(2)));
            case QUICK -> v * SpecialFunctions.sigmoid(alpha * v);
          });
    }
    return List.of(y);
  }

  @Override
  public boolean decompose(NodeRewrite rewrite) {
    DType dtype = rewrite.context().inputDType(0);
    String x = rewrite.input(0);
    if (form.takesBias && rewrite.context().hasInput(1)) {
      x = rewrite.add("bias", "Add", x, rewrite.input(1));
    }
    String y = rewrite.output(0);
    switch (form) {
      case FAST -> {
        // x·(B + C·x²) → tanh → (t + 1)·(x/2): elementwise ops that every backend runs natively
        String square = rewrite.add("square", "Mul", x, x);
        String scaled =
            rewrite.add("scaled", "Mul", square, MicrosoftRows.scalar(rewrite, "c", dtype, C));
        String shifted =
            rewrite.add("shifted", "Add", scaled, MicrosoftRows.scalar(rewrite, "b", dtype, B));
        String inner = rewrite.add("inner", "Mul", x, shifted);
        String tanh = rewrite.add("tanh", "Tanh", inner);
        String one =
            rewrite.add("one_plus", "Add", tanh, MicrosoftRows.scalar(rewrite, "one", dtype, 1));
        String half =
            rewrite.add("half", "Mul", x, MicrosoftRows.scalar(rewrite, "half", dtype, 0.5));
        rewrite.addAs(y, "gelu", "Mul", Attributes.NONE, half, one);
      }
      case BIAS, EXACT -> rewrite.addAs(y, "gelu", "Gelu", Attributes.NONE, x);
      case QUICK ->
          rewrite.addAs(
              y,
              "gelu",
              "Swish",
              Attributes.NONE.with(
                  "alpha",
                  new Attribute.FloatValue(
                      rewrite.context().attributes().getFloat("alpha", QUICK_ALPHA))),
              x);
    }
    return true;
  }
}
