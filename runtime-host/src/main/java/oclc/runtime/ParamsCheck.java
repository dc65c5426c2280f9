package oclc.runtime;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import oclc.artifact.Artifact;
import oclc.artifact.ParamChecksums;

/**
 * The check of a loaded artifact's params against their checksums, on a thread of its own so that a
 * warm start does not wait for it. It starts with the first session (a compile that loads its
 * artifact only to build kernels reads no param again): sessions refuse to run once it has found a
 * damaged param, and commands that print results wait for it first.
 */
public final class ParamsCheck {
  private final Artifact artifact;
  private final AtomicBoolean started;
  private final CompletableFuture<ParamChecksums.Report> result;

  private ParamsCheck(
      Artifact artifact, AtomicBoolean started, CompletableFuture<ParamChecksums.Report> result) {
    this.artifact = artifact;
    this.started = started;
    this.result = result;
  }

  /** The check of {@code artifact}'s params, not started yet. */
  public static ParamsCheck of(Artifact artifact) {
    return new ParamsCheck(artifact, new AtomicBoolean(), new CompletableFuture<>());
  }

  /** The check of a model without params on disk (a manifest built in memory): nothing to do. */
  public static ParamsCheck none() {
    return new ParamsCheck(
        null,
        new AtomicBoolean(true),
        CompletableFuture.completedFuture(new ParamChecksums.Report(0, 0, 0)));
  }

  /** Starts the check on a daemon thread, once; later calls do nothing. */
  public void start() {
    if (!started.compareAndSet(false, true)) {
      return;
    }
    Thread.ofPlatform()
        .daemon()
        .name("oclc-params-check")
        .start(
            () -> {
              try {
                result.complete(ParamChecksums.verify(artifact, param -> {}));
              } catch (RuntimeException | Error e) {
                result.completeExceptionally(e);
              }
            });
  }

  /**
   * Throws what the check found once it has found a damaged param; returns at once otherwise,
   * whether or not it has finished (it is on the launch path: no allocation, no wait).
   */
  public void throwIfFailed() {
    if (result.isCompletedExceptionally()) {
      await();
    }
  }

  /** Waits for the check (starting it if no session has); throws if it found a damaged param. */
  public ParamChecksums.Report await() {
    start();
    try {
      return result.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException cause ? cause : e;
    }
  }
}
