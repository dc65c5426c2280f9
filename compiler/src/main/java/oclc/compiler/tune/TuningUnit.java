package oclc.compiler.tune;

import java.util.ArrayList;
import java.util.List;
import oclc.lowering.Schedule;
import oclc.lowering.Schedule.AttentionClass;
import oclc.lowering.Schedule.MatMulClass;
import oclc.lowering.Schedule.RowClass;

/**
 * One entry of a schedule that {@code oclc tune} chooses on its own: a size class of one kernel
 * family (its {@code index} in the family's list), with the candidates that vary its parameters and
 * keep its range. The class boundaries themselves are not tuned.
 */
record TuningUnit(Family family, int index) {
  /** The families a schedule holds, with what their classes are classes of. */
  enum Family {
    MATMUL("matmul", "rows"),
    ATTENTION("attention", "keys"),
    ROWS("rows", "length");

    final String label;
    final String classOf;

    Family(String label, String classOf) {
      this.label = label;
      this.classOf = classOf;
    }
  }

  /** Row groups and GEMM tiles tried; the validated bounds of {@link Schedule} hold them all. */
  private static final int[] SUMS = {1, 2, 4, 8};

  private static final int[] TILE_ROWS = {1, 2, 3, 4, 6, 8};
  private static final int[] TILE_PANELS = {1, 2, 4};
  private static final int[] ATTENTION_ROWS = {1, 2, 4, 6, 8};
  private static final int[] COLUMNS = {4, 8, 16};
  private static final int[] GROUPS = {1, 2, 4, 8, 16, 32, 64, 128, 256};
  private static final int[] ROW_TILE_GROUPS = {0, 2, 4, 8, 16};
  private static final int[] COLUMN_GROUPS = {0, 8, 16, 32, 64, 128};

  /** Every class of every family of {@code schedule}. */
  static List<TuningUnit> of(Schedule schedule) {
    List<TuningUnit> units = new ArrayList<>();
    for (int i = 0; i < schedule.matmul().size(); i++) {
      units.add(new TuningUnit(Family.MATMUL, i));
    }
    for (int i = 0; i < schedule.attention().size(); i++) {
      units.add(new TuningUnit(Family.ATTENTION, i));
    }
    for (int i = 0; i < schedule.rows().size(); i++) {
      units.add(new TuningUnit(Family.ROWS, i));
    }
    return units;
  }

  /** {@code matmul rows 2..16}. */
  String label(Schedule schedule) {
    String range =
        switch (family) {
          case MATMUL -> schedule.matmul().get(index).rows();
          case ATTENTION -> schedule.attention().get(index).keys();
          case ROWS -> schedule.rows().get(index).length();
        };
    return family.label + " " + family.classOf + " " + range;
  }

  /**
   * The class's parameters in {@code schedule}: {@code gemv sums 4} ({@code p2}: two panels per
   * item), {@code gemm 6x2}, {@code columns 1}, {@code group 64}.
   */
  String parameters(Schedule schedule) {
    return switch (family) {
      case MATMUL -> {
        MatMulClass c = schedule.matmul().get(index);
        yield c.kernel().equals("gemv")
            ? "gemv sums " + c.sums() + (c.panelsPerItem() == 1 ? "" : " p" + c.panelsPerItem())
            : "gemm "
                + c.rowsPerItem()
                + "x"
                + c.panelsPerItem()
                + (c.group() == 0 ? "" : " g" + c.group());
      }
      case ATTENTION -> {
        AttentionClass c = schedule.attention().get(index);
        yield "rows "
            + c.rowsPerItem()
            + " x columns "
            + c.columnsPerItem()
            + (c.group() == 0 ? "" : " g" + c.group());
      }
      case ROWS -> "group " + schedule.rows().get(index).group();
    };
  }

