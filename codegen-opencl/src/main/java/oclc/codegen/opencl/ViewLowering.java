package oclc.codegen.opencl;

import java.util.List;
import java.util.Optional;
import oclc.artifact.Manifest.Argument;
import oclc.artifact.Manifest.Variant;
import oclc.ir.Dim;
import oclc.ir.Node;
import oclc.ir.Tensor;
import oclc.lowering.Dims;

/**
 * Reshape, Unsqueeze, Squeeze, Flatten, Identity and inference-mode Dropout keep every element in
 * place: the output is a view of the input's memory, and no kernel runs but the one that fills
 * Dropout's mask, when it is wanted, with ones.
 */
public final class ViewLowering {
  private ViewLowering() {}

  public static final OpenClFamily FAMILY =
      OpenClFamily.builder()
          .everyOp((node, context) -> view(node, context, false))
          .op("Dropout", ViewLowering::dropout)
          .build();

  /** Dropout at inference: a view, and its mask filled with ones when it is wanted. */
  private static List<Variant> dropout(Node node, LoweringContext context) {
    requireInference(node, context);
    return view(node, context, node.outputs().size() > 1 && !node.outputs().get(1).isEmpty());
  }

  private static List<Variant> view(Node node, LoweringContext context, boolean maskWanted) {
    String input = node.inputs().get(0);
    String output = node.outputs().get(0);
    if (context.constant(input).isPresent()) {
      context.read(input); // the constant becomes a param the view shares
    }
    context.type(output);
    context.view(output, input);
    if (!maskWanted) {
      return List.of(new Variant("view", List.of(), List.of()));
    }
    String mask = node.outputs().get(1);
    KernelSource ones = ElementwiseKernels.ones(context.dtype(mask));
    Dim count = Dims.product(context.shape(mask));
    List<Argument> arguments = List.of(context.write(mask), Scalars.of(count));
    return List.of(
        new Variant(
            "view_and_mask",
            List.of(),
            List.of(context.dispatch(ones, arguments, List.of(count)))));
  }

  /**
   * Dropout is the identity, its mask all true, unless in training mode with a ratio that is not 0
   * (the reference's rule): then it draws random numbers, which no kernel does. A training_mode or
   * ratio known only at run time could be either.
   */
  private static void requireInference(Node node, LoweringContext context) {
    String mode = node.inputs().size() > 2 ? node.inputs().get(2) : "";
    if (mode.isEmpty()) {
      return;
    }
    Optional<Tensor> training = context.constant(mode);
    if (training.isEmpty()) {
      throw new NotLowerableException(
          "Dropout's training_mode '"
              + mode
              + "' is known only at run time, and in "
              + "training mode Dropout draws random numbers, which no kernel does");
    }
    if (!training.get().getBool(0)) {
      return;
    }
    String ratio = node.inputs().get(1);
    Optional<Tensor> ratioValue = ratio.isEmpty() ? Optional.empty() : context.constant(ratio);
    if (ratioValue.isEmpty() || ratioValue.get().getDouble(0) != 0) {
      throw new NotLowerableException(
          "Dropout in training mode with a ratio "
              + (ratio.isEmpty()
                  ? "of 0.5"
                  : ratioValue.isEmpty()
                      ? "known only at run time"
                      : "of " + ratioValue.get().getDouble(0))
              + " draws random numbers, which no kernel does");
    }
  }
}
