package oclc.codegen.opencl;

import java.util.List;
import oclc.ir.OclcException;

/**
 * The choices the kernel families make per size class, as data a user can read and edit
 * ({@code oclc schedule}, {@code oclc compile --schedule}): the classes themselves (where a node's
 * variants change) and each class's tile sizes, vector sums, columns per work-item and group sizes.
 * The defaults were measured on POCL's CPU device (docs/benchmarks.md).
 */
public record Schedule(List<MatMulClass> matmul, List<AttentionClass> attention, List<RowClass> rows) {

  /**
   * A class of MatMul/Gemm rows over packed weights: {@code gemv} for one row (with {@code sums}
   * partial sums), {@code gemm} with a register tile of {@code rowsPerItem} × {@code panelsPerItem}.
   */
  public record MatMulClass(String rows, String kernel, int sums, int rowsPerItem, int panelsPerItem) {}

  /**
   * A class of key lengths of the attention products: each work-item computes {@code rowsPerItem}
   * query rows (one when there is one query, in decode) × {@code columnsPerItem} neighbouring output
   * columns, one float vector of that width per row.
   */
  public record AttentionClass(String keys, int rowsPerItem, int columnsPerItem) {}

  /** A class of row lengths of the row kernels (Softmax, LayerNormalization, the reductions), with the group size. */
  public record RowClass(String length, int group) {}

  public Schedule {
    matmul = List.copyOf(matmul);
    attention = List.copyOf(attention);
    rows = List.copyOf(rows);
  }

  /**
   * The defaults: a GEMV with four partial sums (four fmas in flight, not one chain); for 2..16
   * rows a GEMM tile of 4 rows × 2 panels, for more 6 × 2 (twelve vector accumulators of AVX-512's
   * 32 registers, each weight vector used 6 times); attention products with 4 query rows × a
   * vector of 8 columns per work-item up to 64 keys, 16 beyond; row groups of 16 for rows up to 64, 64 beyond.
   */
  public static Schedule defaults() {
    return new Schedule(
        List.of(new MatMulClass("1", "gemv", 4, 1, 1), new MatMulClass("2..16", "gemm", 0, 4, 2),
            new MatMulClass("17..", "gemm", 0, 6, 2)),
        List.of(new AttentionClass("0..64", 4, 8), new AttentionClass("65..", 4, 16)),
        List.of(new RowClass("0..64", 1), new RowClass("65..", 1)));
  }

  /** Checks what the kernels can take, so that a hand-edited schedule fails here and not in a build. */
  public Schedule validated() {
    for (MatMulClass c : matmul) {
      SizeRanges.Interval rows = SizeRanges.Interval.parse(c.rows());
      switch (c.kernel()) {
        case "gemv" -> require(rows.min() == 1 && rows.max() == 1 && c.sums() >= 1 && c.sums() <= 8,
            "a gemv class computes one row (rows \"1\") with 1 to 8 sums: " + c);
        case "gemm" -> require(c.rowsPerItem() >= 1 && c.rowsPerItem() <= 12 && c.panelsPerItem() >= 1
            && PackedWeights.PANEL_GROUP % c.panelsPerItem() == 0,
            "a gemm class takes 1 to 12 rows per item and a number of panels that divides " + PackedWeights.PANEL_GROUP + ": " + c);
        default -> throw new OclcException("schedule: a matmul class's kernel is gemv or gemm, not '" + c.kernel() + "'");
      }
    }
    for (AttentionClass c : attention) {
      SizeRanges.Interval.parse(c.keys());
      require(c.rowsPerItem() >= 1 && c.rowsPerItem() <= 16, "an attention class takes 1 to 16 rows per item: " + c);
      require(c.columnsPerItem() == 4 || c.columnsPerItem() == 8 || c.columnsPerItem() == 16,
          "an attention class takes 4, 8 or 16 columns per item (a float vector): " + c);
    }
    for (RowClass c : rows) {
      SizeRanges.Interval.parse(c.length());
      require(c.group() >= 1 && c.group() <= 256 && Integer.bitCount(c.group()) == 1,
          "a row group is a power of two up to 256: " + c);
    }
    return this;
  }

  public List<SizeRanges.Interval> matmulCuts() {
    return matmul.stream().map(c -> SizeRanges.Interval.parse(c.rows())).toList();
  }

  /** The class whose range holds {@code rows} (the largest of a size class the compile meets). */
  public MatMulClass matmulClass(long rows) {
    return matmul.stream().filter(c -> SizeRanges.Interval.parse(c.rows()).intersect(new SizeRanges.Interval(rows, rows)) != null)
        .findFirst().orElseThrow(() -> new OclcException("schedule: no matmul class holds " + rows + " rows"));
  }

  List<SizeRanges.Interval> attentionCuts() {
    return attention.stream().map(c -> SizeRanges.Interval.parse(c.keys())).toList();
  }

  AttentionClass attentionClass(long keys) {
    return attention.stream().filter(c -> SizeRanges.Interval.parse(c.keys()).intersect(new SizeRanges.Interval(keys, keys)) != null)
        .findFirst().orElseThrow(() -> new OclcException("schedule: no attention class holds " + keys + " keys"));
  }

  List<SizeRanges.Interval> rowCuts() {
    return rows.stream().map(c -> SizeRanges.Interval.parse(c.length())).toList();
  }

  int rowGroup(long length) {
    return rows.stream().filter(c -> SizeRanges.Interval.parse(c.length()).intersect(new SizeRanges.Interval(length, length)) != null)
        .findFirst().map(RowClass::group)
        .orElseThrow(() -> new OclcException("schedule: no row class holds rows of " + length));
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new OclcException("schedule: " + message);
    }
  }
}
