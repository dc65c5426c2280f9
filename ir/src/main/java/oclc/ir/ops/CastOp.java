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
import oclc.ir.SymbolicTensor;
import oclc.ir.Tensor;
import oclc.ir.TensorType;
import oclc.ir.UnsupportedFeatureException;

/** Cast (target type in the {@code to} attribute) and CastLike (the type of its second input). */
final class CastOp implements OpDefinition {
  private final boolean like;

  CastOp(boolean like) {
    this.like = like;
  }

  @Override
  public String opType() {
    return like ? "CastLike" : "Cast";
  }

  private DType target(InferenceContext context) {
    if (like) {
      return context.inputDType(1);
    }
    int code = (int) context.attributes().getInt("to");
    DType type =
        DType.fromOnnxCode(code)
            .filter(DType::isSupported)
            .orElseThrow(
                () ->
                    new UnsupportedFeatureException(
                        context.node() + ": cast to element type " + code + " is not supported"));
    return type;
  }

  /** A Cast to an integer type keeps an integer input's values (those it can hold). */
  @Override
  public boolean copiesValuesOf(Attributes attributes, int input) {
    return !like
        && input == 0
        && DType.fromOnnxCode((int) attributes.getInt("to", 0)).map(DType::isInteger).orElse(false);
  }

  /** float8, int4 and the other narrow types have no tensors in oclc. */
  @Override
  public Optional<String> unsupportedReason(InferenceContext context) {
    if (like) {
      return Optional.empty();
    }
    int code = (int) context.attributes().getInt("to");
    return DType.fromOnnxCode(code).filter(DType::isSupported).isPresent()
        ? Optional.empty()
        : Optional.of("cast to element type " + code + " is not supported");
  }

  @Override
  public List<TensorType> inferTypes(InferenceContext context) {
    return List.of(new TensorType(target(context), context.inputShape(0)));
  }

  @Override
  public List<Tensor> evaluate(EvaluationContext context) {
    Tensor x = context.input(0);
    DType to =
        like
            ? context.input(1).dtype()
            : DType.fromOnnxCode((int) context.attributes().getInt("to")).orElseThrow();
    Tensor y = Tensor.allocate(to, x.shape());
    for (int i = 0; i < x.size(); i++) {
      if (to.isBool()) {
        y.setBool(i, x.getBool(i)); // NaN is not zero, so true
      } else if (x.dtype().isFloat()) {
        double v = x.getDouble(i);
        // To an integer this truncates toward zero, as C's cast does (NaN is undefined; 0 here).
        y.setDouble(i, to.isInteger() && Double.isNaN(v) ? 0 : v);
      } else if (to.isFloat()) {
        y.setDouble(i, x.getDouble(i)); // getDouble reads uint64 as unsigned
      } else {
        y.setLong(i, x.getLong(i)); // integers wrap to the target's width, as numpy's astype does
      }
    }
    return List.of(y);
  }

  /**
   * Between integer types and bool, over dims: a constant converts as at run time; a symbolic dim
   * stays itself between integer types (a size fits every one) and becomes a bool where its
   * comparison with 0 is known.
   */
  @Override
  public Optional<List<SymbolicTensor>> evaluateSymbolic(InferenceContext context) {
    DType to = target(context);
    Optional<SymbolicTensor> input = context.symbolicInput(0);
    if (to.isFloat() || input.isEmpty() || input.get().dtype().isFloat()) {
      return Optional.empty();
    }
    List<Dim> elements = new ArrayList<>();
    for (Dim d : input.get().elements()) {
      if (d.isConstant()) {
        elements.add(Dim.of(Tensor.ofLongs(to, new long[0], d.constant()).getLong(0)));
      } else if (to.isBool()) {
        Optional<Integer> sign = d.compareKnown(Dim.of(0));
        if (sign.isEmpty()) {
          return Optional.empty();
        }
        elements.add(ElementwiseKernels.bool(sign.get() != 0));
      } else {
        elements.add(d);
      }
    }
    return Optional.of(List.of(new SymbolicTensor(to, input.get().shape(), elements)));
  }
}