  /**
   * {@code base} with this class's parameters set to a value no class of the family has (so that no
   * two classes merge into one variant), every other entry as it is: the nodes whose kernels change
   * are the nodes this class decides.
   */
  Schedule probe(Schedule base) {
    return switch (family) {
      case MATMUL -> {
        MatMulClass c = base.matmul().get(index);
        List<MatMulClass> same =
            base.matmul().stream().filter(o -> o.kernel().equals(c.kernel())).toList();
        yield base.withMatMul(
            index,
            c.kernel().equals("gemv")
                ? new MatMulClass(
                    c.rows(),
                    c.kernel(),
                    unused(same.stream().map(MatMulClass::sums).toList(), 8),
                    c.rowsPerItem(),
                    c.panelsPerItem())
                : new MatMulClass(
                    c.rows(),
                    c.kernel(),
                    c.sums(),
                    unused(same.stream().map(MatMulClass::rowsPerItem).toList(), 12),
                    c.panelsPerItem(),
                    c.group()));
      }
      case ATTENTION -> {
        // The group, not the tile: a one-query-row variant keeps one row per item whatever the
        // tile, but every variant of the class takes its group.
        AttentionClass c = base.attention().get(index);
        yield base.withAttention(
            index,
            new AttentionClass(
                c.keys(),
                c.rowsPerItem(),
                c.columnsPerItem(),
                unusedPowerOfTwo(base.attention().stream().map(AttentionClass::group).toList())));
      }
      case ROWS ->
          base.withRows(
              index,
              new RowClass(
                  base.rows().get(index).length(),
                  unusedPowerOfTwo(base.rows().stream().map(RowClass::group).toList())));
    };
  }

  /** The smallest power of two that {@code used} lacks. */
  private static int unusedPowerOfTwo(List<Integer> used) {
    int value = 1;
    while (used.contains(value)) {
      value *= 2;
    }
    return value;
  }

  /** The smallest of 1..max that {@code used} lacks. */
  private static int unused(List<Integer> used, int max) {
    for (int v = 1; v <= max; v++) {
      if (!used.contains(v)) {
        return v;
      }
    }
    throw new IllegalStateException("every value of 1.." + max + " is taken");
  }

  /**
   * {@code base} first (the baseline), then {@code base} with each other choice of this class's
   * parameters; row groups only up to {@code maxGroup} work-items (the device's limit).
   */
  List<Schedule> candidates(Schedule base, long maxGroup) {
    List<Schedule> candidates = new ArrayList<>(List.of(base));
    switch (family) {
      case MATMUL -> {
        MatMulClass c = base.matmul().get(index);
        if (c.kernel().equals("gemv")) {
          for (int sums : SUMS) {
            for (int panels : TILE_PANELS) {
              candidates.add(
                  base.withMatMul(
                      index, new MatMulClass(c.rows(), "gemv", sums, c.rowsPerItem(), panels)));
            }
          }
        } else {
          for (int rows : TILE_ROWS) {
            for (int panels : TILE_PANELS) {
              candidates.add(
                  base.withMatMul(
                      index, new MatMulClass(c.rows(), "gemm", c.sums(), rows, panels, c.group())));
            }
          }
        }
      }
      case ATTENTION -> {
        AttentionClass c = base.attention().get(index);
        for (int rows : ATTENTION_ROWS) {
          for (int columns : COLUMNS) {
            candidates.add(
                base.withAttention(index, new AttentionClass(c.keys(), rows, columns, c.group())));
          }
        }
      }
      case ROWS -> {
        RowClass c = base.rows().get(index);
        for (int group : GROUPS) {
          if (group <= maxGroup) {
            candidates.add(base.withRows(index, new RowClass(c.length(), group)));
          }
        }
      }
    }
    return candidates.stream().distinct().toList();
  }

  /**
   * The second round, from the best of the first: the same tile or columns in work-groups of other
   * sizes (GEMM row tiles, attention column groups; 0 is the compile's own choice).
   */
  List<Schedule> refinements(Schedule best) {
    List<Schedule> candidates = new ArrayList<>();
    switch (family) {
      case MATMUL -> {
        MatMulClass c = best.matmul().get(index);
        if (c.kernel().equals("gemm")) {
          for (int group : ROW_TILE_GROUPS) {
            candidates.add(
                best.withMatMul(
                    index,
                    new MatMulClass(
                        c.rows(), "gemm", c.sums(), c.rowsPerItem(), c.panelsPerItem(), group)));
          }
        }
      }
      case ATTENTION -> {
        AttentionClass c = best.attention().get(index);
        for (int group : COLUMN_GROUPS) {
          candidates.add(
              best.withAttention(
                  index, new AttentionClass(c.keys(), c.rowsPerItem(), c.columnsPerItem(), group)));
        }
      }
      case ROWS -> {}
    }
    return candidates.stream().filter(c -> !c.equals(best)).distinct().toList();
  }

  /** The entry of {@code tuned} for this class, put into {@code into}. */
  Schedule copy(Schedule tuned, Schedule into) {
    return switch (family) {
      case MATMUL -> into.withMatMul(index, tuned.matmul().get(index));
      case ATTENTION -> into.withAttention(index, tuned.attention().get(index));
      case ROWS -> into.withRows(index, tuned.rows().get(index));
    };
  }
}
