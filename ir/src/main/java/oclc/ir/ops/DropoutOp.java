package oclc.ir.ops;

import java.util.ArrayList;
import java.util.Collections;
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
import oclc.ir.UnsupportedFeatureException;

/**
 * Dropout at inference: the output is the input and the optional mask is all true. Training mode
 * (the training_mode input, from opset 12) with a non-zero ratio draws random numbers, which oclc
 * does not do; with ratio 0 it is inference again.
 */
final class DropoutOp implements OpDefinition {
  @Override
  public String opType() {
    return "Dropout";
  }

  /** Before opset 10 the mask has the data's type; from 10 it is bool. */
  private static DType maskType(long opset, DType data) {
    return opset < 10 ? data : DType.BOOL;
  }

  @Override
  public List<TensorType> inferTypes(InferenceContext context) {
    TensorType in = context.inputType(0);
    if (context.outputCount() > 1) {
      return List.of(in, new TensorType(maskType(context.opset(), in.dtype()), in.shape()));
    }
    return List.of(in);
  }

  @Override
  public Optional<String> unsupportedReason(InferenceContext context) {
    boolean training = context.constantInput(2).map(t -> t.getBool(0)).orElse(false);
    double ratio = context.constantInput(1).map(t -> t.getDouble(0)).orElse(0.5);
    if (training && ratio != 0) {
      return Optional.of(
          "Dropout in training mode (ratio "
              + ratio
              + ") draws random numbers; oclc runs inference only");
    }
    return Optional.empty();
  }

  @Override
  public List<Tensor> evaluate(EvaluationContext context) {
    boolean training = context.hasInput(2) && context.input(2).getBool(0);
    double ratio = context.hasInput(1) ? context.input(1).getDouble(0) : 0.5;
    if (training && ratio != 0) {
      throw new UnsupportedFeatureException(
          context.node()
              + ": Dropout in training mode draws random "
              + "numbers; oclc runs inference only");
    }
    Tensor out = context.input(0).copy();
    if (context.outputCount() < 2) {
      return List.of(out);
    }
    Tensor mask = Tensor.allocate(maskType(context.opset(), out.dtype()), out.shape());
    for (int i = 0; i < mask.size(); i++) {
      mask.setLong(i, 1);
    }
    return List.of(out, mask);
  }

  @Override
  public Optional<List<SymbolicTensor>> evaluateSymbolic(InferenceContext context) {
    Optional<SymbolicTensor> data = context.symbolicInput(0);
    boolean training =
        !context.hasInput(2) ? false : context.constantInput(2).map(t -> t.getBool(0)).orElse(true);
    if (data.isEmpty() || training) {
      return Optional.empty();
    }
    List<SymbolicTensor> outputs = new ArrayList<>(List.of(data.get()));
    if (context.outputCount() > 1) {
      DType type = maskType(context.opset(), data.get().dtype());
      outputs.add(
          new SymbolicTensor(
              type, data.get().shape(), Collections.nCopies(data.get().size(), Dim.of(1))));
    }
    return Optional.of(outputs);
  }
}
