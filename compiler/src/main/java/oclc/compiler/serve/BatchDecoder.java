package oclc.compiler.serve;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import oclc.artifact.Manifest;
import oclc.compiler.generate.HostStepper;
import oclc.compiler.generate.Steppers;
import oclc.ir.Dim;
import oclc.runtime.CompiledModel;
import oclc.runtime.Session;

/**
 * The one thread that runs the model. A batch starts with the requests waiting (up to the batch
 * limit, the first waiting a moment for others arriving with it): their prompts prefill together,
 * left-padded, and every step decodes one token of each. Between steps rows leave and join: a
 * request that ends (its tokens, an end of sequence, a stop string, its client gone) is answered
 * and its row dropped; a waiting request prefills on its own and its state joins the batch's, the
 * shorter past left-padded and masked (see {@link HostStepper#admit}). A model without an attention
 * mask cannot pad: only prompts of one length share its batches, and a request joins only at the
 * batch's length. A graph without past states runs its batch to the end (finished rows on padding).
 */
final class BatchDecoder implements Runnable {
  /** How long a batch's first request waits for others to come with it. */
  private static final long GATHER_MILLIS = 5;

  /** What the model's compiled ranges admit: rows, prompt tokens, prompt plus new tokens. */
  record Limits(int batch, long sequence, long context) {
    static Limits of(Manifest manifest, int maxBatch) {
      List<Dim> ids = manifest.inputs().getFirst().shape();
      long batch = maxOf(manifest, ids.get(0)).orElse(maxBatch);
      long sequence = ids.size() > 1 ? maxOf(manifest, ids.get(1)).orElse(Long.MAX_VALUE) : 1;
      long past =
          manifest.symbols().stream()
              .filter(s -> s.name().contains("past"))
              .mapToLong(Manifest.SymbolRange::max)
              .min()
              .orElse(Long.MAX_VALUE - 1);
      return new Limits((int) Math.min(batch, maxBatch), sequence, past + 1);
    }

    private static java.util.OptionalLong maxOf(Manifest manifest, Dim dim) {
      if (dim.isConstant()) {
        return java.util.OptionalLong.of(dim.constant());
      }
      return manifest.symbols().stream()
          .filter(s -> dim.symbols().contains(s.name()))
          .mapToLong(Manifest.SymbolRange::max)
          .min();
    }
  }

  private final CompiledModel model;
  private final Set<Long> stopIds;
  private final long padId;
  private final Limits limits;
  private final BlockingQueue<Completion> queue;
  final ServeMetrics metrics = new ServeMetrics();
  private final AtomicLong batches = new AtomicLong();
  private volatile boolean running = true;

  /** Requests taken from the queue that the last batch could not hold, oldest first. */
  private final List<Completion> deferred = new ArrayList<>();

  BatchDecoder(
      CompiledModel model, Set<Long> stopIds, long padId, int maxBatch, int queueCapacity) {
    this.model = model;
    this.stopIds = stopIds;
    this.padId = padId;
    this.limits = Limits.of(model.manifest(), maxBatch);
    this.queue = new ArrayBlockingQueue<>(queueCapacity);
  }

  Limits limits() {
    return limits;
  }

  /** Queues a request, or refuses it: 400 beyond the compiled ranges, 429 with the queue full. */
  void submit(Completion completion) {
    long prompt = completion.prompt.length;
    if (prompt > limits.sequence()) {
      throw new BadRequest(
          400,
          "the prompt has "
              + prompt
              + " tokens; the model was compiled for at most "
              + limits.sequence());
    }
    if (prompt + completion.maxTokens - 1 > limits.context()) {
      throw new BadRequest(
          400,
          "prompt ("
              + prompt
              + ") + max_tokens ("
              + completion.maxTokens
              + ") exceed the "
              + limits.context()
              + " positions the model was compiled for");
    }
    if (!queue.offer(completion)) {
      metrics.rejected.incrementAndGet();
      throw new BadRequest(429, "the queue is full (" + queue.size() + " waiting); try again");
    }
    metrics.queued.set(queue.size());
  }

  void stop() {
    running = false;
  }

