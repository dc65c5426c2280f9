package oclc.codegen.opencl;

import java.util.List;
import oclc.artifact.Manifest.Variant;
import oclc.ir.Node;

/**
 * Reshape, Unsqueeze, Squeeze, Flatten, Identity and inference-mode Dropout keep every element in
 * place: the output is a view of the input's memory, and no kernel runs.
 */
final class ViewLowering implements NodeLowering {
  @Override
  public List<Variant> lower(Node node, LoweringContext context) {
    String input = node.inputs().get(0);
    String output = node.outputs().get(0);
    if (node.opType().equals("Dropout")) {
      boolean maskWanted = node.outputs().size() > 1 && !node.outputs().get(1).isEmpty();
      boolean training = node.inputs().size() > 2 && !node.inputs().get(2).isEmpty();
      if (maskWanted || training) {
        throw new NotLowerableException("Dropout with a mask output or a training_mode input has no kernel");
      }
    }
    if (context.constant(input).isPresent()) {
      context.read(input); // the constant becomes a param the view shares
    }
    context.type(output);
    context.view(output, input);
    return List.of(new Variant("view", List.of(), List.of()));
  }
}
