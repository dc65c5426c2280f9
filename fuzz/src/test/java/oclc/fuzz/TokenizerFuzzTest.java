package oclc.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import oclc.compiler.generate.tokenizer.Tokenizer;
import oclc.ir.OclcException;
import org.junit.jupiter.api.Timeout;

/**
 * The tokenizer reader on any tokenizer.json bytes (seeded with a small byte-level BPE): a
 * tokenizer that encodes and decodes a text, or an {@link OclcException} saying what is wrong.
 */
class TokenizerFuzzTest {
  private static final Path FILE = FuzzFiles.scratch("tokenizer.json");
  private static final String TEXT = "hello world, héllo wörld 123 <|endoftext|>\n\t!";

  @FuzzTest(maxDuration = "20s")
  @Timeout(value = 5, unit = TimeUnit.SECONDS)
  void loadsOrSaysWhy(byte[] bytes) throws IOException {
    Files.write(FILE, bytes);
    try {
      Tokenizer tokenizer = Tokenizer.load(FILE);
      List<Long> ids = tokenizer.encode(TEXT);
      tokenizer.decode(ids);
    } catch (OclcException documented) {
      // the documented refusal
    }
  }
}
