package oclc.runtime;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The OpenCL objects the runtime holds on one {@link OpenClContext}, counted where it creates,
 * retains and releases them: the context and its queue, references to programs (one per create or
 * retain: a program the context keeps for later loads and an executable's reference to it count
 * twice), kernels, memory objects with their bytes, and the profiling events of launches not yet
 * read. A leak shows as a count that does not come back once what made it is closed; all are 0 once
 * the context is closed. Counting is an atomic add: nothing is allocated, so the launch path may
 * count its events.
 */
public final class OpenClObjects {
  /** What is counted. */
  public enum Kind {
    CONTEXT,
    QUEUE,
    PROGRAM,
    KERNEL,
    MEM_OBJECT,
    EVENT
  }

  /** The counts at one moment (each kind's live objects, and the memory objects' bytes). */
  public record Counts(
      long contexts,
      long queues,
      long programs,
      long kernels,
      long memObjects,
      long memBytes,
      long events) {
    public static final Counts NONE = new Counts(0, 0, 0, 0, 0, 0, 0);

    @Override
    public String toString() {
      return contexts
          + " context, "
          + queues
          + " queue, "
          + programs
          + " program references, "
          + kernels
          + " kernels, "
          + memObjects
          + " memory objects ("
          + memBytes
          + " bytes), "
          + events
          + " events";
    }
  }

  private final AtomicLongArray live = new AtomicLongArray(Kind.values().length);
  private final AtomicLong memBytes = new AtomicLong();

  void created(Kind kind) {
    live.incrementAndGet(kind.ordinal());
  }

  void released(Kind kind) {
    live.decrementAndGet(kind.ordinal());
  }

  void allocated(long bytes) {
    live.incrementAndGet(Kind.MEM_OBJECT.ordinal());
    memBytes.addAndGet(bytes);
  }

  void freed(long bytes) {
    live.decrementAndGet(Kind.MEM_OBJECT.ordinal());
    memBytes.addAndGet(-bytes);
  }

  /** The counts now (a moment's reads: exact once the threads that create and release are idle). */
  public Counts counts() {
    return new Counts(
        live.get(Kind.CONTEXT.ordinal()),
        live.get(Kind.QUEUE.ordinal()),
        live.get(Kind.PROGRAM.ordinal()),
        live.get(Kind.KERNEL.ordinal()),
        live.get(Kind.MEM_OBJECT.ordinal()),
        memBytes.get(),
        live.get(Kind.EVENT.ordinal()));
  }
}
