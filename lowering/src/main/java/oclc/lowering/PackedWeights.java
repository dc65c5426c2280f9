package oclc.lowering;

import oclc.ir.Tensor;

/**
 * A [K, N] weight matrix repacked for the matmul kernels: panels of {@code width} columns, each
 * panel's K rows contiguous, zero-padded past N. Done once at compile time.
 */
public final class PackedWeights {
  private PackedWeights() {}

  /**
   * Panels are padded with zero panels to a multiple of this, so that the panel axis of a launch
   * always splits into work-groups of this many (the kernels write no column past N).
   */
  public static final int PANEL_GROUP = 8;

  /** The number of panels, padded to a multiple of {@link #PANEL_GROUP}. */
  public static int panels(long n, int width) {
    int panels = (int) ((n + width - 1) / width);
    return (panels + PANEL_GROUP - 1) / PANEL_GROUP * PANEL_GROUP;
  }

  /** packed[(panel · K + k) · width + lane] = b[k, panel · width + lane]. */
  public static float[] pack(Tensor b, int width) {
    if (b.rank() != 2) {
      throw new IllegalArgumentException("weights must be a matrix, got rank " + b.rank());
    }
    int k = (int) b.dim(0);
    int n = (int) b.dim(1);
    int panels = panels(n, width);
    float[] packed = new float[panels * k * width];
    for (int panel = 0; panel < panels; panel++) {
      for (int row = 0; row < k; row++) {
        for (int lane = 0; lane < width; lane++) {
          int column = panel * width + lane;
          if (column < n) {
            packed[(panel * k + row) * width + lane] = b.getFloat(row * n + column);
          }
        }
      }
    }
    return packed;
  }
}
