package oclc.codegen.opencl;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.Node;
import oclc.templates.KernelTemplates;

/**
 * The elementwise part of a fused group as {@code elementwise.stg}'s fusion templates take it: the
 * leaves (values the group reads from memory, each with its strides), one step per node (its value
 * in a register, computed by the op's own dictionary expression) and the stores of the values some
 * reader outside the group needs. Only float32 nodes are members (a Where's condition is a bool
 * leaf), so every register is a float.
 */
public final class FusedCode {
  private static final String FAMILY = "elementwise";

  /**
   * A buffer the group reads, at {@code strides} per axis of the kernel's index space; in a vector
   * epilogue, {@code contiguous} where it runs along the columns (loaded a panel at a time).
   */
  public record Leaf(
      int index, String value, boolean bool, List<Dim> strides, boolean contiguous) {}

  /** A register: the product's element (an epilogue's anchor), a leaf, or an earlier step. */
  public record Operand(boolean anchor, boolean leaf, int index) {}

  /**
   * One node's value. {@code key} is its dictionary key; {@code factors} the multiplications of a
   * power.
   */
  public record Step(
      int index,
      String comment,
      String key,
      boolean unary,
      boolean binary,
      boolean power,
      List<Operand> operands,
      List<Integer> factors) {}

  /** A value stored for readers outside the group, from its register. */
  public record Output(int index, String value, Operand register) {}

  /**
   * How a leaf is addressed: its strides for the shape of the member that reads it, or empty when
   * it cannot be.
   */
  interface Addressing {
    Optional<List<Dim>> strides(String leaf, List<Dim> leafShape, List<Dim> readerShape);
  }

  final List<Leaf> leaves;
  final List<Step> steps;
  final List<Output> outputs;

  private FusedCode(List<Leaf> leaves, List<Step> steps, List<Output> outputs) {
    this.leaves = leaves;
    this.steps = steps;
    this.outputs = outputs;
  }

  /** Whether a node can be a member: a float32 elementwise op the fused steps spell. */
  static boolean fusable(Node node, LoweringContext context) {
    if (!(node.domain().isEmpty() || node.domain().equals("ai.onnx"))
        || node.outputs().size() != 1
        || node.inputs().stream().anyMatch(String::isEmpty)) {
      return false;
    }
    try {
      if (context.dtype(node.outputs().get(0)) != DType.FLOAT32) {
        return false;
      }
      List<DType> types = node.inputs().stream().map(context::dtype).toList();
      return switch (node.opType()) {
        case "Where" ->
            types.size() == 3
                && types.get(0) == DType.BOOL
                && types.get(1) == DType.FLOAT32
                && types.get(2) == DType.FLOAT32;
        case "Pow" ->
            types.size() == 2
                && types.get(0) == DType.FLOAT32
                && (types.get(1) == DType.FLOAT32
                    || PowLowering.smallIntegerExponent(context, node.inputs().get(1)).isPresent());
        default ->
            types.stream().allMatch(t -> t == DType.FLOAT32)
                && ElementwiseKernels.parameters(node).isEmpty()
                && (types.size() == 1
                    ? dictionary("floatUnary").contains(ElementwiseKernels.expressionKey(node))
                    : types.size() == 2
                        && !node.opType().equals("Mean")
                        && dictionary("floatBinary")
                            .contains(ElementwiseKernels.expressionKey(node)));
      };
    } catch (NotLowerableException e) {
      return false; // a type known only at run time
    }
  }

  private static java.util.Set<String> dictionary(String name) {
    return KernelTemplates.dictionaryKeys(FAMILY, name);
  }

