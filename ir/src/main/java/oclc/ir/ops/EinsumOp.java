package oclc.ir.ops;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import oclc.ir.Dim;
import oclc.ir.EvaluationContext;
import oclc.ir.InferenceContext;
import oclc.ir.OpDefinition;
import oclc.ir.Shape;
import oclc.ir.Tensor;
import oclc.ir.TensorType;

/**
 * Einsum over any equation: explicit or implicit output, repeated labels (diagonals), ellipsis
 * broadcasting. The reference loops over every combination of label values.
 */
final class EinsumOp implements OpDefinition {
  @Override
  public String opType() {
    return "Einsum";
  }

  @Override
  public List<TensorType> inferTypes(InferenceContext context) {
    List<Integer> ranks = new ArrayList<>();
    for (int i = 0; i < context.inputCount(); i++) {
      ranks.add(context.inputShape(i).rank());
    }
    EinsumEquation e = EinsumEquation.parse(context.attributes().getString("equation"), ranks);
    Map<Character, Dim> sizes = new LinkedHashMap<>();
    for (int i = 0; i < e.inputs().size(); i++) {
      String t = e.inputs().get(i);
      for (int j = 0; j < t.length(); j++) {
        Dim d = context.inputShape(i).dim(j);
        sizes.merge(t.charAt(j), d, (a, b) -> a.equals(Dim.of(1)) ? b : a);
      }
    }
    List<Dim> out = new ArrayList<>();
    for (char c : e.output().toCharArray()) {
      out.add(sizes.get(c));
    }
    return List.of(new TensorType(context.inputDType(0), new Shape(out)));
  }

  @Override
  public List<Tensor> evaluate(EvaluationContext context) {
    List<Tensor> inputs = new ArrayList<>();
    List<Integer> ranks = new ArrayList<>();
    for (int i = 0; i < context.inputCount(); i++) {
      inputs.add(context.input(i));
      ranks.add(context.input(i).rank());
    }
    EinsumEquation e = EinsumEquation.parse(context.attributes().getString("equation"), ranks);
    Map<Character, Long> sizes = new LinkedHashMap<>();
    for (int i = 0; i < inputs.size(); i++) {
      String t = e.inputs().get(i);
      for (int j = 0; j < t.length(); j++) {
        sizes.merge(t.charAt(j), inputs.get(i).dim(j), Math::max);
      }
    }
    List<Character> labels = new ArrayList<>();
    for (char c : e.output().toCharArray()) {
      labels.add(c);
    }
    for (char c : sizes.keySet()) {
      if (!labels.contains(c)) {
        labels.add(c);
      }
    }
    long[] loop = labels.stream().mapToLong(sizes::get).toArray();
    long[] outShape = new long[e.output().length()];
    for (int i = 0; i < outShape.length; i++) {
      outShape[i] = loop[i];
    }
    int outSize = Tensor.elementCount(outShape);
    double[] sums = new double[outSize];
    long[] value = new long[loop.length];
    long total = 1;
    for (long l : loop) {
      total *= l;
    }
    for (long flat = 0; flat < total; flat++) {
      Indexing.unravel(flat, loop, value);
      double product = 1;
      for (int i = 0; i < inputs.size(); i++) {
        Tensor t = inputs.get(i);
        String term = e.inputs().get(i);
        long offset = 0;
        long[] strides = Indexing.strides(t.shape());
        for (int j = 0; j < term.length(); j++) {
          long v = value[labels.indexOf(term.charAt(j))];
          offset += (t.dim(j) == 1 ? 0 : v) * strides[j];
        }
        product *= t.getDouble((int) offset);
      }
      long outIndex = 0;
      for (int i = 0; i < outShape.length; i++) {
        outIndex = outIndex * outShape[i] + value[i];
      }
      sums[(int) outIndex] += product;
    }
    Tensor y = Tensor.allocate(inputs.get(0).dtype(), outShape);
    for (int i = 0; i < outSize; i++) {
      y.setDouble(i, sums[i]);
    }
    return List.of(y);
  }
}
