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
 * left-padded, and every step decodes one token of each; a request that ends (its tokens, an end of
 * sequence, a stop string, its client gone) leaves the batch's output at once and its row runs on
 * padding until the batch is done. A model without an attention mask cannot pad: only prompts of
 * one length share its batches. Requests arriving meanwhile wait for the next batch: a joining
 * request would need its own prefill and its KV rows merged into the batch's, which the host
 * stepper does not do; see docs/serving.md for what that costs.
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

  /** Whether prompts of different lengths can share a batch (the model takes an attention mask). */
  private final boolean padding;

  /** Requests taken from the queue that the last batch could not hold, oldest first. */
  private final List<Completion> deferred = new ArrayList<>();

  BatchDecoder(
      CompiledModel model, Set<Long> stopIds, long padId, int maxBatch, int queueCapacity) {
    this.model = model;
    this.stopIds = stopIds;
    this.padId = padId;
    this.limits = Limits.of(model.manifest(), maxBatch);
    this.queue = new ArrayBlockingQueue<>(queueCapacity);
    this.padding =
        model.manifest().inputs().stream().anyMatch(i -> i.name().equals("attention_mask"));
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
        Completion first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GATHER_MILLIS);
        while (batch.size() < limits.batch()) {
          Completion next =
              queue.poll(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS);
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
    metrics.batchSize.set(batch.size());
    int rows = batch.size();
    int longest = batch.stream().mapToInt(c -> c.prompt.length).max().orElse(1);
    int[] padding = new int[rows];
    long[][] tokens = new long[rows][];
    for (int r = 0; r < rows; r++) {
      long[] prompt = batch.get(r).prompt;
      padding[r] = longest - prompt.length;
      tokens[r] = new long[longest];
      Arrays.fill(tokens[r], 0, padding[r], padId);
      System.arraycopy(prompt, 0, tokens[r], padding[r], prompt.length);
    }
    try (Session session = model.newSession()) {
      HostStepper stepper = Steppers.hostStepper(model.manifest(), session).padded(padding);
      while (true) {
        long start = System.nanoTime();
        float[][] logits = stepper.step(tokens);
        metrics.step(System.nanoTime() - start, rows, batch.stream().filter(c -> !c.done).count());
        boolean anyLeft = false;
        long[][] next = new long[rows][1];
        for (int r = 0; r < rows; r++) {
          Completion c = batch.get(r);
          next[r][0] = padId;
          if (c.done || c.cancelled) {
            c.done = true;
            continue;
          }
          long token = c.chooser.choose(logits[r]);
          next[r][0] = token;
          metrics.tokens.incrementAndGet();
          if (!c.accept(token, stopIds.contains(token))) {
            anyLeft = true;
          }
        }
        if (!anyLeft) {
          break;
        }
        tokens = next;
      }
    } catch (RuntimeException e) {
      for (Completion c : batch) {
        c.fail("the model failed: " + e.getMessage());
      }
    } finally {
      metrics.batchSize.set(0);
    }
  }
}
