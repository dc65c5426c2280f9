package oclc.ir.ops;

import java.util.List;
import oclc.ir.InferenceContext;
import oclc.ir.TensorType;

/** Identity: the output is the input. */
final class IdentityOp extends MovementOp {
  @Override
  public boolean viewsFirstInput() {
    return true;
  }

  @Override
  public String opType() {
    return "Identity";
  }

  @Override
  public List<TensorType> inferTypes(InferenceContext context) {
    return List.of(context.inputType(0));
  }

  @Override
  ElementSources sources(Arguments arguments) {
    return ReshapeOp.identity(arguments.shape(0));
  }
}
