package oclc.bench.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import oclc.artifact.Manifest;
import oclc.bench.ShortRuns;
import oclc.cache.KernelCache;
import oclc.compiler.LoadedModel;
import oclc.compiler.ModelCompiler;
import oclc.compiler.generate.Generator;
import oclc.compiler.generate.HostStepper;
import oclc.ir.DType;
import oclc.ir.Shape;
import oclc.ir.Tensor;
import oclc.ir.TensorType;
import oclc.ir.ValueInfo;
import oclc.lowering.SizeRanges;
import oclc.runtime.Devices;
import oclc.runtime.Executable;
import oclc.runtime.KernelBuilder;
import oclc.runtime.LaunchPlan;
import oclc.runtime.OpenClContext;
import oclc.runtime.Session;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The host's share of a GPT-2 decode step without the device's: {@code advanceCache}, binding the
 * next token and {@code Session.plan()} (symbols bound and checked, buffers assigned, variants
 * chosen, arguments set), and the same plus enqueueing every planned launch and waiting. Nothing is
 * launched in the first, so the cache's contents are meaningless, which planning does not look at;
 * when the cache is full the session starts over from a prompt, planned but not run (one plan in
 * about 90 on the tiny model is a prefill's).
 */
public class DecodePlanBenchmark extends ShortRuns {
  private static final int PROMPT = 32;

  /**
   * A GPT-2 decode graph, relative to the repository root (where {@code scripts/bench.sh kernels}
   * runs).
   */
  @Param({"examples/gpt2-tiny-past/model.onnx"})
  public String model;

  private OpenClContext device;
  private Path folder;
  private Executable executable;
  private Session session;
  private String idsInput;
  private final Map<String, long[]> emptyPasts = new LinkedHashMap<>();
  private long past;
  private long capacity;

  @Setup(Level.Trial)
  public void compile() throws IOException {
    device = OpenClContext.open(Devices.select(System.getProperty("oclc.bench.device", "cpu")));
    folder = Files.createTempDirectory("oclc-plan-bench");
    LoadedModel loaded = LoadedModel.load(Path.of(model));
    Path artifact = folder.resolve("model.oclc");
    ModelCompiler.writeArtifact(
        loaded,
        artifact,
        SizeRanges.forGraph(
            loaded.simplified(),
            Map.of("batch_size", new SizeRanges.Interval(1, 1)),
            Map.of(),
            true));
    executable =
        Executable.load(
            artifact,
            device,
            new KernelCache(KernelCache.defaultDirectory(System.getenv())),
            KernelBuilder.SILENT,
            w -> {});
    session = executable.newSession();
    Manifest manifest = executable.manifest();
    idsInput = manifest.inputs().getFirst().name();
    for (Manifest.TensorSpec in : manifest.inputs().subList(1, manifest.inputs().size())) {
      emptyPasts.put(
          in.name(),
          HostStepper.emptyPast(
                  new ValueInfo(in.name(), new TensorType(in.dtype(), new Shape(in.shape()))))
              .shape());
    }
    capacity =
        manifest.symbols().stream()
            .filter(s -> s.name().contains("past"))
            .findFirst()
            .orElseThrow()
            .max();
    startOver();
    session
        .run(); // a prefill, and a decode step, launched once before timing (POCL's first launches)
    nextStep();
    session.run();
  }

  /** The prefill of a prompt, planned (the next step's plan needs one), not run. */
  private void startOver() {
    emptyPasts.forEach((name, shape) -> session.bind(name, Tensor.allocate(DType.FLOAT32, shape)));
    session.bind(idsInput, Generator.ids(new long[PROMPT]));
    session.plan();
    past = PROMPT;
  }

  private LaunchPlan nextStep() {
    if (past + 2 > capacity) {
      startOver();
    }
    session.advanceCache();
    session.bind(idsInput, Generator.ids(new long[] {1}));
    past++;
    return session.plan();
  }

  @Benchmark
  public LaunchPlan plan() {
    return nextStep();
  }

  @Benchmark
  public void planLaunchAndFinish() {
    for (LaunchPlan.PlannedLaunch launch : nextStep()) {
      session.launch(launch);
    }
    session.finish();
  }

  @TearDown(Level.Trial)
  public void release() throws IOException {
    if (session != null) {
      session.close();
    }
    if (executable != null) {
      executable.close();
    }
    if (device != null) {
      device.close();
    }
    try (var walk = Files.walk(folder)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
