package oclc.bench.gpt2;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import oclc.artifact.Manifest;
import oclc.cache.KernelCache;
import oclc.codegen.opencl.KernelOverrides;
import oclc.compiler.LoadedModel;
import oclc.compiler.ModelCompiler;
import oclc.compiler.generate.Generator;
import oclc.compiler.generate.HostStepper;
import oclc.compiler.generate.TokenChooser;
import oclc.ir.DType;
import oclc.ir.OclcException;
import oclc.ir.Shape;
import oclc.ir.Tensor;
import oclc.ir.TensorType;
import oclc.ir.ValueInfo;
import oclc.lowering.Schedule;
import oclc.lowering.SizeRanges;
import oclc.runtime.CompiledModel;
import oclc.runtime.Executable;
import oclc.runtime.KernelBuilder;
import oclc.runtime.LaunchPlan;
import oclc.runtime.OpenClContext;
import oclc.runtime.Session;
import oclc.runtime.cpu.JavaExecutable;

/**
 * oclc on an OpenCL device: the model compiled into an artifact, one session, the keys and values
 * in the device's KV caches and appended in place each step ({@link Session#advanceCache()}), as
 * {@code oclc generate}'s {@code CachedStepper} does; here the steps are spelt out (plan, launch,
 * finish, read) so that the report can say where a decode step's time goes.
 */
public final class OclcGpt2 implements Gpt2Engine {
  private static final String BATCH = "batch_size";
  private final CompiledModel executable;
  private final Session session;

  /**
   * The last step's logits, whose memory the next step's are read into (as a generation loop
   * would).
   */
  private Tensor logits;

  private final String name;
  private final String idsInput;
  private final String logitsOutput;
  private final Map<String, long[]> emptyPasts = new LinkedHashMap<>();
  private final String compileSummary;

  private OclcGpt2(CompiledModel executable, String compileSummary) {
    this.executable = executable;
    this.name = executable.manifest().backend().equals(Manifest.JAVA) ? JAVA : OPENCL;
    this.compileSummary = compileSummary;
    Manifest manifest = executable.manifest();
    this.idsInput = manifest.inputs().getFirst().name();
    this.logitsOutput =
        HostStepper.logitsOf(manifest.outputs().stream().map(Manifest.TensorSpec::name).toList());
    this.session = executable.newSession();
    List<String> cached = session.cachedInputs();
    if (cached.isEmpty() || cached.size() != manifest.inputs().size() - 1) {
      session.close();
      throw new OclcException(
          "the benchmark needs a GPT-2 decode graph whose every past input lives in a KV cache; "
              + "this one has inputs "
              + manifest.inputs().stream().map(Manifest.TensorSpec::name).toList()
              + " and caches "
              + cached);
    }
    for (Manifest.TensorSpec in : manifest.inputs().subList(1, manifest.inputs().size())) {
      ValueInfo info = new ValueInfo(in.name(), new TensorType(in.dtype(), new Shape(in.shape())));
      emptyPasts.put(in.name(), HostStepper.emptyPast(info).shape());
    }
  }

  /** The engine names: the OpenCL device's kernels, and the Java (Vector API) kernels. */
  public static final String OPENCL = "oclc-opencl";

  public static final String JAVA = "oclc-java";

  /**
   * Compiles {@code loaded} into {@code artifact} for {@code dims} (others: what the model bounds)
   * and loads it: for the OpenCL {@code device}, fused or every node alone, or, when {@code device}
   * is null, for the Java kernels.
   */
  public static OclcGpt2 compile(
      LoadedModel loaded,
      Path artifact,
      Map<String, SizeRanges.Interval> dims,
      OpenClContext device,
      KernelCache cache,
      boolean fuse) {
    long start = System.nanoTime();
    SizeRanges ranges =
        SizeRanges.forGraph(loaded.simplified(), benchRanges(loaded, dims), Map.of(), true);
    Manifest manifest =
        device == null
            ? ModelCompiler.writeJavaArtifact(
                loaded, artifact, ranges, Schedule.defaults(Schedule.Target.CPU), fuse)
            : ModelCompiler.writeArtifact(
                loaded,
                artifact,
                ranges,
                KernelOverrides.none(),
                ModelCompiler.defaultSchedule(device.info()),
                fuse);
    long written = System.nanoTime();
    CompiledModel executable =
        device == null
            ? JavaExecutable.load(
                artifact, JavaExecutable.defaultThreads(), w -> System.err.println("warning: " + w))
            : Executable.load(
                artifact,
                device,
                cache,
                KernelBuilder.SILENT,
                w -> System.err.println("warning: " + w));
    long ready = System.nanoTime();
    String kernels = "";
    if (executable instanceof Executable openCl) {
      KernelBuilder.Programs programs = openCl.programs();
      kernels =
          String.format(
              " (%d built, %d cached)",
              programs.count(KernelBuilder.Origin.BUILT)
                  + programs.count(KernelBuilder.Origin.REBUILT),
              programs.count(KernelBuilder.Origin.CACHED)
                  + programs.count(KernelBuilder.Origin.EMBEDDED));
    }
    OclcGpt2 oclc =
        wrap(
            executable,
            String.format(
                "%d nodes, %d kernels%s; lower+write %.1f s, load %.1f s; sizes %s",
                manifest.nodes().size(),
                manifest.kernels().size(),
                kernels,
                (written - start) / 1e9,
                (ready - written) / 1e9,
                String.join(
                    ", ",
                    manifest.symbols().stream()
                        .map(r -> r.name() + "=" + r.min() + ".." + r.max())
                        .toList())));
    return oclc;
  }

