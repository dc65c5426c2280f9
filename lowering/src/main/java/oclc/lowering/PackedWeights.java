package oclc.lowering;

import java.util.Optional;
import oclc.ir.DType;
import oclc.ir.Node;
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

  /**
   * B of a MatMul, or of a Gemm when {@code gemm}, as the [K, N] matrix the packed kernels take:
   * transposed for Gemm's transB, scaled by its alpha, a vector as one column.
   */
  public static Tensor weightMatrix(Node node, Tensor b, boolean gemm) {
    boolean transposed = gemm && node.attributes().getInt("transB", 0) != 0;
    float alpha = gemm ? node.attributes().getFloat("alpha", 1f) : 1f;
    long[] shape = b.rank() == 1 ? new long[] {b.dim(0), 1} : b.shape();
    long k = transposed ? shape[1] : shape[0];
    long n = transposed ? shape[0] : shape[1];
    Tensor matrix = Tensor.allocate(DType.FLOAT32, k, n);
    for (int row = 0; row < k; row++) {
      for (int column = 0; column < n; column++) {
        int from = transposed ? (int) (column * k + row) : (int) (row * n + column);
        matrix.setFloat((int) (row * n + column), alpha * b.getFloat(from));
      }
    }
    return matrix;
  }

  /**
   * Gemm's constant C scaled by its beta as one value per column of N; empty where C does not
   * broadcast along rows (the packed kernels add no other bias).
   */
  public static Optional<Tensor> columnBias(Node gemm, Tensor c, long n) {
    long[] shape = c.shape();
    boolean perColumn =
        c.size() == n && (shape.length == 1 || (shape.length == 2 && shape[0] == 1));
    boolean single = c.size() == 1;
    if (!perColumn && !single) {
      return Optional.empty();
    }
    float beta = gemm.attributes().getFloat("beta", 1f);
    Tensor bias = Tensor.allocate(DType.FLOAT32, n);
    for (int column = 0; column < n; column++) {
      bias.setFloat(column, beta * c.getFloat(single ? 0 : column));
    }
    return Optional.of(bias);
  }

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