  /**
   * The code of {@code members} (in order; views among them rename a register): registers start
   * from the anchor's output when there is one, leaves are addressed as {@code addressing} says (a
   * leaf read at two addressings is two leaves), and {@code stored} values are written.
   */
  static Optional<FusedCode> of(
      String anchorOutput,
      List<Node> members,
      List<String> stored,
      LoweringContext context,
      Addressing addressing) {
    Map<String, Operand> registers = new HashMap<>();
    if (anchorOutput != null) {
      registers.put(anchorOutput, new Operand(true, false, 0));
    }
    Map<String, Leaf> leaves = new LinkedHashMap<>();
    List<Step> steps = new ArrayList<>();
    for (Node member : members) {
      String output = member.outputs().get(0);
      if (!fusable(member, context)) { // a view: its output is its input's register
        registers.put(output, registers.get(member.inputs().get(0)));
        continue;
      }
      List<Dim> shape = context.shape(output);
      Optional<Integer> exponent =
          member.opType().equals("Pow")
              ? PowLowering.smallIntegerExponent(context, member.inputs().get(1))
              : Optional.empty();
      List<String> inputs = exponent.isPresent() ? member.inputs().subList(0, 1) : member.inputs();
      List<Operand> operands = new ArrayList<>();
      for (String input : inputs) {
        Operand known = registers.get(input);
        if (known != null) {
          operands.add(known);
          continue;
        }
        Optional<List<Dim>> strides = addressing.strides(input, context.shape(input), shape);
        if (strides.isEmpty()) {
          return Optional.empty();
        }
        if (context.constant(input).isPresent()) {
          context.read(input); // the constant becomes a param
        }
        String key = input + " " + strides.get();
        Leaf leaf =
            leaves.computeIfAbsent(
                key,
                k ->
                    new Leaf(
                        leaves.size(),
                        input,
                        context.dtype(input) == DType.BOOL,
                        strides.get(),
                        false));
        operands.add(new Operand(false, true, leaf.index()));
      }
      int index = steps.size();
      String comment = member.opType(); // no node names: equal code in every layer is one kernel
      String form =
          exponent.isPresent()
              ? "power"
              : member.opType().equals("Where")
                  ? "select"
                  : operands.size() == 1 ? "unary" : "binary";
      steps.add(
          new Step(
              index,
              comment,
              ElementwiseKernels.expressionKey(member),
              form.equals("unary"),
              form.equals("binary"),
              form.equals("power"),
              operands,
              exponent.map(n -> Collections.nCopies(n, n)).orElse(List.of())));
      registers.put(output, new Operand(false, false, index));
    }
    List<Output> outputs = new ArrayList<>();
    for (String value : stored) {
      outputs.add(new Output(outputs.size(), value, registers.get(value)));
    }
    return Optional.of(new FusedCode(List.copyOf(leaves.values()), steps, outputs));
  }

  /**
   * The same code computing a panel of columns at once, where it can be: every step an arithmetic
   * expression or built-in function (OpenCL's are defined on vectors alike; no selection, whose
   * vector form differs), and every leaf of an epilogue's (batch, row, column) space either
   * broadcast along the columns or running along them with stride 1.
   */
  Optional<FusedCode> vectorized() {
    for (Step step : steps) {
      String expression =
          step.power()
              ? ""
              : step.unary() || step.binary()
                  ? KernelTemplates.render(
                      FAMILY,
                      (step.unary() ? "floatUnary" : "floatBinary") + "Expression",
                      Map.of("key", step.key()))
                  : "?";
      if (expression.contains("?")) {
        return Optional.empty();
      }
    }
    List<Leaf> vectorLeaves = new ArrayList<>();
    for (Leaf leaf : leaves) {
      Dim column = leaf.strides().size() == 3 ? leaf.strides().get(2) : null;
      if (leaf.bool()
          || column == null
          || !column.isConstant()
          || (column.constant() != 0 && column.constant() != 1)) {
        return Optional.empty();
      }
      vectorLeaves.add(
          new Leaf(leaf.index(), leaf.value(), false, leaf.strides(), column.constant() == 1));
    }
    return Optional.of(new FusedCode(vectorLeaves, steps, outputs));
  }

  /** What the steps compute, for a kernel's comment: the ops in order. */
  String summary() {
    return String.join(", ", steps.stream().map(Step::comment).toList());
  }

  /** A short hash of a text, so that equal fused code gets one kernel name. */
  static String hash(String text) {
    try {
      byte[] digest =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(digest, 0, 4);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
