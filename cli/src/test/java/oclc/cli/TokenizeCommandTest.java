package oclc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import oclc.cli.support.Oclc;
import oclc.cli.support.Oclc.Result;
import org.junit.jupiter.api.Test;

/**
 * {@code oclc tokenize} on GPT-2's tokenizer.json: ids as Hugging Face's tokenizers gives them (see
 * compiler's TokenizerOracleTest), and back.
 */
class TokenizeCommandTest {
  private static Path gpt2() {
    return SharedData.models().resolve("ort-genai-gpt2-fp32");
  }

  @Test
  void textBecomesCommaSeparatedIdsAndIdsBecomeText() {
    Result encoded =
        Oclc.run(
            "tokenize", "--tokenizer", gpt2().toString(), "--text", "two  spaces<|endoftext|>");
    assertEquals(0, encoded.exitCode(), encoded.err());
    assertEquals("11545,50286,2777,2114,50256\n", encoded.out());
    Result decoded =
        Oclc.run(
            "tokenize",
            "--tokenizer",
            gpt2().resolve("tokenizer.json").toString(),
            "--ids",
            "11545,50286,2777,2114,50256");
    assertEquals(0, decoded.exitCode(), decoded.err());
    assertEquals("two  spaces<|endoftext|>\n", decoded.out());
  }

  @Test
  void mistakesAreOneLineErrors() {
    Result neither = Oclc.run("tokenize", "--tokenizer", gpt2().toString());
    assertEquals(2, neither.exitCode());
    assertTrue(neither.err().contains("give one of --text TEXT"), neither.err());
    Result unknown = Oclc.run("tokenize", "--tokenizer", gpt2().toString(), "--ids", "60000");
    assertEquals(2, unknown.exitCode());
    assertTrue(
        unknown.err().startsWith("error: token id 60000 is not in the tokenizer's vocabulary"),
        unknown.err());
    Result missing = Oclc.run("tokenize", "--tokenizer", "no-such-folder", "--text", "x");
    assertEquals(2, missing.exitCode());
    assertTrue(
        missing.err().contains("no-such-folder is neither a file nor a folder"), missing.err());
  }
}
