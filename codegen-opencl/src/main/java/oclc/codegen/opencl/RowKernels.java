package oclc.codegen.opencl;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import oclc.ir.DType;
import oclc.ir.Dim;

/**
 * Kernels over rows, one work-group per row ({@code rows.stg}): Softmax/LogSoftmax/Hardmax, the
 * Reduce* folds, ArgMax/ArgMin, LayerNormalization and RMSNormalization. A row is contiguous (the
 * innermost axis) or strided ({@link RowGeometry#strided()}). Java chooses the group size.
 */
public final class RowKernels {
  private static final String FAMILY = "rows";

  /** The group for long rows: enough lanes to share the row, few barriers. */
  static final int LONG_ROW_GROUP = 64;

  private RowKernels() {}

  /** Softmax (or LogSoftmax) of contiguous float32 rows, a work-group per row. */
  public static KernelSource softmax(String kernelName, int groupSize, boolean logarithm) {
    return softmax(kernelName, groupSize, logarithm, false, false);
  }

  /** The same of contiguous or strided rows, of float16 with {@code half} (computed in float). */
  public static KernelSource softmax(
      String kernelName, int groupSize, boolean logarithm, boolean strided, boolean half) {
    return render(
        "softmax",
        kernelName,
        groupSize,
        Map.of("logarithm", logarithm, "strided", strided, "half", half));
  }

  /**
   * Softmax (or LogSoftmax) of contiguous rows, a row per work-item in float vectors of {@code
   * width}: what a CPU device runs fastest (a row group's barriers and lane-strided loops defeat
   * its vectoriser).
   */
  public static KernelSource softmaxVector(String kernelName, int width, boolean logarithm) {
    return softmaxVector(kernelName, width, logarithm, false);
  }

  /** With {@code half}, of float16 rows (computed in float). */
  public static KernelSource softmaxVector(
      String kernelName, int width, boolean logarithm, boolean half) {
    return vectorRows("softmaxVector", kernelName, width, "logarithm", logarithm, half);
  }

  /**
   * A kernel of a row per work-item in float vectors of {@code width}, with its one flag, of
   * float16 rows with {@code half}.
   */
  private static KernelSource vectorRows(
      String template, String kernelName, int width, String flag, boolean value, boolean half) {
    return KernelSource.rendered(
        FAMILY,
        template,
        kernelName,
        Map.of("width", width, "lanes", MatMulKernels.lanes(width), flag, value, "half", half));
  }

  public static KernelSource hardmax(String kernelName, int groupSize, boolean strided) {
    return render("hardmax", kernelName, groupSize, Map.of("strided", strided));
  }

  /** The fold of a Reduce* op over rows of {@code dtype} (see {@link Fold#of}). */
  public static KernelSource reduce(
      String kernelName, int groupSize, boolean strided, Fold fold, DType dtype) {
    Map<String, Object> arguments = new HashMap<>();
    arguments.put("strided", strided);
    arguments.put("opType", fold.opType());
    arguments.put("type", typeName(dtype));
    arguments.put("valueType", dtype.isFloat() ? typeName(dtype) : "long");
    arguments.put("accumulator", fold.accumulator(dtype));
    arguments.put("element", fold.element());
    arguments.put("combine", fold.combine());
    arguments.put("identity", fold.identity());
    arguments.put("finish", fold.finish());
    arguments.put("shifted", fold.shifted());
    arguments.put("double", dtype == DType.FLOAT64);
    return render("reduce", kernelName, groupSize, arguments);
  }

  /**
   * ArgMax ({@code greatest}) or ArgMin of each row into int64 indices, ties to the first or the
   * last.
   */
  public static KernelSource argExtremum(
      String kernelName,
      int groupSize,
      boolean strided,
      DType dtype,
      boolean greatest,
      boolean lastOnTies) {
    return render(
        "argExtremum",
        kernelName,
        groupSize,
        Map.of(
            "strided",
            strided,
            "opType",
            greatest ? "ArgMax" : "ArgMin",
            "type",
            typeName(dtype),
            "greatest",
            greatest,
            "lastOnTies",
            lastOnTies,
            "floating",
            dtype.isFloat(),
            "double",
            dtype == DType.FLOAT64));
  }

  public static KernelSource layerNormalization(String kernelName, int groupSize) {
    return layerNormalization(kernelName, groupSize, false);
  }

