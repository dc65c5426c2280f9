package oclc.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import oclc.codegen.opencl.KernelOverrides;
import oclc.lowering.Schedule;
import oclc.lowering.SizeRanges;
import oclc.codegen.opencl.UserKernel;
import oclc.ir.OclcException;
import java.util.concurrent.Callable;
import oclc.artifact.Artifact;
import oclc.artifact.Manifest;
import oclc.cache.KernelCache;
import oclc.runtime.Devices;
import oclc.runtime.Executable;
import oclc.runtime.KernelBuilder;
import oclc.runtime.KernelBuilder.Origin;
import oclc.runtime.OpenClContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code oclc compile}: the artifact of a model, with every kernel built for the device (or found in the cache). */
@Command(name = "compile", mixinStandardHelpOptions = true,
    description = "Compile a model into an artifact folder (manifest.json, graph.json, kernels/*.cl, params.bin) "
        + "and build every kernel for the device.")
final class CompileCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "MODEL", description = "an .onnx file (or a folder holding model.onnx)")
  Path model;

  @Option(names = "--device", required = true, description = "cpu, gpu, a substring of an OpenCL device's name, "
      + "or java (the Vector API backend: no OpenCL needed; cpu without an OpenCL platform is java)")
  String device;

  @Option(names = "--out", paramLabel = "X.oclc", description = "the artifact folder (default: NAME.oclc here)")
  Path out;

  @Option(names = "--embed-binaries", description = "also copy the device binaries into X.oclc/bin/")
  boolean embedBinaries;

  @Option(names = "--dim", paramLabel = "NAME=MIN..MAX",
      description = "the sizes a symbol takes, e.g. --dim batch_size=1..4 (default: what the model bounds)")
  List<String> dims = new ArrayList<>();

  @Option(names = "--buckets", paramLabel = "NAME=CUTS",
      description = "where a symbol's variants change, e.g. --buckets sequence_length=1,2..16,17.. "
          + "(default: each kernel family's own cut)")
  List<String> buckets = new ArrayList<>();

  @Option(names = "--kernel", paramLabel = "OP=FILE.cl|node:NAME=FILE.cl",
      description = "compute every node of an op type (or one node) with your own OpenCL C kernel; "
          + "see docs/custom-kernels.md")
  List<String> kernels = new ArrayList<>();

  @Option(names = "--schedule", paramLabel = "FILE.json",
      description = "the kernel families' choices per size class, as oclc schedule or oclc tune writes them "
          + "(default: the defaults for the device's type)")
  Path schedule;

  @Option(names = "--no-verify", description = "do not check user kernels against the reference before writing the artifact")
  boolean noVerify;

  @Mixin CacheCommand.Location cacheLocation;

  @Mixin FusionOption fusion;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    long start = System.nanoTime();
    LoadedModel loaded = LoadedModel.load(model);
    Path artifact = out != null ? out : Path.of(defaultName(loaded.file()));
    long loadedAt = System.nanoTime();
    SizeRanges ranges = SizeRanges.forGraph(loaded.simplified(), dimRanges(dims), bucketCuts(buckets), true);
    KernelOverrides overrides = overrides(kernels, loaded.simplified());
    Schedule given = schedule == null ? null : ScheduleCommand.read(schedule);
    String backend = device.equals(DeviceOption.JAVA) ? device : DeviceOption.resolve(device, err::println);
    if (backend.equals(DeviceOption.JAVA)) {
      if (!overrides.isEmpty()) {
        throw new OclcException("--kernel replaces kernels with OpenCL C, which the java backend does not run");
      }
      Manifest manifest = ModelCompiler.writeJavaArtifact(loaded, artifact, ranges,
          given != null ? given : Schedule.defaults(Schedule.Target.CPU), fusion.fuse);
      summary(stdout, loaded, artifact, manifest, "java (Vector API)");
      stdout.printf("  time: %.2f s (load %.2f s, lower and write %.2f s)%n", (System.nanoTime() - start) / 1e9,
          (loadedAt - start) / 1e9, (System.nanoTime() - loadedAt) / 1e9);
      stdout.flush();
      return 0;
    }
    KernelCache cache = cacheLocation.cache();
    try (OpenClContext context = OpenClContext.open(Devices.select(device))) {
      if (!overrides.isEmpty() && !noVerify) {
        Path scratch = OverrideVerifier.scratch();
        try {
          OverrideVerifier.verify(loaded.simplified(), ranges, overrides, context, cache, scratch)
              .forEach(line -> err.println("checked " + line));
        } finally {
          OpenClBackend.deleteTree(scratch);
        }
      }
      Schedule chosen = given != null ? given : Schedule.defaults(ScheduleCommand.target(context.info()));
      Manifest manifest = ModelCompiler.writeArtifact(loaded, artifact, ranges, overrides, chosen, fusion.fuse);
      long loweredAt = System.nanoTime();
      ProgressBar bar = new ProgressBar(err, "building kernels");
      KernelBuilder.Progress progress = new KernelBuilder.Progress() {
        @Override
        public void started(int kernels) {
          bar.start(kernels);
        }

        @Override
        public void ready(String kernel, Origin origin) {
          bar.step(kernel);
        }
      };
      try (Executable executable = Executable.load(artifact, context, cache, progress,
          w -> err.println("warning: " + w))) {
        KernelBuilder.Programs programs = executable.programs();
        if (embedBinaries) {
          KernelCache embedded = new KernelCache(artifact.resolve(Artifact.BINARIES));
          int i = 0;
          for (var kernel : manifest.kernels()) {
            embedded.put(KernelBuilder.keyOf(kernel.name(), executable.artifact().kernelSourceSha256(kernel.name()),
                context.info()), programs.binaries()[i++]);
          }
        }
        long end = System.nanoTime();
        long built = programs.count(Origin.BUILT) + programs.count(Origin.REBUILT);
        long cached = programs.count(Origin.CACHED) + programs.count(Origin.EMBEDDED);
        summary(stdout, loaded, artifact, manifest, context.info().name());
        stdout.printf("  kernels: %d (%d built, %d cached)%n", manifest.kernels().size(), built, cached);
        stdout.printf("  schedule: %s%s%n", chosen.origin(), schedule == null ? "" : " (" + schedule + ")");
        if (embedBinaries) {
          stdout.printf("  binaries embedded in %s%n", artifact.resolve(Artifact.BINARIES));
        }
        stdout.printf("  time: %.2f s (load %.2f s, lower and write %.2f s, kernels %.2f s)%n", (end - start) / 1e9,
            (loadedAt - start) / 1e9, (loweredAt - loadedAt) / 1e9, (end - loweredAt) / 1e9);
      }
    }
    stdout.flush();
    String startCache = JvmStartCache.train(artifact, device, cache.directory(), System.getenv(),
        w -> err.println("warning: " + w));
    if (startCache != null) {
      stdout.println("  " + startCache);
    }
    stdout.flush();
    return 0;
  }

  private static void summary(PrintWriter stdout, LoadedModel loaded, Path artifact, Manifest manifest, String device) {
    long views = manifest.nodes().stream().filter(n -> n.variants().stream().allMatch(v -> v.dispatches().isEmpty()))
        .count();
    long paramBytes = manifest.buffers().stream().filter(b -> b.kind() == Manifest.BufferKind.PARAM)
        .mapToLong(Manifest.BufferSpec::bytes).sum();
    stdout.printf("compiled %s -> %s for %s%n", loaded.file(), artifact, device);
    stdout.printf("  sizes: %s%n", String.join(", ", manifest.symbols().stream()
        .map(r -> r.name() + "=" + new SizeRanges.Interval(r.min(), r.max())).toList()));
    stdout.printf("  nodes: %d (%d views, no kernel)%n", manifest.nodes().size(), views);
    long fused = manifest.nodes().stream().mapToLong(n -> n.fused().size()).sum();
    stdout.printf("  fusion: %s%n", manifest.fusion() ? "on (" + fused + " nodes fused into the launches of others)"
        : "off (every node launched alone)");
    stdout.printf("  variants: %d%n", manifest.nodes().stream().mapToInt(n -> n.variants().size()).sum());
    if (manifest.backend().equals(Manifest.JAVA)) {
      long fallback = manifest.nodes().stream().filter(n -> n.variants().stream().anyMatch(v -> v.name().equals("reference")))
          .count();
      stdout.printf("  java kernels: %d (%d nodes on the reference fallback)%n", manifest.kernels().size(), fallback);
    }
    stdout.printf("  params: %.2f MiB in %s%n", paramBytes / 1048576.0, Artifact.PARAMS);
  }

  /** {@code --kernel MatMul=dense.cl} and {@code --kernel node:/lm_head/MatMul=gemv.cl}, checked against the graph. */
  static KernelOverrides overrides(List<String> specs, oclc.ir.Graph graph) {
    return overrides(specs, graph, true);
  }

  /** The same; without {@code strict}, a spec whose op or node the graph lacks is left out (conformance over many models). */
  static KernelOverrides overrides(List<String> specs, oclc.ir.Graph graph, boolean strict) {
    Map<String, UserKernel> byNode = new LinkedHashMap<>();
    Map<String, UserKernel> byOp = new LinkedHashMap<>();
    for (String spec : specs) {
      int equals = spec.lastIndexOf('=');
      if (equals <= 0) {
        throw new OclcException("--kernel " + spec + ": write OP=FILE.cl or node:NAME=FILE.cl");
      }
      String target = spec.substring(0, equals).strip();
      UserKernel kernel = UserKernel.read(Path.of(spec.substring(equals + 1).strip()));
      if (target.startsWith("node:")) {
        String node = target.substring("node:".length());
        if (graph.nodes().stream().noneMatch(n -> n.name().equals(node))) {
          if (!strict) {
            continue;
          }
          throw new OclcException("--kernel " + spec + ": the model has no node '" + node + "' after the passes "
              + "(oclc inspect MODEL lists them)");
        }
        byNode.put(node, kernel);
      } else {
        if (graph.nodes().stream().noneMatch(n -> n.opType().equals(target))) {
          if (!strict) {
            continue;
          }
          throw new OclcException("--kernel " + spec + ": the model has no " + target + " node after the passes; its ops are "
              + graph.opCounts().keySet());
        }
        byOp.put(target, kernel);
      }
    }
    return new KernelOverrides(byNode, byOp);
  }

  static Map<String, SizeRanges.Interval> dimRanges(List<String> specs) {
    Map<String, SizeRanges.Interval> ranges = new LinkedHashMap<>();
    for (String spec : specs) {
      String[] parts = nameAndValue(spec, "--dim");
      ranges.put(parts[0], SizeRanges.Interval.parse(parts[1]));
    }
    return ranges;
  }

  static Map<String, List<SizeRanges.Interval>> bucketCuts(List<String> specs) {
    Map<String, List<SizeRanges.Interval>> cuts = new LinkedHashMap<>();
    for (String spec : specs) {
      String[] parts = nameAndValue(spec, "--buckets");
      cuts.put(parts[0], java.util.Arrays.stream(parts[1].split(",")).map(SizeRanges.Interval::parse).toList());
    }
    return cuts;
  }

  private static String[] nameAndValue(String spec, String option) {
    int equals = spec.indexOf('=');
    if (equals <= 0) {
      throw new OclcException(option + " " + spec + ": write NAME=VALUE, e.g. " + option + " sequence_length=1..128");
    }
    return new String[] {spec.substring(0, equals).strip(), spec.substring(equals + 1).strip()};
  }

  /** {@code model.onnx} in folder {@code gpt2} gives {@code gpt2.oclc}; {@code x.onnx} gives {@code x.oclc}. */
  static String defaultName(Path modelFile) {
    String stem = modelFile.getFileName().toString().replaceFirst("\\.onnx$", "");
    if (stem.equals("model") && modelFile.toAbsolutePath().getParent() != null) {
      stem = modelFile.toAbsolutePath().getParent().getFileName().toString();
    }
    return stem + ".oclc";
  }
}
