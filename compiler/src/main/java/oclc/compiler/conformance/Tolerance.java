package oclc.compiler.conformance;

import oclc.ir.DType;

/**
 * How close a computed float output must be to the expected one, per element type: elementwise
 * within {@code atol + rtol·|expected|}, or, for a graph of many nodes, within {@code
 * networkRelativeL2} as a whole (the line then says so).
 *
 * @param rtol the elementwise relative tolerance
 * @param atol the elementwise absolute tolerance
 * @param networkRelativeL2 the relative L2 error a whole network's output may still have
 */
public record Tolerance(double rtol, double atol, double networkRelativeL2) {
  /**
   * float32 (and every type but float16): the ONNX backend tests' defaults, and for networks ten
   * times the rounding noise of about 1e-7 of the output's scale that another framework's float32
   * shows (an absolute 1e-7 cannot absorb it for elements near zero), a hundred times below the
   * 1e-4 bar of {@code oclc run}.
   */
  public static final Tolerance FLOAT32 = new Tolerance(1e-3, 1e-7, 1e-5);

  /**
   * float16: two units in the last place of its 11-bit significand (2⁻⁹) elementwise, as a kernel
   * that accumulates in float32 and rounds once differs by up to one unit from one that rounds
   * after every node, and the reference or ONNX Runtime by one more; absolute the ONNX default 1e-7
   * (float16's smallest subnormal is 6e-8). For networks 5e-3: ten times the 5e-4 relative L2 that
   * ONNX Runtime's own float16 GPT-2 and Llama show against their float32 exports (4.6e-4 to
   * 5.8e-4, about float16's unit roundoff 2⁻¹¹), and the reference's float16 run is within 1e-3 of
   * both.
   */
  public static final Tolerance FLOAT16 = new Tolerance(0x1p-9, 1e-7, 5e-3);

  /** The tolerance outputs of {@code type} are compared with. */
  public static Tolerance of(DType type) {
    return type == DType.FLOAT16 ? FLOAT16 : FLOAT32;
  }
}
