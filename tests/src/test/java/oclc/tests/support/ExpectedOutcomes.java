package oclc.tests.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import oclc.compiler.conformance.ConformanceRunner.Outcome;

/**
 * A backend's checked-in outcome of every ONNX node test ({@code
 * src/test/resources/conformance/BACKEND.txt}, one line per case, sorted by name): {@code pass},
 * {@code skip: REASON} (its short form, see {@link #shortReason}) or {@code fail}, and on the Java
 * backend {@code pass native} or {@code pass fallback: OPS} (the ops computed through the reference
 * evaluation). A run that differs in any case fails, naming each case; after an intended change the
 * lists are rewritten with {@code -Doclc.bless=true} ({@link #BLESS}) and the diff reviewed.
 */
public final class ExpectedOutcomes {
  private ExpectedOutcomes() {}

  public static final String BLESS =
      "mvn -B -ntp -o verify -pl tests -am -Dtest='NodeConformance*Test' "
          + "-Dsurefire.failIfNoSpecifiedTests=false -Doclc.bless=true";
  private static final Path FOLDER = Path.of("src", "test", "resources", "conformance");

  /**
   * Reasons are cut here: long enough to name the op, node and cause, short enough to read in a
   * diff.
   */
  private static final int REASON_LENGTH = 160;

  /**
   * Compares the outcomes with the backend's list (or, blessing, rewrites the list).
   *
   * @param backend the list's name ({@code reference}, {@code opencl-cpu}, {@code java})
   * @param title what the list holds, for its header
   * @param recordsRoute whether a pass records native or fallback (the Java backend)
   */
  public static void check(
      String backend, String title, List<Outcome> outcomes, boolean recordsRoute)
      throws IOException {
    Path file = FOLDER.resolve(backend + ".txt");
    Map<String, String> actual = new TreeMap<>();
    outcomes.forEach(
        o -> actual.put(o.caseFolder().getFileName().toString(), outcome(o, recordsRoute)));
    if (Boolean.getBoolean("oclc.bless")) {
      List<String> lines = new ArrayList<>(header(title, recordsRoute));
      actual.forEach((name, outcome) -> lines.add(name + ": " + outcome));
      Files.createDirectories(FOLDER);
      Files.write(file, lines);
      System.out.println(
          "blessed " + actual.size() + " cases into " + file.toAbsolutePath().normalize());
      return;
    }
    if (!Files.exists(file)) {
      fail("no list of expected outcomes at " + file + "; write it with: " + BLESS);
    }
    Map<String, String> expected = new TreeMap<>();
    for (String line : Files.readAllLines(file)) {
      if (!line.isBlank() && !line.startsWith("#")) {
        int colon = line.indexOf(": ");
        expected.put(line.substring(0, colon), line.substring(colon + 2));
      }
    }
    TreeSet<String> names = new TreeSet<>(expected.keySet());
    names.addAll(actual.keySet());
    List<String> changes = new ArrayList<>();
    boolean improved = false;
    for (String name : names) {
      String was = expected.getOrDefault(name, "(not listed)");
      String now = actual.getOrDefault(name, "(not run: the case is gone)");
      if (!was.equals(now)) {
        boolean better =
            now.startsWith("pass") && !was.startsWith("pass")
                || now.equals("pass native") && was.startsWith("pass fallback");
        improved |= better;
        changes.add(
            "  "
                + name
                + ": expected "
                + was
                + ", got "
                + now
                + (better ? " (better: update the list)" : ""));
      }
    }
    if (!changes.isEmpty()) {
      fail(
          changes.size()
              + " ONNX node tests on "
              + backend
              + " differ from "
              + file
              + ":\n"
              + String.join("\n", changes)
              + "\n"
              + (improved
                  ? "Where a case got better, update the list; if every change is intended, rewrite it: "
                  : "If every change is intended, rewrite the list: ")
              + BLESS
              + " (then review its diff)");
    }
  }

  /** The outcome as the list spells it. */
  static String outcome(Outcome o, boolean recordsRoute) {
    return switch (o.verdict()) {
      case PASSED ->
          !recordsRoute
              ? "pass"
              : o.throughFallback()
                  ? "pass fallback: " + String.join(", ", o.fallbackOps())
                  : "pass native";
      case FAILED -> "fail";
      case SKIPPED -> "skip: " + shortReason(o);
    };
  }

  /**
   * The skip's reason without the case's own path (which differs between checkouts), on one line,
   * cut to {@link #REASON_LENGTH} characters.
   */
  static String shortReason(Outcome o) {
    String reason =
        o.detail()
            .replace(o.caseFolder().resolve("model.onnx").toString() + ": ", "")
            .replace(o.caseFolder().toString(), "CASE")
            .replaceAll("\\s+", " ")
            .strip();
    return reason.length() <= REASON_LENGTH
        ? reason
        : reason.substring(0, REASON_LENGTH - 3) + "...";
  }

  private static List<String> header(String title, boolean recordsRoute) {
    List<String> lines = new ArrayList<>();
    lines.add("# " + title + ".");
    lines.add(
        "# Every case's expected outcome, sorted by name. The test fails on any case whose outcome");
    lines.add(
        "# differs from its line here: a pass that became a skip or a failure, and also a skip that");
    lines.add("# became a pass (then update the list).");
    lines.add(
        recordsRoute
            ? "# pass native: every node on a Java kernel; pass fallback: OPS: those ops through the"
                + " reference evaluation; fail."
            : "# pass: the outputs match the case's within its tolerance; fail: they do not.");
    lines.add(
        "# skip: the reason, without the case's path, cut to " + REASON_LENGTH + " characters.");
    lines.add("# After an intended change, rewrite the lists (then review the diff):");
    lines.add("#   " + BLESS);
    return lines;
  }
}