  /**
   * The sizes the benchmark compiles for: {@code dims}, one sequence, and what the model bounds for
   * the rest.
   */
  public static Map<String, SizeRanges.Interval> benchRanges(
      LoadedModel loaded, Map<String, SizeRanges.Interval> dims) {
    Map<String, SizeRanges.Interval> ranges = new LinkedHashMap<>(dims);
    if (loaded.simplified().inputs().stream()
        .anyMatch(in -> in.shape().dims().stream().anyMatch(d -> d.symbols().contains(BATCH)))) {
      ranges.putIfAbsent(BATCH, new SizeRanges.Interval(1, 1)); // the benchmark runs one sequence
    }
    return ranges;
  }

  /**
   * Loads a compiled artifact as {@code oclc run} does: onto the OpenCL device {@code device} names
   * (opened for it and closed with it), its kernels from {@code cache} (or built and cached there),
   * or, when {@code device} is null, onto the Java kernels on every core.
   */
  public static OclcGpt2 load(Path artifact, String device, KernelCache cache) {
    CompiledModel executable =
        device == null
            ? JavaExecutable.load(
                artifact, JavaExecutable.defaultThreads(), w -> System.err.println("warning: " + w))
            : Executable.open(
                artifact,
                device,
                cache,
                KernelBuilder.SILENT,
                w -> System.err.println("warning: " + w));
    return wrap(executable, "loaded " + artifact);
  }

  private static OclcGpt2 wrap(CompiledModel executable, String summary) {
    try {
      return new OclcGpt2(executable, summary);
    } catch (RuntimeException e) {
      executable.close();
      throw e;
    }
  }

  /** What compiling and loading took, for the report. */
  public String compileSummary() {
    return compileSummary;
  }

  @Override
  public String name() {
    return name;
  }

  /** The size of the logits' last axis. */
  public int vocabulary() {
    var shape =
        executable.manifest().outputs().stream()
            .filter(o -> o.name().equals(logitsOutput))
            .findFirst()
            .orElseThrow()
            .shape();
    return (int) shape.getLast().constant();
  }

  @Override
  public Run run(long[] prompt, int decodeSteps) {
    List<Long> tokens = new ArrayList<>();
    List<float[]> logits = new ArrayList<>();
    long[] split = new long[4];
    long start = System.nanoTime();
    emptyPasts.forEach((name, shape) -> session.bind(name, Tensor.allocate(DType.FLOAT32, shape)));
    float[] row = step(prompt, null);
    double prefill = (System.nanoTime() - start) / 1e6;
    logits.add(row);
    tokens.add((long) TokenChooser.greedy().choose(row));
    long decodeStart = System.nanoTime();
    for (int i = 0; i < decodeSteps; i++) {
      session.advanceCache();
      row = step(new long[] {tokens.getLast()}, split);
      logits.add(row);
      tokens.add((long) TokenChooser.greedy().choose(row));
    }
    double decode = (System.nanoTime() - decodeStart) / 1e6;
    int steps = Math.max(decodeSteps, 1);
    HostSplit perStep =
        new HostSplit(
            split[0] / 1e6 / steps,
            split[1] / 1e6 / steps,
            split[2] / 1e6 / steps,
            split[3] / 1e6 / steps);
    return new Run(prefill, decode, decodeSteps, tokens, logits, perStep);
  }

  /**
   * One step, as {@code Session.run()} does it, timed in its four parts into {@code split} (when
   * given).
   */
  private float[] step(long[] newTokens, long[] split) {
    long t0 = System.nanoTime();
    session.bind(idsInput, Generator.ids(newTokens));
    LaunchPlan plan = session.plan();
    long t1 = System.nanoTime();
    for (LaunchPlan.PlannedLaunch launch : plan) {
      session.launch(launch);
    }
    long t2 = System.nanoTime();
    session.finish();
    long t3 = System.nanoTime();
    logits = session.output(logitsOutput, logits);
    float[] row = Generator.lastRow(logits);
    long t4 = System.nanoTime();
    if (split != null) {
      split[0] += t1 - t0;
      split[1] += t2 - t1;
      split[2] += t3 - t2;
      split[3] += t4 - t3;
    }
    return row;
  }

  /** The device time of a step's kernels, in milliseconds by op type, from profiled events. */
  public record Profile(Map<String, Double> prefillByOp, Map<String, Double> decodeStepByOp) {}

  /**
   * A profiled prefill of {@code prompt} and decode step after it (not one of the timed runs:
   * profiling adds an event per dispatch).
   */
  public Profile profile(long[] prompt) {
    emptyPasts.forEach((name, shape) -> session.bind(name, Tensor.allocate(DType.FLOAT32, shape)));
    session.profile(true);
    try {
      float[] row = step(prompt, null);
      Map<String, Double> prefill = byOp();
      session.advanceCache();
      step(new long[] {TokenChooser.greedy().choose(row)}, null);
      return new Profile(prefill, byOp());
    } finally {
      session.profile(false);
    }
  }

  private Map<String, Double> byOp() {
    Map<String, Double> byOp = new LinkedHashMap<>();
    session.timings().forEach(t -> byOp.merge(t.opType(), t.nanoseconds() / 1e6, Double::sum));
    return byOp;
  }

  /** The number of kernel enqueues of the last planned step (dispatches not skipped). */
  public long enqueuesPerStep() {
    return session.currentPlan().launches().stream()
        .flatMap(l -> l.dispatches().stream())
        .filter(d -> !d.skipped())
        .count();
  }

  @Override
  public void close() {
    session.close();
    executable.close();
  }
}
