package oclc.codegen.opencl;

import java.util.List;
import oclc.artifact.Manifest.Dispatch;
import oclc.artifact.Manifest.Variant;
import oclc.ir.Node;

/**
 * Lowers nodes of a kernel family (all its ops, or one: {@link OpenClFamily}) to their kernel
 * variants, in the order they are preferred. A node it cannot lower (a type, attribute or shape
 * outside what its kernels do) throws a {@link NotLowerableException} that says why.
 */
@FunctionalInterface
public interface NodeLowering {
  List<Variant> lower(Node node, LoweringContext context);

  /**
   * The one variant of a node that a single dispatch computes at every size, named after its
   * kernel.
   */
  static List<Variant> single(Dispatch dispatch) {
    return List.of(new Variant(dispatch.kernel(), List.of(), List.of(dispatch)));
  }
}
