package oclc.cli;

import java.io.IOException;
import java.nio.file.Path;
import oclc.compiler.generate.tokenizer.Tokenizer;
import picocli.CommandLine.Option;

/**
 * {@code --tokenizer DIR}, optional: the tokenizer {@code generate} and {@code serve} read prompts
 * and write text with ({@code tokenize}, which needs one, takes {@link Required}).
 */
final class TokenizerOption {
  /** What {@code --tokenizer} takes. */
  static final String DESCRIPTION =
      "a byte-level BPE tokenizer: DIR/tokenizer.json (Hugging Face's), the file itself, or"
          + " DIR/vocab.json + DIR/merges.txt (GPT-2's)";

  @Option(names = "--tokenizer", paramLabel = "DIR", description = DESCRIPTION)
  Path path;

  /** The tokenizer; null without {@code --tokenizer}. */
  Tokenizer loadOrNull() throws IOException {
    return path == null ? null : Tokenizer.load(path);
  }

  /** {@code --tokenizer DIR}, required ({@code tokenize}). */
  static final class Required {
    @Option(names = "--tokenizer", required = true, paramLabel = "DIR", description = DESCRIPTION)
    Path path;

    Tokenizer load() {
      return Tokenizer.load(path);
    }
  }
}
