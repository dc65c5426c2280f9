package oclc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The bundled example's graph after the passes, as {@code oclc inspect} prints it, against a
 * reviewed golden text. After an intended change, bless it: {@code mvn -pl tests test
 * -Dtest=GoldenGraphTest -Doclc.bless=true}, and review the diff.
 */
class GoldenGraphTest {
  private static final Path EXAMPLE = Path.of("..", "examples", "gpt2-tiny-past", "model.onnx");
  private static final Path GOLDEN =
      Path.of("src", "test", "resources", "golden", "gpt2-tiny-past.inspect.txt");

  @Test
  void theExampleGraphAfterThePassesIsTheReviewedOne() throws IOException {
    StringWriter text = new StringWriter();
    CommandLine cli = new CommandLine(new Main());
    cli.setOut(new PrintWriter(text));
    assertEquals(0, cli.execute("inspect", EXAMPLE.toString()));
    String actual =
        text.toString()
            .lines()
            .filter(l -> !l.startsWith("model: "))
            .reduce("", (a, b) -> a + b + "\n");
    if (Boolean.getBoolean("oclc.bless")) {
      Files.writeString(GOLDEN, actual);
    }
    assertEquals(
        Files.readString(GOLDEN),
        actual,
        "the graph changed; review it and bless with -Doclc.bless=true");
  }
}
