package oclc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import oclc.ir.OclcException;
import oclc.ir.Remedy;
import org.junit.jupiter.api.Test;

/**
 * Each remedy an error carries, as the command line spells it: the flag that fixes it, after the
 * problem.
 */
class RemediesTest {
  @Test
  void eachRemedyBecomesTheFlagThatFixesIt() {
    assertEquals(
        "x; compile with --no-fuse to launch every node alone",
        Remedies.message(new OclcException("x", Remedy.UNFUSE)));
    assertEquals(
        "x; compile with --dim past_sequence_length=MIN..MAX to cover it",
        Remedies.message(new OclcException("x", Remedy.WIDEN_DIM, "past_sequence_length")));
    assertEquals(
        "x, or compile with --no-verify to keep it anyway",
        Remedies.message(new OclcException("x", Remedy.SKIP_VERIFY)));
    assertEquals(
        "x; use --device java",
        Remedies.message(new OclcException("x", Remedy.USE_DEVICE, "java")));
    assertEquals(
        "x; compile for an OpenCL device (--device cpu or gpu), or leave out --kernel",
        Remedies.message(new OclcException("x", Remedy.USE_OPENCL_DEVICE)));
  }

  @Test
  void anErrorWithoutARemedyIsItsMessageAndAWrappedOneKeepsItsRemedy() {
    assertEquals("no such file", Remedies.message(new OclcException("no such file")));
    OclcException wrapped =
        new OclcException("model.onnx: x", new OclcException("x", Remedy.UNFUSE));
    assertEquals(
        "model.onnx: x; compile with --no-fuse to launch every node alone",
        Remedies.message(wrapped));
  }

  @Test
  void everyRemedyHasASpelling() {
    for (Remedy remedy : Remedy.values()) {
      String message = Remedies.message(new OclcException("x", remedy, "s"));
      assertTrue(message.startsWith("x") && message.contains("--"), remedy + ": " + message);
    }
  }
}