  @Override
  public void run() {
    while (running) {
      List<Completion> batch = new ArrayList<>();
      try {
        Completion first =
            deferred.isEmpty() ? queue.poll(100, TimeUnit.MILLISECONDS) : deferred.removeFirst();
        if (first == null) {
          continue;
        }
        batch.add(first);
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GATHER_MILLIS);
        while (batch.size() < limits.batch()) {
          Completion next =
              deferred.isEmpty()
                  ? queue.poll(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS)
                  : deferred.removeFirst();
          if (next == null) {
            break;
          }
          batch.add(next);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      metrics.queued.set(queue.size());
      decode(batch);
    }
  }

  private void decode(List<Completion> batch) {
    batch.removeIf(c -> c.cancelled);
    if (batch.isEmpty()) {
      return;
    }
    batches.incrementAndGet();
    int longest = batch.stream().mapToInt(c -> c.prompt.length).max().orElse(1);
    int[] padding = new int[batch.size()];
    long[][] tokens = new long[batch.size()][];
    for (int r = 0; r < batch.size(); r++) {
      long[] prompt = batch.get(r).prompt;
      padding[r] = longest - prompt.length;
      tokens[r] = new long[longest];
      Arrays.fill(tokens[r], 0, padding[r], padId);
      System.arraycopy(prompt, 0, tokens[r], padding[r], prompt.length);
    }
    List<Completion> rows = new ArrayList<>(batch);
    try (Session session = model.newSession()) {
      HostStepper stepper = Steppers.hostStepper(model.manifest(), session).padded(padding);
      while (true) {
        metrics.batchSize.set(rows.size());
        long start = System.nanoTime();
        float[][] logits = stepper.step(tokens);
        metrics.step(
            System.nanoTime() - start, rows.size(), rows.stream().filter(c -> !c.done).count());
        List<Long> next = new ArrayList<>();
        for (int r = 0; r < rows.size(); r++) {
          Completion c = rows.get(r);
          next.add(padId);
          if (c.done || c.cancelled) {
            c.done = true;
            continue;
          }
          long token = c.chooser.choose(logits[r]);
          next.set(r, token);
          metrics.tokens.incrementAndGet();
          c.accept(token, stopIds.contains(token));
        }
        if (stepper.regroupable()) {
          leave(stepper, rows, next);
          stepper = join(session, stepper, rows, next);
        }
        if (rows.stream().allMatch(c -> c.done)) {
          break;
        }
        tokens = next.stream().map(t -> new long[] {t}).toArray(long[][]::new);
      }
    } catch (RuntimeException e) {
      for (Completion c : rows) {
        c.fail("the model failed: " + e.getMessage());
      }
    } finally {
      metrics.batchSize.set(0);
    }
  }

  /** Drops the rows that are done (their state with them) and the padding no row needs. */
  private static void leave(HostStepper stepper, List<Completion> rows, List<Long> next) {
    int[] kept =
        java.util.stream.IntStream.range(0, rows.size())
            .filter(r -> !rows.get(r).done && !rows.get(r).cancelled)
            .toArray();
    if (kept.length == rows.size() || kept.length == 0) {
      return;
    }
    stepper.keepRows(kept);
    stepper.trimPadding();
    List<Completion> keptRows = new ArrayList<>();
    List<Long> keptTokens = new ArrayList<>();
    for (int r : kept) {
      keptRows.add(rows.get(r));
      keptTokens.add(next.get(r));
    }
    rows.clear();
    rows.addAll(keptRows);
    next.clear();
    next.addAll(keptTokens);
  }

  /**
   * Brings waiting requests into the running batch while it has room and their positions fit beside
   * its rows': each prefills on its own, chooses its first token, and its state joins the batch's
   * (the shorter past left-padded and masked). Returns the batch's stepper, a new one when every
   * earlier row had ended.
   */
  private HostStepper join(
      Session session, HostStepper stepper, List<Completion> rows, List<Long> next) {
    boolean ended = rows.stream().allMatch(c -> c.done);
    while ((ended ? 0 : rows.size()) < limits.batch()) {
      Completion c = waiting();
      if (c == null) {
        break;
      }
      if (c.cancelled) {
        continue;
      }
      if (!ended && !fits(stepper, rows, c)) {
        deferred.addFirst(c);
        break;
      }
      HostStepper alone = Steppers.hostStepper(model.manifest(), session);
      float[] first = alone.step(c.prompt);
      long token = c.chooser.choose(first);
      metrics.tokens.incrementAndGet();
      if (c.accept(token, stopIds.contains(token))) {
        continue;
      }
      if (ended) {
        rows.clear();
        next.clear();
        stepper = alone;
        ended = false;
      } else {
        stepper.admit(alone);
        metrics.joined.incrementAndGet();
      }
      rows.add(c);
      next.add(token);
    }
    metrics.queued.set(queue.size());
    return stepper;
  }

  /** The oldest request not yet taken: a deferred one first, then the queue's; null when none. */
  private Completion waiting() {
    return deferred.isEmpty() ? queue.poll() : deferred.removeFirst();
  }

  /**
   * Whether {@code c} can join: the model pads rows of another length (or it has the batch's), and
   * with the batch's past at the longer of the two every row's remaining tokens stay within the
   * compiled positions.
   */
  private boolean fits(HostStepper stepper, List<Completion> rows, Completion c) {
    long past = stepper.pastLength();
    if (!stepper.pads() && c.prompt.length != past) {
      return false;
    }
    long joined = Math.max(past, c.prompt.length);
    if (joined + c.maxTokens - 1 > limits.context()) {
      return false;
    }
    return rows.stream()
        .allMatch(r -> r.done || joined + (r.maxTokens - r.tokens.size()) <= limits.context());
  }
}
