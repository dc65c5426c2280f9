package oclc.runtime;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import oclc.artifact.Artifact;
import oclc.artifact.ParamChecksums;

/**
 * The check of a loaded artifact's params against their checksums, on a thread of its own so that a
 * warm start does not wait for it: sessions refuse to run once it has found a damaged param, and
 * commands that print results wait for it first.
 */
public final class ParamsCheck {
  private final CompletableFuture<ParamChecksums.Report> result;

  private ParamsCheck(CompletableFuture<ParamChecksums.Report> result) {
    this.result = result;
  }

  /** Starts checking {@code artifact}'s params on a daemon thread. */
  public static ParamsCheck inBackground(Artifact artifact) {
    CompletableFuture<ParamChecksums.Report> result = new CompletableFuture<>();
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
    return new ParamsCheck(result);
  }

  /** The check of a model without params on disk (a manifest built in memory): nothing to do. */
  public static ParamsCheck none() {
    return new ParamsCheck(CompletableFuture.completedFuture(new ParamChecksums.Report(0, 0, 0)));
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

  /** Waits for the check; throws the damaged param's error if it found one. */
  public ParamChecksums.Report await() {
    try {
      return result.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException cause ? cause : e;
    }
  }
}
