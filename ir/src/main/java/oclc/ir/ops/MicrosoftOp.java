package oclc.ir.ops;

import oclc.ir.Decomposable;
import oclc.ir.OpDefinition;

/**
 * One of ONNX Runtime's {@code com.microsoft} ops: defined once here, and rewritten into
 * default-domain ops for the fast backends.
 */
interface MicrosoftOp extends OpDefinition, Decomposable {
  @Override
  default String domain() {
    return MicrosoftOps.DOMAIN;
  }
}
