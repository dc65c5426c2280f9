package oclc.compiler.conformance;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import oclc.compiler.LoadedModel;
import oclc.ir.Tensor;
import oclc.ir.UnsupportedFeatureException;
import oclc.ir.exec.Comparison;

/** Runs one backend-test case on a backend, as the ONNX backend tests do. */
public final class ConformanceRunner {
  public enum Verdict {
    PASSED,
    FAILED,
    SKIPPED
  }

  /**
   * @param fallbackOps the op types the backend computed through its reference fallback (empty: all
   *     native)
   */
  public record Outcome(Path caseFolder, Verdict verdict, String detail, List<String> fallbackOps) {
    public Outcome(Path caseFolder, Verdict verdict, String detail) {
      this(caseFolder, verdict, detail, List.of());
    }

    public boolean throughFallback() {
      return !fallbackOps.isEmpty();
    }

    public String line() {
      String name = caseFolder.getFileName().toString();
      String route =
          throughFallback()
              ? "(through the reference fallback: " + String.join(", ", fallbackOps) + ")"
              : "";
      String note = (detail + " " + route).strip();
      return switch (verdict) {
        case PASSED -> "PASS " + name + (note.isEmpty() ? "" : "  " + note);
        case FAILED -> "FAIL " + name + ": " + note;
        case SKIPPED -> "SKIP " + name + ": " + detail;
      };
    }
  }

  private final Backend backend;

  /** On the reference executor. */
  public ConformanceRunner() {
    this(new ReferenceBackend());
  }

  public ConformanceRunner(Backend backend) {
    this.backend = backend;
  }

  public Outcome run(Path caseFolder) {
    LoadedModel loaded;
    try {
      loaded = LoadedModel.load(caseFolder.resolve("model.onnx"));
    } catch (UnsupportedFeatureException e) {
      return new Outcome(caseFolder, Verdict.SKIPPED, oneLine(e.getMessage()));
    } catch (RuntimeException e) {
      return new Outcome(
          caseFolder, Verdict.FAILED, "load: " + oneLine(String.valueOf(e.getMessage())));
    }
    var sets = TestDataSet.folders(caseFolder);
    if (sets.isEmpty()) {
      return new Outcome(caseFolder, Verdict.FAILED, "no test_data_set_* folder");
    }
    Backend.Prepared prepared;
    try {
      prepared = backend.prepare(loaded);
    } catch (UnsupportedFeatureException e) {
      return new Outcome(caseFolder, Verdict.SKIPPED, oneLine(e.getMessage()));
    } catch (RuntimeException e) {
      return new Outcome(caseFolder, Verdict.FAILED, "compile: " + oneLine(String.valueOf(e)));
    }
    try (prepared) {
      return runSets(caseFolder, loaded, sets, prepared);
    }
  }

  private Outcome runSets(
      Path caseFolder, LoadedModel loaded, List<Path> sets, Backend.Prepared prepared) {
    boolean network = loaded.simplified().nodes().size() > 1;
    double worstNetworkError = -1;
    Tolerance loosest = null;
    for (Path setFolder : sets) {
      try {
        TestDataSet set = TestDataSet.read(setFolder, loaded.simplified());
        Map<String, Tensor> actual = prepared.run(set.inputs());
        for (var expected : set.expectedOutputs().entrySet()) {
          Check check = check(expected.getValue(), actual.get(expected.getKey()), network);
          if (check.mismatch().isPresent()) {
            return new Outcome(
                caseFolder,
                Verdict.FAILED,
                setFolder.getFileName()
                    + " output '"
                    + expected.getKey()
                    + "': "
                    + check.mismatch().get(),
                prepared.fallbackOps());
          }
          if (check.networkError() >= 0) {
            Tolerance used = Tolerance.of(expected.getValue().dtype());
            loosest = loosest == null || used.rtol() > loosest.rtol() ? used : loosest;
          }
          worstNetworkError = Math.max(worstNetworkError, check.networkError());
        }
      } catch (UnsupportedFeatureException e) {
        return new Outcome(caseFolder, Verdict.SKIPPED, oneLine(e.getMessage()));
      } catch (RuntimeException | StackOverflowError e) {
        return new Outcome(
            caseFolder,
            Verdict.FAILED,
            setFolder.getFileName() + ": " + oneLine(String.valueOf(e)),
            prepared.fallbackOps());
      }
    }
    String detail = sets.size() > 1 ? "(" + sets.size() + " sets)" : "";
    if (worstNetworkError >= 0) {
      detail +=
          String.format(
              " (some float elements outside rtol %.0e/atol %.0e; relative L2 at most %.1e)",
              loosest.rtol(), loosest.atol(), worstNetworkError);
    }
    return new Outcome(caseFolder, Verdict.PASSED, detail.strip(), prepared.fallbackOps());
  }

  /**
   * A mismatch, or none; and the relative L2 error when the network tolerance let it pass (else
   * −1).
   */
  private record Check(Optional<String> mismatch, double networkError) {}

  private static Check check(Tensor expected, Tensor result, boolean network) {
    if (result == null) {
      return new Check(Optional.of("the model computed no value for it"), -1);
    }
    Tolerance tolerance = Tolerance.of(expected.dtype());
    Optional<String> mismatch =
        Comparison.allClose(expected, result, tolerance.rtol(), tolerance.atol());
    boolean comparable =
        expected.dtype().isFloat()
            && expected.dtype() == result.dtype()
            && Arrays.equals(expected.shape(), result.shape());
    if (mismatch.isPresent() && network && comparable) {
      double error = Comparison.relativeL2(expected, result);
      if (error <= tolerance.networkRelativeL2()) {
        return new Check(Optional.empty(), error);
      }
    }
    return new Check(mismatch, -1);
  }

  private static String oneLine(String message) {
    return message.replace('\n', ' ');
  }
}
