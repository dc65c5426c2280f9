package oclc.codegen.opencl;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import oclc.ir.Dim;
import oclc.lowering.PackedWeights;

/**
 * The matmul family over packed weights: a GEMV for one row (decode) and a register-tiled GEMM for
 * many rows. Java chooses the vector width and rows per work-item; {@code matmul.stg} spells the
 * kernels.
 */
public final class MatMulKernels {
  private static final String FAMILY = "matmul";

  private MatMulKernels() {}

  /** One vector lane as the template names it: its index and its OpenCL component (s0..sf). */
  public record Lane(int index, String name) {}

  /**
   * The packed [K, N] weight matrix a GEMV or GEMM kernel called {@code kernelName} reads: panels
   * of {@code width} columns, {@code panelsPerItem} of them per work-item, a bias or none; N and K
   * are constants of the source. {@code half}: activations, panels and output in float16, summed in
   * float (no epilogue then).
   */
  record Panels(
      String kernelName,
      int width,
      int panelsPerItem,
      boolean hasBias,
      long n,
      long k,
      boolean half) {}

  /**
   * The GEMV of a [K, N] weight matrix; N and K are constants of the source. {@code sums} partial
   * sums over interleaved k keep that many fmas in flight; each work-item streams {@code
   * panelsPerItem} panels.
   */
  public static KernelSource gemv(
      String kernelName, int width, int sums, int panelsPerItem, boolean hasBias, long n, long k) {
    return gemv(new Panels(kernelName, width, panelsPerItem, hasBias, n, k, false), sums, null);
  }

  /** The same, each element through {@code epilogue} (none when null). */
  static KernelSource gemv(Panels panels, int sums, Epilogue epilogue) {
    return panelProduct("gemv", panels, "sums", sums, epilogue);
  }

  /**
   * The GEMV or GEMM over packed panels: what both take, and the one thing they tile per work-item
   * besides panels ({@code tileKey}: the GEMV's partial sums, the GEMM's rows).
   */
  private static KernelSource panelProduct(
      String template, Panels panels, String tileKey, int tile, Epilogue epilogue) {
    requireDividesPanelGroup(panels.panelsPerItem());
    return KernelSource.rendered(
        FAMILY,
        template,
        panels.kernelName(),
        withPanelEpilogue(
            epilogue,
            Map.of(
                tileKey,
                indices(tile),
                "width",
                panels.width(),
                "lanes",
                lanes(panels.width()),
                "panels",
                indices(panels.panelsPerItem()),
                "hasBias",
                panels.hasBias(),
                "n",
                panels.n(),
                "k",
                panels.k(),
                "half",
                panels.half())));
  }

  private static void requireDividesPanelGroup(int panelsPerItem) {
    if (PackedWeights.PANEL_GROUP % panelsPerItem != 0) {
      throw new IllegalArgumentException(
          "panels per item must divide " + PackedWeights.PANEL_GROUP + ", not " + panelsPerItem);
    }
  }

  /**
   * Template arguments and the epilogue, which may be absent (StringTemplate takes null as absent).
   */
  private static Map<String, Object> withEpilogue(
      Epilogue epilogue, Map<String, Object> arguments) {
    Map<String, Object> all = new java.util.HashMap<>(arguments);
    all.put("epilogue", epilogue);
    return all;
  }

  /** The same, with whether the epilogue takes a whole panel per call (the GEMV and GEMM). */
  private static Map<String, Object> withPanelEpilogue(
      Epilogue epilogue, Map<String, Object> arguments) {
    Map<String, Object> all = withEpilogue(epilogue, arguments);
    all.put("vectorEpilogue", epilogue != null && epilogue.vector());
    return all;
  }

  /**
   * The GEMM of a [K, N] weight matrix, a tile of {@code rowsPerItem} rows × {@code panelsPerItem}
   * neighbouring panels per work-item; M is an argument.
   */
  public static KernelSource gemm(
      String kernelName,
      int width,
      int rowsPerItem,
      int panelsPerItem,
      boolean hasBias,
      long n,
      long k) {
    return gemm(
        new Panels(kernelName, width, panelsPerItem, hasBias, n, k, false), rowsPerItem, null);
  }

  /** The same, each element through {@code epilogue} (none when null). */
  static KernelSource gemm(Panels panels, int rowsPerItem, Epilogue epilogue) {
    return panelProduct("gemm", panels, "rows", rowsPerItem, epilogue);
  }

  /**
   * A product of two activations per batch (attention): {@code rowsPerItem} rows × {@code width}
   * columns per work-item.
   */
  public static KernelSource batched(String kernelName, int rowsPerItem, int width) {
    return batched(kernelName, rowsPerItem, width, null);
  }

  /** The same, each element through {@code epilogue} (none when null). */
  static KernelSource batched(String kernelName, int rowsPerItem, int width, Epilogue epilogue) {
    return batched(kernelName, rowsPerItem, width, epilogue, false);
  }

  /**
   * With {@code half}, of float16 operands into a float16 output, summed in float (no epilogue).
   */
  static KernelSource batched(
      String kernelName, int rowsPerItem, int width, Epilogue epilogue, boolean half) {
    return KernelSource.rendered(
        FAMILY,
        "batched",
        kernelName,
        withEpilogue(
            epilogue,
            Map.of(
                "rows",
                indices(rowsPerItem),
                "width",
                width,
                "lanes",
                lanes(width),
                "half",
                half)));
  }

  /**
   * The strided product (or, without b, sum) of {@code type} elements, addressed by strides and a
   * table of per-batch offsets; {@code hasAlpha} scales it, {@code hasC} adds beta · c.
   */
  public static KernelSource strided(
      String kernelName, String type, boolean hasB, boolean hasAlpha, boolean hasC) {
    return KernelSource.rendered(
        FAMILY,
        "strided",
        kernelName,
        Map.of("type", type, "hasB", hasB, "hasAlpha", hasAlpha, "hasC", hasC));
  }

  /** Global work size of the batched product: column tiles × row tiles × batches. */
  public static List<Dim> batchedGlobalSize(Dim batches, Dim m, Dim n, int rowsPerItem, int width) {
    return List.of(n.ceilDiv(Dim.of(width)), m.ceilDiv(Dim.of(rowsPerItem)), batches);
  }

  /** Global work size of the GEMV: one work-item per {@code panelsPerItem} panels. */
  public static List<Dim> gemvGlobalSize(long n, int width, int panelsPerItem) {
    return List.of(Dim.of(PackedWeights.panels(n, width) / panelsPerItem));
  }

  /**
   * Global work size of the GEMM: row tiles (axis 0, so that a group's work-items share panels) ×
   * panel tiles.
   */
  public static List<Dim> gemmGlobalSize(
      Dim m, long n, int width, int rowsPerItem, int panelsPerItem) {
    return List.of(
        m.ceilDiv(Dim.of(rowsPerItem)), Dim.of(PackedWeights.panels(n, width) / panelsPerItem));
  }

  private static List<Integer> indices(int count) {
    List<Integer> indices = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      indices.add(i);
    }
    return indices;
  }

  static List<Lane> lanes(int width) {
    if (width != 2 && width != 4 && width != 8 && width != 16) {
      throw new IllegalArgumentException(
          "the kernels use float vectors of 2, 4, 8 or 16 lanes, not " + width);
    }
    List<Lane> lanes = new ArrayList<>();
    for (int i = 0; i < width; i++) {
      lanes.add(new Lane(i, Integer.toHexString(i)));
    }
    return lanes;
  }
}
