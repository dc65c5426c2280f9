package oclc.ir.ops;

import java.util.List;
import oclc.ir.InferenceContext;
import oclc.ir.OpDefinition;
import oclc.ir.TensorType;

/** An op whose one output has exactly its first input's type (Clip, Softmax, CumSum, …). */
abstract class ShapePreservingOp implements OpDefinition {
  @Override
  public List<TensorType> inferTypes(InferenceContext context) {
    return List.of(context.inputType(0));
  }
}
