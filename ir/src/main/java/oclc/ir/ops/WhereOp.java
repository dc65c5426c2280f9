package oclc.ir.ops;

import java.util.List;
import java.util.Optional;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.EvaluationContext;
import oclc.ir.InferenceContext;
import oclc.ir.OpDefinition;
import oclc.ir.SymbolicTensor;
import oclc.ir.Tensor;
import oclc.ir.TensorType;

/** Where(condition, x, y): x where the condition holds, else y, all three broadcast. */
final class WhereOp implements OpDefinition {
  @Override
  public String opType() {
    return "Where";
  }

  @Override
  public List<TensorType> inferTypes(InferenceContext context) {
    if (!context.inputDType(0).isBool()) {
      throw context.error(
          "the condition (input 0) has element type "
              + context.inputDType(0)
              + "; Where needs bool");
    }
    if (context.inputDType(1) != context.inputDType(2)) {
      throw context.error(
          "the two branches have element types "
              + context.inputDType(1)
              + " and "
              + context.inputDType(2)
              + "; Where needs one type");
    }
    return List.of(
        new TensorType(
            context.inputDType(1),
            Broadcast.shapes(
                context, context.inputShape(0), context.inputShape(1), context.inputShape(2))));
  }

  @Override
  public List<Tensor> evaluate(EvaluationContext context) {
    List<Tensor> inputs = List.of(context.input(0), context.input(1), context.input(2));
    return List.of(
        ElementwiseKernels.broadcast(
            inputs,
            inputs.get(1).dtype(),
            (out, i, in, idx) ->
                out.copyElement(
                    in.get(0).getBool(idx[0]) ? in.get(1) : in.get(2),
                    in.get(0).getBool(idx[0]) ? idx[1] : idx[2],
                    i)));
  }

  @Override
  public Optional<List<SymbolicTensor>> evaluateSymbolic(InferenceContext context) {
    DType type = context.inputDType(1);
    if (type.isFloat()) {
      return Optional.empty();
    }
    return ElementwiseKernels.symbolicInputs(context)
        .flatMap(
            inputs ->
                ElementwiseKernels.broadcastSymbolic(
                    inputs,
                    type,
                    args ->
                        args.get(0)
                            .compareKnown(Dim.of(0))
                            .map(c -> c != 0 ? args.get(1) : args.get(2))))
        .map(List::of);
  }
}
