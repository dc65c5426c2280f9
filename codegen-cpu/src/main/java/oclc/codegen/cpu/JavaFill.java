package oclc.codegen.cpu;

import static oclc.codegen.cpu.JavaVariants.dispatch;
import static oclc.codegen.cpu.JavaVariants.single;

import java.util.List;
import java.util.Optional;
import oclc.artifact.Manifest.Argument;
import oclc.artifact.Manifest.Variant;
import oclc.codegen.cpu.kernels.CpuKernel;
import oclc.codegen.cpu.kernels.HostValues;
import oclc.codegen.cpu.kernels.SequenceKernel;
import oclc.codegen.cpu.linalg.WorkerPool;
import oclc.ir.Dim;
import oclc.ir.Node;
import oclc.lowering.FillValue;

/**
 * The Java side of the fill family: ConstantOfShape, its output's (symbolic) shape from the folded
 * shape input, every element the value attribute's bits (the dispatch's scalar), stored at the
 * element's width, so one kernel serves every type.
 */
public final class JavaFill {
  private JavaFill() {}

  public static final JavaFamily FAMILY =
      JavaFamily.builder().op("ConstantOfShape", "java", JavaFill::lower).symbolicSizes().build();

  private static Optional<List<Variant>> lower(Node node, JavaLowering context) {
    String output = node.outputs().get(0);
    FillValue value = FillValue.of(node);
    if (value.byteSize() != 1
        && value.byteSize() != 2
        && value.byteSize() != 4
        && value.byteSize() != 8) {
      return Optional.empty();
    }
    String kernel = context.kernel("fill", new Spec());
    List<Argument> arguments =
        List.of(
            new Argument.Buffer(output),
            new Argument.Long(Dim.of(value.bits())),
            new Argument.Long(Dim.of(0)));
    return Optional.of(
        List.of(
            single(kernel, dispatch(kernel, arguments, JavaVariants.elements(context, output)))));
  }

  /**
   * The kernel as the artifact records it: nothing to choose; the value's bits come as the
   * sequence's start, its step 0.
   */
  public record Spec() implements JavaKernelSpec.Own {
    @Override
    public CpuKernel kernel(WorkerPool pool, HostValues host) {
      return new SequenceKernel(pool);
    }
  }
}
