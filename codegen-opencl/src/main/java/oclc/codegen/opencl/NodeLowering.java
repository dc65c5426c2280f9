package oclc.codegen.opencl;

import java.util.List;
import oclc.artifact.Manifest.Variant;
import oclc.ir.Node;

/**
 * Lowers the nodes of one op family to their kernel variants, in the order they are preferred. A
 * node it cannot lower (a type, attribute or shape outside what its kernels do) throws a {@link
 * NotLowerableException} that says why.
 */
interface NodeLowering {
  List<Variant> lower(Node node, LoweringContext context);
}
