package oclc.codegen.cpu.linalg;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Threads that split one launch over the cores; created once per session, reused, no allocation per
 * launch. {@link #forEach} hands indices out one at a time from a shared counter (so a core slowed
 * by other work takes fewer), the calling thread working alongside {@code threads - 1} daemon
 * workers. Between launches the workers spin for a short while (a decode step's launches follow
 * each other within microseconds), then park until the next one.
 *
 * <p>A launch ends when its indices are done, not when every worker has looked in: on a machine
 * shared with other processes a worker may not be scheduled at all during a short launch, and the
 * caller then does the work alone rather than wait for it. One atomic word holds the launch's
 * number, its count and the next index; a thread reads the task only after claiming an index, when
 * the launch cannot end before that index is done, so a worker waking late claims nothing of an
 * ended launch and runs no index with another launch's task.
 *
 * <p>On an overloaded machine (more runnable threads than cores) a worker can be descheduled while
 * it holds an index, for a whole time slice of another process, and the caller waits for it:
 * milliseconds where the launch takes microseconds. When the caller has waited more than {@link
 * #SLOW_WAIT_NANOS} after its own share in several recent launches, the pool runs the next {@link
 * #SOLO_LAUNCHES} launches on the caller alone, then tries its workers again. On a quiet machine no
 * wait comes near that bound and every launch is shared.
 *
 * <p>One launch at a time: {@code forEach} must not be called from two threads at once, nor from
 * inside a task (both are refused).
 */
public final class WorkerPool implements AutoCloseable {
  /**
   * How long an idle worker spins before parking: longer than the gap between two launches of a
   * step.
   */
  private static final long SPIN_NANOS = Long.getLong("oclc.linalg.spinMicros", 200) * 1_000;

  /** A wait for workers this long after the caller's own share means one was descheduled. */
  static final long SLOW_WAIT_NANOS = 1_000_000;

  /** Launches run on the caller alone once waits like that have become frequent. */
  static final int SOLO_LAUNCHES = 256;

  private static final int FIELD = 24;
  private static final long INDEX = (1L << FIELD) - 1;

  /** The most indices one launch may have. */
  public static final int MAX_COUNT = (int) INDEX;

  /** Runs one index of a launch. */
  @FunctionalInterface
  public interface Task {
    void run(int index);
  }

  private final int threads;
  private final Worker[] workers;

  /** Launch number (16 bits) | count (24 bits) | next index to hand out (24 bits). */
  private final AtomicLong claims = new AtomicLong();

  /** Indices of the current launch that have finished, failed or been dropped after a failure. */
  private final AtomicInteger finished = new AtomicInteger();

  private final AtomicInteger busy = new AtomicInteger();

  /** Bumped after {@code claims} is set, for idle workers to watch. */
  private volatile int launch;

  private volatile boolean closed;
  private volatile boolean callerParked;
  private volatile Thread caller;
  private volatile Task task;
  private volatile Throwable failure;

  /**
   * Rises by 4 with each slow wait, falls by 1 with each quick one; 16 switches to solo launches.
   */
  private int slowScore;

  private int soloLeft;
  private long soloLaunches;

  public WorkerPool(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("a worker pool needs at least 1 thread, got " + threads);
    }
    this.threads = threads;
    this.workers = new Worker[threads - 1];
    for (int i = 0; i < workers.length; i++) {
      workers[i] = new Worker(i + 1);
      workers[i].start();
    }
  }

  /** The machine's cores (what the JVM may use). */
  public static int defaultThreads() {
    return Runtime.getRuntime().availableProcessors();
  }

  public int threads() {
    return threads;
  }

  /**
   * Launches run on the caller alone because the workers were being descheduled (for profiles and
   * tests).
   */
  public long soloLaunches() {
    return soloLaunches;
  }

  /**
   * The calling thread's place in the pool running it: 0 for the caller, 1.. for workers (for
   * per-thread scratch).
   */
  static int slot() {
    return Thread.currentThread() instanceof Worker worker ? worker.slot : 0;
  }

  /**
   * Runs task.run(i) for every i in [0, count) across the threads (caller included) and returns
   * when all are done.
   */
  public void forEach(int count, Task task) {
    if (count < 0 || count > MAX_COUNT) {
      throw new IllegalArgumentException(
          "forEach count must be in [0, " + MAX_COUNT + "], got " + count);
    }
    if (closed) {
      throw new IllegalStateException("the worker pool is closed");
    }
    if (!busy.compareAndSet(0, 1)) {
      throw new IllegalStateException(
          "WorkerPool.forEach called while a launch is running (from another thread or a task)");
    }
    try {
      if (workers.length == 0 || count <= 1 || soloLeft > 0) {
        if (soloLeft > 0 && count > 1) {
          soloLeft--;
          soloLaunches++;
        }
        for (int i = 0; i < count; i++) {
          task.run(i);
        }
        return;
      }
      start(count, task);
    } finally {
      busy.set(0);
    }
  }

  private void start(int count, Task task) {
    int number = (launch + 1) & 0xFFFF;
    this.task = task;
    this.failure = null;
    this.caller = Thread.currentThread();
    finished.set(0);
    claims.set((long) number << (2 * FIELD) | (long) count << FIELD);
    launch = number;
    for (Worker worker : workers) {
      if (worker.parked) {
        LockSupport.unpark(worker);
      }
    }
    work();
    long ownShareDone = System.nanoTime();
    awaitFinished(count);
    boolean slow = System.nanoTime() - ownShareDone > SLOW_WAIT_NANOS;
    slowScore = slow ? slowScore + 4 : Math.max(0, slowScore - 1);
    if (slowScore >= 16) {
      slowScore = 0;
      soloLeft = SOLO_LAUNCHES;
    }
    this.task = null;
    Throwable thrown = failure;
    if (thrown != null) {
      failure = null;
      if (thrown instanceof RuntimeException e) {
        throw e;
      }
      throw (Error) thrown;
    }
  }

  /**
   * Claims and runs indices of the current launch until none are left; the first failure is kept
   * for the caller and drops the indices not yet handed out (counted as finished, so the launch
   * ends).
   */
  private void work() {
    int done = 0;
    int total = 0;
    while (true) {
      long claim = claims.get();
      int index = (int) (claim & INDEX);
      int count = (int) ((claim >>> FIELD) & INDEX);
      if (index >= count) {
        break;
      }
      if (!claims.compareAndSet(claim, claim + 1)) {
        continue;
      }
      total = count;
      try {
        task.run(index);
      } catch (Throwable t) {
        if (failure == null) {
          failure = t;
        }
        done += dropRest();
      }
      done++;
    }
    if (done > 0 && finished.addAndGet(done) == total && callerParked) {
      LockSupport.unpark(caller);
    }
  }

  /** Ends the hand-out of the current launch; returns how many indices it took back. */
  private int dropRest() {
    while (true) {
      long claim = claims.get();
      int index = (int) (claim & INDEX);
      int count = (int) ((claim >>> FIELD) & INDEX);
      if (index >= count) {
        return 0;
      }
      if (claims.compareAndSet(claim, claim - index + count)) {
        return count - index;
      }
    }
  }

  private void awaitFinished(int total) {
    long start = System.nanoTime();
    while (finished.get() != total) {
      if (System.nanoTime() - start > SPIN_NANOS) {
        callerParked = true;
        while (finished.get() != total) {
          LockSupport.park(this);
        }
        callerParked = false;
        return;
      }
      Thread.onSpinWait();
    }
  }

  /**
   * Stops the workers (they finish no launch, none being in flight); the pool refuses launches
   * after.
   */
  @Override
  public void close() {
    closed = true;
    for (Worker worker : workers) {
      LockSupport.unpark(worker);
    }
  }

  private final class Worker extends Thread {
    final int slot;
    volatile boolean parked;

    Worker(int index) {
      super("oclc-linalg-" + index);
      this.slot = index;
      setDaemon(true);
    }

    @Override
    public void run() {
      int seen = 0;
      while (true) {
        long start = System.nanoTime();
        int number;
        while ((number = launch) == seen) {
          if (closed) {
            return;
          }
          if (System.nanoTime() - start < SPIN_NANOS) {
            Thread.onSpinWait();
          } else {
            parked = true;
            if (launch == seen && !closed) {
              LockSupport.park(WorkerPool.this);
            }
            parked = false;
          }
        }
        seen = number;
        work();
      }
    }
  }
}
