package oclc.ir.ops;

import java.util.List;
import oclc.ir.DType;
import oclc.ir.InferenceContext;
import oclc.ir.UnsupportedFeatureException;
import oclc.ir.Tensor;
import oclc.ir.TensorType;

/** Identity, and Dropout at inference (the output is the input; the optional mask is all true). */
final class IdentityOp extends MovementOp {
  private final String opType;

  IdentityOp(String opType) {
    this.opType = opType;
  }

  @Override
  public String opType() {
    return opType;
  }

  @Override
  boolean isData(int input) {
    return input == 0;
  }

  @Override
  public List<TensorType> inferTypes(InferenceContext context) {
    TensorType in = context.inputType(0);
    if (context.outputCount() > 1) {
      return List.of(in, new TensorType(DType.BOOL, in.shape()));
    }
    return List.of(in);
  }

  @Override
  public List<Tensor> evaluate(oclc.ir.EvaluationContext context) {
    boolean training = context.hasInput(2) && context.input(2).getBool(0);
    double ratio = context.hasInput(1) ? context.input(1).getDouble(0) : 0.5;
    if (training && ratio != 0) {
      throw new UnsupportedFeatureException(context.node() + ": Dropout in training mode draws random "
          + "numbers; oclc runs inference only");
    }
    Tensor out = super.evaluate(context).get(0);
    if (context.outputCount() > 1) {
      Tensor mask = Tensor.allocate(DType.BOOL, out.shape());
      for (int i = 0; i < mask.size(); i++) {
        mask.setBool(i, true);
      }
      return List.of(out, mask);
    }
    return List.of(out);
  }

  @Override
  ElementSources sources(Arguments arguments) {
    return ReshapeOp.identity(arguments.shape(0));
  }
}
