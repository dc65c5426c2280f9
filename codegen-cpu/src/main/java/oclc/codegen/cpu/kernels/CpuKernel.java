package oclc.codegen.cpu.kernels;

import oclc.codegen.cpu.linalg.WorkerPool;

/**
 * One dispatch of a Java variant in one session. {@link #bind} happens at plan time (sizes known,
 * buffers assigned; it may allocate its tables); {@link #run} at launch time, and allocates
 * nothing: the work is split into parts decided at bind, handed to the pool through a task made
 * once.
 */
public abstract class CpuKernel {
  /**
   * Launches cheaper than this (items × cost per item) run on the caller alone: a hand-off costs
   * more.
   */
  private static final long PARALLEL_THRESHOLD = 1 << 15;

  protected final WorkerPool pool;
  private final WorkerPool.Task part = this::runPart;
  private long items;
  private long work;
  private int parts;

  protected CpuKernel(WorkerPool pool) {
    this.pool = pool;
  }

  /** The operands in the dispatch's argument order, and its scalar arguments evaluated. */
  public abstract void bind(Operand[] buffers, long[] scalars);

  /** Computes with the bound operands. */
  public void run() {
    if (parts <= 1) {
      compute(0, 0, items);
    } else {
      pool.forEach(parts, part);
    }
  }

  /** The work items of the bound launch (elements, rows, …), for traces. */
  public long work() {
    return work;
  }

  /**
   * At bind, after {@link #split}: the work items to report when they are not the split's
   * (elements, not rows).
   */
  protected final void reportWork(long work) {
    this.work = work;
  }

  /**
   * At bind: the launch is {@code items} independent items of about {@code costPerItem} operations
   * each.
   */
  protected final void split(long items, long costPerItem) {
    this.items = items;
    this.work = items;
    boolean small =
        pool.threads() == 1 || items <= 1 || items * Math.max(1, costPerItem) < PARALLEL_THRESHOLD;
    this.parts = small ? 1 : (int) Math.min(items, pool.threads() * 4L);
  }

  /** The parts the bound launch is split into (each computed by one thread at a time). */
  protected final int parts() {
    return Math.max(1, parts);
  }

  /** Computes items {@code [from, to)}. */
  protected abstract void compute(long from, long to);

  /**
   * Computes items {@code [from, to)} as part {@code part} of {@link #parts()} (for scratch of its
   * own).
   */
  protected void compute(int part, long from, long to) {
    compute(from, to);
  }

  private void runPart(int index) {
    compute(index, items * index / parts, items * (index + 1) / parts);
  }
}
