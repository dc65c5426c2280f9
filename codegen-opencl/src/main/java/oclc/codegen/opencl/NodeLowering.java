package oclc.codegen.opencl;

import java.util.List;
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
}
