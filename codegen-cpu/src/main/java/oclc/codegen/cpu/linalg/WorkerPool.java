package oclc.codegen.cpu.linalg;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Threads that split one launch over the cores; created once per session, reused, no allocation per
 * launch. {@link #forEach} hands indices out one at a time from a shared counter (so a core slowed by
 * other work takes fewer), the calling thread working alongside {@code threads - 1} daemon workers.
 * Between launches the workers spin for a short while (a decode step's launches follow each other
 * within microseconds), then park until the next one.
 *
 * <p>One launch at a time: {@code forEach} must not be called from two threads at once, nor from
 * inside a task (both are refused).
 */
public final class WorkerPool implements AutoCloseable {
  /** How long an idle worker spins before parking: longer than the gap between two launches of a step. */
  private static final long SPIN_NANOS = Long.getLong("oclc.linalg.spinMicros", 200) * 1_000;

  /** Runs one index of a launch. */
  @FunctionalInterface
  public interface Task {
    void run(int index);
  }

  private final int threads;
  private final Worker[] workers;
  private final AtomicInteger next = new AtomicInteger();
  /** Workers still inside the current launch. */
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicInteger busy = new AtomicInteger();
  /** Bumped to start a launch; its volatile write publishes task, count and the operands the task reads. */
  private volatile long generation;
  private volatile boolean closed;
  private volatile boolean callerParked;
  private volatile Thread caller;
  private Task task;
  private int count;
  private volatile Throwable failure;

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

  /** Runs task.run(i) for every i in [0, count) across the threads (caller included) and returns when all are done. */
  public void forEach(int count, Task task) {
    if (count < 0) {
      throw new IllegalArgumentException("forEach count must be >= 0, got " + count);
    }
    if (closed) {
      throw new IllegalStateException("the worker pool is closed");
    }
    if (!busy.compareAndSet(0, 1)) {
      throw new IllegalStateException("WorkerPool.forEach called while a launch is running (from another thread or a task)");
    }
    try {
      if (count == 0) {
        return;
      }
      if (workers.length == 0 || count == 1) {
        for (int i = 0; i < count; i++) {
          task.run(i);
        }
        return;
      }
      launch(count, task);
    } finally {
      busy.set(0);
    }
  }

  private void launch(int count, Task task) {
    this.task = task;
    this.count = count;
    this.failure = null;
    this.caller = Thread.currentThread();
    next.set(0);
    running.set(workers.length);
    generation = generation + 1;
    for (Worker worker : workers) {
      if (worker.parked) {
        LockSupport.unpark(worker);
      }
    }
    work();
    awaitWorkers();
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

  /** Takes indices until none are left; the first failure stops the hand-out and is kept for the caller. */
  private void work() {
    Task current = task;
    int total = count;
    for (int i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
      try {
        current.run(i);
      } catch (Throwable t) {
        if (failure == null) {
          failure = t;
        }
        next.set(total);
      }
    }
  }

  private void awaitWorkers() {
    long start = 0;
    while (running.get() != 0) {
      if (start == 0) {
        start = System.nanoTime();
      } else if (System.nanoTime() - start > SPIN_NANOS) {
        callerParked = true;
        while (running.get() != 0) {
          LockSupport.park(this);
        }
        callerParked = false;
        return;
      }
      Thread.onSpinWait();
    }
  }

  /** Stops the workers (they finish no launch, none being in flight); the pool refuses launches after. */
  @Override
  public void close() {
    closed = true;
    for (Worker worker : workers) {
      LockSupport.unpark(worker);
    }
  }

  private final class Worker extends Thread {
    volatile boolean parked;

    Worker(int index) {
      super("oclc-linalg-" + index);
      setDaemon(true);
    }

    @Override
    public void run() {
      long seen = 0;
      while (true) {
        long start = System.nanoTime();
        while (generation == seen) {
          if (closed) {
            return;
          }
          if (System.nanoTime() - start < SPIN_NANOS) {
            Thread.onSpinWait();
          } else {
            parked = true;
            if (generation == seen && !closed) {
              LockSupport.park(WorkerPool.this);
            }
            parked = false;
          }
        }
        seen = generation;
        work();
        if (running.decrementAndGet() == 0 && callerParked) {
          LockSupport.unpark(caller);
        }
      }
    }
  }
}
