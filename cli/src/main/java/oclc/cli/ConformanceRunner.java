package oclc.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import oclc.ir.Tensor;
import oclc.ir.UnsupportedFeatureException;
import oclc.ir.exec.Comparison;
import oclc.ir.exec.ReferenceExecutor;

/** Runs one backend-test case on the reference executor, as the ONNX backend tests do. */
public final class ConformanceRunner {
  /** The ONNX backend tests' default tolerances. */
  public static final double RTOL = 1e-3;
  public static final double ATOL = 1e-7;

  public enum Verdict { PASSED, FAILED, SKIPPED }

  public record Outcome(Path caseFolder, Verdict verdict, String detail) {
    public String line() {
      String name = caseFolder.getFileName().toString();
      return switch (verdict) {
        case PASSED -> "PASS " + name + (detail.isEmpty() ? "" : "  " + detail);
        case FAILED -> "FAIL " + name + ": " + detail;
        case SKIPPED -> "SKIP " + name + ": " + detail;
      };
    }
  }

  public Outcome run(Path caseFolder) {
    LoadedModel loaded;
    try {
      loaded = LoadedModel.load(caseFolder.resolve("model.onnx"));
    } catch (UnsupportedFeatureException e) {
      return new Outcome(caseFolder, Verdict.SKIPPED, oneLine(e.getMessage()));
    } catch (RuntimeException e) {
      return new Outcome(caseFolder, Verdict.FAILED, "load: " + oneLine(String.valueOf(e.getMessage())));
    }
    var sets = TestDataSet.folders(caseFolder);
    if (sets.isEmpty()) {
      return new Outcome(caseFolder, Verdict.FAILED, "no test_data_set_* folder");
    }
    for (Path setFolder : sets) {
      try {
        TestDataSet set = TestDataSet.read(setFolder, loaded.simplified());
        Map<String, Tensor> actual = new ReferenceExecutor().run(loaded.simplified(), set.inputs());
        for (var expected : set.expectedOutputs().entrySet()) {
          Optional<String> mismatch =
              Comparison.allClose(expected.getValue(), actual.get(expected.getKey()), RTOL, ATOL);
          if (mismatch.isPresent()) {
            return new Outcome(caseFolder, Verdict.FAILED, setFolder.getFileName() + " output '"
                + expected.getKey() + "': " + mismatch.get());
          }
        }
      } catch (UnsupportedFeatureException e) {
        return new Outcome(caseFolder, Verdict.SKIPPED, oneLine(e.getMessage()));
      } catch (RuntimeException | StackOverflowError e) {
        return new Outcome(caseFolder, Verdict.FAILED, setFolder.getFileName() + ": " + oneLine(String.valueOf(e)));
      }
    }
    return new Outcome(caseFolder, Verdict.PASSED, sets.size() > 1 ? "(" + sets.size() + " sets)" : "");
  }

  private static String oneLine(String message) {
    return message.replace('\n', ' ');
  }
}
