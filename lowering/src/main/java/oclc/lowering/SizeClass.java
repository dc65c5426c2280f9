package oclc.lowering;

import java.util.List;

/**
 * A kind of size class a schedule holds ({@link Schedule}): the classes a node's variants change
 * at, each class with choices of its own. A kernel family declares the kinds its kernels take the
 * choices of; a family that declares none has one set of variants for every size.
 */
public enum SizeClass {
  /** MatMul/Gemm rows over packed weights: GEMV for one row, GEMM tiles for more. */
  MATMUL_ROWS("matmul", "rows"),
  /** Key lengths of the attention products of two activations. */
  ATTENTION_KEYS("attention", "keys"),
  /** Row lengths of the row kernels and the reductions: their group sizes. */
  ROW_LENGTH("rows", "length");

  private final String schedule;
  private final String classOf;

  SizeClass(String schedule, String classOf) {
    this.schedule = schedule;
    this.classOf = classOf;
  }

  /** Its list in a schedule file ({@code matmul}) and what its classes are classes of. */
  public String label() {
    return schedule + " " + classOf;
  }

  /** The classes {@code schedule} cuts this kind's sizes into. */
  public List<SizeRanges.Interval> cuts(Schedule schedule) {
    return switch (this) {
      case MATMUL_ROWS -> schedule.matmulCuts();
      case ATTENTION_KEYS -> schedule.attentionCuts();
      case ROW_LENGTH -> schedule.rowCuts();
    };
  }
}
