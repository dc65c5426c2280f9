package oclc.codegen.cpu;

import static oclc.codegen.cpu.JavaVariants.dispatch;
import static oclc.codegen.cpu.JavaVariants.single;

import java.util.List;
import java.util.Optional;
import oclc.artifact.Manifest.Argument;
import oclc.artifact.Manifest.Variant;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.Node;

/** The Java side of the Range family. */
public final class JavaRange {
  private JavaRange() {}

  public static final JavaFamily FAMILY =
      JavaFamily.builder().op("Range", "java", JavaRange::range).symbolicSizes().build();

  /**
   * Range of int64/int32 with start and delta known as dims (GPT-2's position ids from the past
   * length).
   */
  private static Optional<List<Variant>> range(Node node, JavaLowering context) {
    String output = node.outputs().get(0);
    DType type = context.dtype(output);
    Optional<List<Dim>> start = context.dims(node.inputs().get(0));
    Optional<List<Dim>> delta = context.dims(node.inputs().get(2));
    if ((type != DType.INT64 && type != DType.INT32)
        || start.isEmpty()
        || delta.isEmpty()
        || context.dims(node.inputs().get(1)).isEmpty()) {
      return Optional.empty();
    }
    String kernel = context.kernel("range", new JavaKernelSpec.Range());
    List<Argument> arguments =
        List.of(
            new Argument.Buffer(output),
            new Argument.Long(start.get().get(0)),
            new Argument.Long(delta.get().get(0)));
    return Optional.of(
        List.of(single(kernel, dispatch(kernel, arguments, context.shape(output).get(0)))));
  }
}