  /**
   * With {@code statistics}, the kernel also writes each row's mean and inverse standard deviation.
   */
  public static KernelSource layerNormalization(
      String kernelName, int groupSize, boolean statistics) {
    return layerNormalization(kernelName, groupSize, statistics, false);
  }

  /**
   * With {@code half}, of float16 rows, scale and shift (computed in float; statistics in float).
   */
  public static KernelSource layerNormalization(
      String kernelName, int groupSize, boolean statistics, boolean half) {
    return render(
        "layerNormalization",
        kernelName,
        groupSize,
        Map.of("statistics", statistics, "half", half));
  }

  /**
   * LayerNormalization of contiguous rows, a row per work-item in float vectors of {@code width}
   * (see {@link #softmaxVector}).
   */
  public static KernelSource layerNormVector(String kernelName, int width, boolean statistics) {
    return layerNormVector(kernelName, width, statistics, false);
  }

  /** With {@code half}, of float16 rows, scale and shift (computed in float). */
  public static KernelSource layerNormVector(
      String kernelName, int width, boolean statistics, boolean half) {
    return vectorRows("layerNormVector", kernelName, width, "statistics", statistics, half);
  }

  public static KernelSource rmsNormalization(String kernelName, int groupSize) {
    return rmsNormalization(kernelName, groupSize, false);
  }

  /** With {@code half}, of float16 rows and scale (computed in float). */
  public static KernelSource rmsNormalization(String kernelName, int groupSize, boolean half) {
    return render("rmsNormalization", kernelName, groupSize, Map.of("half", half));
  }

  /**
   * The group for rows of at most {@code longestRow}: the smallest power of two covering it, up to
   * 16; 64 past 64.
   */
  public static int groupSize(long longestRow) {
    return groupSize(longestRow, longestRow > 64 ? LONG_ROW_GROUP : 16);
  }

  /**
   * The schedule's group for rows of at most {@code longestRow}, no larger than the smallest power
   * of two covering them.
   */
  public static int groupSize(long longestRow, int scheduled) {
    return (int)
        Math.min(scheduled, Long.highestOneBit(Math.max(1, Math.min(longestRow, 1 << 20) * 2 - 1)));
  }

  /**
   * The group for rows of this length: as for its value when static, for long rows when symbolic.
   */
  public static int groupSize(Dim rowLength) {
    return rowLength.isConstant() ? groupSize(rowLength.constant()) : LONG_ROW_GROUP;
  }

  /** One group per contiguous row: the global size is rows × group size. */
  public static List<Dim> globalSize(Dim rows, int groupSize) {
    return List.of(rows.times(groupSize));
  }

  /** One group per row: along axis 0 for contiguous rows, over [inner, outer] for strided ones. */
  public static List<Dim> globalSize(RowGeometry rows, int groupSize) {
    return rows.strided()
        ? List.of(rows.inner().times(groupSize), rows.outer())
        : globalSize(rows.outer(), groupSize);
  }

  public static List<Dim> localSize(RowGeometry rows, int groupSize) {
    return rows.strided() ? List.of(Dim.of(groupSize), Dim.of(1)) : List.of(Dim.of(groupSize));
  }

  /** The OpenCL C type of an element the row kernels take. */
  static String typeName(DType dtype) {
    return switch (dtype) {
      case FLOAT32 -> "float";
      case FLOAT64 -> "double";
      case INT32 -> "int";
      case INT64 -> "long";
      default ->
          throw new NotLowerableException(
              "the row kernels take float32, float64, int32 or int64, not " + dtype);
    };
  }

  /** A short name of an element type, for kernel names. */
  static String typeSuffix(DType dtype) {
    return switch (dtype) {
      case FLOAT32 -> "f32";
      case FLOAT64 -> "f64";
      case INT32 -> "i32";
      case INT64 -> "i64";
      default ->
          throw new NotLowerableException(
              "the row kernels take float32, float64, int32 or int64, not " + dtype);
    };
  }

  private static KernelSource render(
      String template, String kernelName, int groupSize, Map<String, Object> extra) {
    if (groupSize < 1 || Integer.bitCount(groupSize) != 1) {
      throw new IllegalArgumentException("the group size must be a power of two, not " + groupSize);
    }
    Map<String, Object> arguments = new HashMap<>(extra);
    arguments.put("groupSize", groupSize);
    return KernelSource.rendered(FAMILY, template, kernelName, arguments);
  }
}
