package oclc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The bundled example's graph after the passes, as {@code oclc inspect} prints it, against a
 * reviewed golden text, and after the lowering passes. After an intended change, bless it: {@code
 * mvn -pl cli test -Dtest=GoldenGraphTest -Doclc.bless=true}, and review the diff.
 */
class GoldenGraphTest {
  private static final Path EXAMPLE = Path.of("..", "examples", "gpt2-tiny-past", "model.onnx");
  private static final Path GOLDEN =
      Path.of("src", "test", "resources", "golden", "gpt2-tiny-past.inspect.txt");

  @Test
  void theExampleGraphAfterThePassesIsTheReviewedOne() throws IOException {
    check(GOLDEN, inspect());
  }

  /**
   * After the last lowering pass, for each backend: the fused norms, the KV-cache appends and (on
   * OpenCL) the fusion groups, each decision printed on its nodes.
   */
  @Test
  void theExampleGraphAfterTheLoweringPassesShowsEveryDecision() throws IOException {
    check(
        GOLDEN.resolveSibling("gpt2-tiny-past.fusion-groups.inspect.txt"),
        inspect("--after", "fusion-groups"));
    check(
        GOLDEN.resolveSibling("gpt2-tiny-past.fusion-groups.java.inspect.txt"),
        inspect("--after", "fusion-groups", "--device", "java"));
  }

  @Test
  void theHelpListsEveryPassOfTheCompilersList() {
    StringWriter text = new StringWriter();
    CommandLine cli = new CommandLine(new Main());
    cli.setOut(new PrintWriter(text));
    assertEquals(0, cli.execute("inspect", "--help"));
    String help = text.toString().replaceAll("\\s+", " ");
    assertTrue(help.contains(String.join(", ", oclc.lowering.passes.LoweringPasses.names())), help);
  }

  private static String inspect(String... options) {
    StringWriter text = new StringWriter();
    CommandLine cli = new CommandLine(new Main());
    cli.setOut(new PrintWriter(text));
    List<String> arguments = new ArrayList<>(List.of("inspect", EXAMPLE.toString()));
    arguments.addAll(List.of(options));
    assertEquals(0, cli.execute(arguments.toArray(String[]::new)));
    return text.toString()
        .lines()
        .filter(l -> !l.startsWith("model: "))
        .reduce("", (a, b) -> a + b + "\n");
  }

  private static void check(Path golden, String actual) throws IOException {
    if (Boolean.getBoolean("oclc.bless")) {
      Files.writeString(golden, actual);
    }
    assertEquals(
        Files.readString(golden),
        actual,
        "the graph changed; review it and bless with -Doclc.bless=true");
  }
}
