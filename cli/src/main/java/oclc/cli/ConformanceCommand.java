package oclc.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import oclc.compiler.conformance.Backend;
import oclc.compiler.conformance.ConformanceRunner;
import oclc.compiler.conformance.JavaBackend;
import oclc.compiler.conformance.OpenClBackend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code oclc conformance}: every ONNX backend-test case under the given folders. */
@Command(
    name = "conformance",
    description =
        "Run every backend-test case (a folder with model.onnx and test_data_set_*) under DIRs.")
final class ConformanceCommand extends PrintingCommand {
  @Parameters(
      paramLabel = "DIR",
      arity = "1..*",
      description = "case folders or folders holding them")
  List<Path> roots;

  @Option(names = "--device", defaultValue = "reference", description = DeviceOption.DESCRIPTION)
  String device;

  @Mixin DeviceModelOptions loading;

  @Mixin KernelOption kernels;

  @Override
  int run(PrintWriter out, PrintWriter err) {
    List<Path> cases = caseFolders(roots);
    int passed = 0;
    int failed = 0;
    int skipped = 0;
    int throughFallback = 0;
    boolean java = false;
    try (Backend backend =
        Backend.open(device, loading.cache(), w -> err.println("warning: " + w))) {
      if (backend instanceof OpenClBackend openCl) {
        openCl.withFusion(loading.fuse());
      }
      if (!kernels.kernels.isEmpty()) {
        if (!(backend instanceof OpenClBackend openCl)) {
          throw new oclc.ir.OclcException("--kernel takes an OpenCL device (--device cpu or gpu)");
        }
        openCl.withKernels(kernels.kernels);
      }
      java = backend instanceof JavaBackend;
      ConformanceRunner runner = new ConformanceRunner(backend);
      for (Path caseFolder : cases) {
        ConformanceRunner.Outcome outcome = runner.run(caseFolder);
        out.println(outcome.line());
        out.flush();
        switch (outcome.verdict()) {
          case PASSED -> {
            passed++;
            throughFallback += outcome.throughFallback() ? 1 : 0;
          }
          case FAILED -> failed++;
          case SKIPPED -> skipped++;
        }
      }
    }
    String route =
        java
            ? " ("
                + (passed - throughFallback)
                + " native, "
                + throughFallback
                + " through the reference fallback)"
            : "";
    out.println(passed + " passed" + route + ", " + failed + " failed, " + skipped + " skipped");
    return failed == 0 ? 0 : 1;
  }

  /** Folders that hold a model.onnx, at any depth under the roots, in name order. */
  static List<Path> caseFolders(List<Path> roots) {
    return roots.stream()
        .flatMap(
            root -> {
              if (!Files.isDirectory(root)) {
                throw new oclc.ir.OclcException("no such folder: " + root);
              }
              try (Stream<Path> walk = Files.walk(root)) {
                return walk
                    .filter(p -> Files.isRegularFile(p.resolve("model.onnx")))
                    .sorted()
                    .toList()
                    .stream();
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            })
        .toList();
  }
}
