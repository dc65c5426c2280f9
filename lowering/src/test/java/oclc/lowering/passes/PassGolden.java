package oclc.lowering.passes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import oclc.ir.Graph;
import oclc.ir.passes.GraphText;
import oclc.ir.passes.GraphVerifier;
import oclc.ir.passes.Pass;

/**
 * A pass's golden test: the graph's text before and after it, against reviewed files in {@code
 * src/test/resources/passes} ({@code NAME.before.txt}, {@code NAME.after.txt}). After an intended
 * change, bless ({@code -Doclc.bless=true}) and review the diff.
 */
public final class PassGolden {
  private PassGolden() {}

  /** Runs {@code pass} on {@code before}, checks both texts and the result, and returns it. */
  public static Graph check(Path resources, String name, Pass pass, Graph before) {
    Graph after = pass.apply(before);
    GraphVerifier.verify(after, "after pass '" + pass.name() + "'");
    compare(resources.resolve(name + ".before.txt"), GraphText.of(before));
    compare(resources.resolve(name + ".after.txt"), GraphText.of(after));
    return after;
  }

  private static void compare(Path file, String text) {
    try {
      if (Boolean.getBoolean("oclc.bless")) {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
      }
      assertEquals(Files.readString(file), text, file + " changed; review and bless");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
