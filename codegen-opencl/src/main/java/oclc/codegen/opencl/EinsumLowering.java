package oclc.codegen.opencl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import oclc.artifact.Manifest.Variant;
import oclc.ir.Dim;
import oclc.ir.Node;
import oclc.ir.ops.EinsumEquation;
import oclc.lowering.Dims;

/**
 * Einsum of one or two operands that sums over at most one label, as a {@link StridedProduct}: the
 * output's last label is j, the one before it i, the others batch axes (from the table); the summed
 * label is p. An operand's stride for a label is the sum of its axes' strides with that label (a
 * repeated label walks a diagonal), 0 where it lacks the label or broadcasts it (size 1).
 */
public final class EinsumLowering implements NodeLowering {
  @Override
  public List<Variant> lower(Node node, LoweringContext context) {
    List<String> inputs = node.inputs();
    if (inputs.size() > 2) {
      throw new NotLowerableException(
          "Einsum of " + inputs.size() + " operands has no kernel (one or two)");
    }
    String output = node.outputs().get(0);
    List<Integer> ranks = inputs.stream().map(input -> context.shape(input).size()).toList();
    EinsumEquation equation = EinsumEquation.parse(node.attributes().getString("equation"), ranks);
    Map<Character, Dim> sizes = new LinkedHashMap<>();
    for (int i = 0; i < inputs.size(); i++) {
      String term = equation.inputs().get(i);
      List<Dim> shape = context.shape(inputs.get(i));
      for (int axis = 0; axis < term.length(); axis++) {
        sizes.merge(term.charAt(axis), shape.get(axis), (x, y) -> Dims.isOne(x) ? y : x);
      }
    }
    String out = equation.output();
    Set<Character> summed = new LinkedHashSet<>(sizes.keySet());
    out.chars().forEach(label -> summed.remove((char) label));
    if (summed.size() > 1) {
      throw new NotLowerableException(
          "Einsum '"
              + node.attributes().getString("equation")
              + "' sums over "
              + summed.size()
              + " labels; the strided product sums over one");
    }
    Optional<Character> p = summed.stream().findFirst();
    Optional<Character> j =
        out.isEmpty() ? Optional.empty() : Optional.of(out.charAt(out.length() - 1));
    Optional<Character> i =
        out.length() < 2 ? Optional.empty() : Optional.of(out.charAt(out.length() - 2));
    String batchLabels = out.substring(0, Math.max(0, out.length() - 2));
    List<Long> batchShape = new ArrayList<>();
    for (char label : batchLabels.toCharArray()) {
      batchShape.add(
          StridedProduct.constant(sizes.get(label), "the size of Einsum label '" + label + "'"));
    }
    List<StridedProduct.Operand> operands = new ArrayList<>();
    for (int input = 0; input < inputs.size(); input++) {
      String value = inputs.get(input);
      String term = equation.inputs().get(input);
      List<Long> batchStrides = new ArrayList<>();
      for (char label : batchLabels.toCharArray()) {
        batchStrides.add(
            StridedProduct.constant(
                stride(context, value, term, label),
                "the stride of '" + value + "' along Einsum label '" + label + "'"));
      }
      operands.add(
          new StridedProduct.Operand(
              value,
              stride(context, value, term, i),
              stride(context, value, term, j),
              stride(context, value, term, p),
              batchStrides));
    }
    Dim one = Dim.of(1);
    return List.of(
        new StridedProduct(
                i.map(sizes::get).orElse(one),
                j.map(sizes::get).orElse(one),
                p.map(sizes::get).orElse(one),
                operands.get(0),
                operands.stream().skip(1).findFirst(),
                Optional.empty(),
                Optional.empty(),
                0f,
                batchShape)
            .lower(node, context, output));
  }

  private static Dim stride(
      LoweringContext context, String value, String term, Optional<Character> label) {
    return label.map(l -> stride(context, value, term, l)).orElse(Dim.of(0));
  }

  /**
   * The sum of the strides of {@code value}'s axes labelled {@code label} that do not broadcast.
   */
  private static Dim stride(LoweringContext context, String value, String term, char label) {
    List<Dim> shape = context.shape(value);
    List<Dim> strides = context.strides(value);
    Dim sum = Dim.of(0);
    for (int axis = 0; axis < term.length(); axis++) {
      if (term.charAt(axis) == label && !Dims.isOne(shape.get(axis))) {
        sum = sum.plus(strides.get(axis));
      }
    }
    return sum;
  }
}
