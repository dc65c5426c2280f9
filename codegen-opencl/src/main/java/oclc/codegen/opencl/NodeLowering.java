package oclc.codegen.opencl;

import java.util.List;
import java.util.Set;
import oclc.artifact.Manifest.Variant;
import oclc.ir.Node;

/**
 * Lowers the nodes of one kernel family to their kernel variants, in the order they are preferred.
 * A node it cannot lower (a type, attribute or shape outside what its kernels do) throws a {@link
 * NotLowerableException} that says why. The family's declaration ({@code oclc.families}) names the
 * lowering beside the family's Java one.
 */
public interface NodeLowering {
  List<Variant> lower(Node node, LoweringContext context);

  /**
   * The ops of {@code familyOps} this lowering has kernels for (all of them unless it says
   * otherwise); the others of the family have no OpenCL kernel.
   */
  default Set<String> lowers(Set<String> familyOps) {
    return familyOps;
  }
}
