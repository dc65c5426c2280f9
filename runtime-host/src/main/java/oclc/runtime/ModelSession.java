package oclc.runtime;

import java.util.List;
import oclc.ir.Tensor;
import oclc.runtime.LaunchPlan.PlannedLaunch;

/**
 * One stream of work on a {@link CompiledModel}, the same on every backend: bind inputs, {@link
 * #plan()} (dims resolved, variants chosen, buffers assigned by liveness, kernel operands set),
 * then {@link #launch} node by node or {@link #run()} them all; read any value still in its buffer.
 */
public interface ModelSession extends AutoCloseable {
  /** Binds an input; its dtype and shape are checked against the model's symbolic shape at {@link #plan()}. */
  ModelSession bind(String input, Tensor value);

  /** Resolves the dims, picks each node's variant, assigns buffers, writes the inputs, binds the kernels. */
  LaunchPlan plan();

  /** The current plan (planning first when inputs changed). */
  LaunchPlan currentPlan();

  /** Computes {@code node} as {@code variant} does (a variant that admits the bound shapes). */
  void launch(String node, String variant);

  default void launch(PlannedLaunch launch) {
    launch(launch.node(), launch.variant());
  }

  /** Launches every node of the plan in order and waits until they are done. */
  void run();

  /** Waits until every launched kernel has finished. */
  void finish();

  /** The KV cache step of generation: each cached past input now holds the last run's present, in place. */
  ModelSession advanceCache();

  /** The past inputs a KV cache holds (empty when the model has none). */
  List<String> cachedInputs();

  /** Fills the shared buffers with NaN at every plan, so that unwritten elements show. */
  ModelSession poisonBuffers(boolean enabled);

  /** Gives every value a buffer of its own from the next plan on (every intermediate stays readable). */
  ModelSession keepEveryValue(boolean enabled);

  /** Times every dispatch from now on, for {@link #timings()}. */
  ModelSession profile(boolean enabled);

  /** The time of each dispatch launched since the last plan or run, in order. */
  List<LaunchTiming> timings();

  /** A graph output, after {@link #run()}. */
  Tensor output(String name);

  /**
   * The same, read into {@code reuse}'s memory when it is of the output's type and has room for it
   * ({@code reuse}: a tensor an earlier call returned, or null): a loop that reads every step's
   * logits then allocates no buffer for them. The tensor returned shares that memory, which the
   * next read into it overwrites.
   */
  Tensor output(String name, Tensor reuse);

  /** Any value a kernel reads or writes, as its buffer holds it now. */
  Tensor read(String value);

  @Override
  void close();
}
