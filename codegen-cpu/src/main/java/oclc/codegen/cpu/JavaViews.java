package oclc.codegen.cpu;

import java.util.List;
import java.util.Optional;
import oclc.artifact.Manifest.Variant;
import oclc.ir.Node;

/** The Java side of the view family: the output is the input seen with another shape. */
public final class JavaViews {
  private JavaViews() {}

  public static final JavaFamily FAMILY =
      JavaFamily.builder()
          .everyOp("view", JavaViews::view)
          .op("Dropout", "view", JavaViews::dropout)
          .symbolicSizes()
          .build();

  /** Dropout at inference: a view, unless it is given a training mode or asked for its mask. */
  private static Optional<List<Variant>> dropout(Node node, JavaLowering context) {
    boolean extras =
        node.inputs().size() > 2 && !node.inputs().get(2).isEmpty()
            || node.outputs().size() > 1 && !node.outputs().get(1).isEmpty();
    return extras ? Optional.empty() : view(node, context);
  }

  private static Optional<List<Variant>> view(Node node, JavaLowering context) {
    String input = node.inputs().get(0);
    if (context.constant(input).isEmpty() && context.type(input).isEmpty()) {
      return Optional.empty();
    }
    context.read(input);
    context.view(node.outputs().get(0), input);
    return Optional.of(List.of(new Variant("view", List.of(), List.of())));
  }
}
