package oclc.tests.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import oclc.compiler.conformance.ConformanceRunner;

/**
 * The checked-in expectation of ../shared/models ({@code
 * src/test/resources/conformance/models.txt}): per model folder, its {@link ModelKind} and its
 * outcome on each {@link Aspect}, {@code pass} or {@code unsupported: REASON} (the error's short
 * form, {@link #shortForm}). The tests run every model folder found and fail on any outcome that
 * differs from its line, on a folder with no lines and on lines of a folder that is gone; {@code
 * -Doclc.bless=true} rewrites the lines instead, as the node-conformance lists are rewritten. A
 * wrong result is never blessed: it fails either way.
 */
public final class ModelExpectations {
  private ModelExpectations() {}

  /** What a line states about a model: what it is, then each place it runs. */
  public enum Aspect {
    KIND("kind"),
    IMPORT("import"),
    REFERENCE("reference"),
    OPENCL_CPU("opencl-cpu"),
    JAVA("java");

    private final String label;

    Aspect(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  public static final String PASS = "pass";
  public static final String UNSUPPORTED = "unsupported: ";
  public static final String BLESS =
      "mvn -B -ntp -o verify -pl tests -am -Dtest='SharedModelsTest,SharedModelsOn*Test' "
          + "-Dsurefire.failIfNoSpecifiedTests=false -Doclc.bless=true";
  private static final Path FILE = Path.of("src", "test", "resources", "conformance", "models.txt");
  private static final List<String> HEADER =
      List.of(
          "# The models of ../shared/models (see its README.md): what each is and its expected outcome in each place.",
          "# One block per model folder, sorted by name, its lines in this order:",
          "#   MODEL kind: gpt2-export (GPT-2 from our exporter, the gpt2-* folders; the GPT-2 property tests run on",
          "#               these), llama-optimum (a Llama decoder in Optimum's layout) or ort-optimized (ONNX",
          "#               Runtime's optimizer output, com.microsoft operators); checked against the graph",
          "#   MODEL import: oclc's ONNX import (OnnxModelLoader; frontend-onnx's SharedModelsLoadTest reads it too)",
          "#   MODEL reference: every test set on the reference executor",
          "#   MODEL opencl-cpu: every test set on the OpenCL device (POCL's CPU device here and in CI)",
          "#   MODEL java: every test set on the Java backend",
          "# An outcome is 'pass' or 'unsupported: REASON', the error's short form (an unknown opset domain and",
          "# the op types using it; the op types a backend cannot compute, with counts). A wrong result is",
          "# never an expected outcome. The tests fail on every outcome that differs from its line (a pass that",
          "# became unsupported, an unsupported one that now passes, a changed reason), on a model folder with",
          "# no lines here and on the lines of a folder that is gone.",
          "# After an intended change, rewrite the list (then review the diff):",
          "#   " + BLESS);

  private static boolean blessing() {
    return Boolean.getBoolean("oclc.bless");
  }

  /** Every model folder of {@code models} (those holding a model.onnx), sorted. */
  public static List<Path> folders(Path models) {
    try (Stream<Path> entries = Files.list(models)) {
      return entries.filter(p -> Files.isRegularFile(p.resolve("model.onnx"))).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The model folders whose graph is of this kind (told from the graph; the list's kind line is
   * checked apart).
   */
  public static List<Path> foldersOfKind(Path models, ModelKind kind) {
    return folders(models).stream()
        .filter(f -> ModelKind.detect(f).equals(Optional.of(kind)))
        .toList();
  }

  /** The model folders whose listed outcome in {@code aspect} is {@code pass}. */
  public static List<Path> foldersListedAsPassing(Path models, Aspect aspect) {
    Map<String, Map<Aspect, String>> listed = read();
    return folders(models).stream()
        .filter(f -> PASS.equals(listed.getOrDefault(name(f), Map.of()).get(aspect)))
        .toList();
  }

  /**
   * The outcome line of a conformance run: pass, unsupported with the reason's short form, or a
   * failure.
   */
  public static String outcome(ConformanceRunner.Outcome outcome) {
    return switch (outcome.verdict()) {
      case PASSED -> PASS;
      case SKIPPED -> UNSUPPORTED + shortForm(outcome.detail());
      case FAILED -> "fail: " + outcome.detail();
    };
  }

  /**
   * Compares {@code actual} (an outcome line, see {@link #outcome}) with the model's listed line
   * for {@code aspect}, failing with what changed and what to do; blessing, writes it instead.
   */
  public static synchronized void check(Path folder, Aspect aspect, String actual) {
    String model = name(folder);
    if (actual.startsWith("fail")) {
      fail(
          model
              + " "
              + aspect.label()
              + ": "
              + actual
              + "\n(a wrong result is never an expected outcome: fix it)");
    }
    Map<String, Map<Aspect, String>> listed = read();
    if (blessing()) {
      listed.computeIfAbsent(model, m -> new TreeMap<>()).put(aspect, actual);
      write(listed);
      return;
    }
    Map<Aspect, String> lines = listed.get(model);
    if (lines == null) {
      fail(
          "a new model in ../shared/models: "
              + model
              + " has no lines in "
              + FILE
              + "; add it with its outcomes ("
              + aspect.label()
              + " here: "
              + actual
              + "): "
              + BLESS
              + ", then review the diff");
    }
    String expected = lines.get(aspect);
    if (expected == null) {
      fail(
          model
              + " has no '"
              + aspect.label()
              + "' line in "
              + FILE
              + "; add it ("
              + actual
              + "): "
              + BLESS);
    }
    if (expected.equals(actual)) {
      return;
    }
    String where =
        model + " " + aspect.label() + ": expected '" + expected + "', got '" + actual + "'";
    if (actual.equals(PASS)) {
      fail(where + ". It passes now: update the list (" + FILE + "): " + BLESS);
    } else if (expected.equals(PASS)) {
      fail(
          where + ". It passed before: fix the regression (or, if intended, bless: " + BLESS + ")");
    } else {
      fail(where + ". The reason changed: if intended, update the list (" + FILE + "): " + BLESS);
    }
  }

  /** Fails on the lines of model folders that are no longer there; blessing, drops them. */
  public static synchronized void checkNoneIsGone(Path models) {
    Map<String, Map<Aspect, String>> listed = read();
    TreeSet<String> gone = new TreeSet<>(listed.keySet());
    folders(models).forEach(f -> gone.remove(name(f)));
    if (gone.isEmpty()) {
      return;
    }
    if (blessing()) {
      gone.forEach(listed::remove);
      write(listed);
      return;
    }
    fail(
        FILE
            + " lists models that ../shared/models no longer holds: "
            + gone
            + "; remove them: "
            + BLESS);
  }

  /**
   * The short form of an unsupported-feature message: stable across checkouts and node names, and
   * short enough to read in a diff, but still naming what is missing. The model file's path goes;
   * an unknown domain keeps its name and the distinct op types using it; a backend that cannot
   * compute some nodes keeps the op types with their counts (the full message is in the test's
   * output).
   */
  public static String shortForm(String message) {
    String text = message.strip().replaceFirst("^\\S*model\\.onnx: ", "");
    Matcher domain =
        Pattern.compile(
                "^(opset domain '[^']*' \\(version \\d+\\) is not one oclc knows)(?:; used by (.*))?$",
                Pattern.DOTALL)
            .matcher(text);
    if (domain.matches()) {
      return domain.group(1)
          + (domain.group(2) == null ? "" : "; used by " + opTypes(domain.group(2), ",\\s*"));
    }
    Matcher backend =
        Pattern.compile("^(the \\S+ backend cannot compute) \\d+ nodes?:\\s*(.*)$", Pattern.DOTALL)
            .matcher(text);
    if (backend.matches()) {
      return backend.group(1) + " " + opTypes(backend.group(2), "\\n\\s*|\\s{3,}");
    }
    String oneLine = text.replaceAll("\\s+", " ");
    return oneLine.length() <= 160 ? oneLine : oneLine.substring(0, 160) + "...";
  }

  /**
   * The distinct op types of entries {@code OP 'node'...}, sorted, with a count where more than one
   * node has it.
   */
  private static String opTypes(String entries, String separator) {
    Map<String, Integer> counts = new TreeMap<>();
    for (String entry : entries.strip().split(separator)) {
      String op = entry.strip().split("[ :]", 2)[0];
      counts.merge(op, 1, Integer::sum);
    }
    List<String> parts = new ArrayList<>();
    counts.forEach((op, count) -> parts.add(count == 1 ? op : op + " x" + count));
    return String.join(", ", parts);
  }

  private static String name(Path folder) {
    return folder.getFileName().toString();
  }

  private static Map<String, Map<Aspect, String>> read() {
    Map<String, Map<Aspect, String>> listed = new TreeMap<>();
    if (!Files.exists(FILE)) {
      if (blessing()) {
        return listed;
      }
      fail(
          "no list of the shared models' expected outcomes at "
              + FILE
              + "; write it with: "
              + BLESS);
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(FILE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (String line : lines) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      Matcher m = Pattern.compile("^(\\S+) (\\S+): (.+)$").matcher(line);
      Optional<Aspect> aspect =
          m.matches()
              ? Stream.of(Aspect.values()).filter(a -> a.label().equals(m.group(2))).findFirst()
              : Optional.empty();
      if (aspect.isEmpty()) {
        fail(
            FILE
                + ": the line '"
                + line
                + "' is not 'MODEL ASPECT: OUTCOME' with ASPECT one of "
                + Stream.of(Aspect.values()).map(Aspect::label).toList());
      }
      listed.computeIfAbsent(m.group(1), k -> new TreeMap<>()).put(aspect.get(), m.group(3));
    }
    return listed;
  }

  private static void write(Map<String, Map<Aspect, String>> listed) {
    List<String> lines = new ArrayList<>(HEADER);
    listed.forEach(
        (model, outcomes) -> {
          lines.add("");
          outcomes.forEach(
              (aspect, outcome) -> lines.add(model + " " + aspect.label() + ": " + outcome));
        });
    try {
      Files.createDirectories(FILE.getParent());
      Files.write(FILE, lines);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
