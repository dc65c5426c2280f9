package oclc.lowering;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import oclc.ir.OclcException;

/**
 * The choices the kernel families make per size class, as data a user can read and edit ({@code
 * oclc schedule}, {@code oclc compile --schedule}, {@code oclc tune}): the classes themselves
 * (where a node's variants change) and each class's tile sizes, vector sums, columns per work-item
 * and group sizes. {@code origin} says where the choices come from (a device type's defaults, a
 * tuning run); it changes no kernel. The CPU defaults were measured on POCL's CPU device
 * (docs/benchmarks.md); the GPU defaults are reasoned from GPU practice and not measured.
 */
public record Schedule(
    String origin, List<MatMulClass> matmul, List<AttentionClass> attention, List<RowClass> rows) {

  /**
   * A class of MatMul/Gemm rows over packed weights: {@code gemv} for one row (with {@code sums}
   * partial sums), {@code gemm} with a register tile of {@code rowsPerItem} × {@code panelsPerItem}
   * and, when {@code group} is not 0, work-groups of {@code group} row tiles (the row tiles padded
   * to a multiple of it; the kernel writes no row past M) by the panel tiles of a panel group; 0
   * leaves one row tile per group. Left out of the JSON when 0.
   */
  public record MatMulClass(
      String rows,
      String kernel,
      int sums,
      int rowsPerItem,
      int panelsPerItem,
      @JsonInclude(JsonInclude.Include.NON_DEFAULT) Integer group) {
    public MatMulClass {
      group = group == null ? 0 : group; // a schedule file from before groups
    }

    public MatMulClass(String rows, String kernel, int sums, int rowsPerItem, int panelsPerItem) {
      this(rows, kernel, sums, rowsPerItem, panelsPerItem, 0);
    }
  }

  /**
   * A class of key lengths of the attention products: each work-item computes {@code rowsPerItem}
   * query rows (one when there is one query, in decode) × {@code columnsPerItem} neighbouring
   * output columns, one float vector of that width per row; when {@code group} is not 0,
   * work-groups of {@code group} work-items along the columns (padded to a multiple of it; the
   * kernel writes no column past N); 0 leaves the local size to what is known to divide the launch.
   * Left out of the JSON when 0.
   */
  public record AttentionClass(
      String keys,
      int rowsPerItem,
      int columnsPerItem,
      @JsonInclude(JsonInclude.Include.NON_DEFAULT) Integer group) {
    public AttentionClass {
      group = group == null ? 0 : group;
    }

    public AttentionClass(String keys, int rowsPerItem, int columnsPerItem) {
      this(keys, rowsPerItem, columnsPerItem, 0);
    }
  }

  /**
   * A class of row lengths of the row kernels (Softmax, LayerNormalization, the reductions), with
   * the group size.
   */
  public record RowClass(String length, int group) {}

  /**
   * The device types that have defaults of their own (an accelerator or other device takes the
   * CPU's).
   */
  public enum Target {
    CPU,
    GPU;

    /** {@code "cpu"} or {@code "gpu"}, as the command line spells it. */
    public String spelling() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Target parse(String text) {
      for (Target t : values()) {
        if (t.spelling().equals(text)) {
          return t;
        }
      }
      throw new OclcException("'" + text + "' is no device type with defaults: cpu or gpu");
    }
  }

  public Schedule {
    origin = origin == null ? "unknown" : origin;
    matmul = List.copyOf(matmul);
    attention = List.copyOf(attention);
    rows = List.copyOf(rows);
  }

  /**
   * The defaults: a GEMV of four panels per work-item, each with two partial sums (four streams
   * through memory per core and eight fmas in flight; measured 5-15% faster than one panel with
   * four sums on GPT-2 small's decode, docs/benchmarks.md); for 2..16 rows a GEMM tile of 8 rows ×
   * 2 panels (each weight read once for up to 8 rows; measured ~10% faster than 4 × 2 on GPT-2
   * small's prefill of 8), and 8 × 2 for more too (sixteen vector accumulators of AVX-512's 32
   * registers; 5-8% faster than 6 × 2 at prefill 128 and 512 in alternating profiles, and the same
   * kernels as the 2..16 class, so fewer to build and load); attention products with 8 query rows ×
   * a vector of 16 columns per work-item (oclc tune found it 1.2-1.7x faster than 4 × 8 and 4 ×
   * 16); a row per work-item for the row kernels (a CPU vectorises along the row; groups of lanes
   * defeat it).
   */
  public static Schedule defaults() {
    return defaults(Target.CPU);
  }

  /**
   * The defaults for a device type: {@link #defaults()} for a CPU, {@link #gpuDefaults()} for a
   * GPU.
   */
  public static Schedule defaults(Target target) {
    return target == Target.GPU ? gpuDefaults() : cpuDefaults();
  }

  private static Schedule cpuDefaults() {
    return new Schedule(
        "cpu defaults",
        List.of(
            new MatMulClass("1", "gemv", 2, 1, 4),
            new MatMulClass("2..16", "gemm", 0, 8, 2),
            new MatMulClass("17..", "gemm", 0, 8, 2)),
        List.of(new AttentionClass("0..64", 8, 16), new AttentionClass("65..", 8, 16)),
        List.of(new RowClass("0..64", 1), new RowClass("65..", 1)));
  }

  /**
   * GPU defaults, from GPU practice and not measured (no GPU here; POCL runs them correctly, as any
   * valid schedule): a GEMV work-item owns a whole 16-column panel, so a weight matrix gives few
   * work-items and latency must be hidden inside each — eight partial sums; GEMM tiles of 2 and 4
   * rows × 1 panel keep 32 and 64 accumulators (registers a GPU thread can hold without spilling or
   * starving occupancy, where 6 × 2 would take 192) and give 2-4 times the work-items of the CPU
   * tiles; work-groups of 64 work-items (two warps, one wavefront): 8 row tiles × the 8 panels of a
   * panel group for the GEMM; attention tiles of 2 query rows × 4 columns (a float4 per row: 8
   * accumulators, neighbouring work-items reading neighbouring 16-byte pieces), 64 of them in a
   * group; row groups of one warp (32) up to 64 and 256 beyond.
   */
  private static Schedule gpuDefaults() {
    return new Schedule(
        "gpu defaults",
        List.of(
            new MatMulClass("1", "gemv", 8, 1, 1),
            new MatMulClass("2..16", "gemm", 0, 2, 1, 8),
            new MatMulClass("17..", "gemm", 0, 4, 1, 8)),
        List.of(new AttentionClass("0..64", 2, 4, 64), new AttentionClass("65..", 2, 4, 64)),
        List.of(new RowClass("0..64", 32), new RowClass("65..", 256)));
  }

  /** The same choices, said to come from {@code origin}. */
  public Schedule withOrigin(String origin) {
    return new Schedule(origin, matmul, attention, rows);
  }

  /** The same, with matmul class {@code index} replaced. */
  public Schedule withMatMul(int index, MatMulClass choice) {
    return new Schedule(origin, replaced(matmul, index, choice), attention, rows);
  }

  /** The same, with attention class {@code index} replaced. */
  public Schedule withAttention(int index, AttentionClass choice) {
    return new Schedule(origin, matmul, replaced(attention, index, choice), rows);
  }

  /** The same, with row class {@code index} replaced. */
  public Schedule withRows(int index, RowClass choice) {
    return new Schedule(origin, matmul, attention, replaced(rows, index, choice));
  }

  private static <T> List<T> replaced(List<T> list, int index, T element) {
    List<T> copy = new java.util.ArrayList<>(list);
    copy.set(index, element);
    return copy;
  }

  /**
   * Checks what the kernels can take, so that a hand-edited schedule fails here and not in a build.
   */
  public Schedule validated() {
    for (MatMulClass c : matmul) {
      SizeRanges.Interval rows = SizeRanges.Interval.parse(c.rows());
      switch (c.kernel()) {
        case "gemv" ->
            require(
                rows.min() == 1
                    && rows.max() == 1
                    && c.sums() >= 1
                    && c.sums() <= 8
                    && c.group() == 0
                    && c.panelsPerItem() >= 1
                    && PackedWeights.PANEL_GROUP % c.panelsPerItem() == 0,
                "a gemv class computes one row (rows \"1\") with 1 to 8 sums and a number of panels that divides "
                    + PackedWeights.PANEL_GROUP
                    + ", and has no group: "
                    + c);
        case "gemm" ->
            require(
                c.rowsPerItem() >= 1
                    && c.rowsPerItem() <= 12
                    && c.panelsPerItem() >= 1
                    && PackedWeights.PANEL_GROUP % c.panelsPerItem() == 0
                    && (c.group() == 0 || groupSize(c.group())),
                "a gemm class takes 1 to 12 rows per item, a number of panels that divides "
                    + PackedWeights.PANEL_GROUP
                    + " and a group of 0 or a power of two up to 256 row tiles: "
                    + c);
        default ->
            throw new OclcException(
                "schedule: a matmul class's kernel is gemv or gemm, not '" + c.kernel() + "'");
      }
    }
    for (AttentionClass c : attention) {
      SizeRanges.Interval.parse(c.keys());
      require(
          c.rowsPerItem() >= 1 && c.rowsPerItem() <= 16,
          "an attention class takes 1 to 16 rows per item: " + c);
      require(
          c.columnsPerItem() == 4 || c.columnsPerItem() == 8 || c.columnsPerItem() == 16,
          "an attention class takes 4, 8 or 16 columns per item (a float vector): " + c);
      require(
          c.group() == 0 || groupSize(c.group()),
          "an attention group is 0 or a power of two up to 256: " + c);
    }
    for (RowClass c : rows) {
      SizeRanges.Interval.parse(c.length());
      require(groupSize(c.group()), "a row group is a power of two up to 256: " + c);
    }
    return this;
  }

  public List<SizeRanges.Interval> matmulCuts() {
    return matmul.stream().map(c -> SizeRanges.Interval.parse(c.rows())).toList();
  }

  /** The class whose range holds {@code rows} (the largest of a size class the compile meets). */
  public MatMulClass matmulClass(long rows) {
    return matmul.stream()
        .filter(
            c ->
                SizeRanges.Interval.parse(c.rows()).intersect(new SizeRanges.Interval(rows, rows))
                    != null)
        .findFirst()
        .orElseThrow(() -> new OclcException("schedule: no matmul class holds " + rows + " rows"));
  }

  public List<SizeRanges.Interval> attentionCuts() {
    return attention.stream().map(c -> SizeRanges.Interval.parse(c.keys())).toList();
  }

  public AttentionClass attentionClass(long keys) {
    return attention.stream()
        .filter(
            c ->
                SizeRanges.Interval.parse(c.keys()).intersect(new SizeRanges.Interval(keys, keys))
                    != null)
        .findFirst()
        .orElseThrow(
            () -> new OclcException("schedule: no attention class holds " + keys + " keys"));
  }

  public List<SizeRanges.Interval> rowCuts() {
    return rows.stream().map(c -> SizeRanges.Interval.parse(c.length())).toList();
  }

  public int rowGroup(long length) {
    return rows.stream()
        .filter(
            c ->
                SizeRanges.Interval.parse(c.length())
                        .intersect(new SizeRanges.Interval(length, length))
                    != null)
        .findFirst()
        .map(RowClass::group)
        .orElseThrow(() -> new OclcException("schedule: no row class holds rows of " + length));
  }

  private static boolean groupSize(Integer group) {
    return group >= 1 && group <= 256 && Integer.bitCount(group) == 1;
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new OclcException("schedule: " + message);
    }
  }
}
