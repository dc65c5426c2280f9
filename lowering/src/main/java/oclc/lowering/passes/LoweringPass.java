package oclc.lowering.passes;

import oclc.ir.passes.Pass;

/**
 * A lowering pass: a {@link Pass} with its stable name that reads the compile's {@link
 * LoweringOptions} (fusion on or off, size ranges, user kernels, the backend's fusion planner).
 */
abstract class LoweringPass implements Pass {
  private final String name;
  protected final LoweringOptions options;

  LoweringPass(String name, LoweringOptions options) {
    this.name = name;
    this.options = options;
  }

  @Override
  public final String name() {
    return name;
  }
}
