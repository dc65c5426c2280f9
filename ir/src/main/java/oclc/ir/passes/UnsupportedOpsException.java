package oclc.ir.passes;

import java.util.List;
import oclc.ir.UnsupportedFeatureException;

/** The model uses ops (or op variants) that oclc does not support; lists every one. */
public final class UnsupportedOpsException extends UnsupportedFeatureException {
  private final List<String> problems;

  public UnsupportedOpsException(List<String> problems) {
    super(
        problems.size() == 1
            ? "unsupported: " + problems.get(0)
            : problems.size() + " unsupported ops:\n  " + String.join("\n  ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
