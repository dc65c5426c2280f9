package oclc.compiler.generate.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The full GPT-2 tokenizer (ONNX Runtime GenAI's tokenizer.json: 50257 pieces, 50000 merges, and
 * CodeGen's added runs of spaces and tabs) against ids that two other implementations gave, written
 * here by {@code scripts/tokenizer-oracle.sh}: Hugging Face's tokenizers library (its Rust code,
 * through the npm package's Node binding) and js-tiktoken's OpenAI GPT-2 ranks. Not against our own
 * encoder.
 */
class TokenizerOracleTest {
  static Path FOLDER;

  /**
   * The shared test data's GPT-2 tokenizer ({@code shared/} beside the checkout): skipped, visibly,
   * where it is absent, except under CI ({@code OCLC_REQUIRE_SHARED=true}), where that fails.
   */
  @BeforeAll
  static void findTheSharedTokenizer() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("shared").resolve("models").resolve("ort-genai-gpt2-fp32");
      if (Files.isRegularFile(candidate.resolve("tokenizer.json"))) {
        FOLDER = candidate;
        return;
      }
    }
    String message = "shared/models/ort-genai-gpt2-fp32/tokenizer.json was not found";
    if ("true".equals(System.getenv("OCLC_REQUIRE_SHARED"))) {
      throw new AssertionError(message);
    }
    Assumptions.abort(message);
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A text, what decoding its ids gives, and its ids. */
  record Case(String text, String decoded, List<Long> ids) {
    Case(String text, String decoded, String ids) {
      this(
          text,
          decoded,
          ids.isEmpty()
              ? List.of()
              : java.util.Arrays.stream(ids.split(",")).map(Long::valueOf).toList());
    }
  }

  /**
   * HF_CASES: Hugging Face tokenizers 0.23.2 (npm "tokenizers") on
   * ort-genai-gpt2-fp32/tokenizer.json.
   */
  private static final List<Case> HF_CASES =
      List.of(
          new Case("Hello world", "Hello world", "15496,995"),
          new Case(
              "The quick brown fox jumps over the lazy dog.",
              "The quick brown fox jumps over the lazy dog.",
              "464,2068,7586,21831,18045,625,262,16931,3290,13"),
          new Case(
              "I'm sure it's what they've said: we'll, you'd, I'd've, she's, don't",
              "I'm sure it's what they've said: we'll, you'd, I'd've, she's, don't",
              "40,1101,1654,340,338,644,484,1053,531,25,356,1183,11,345,1549,11,314,1549,1053,11,673,338,11,836,470"),
          new Case(
              "I'M SURE IT'S DON'T WE'LL",
              "I'M SURE IT'S DON'T WE'LL",
              "40,6,44,311,11335,7283,6,50,23917,6,51,12887,6,3069"),
          new Case(
              "héllo wörld, naïve café, Ærøskøbing, Straße",
              "héllo wörld, naïve café, Ærøskøbing, Straße",
              "71,2634,18798,266,30570,335,11,41492,40304,11,6184,228,81,24172,8135,24172,4623,11,15195,39683,68"),
          new Case(
              "日本語のテキストと中文和한국어",
              "日本語のテキストと中文和한국어",
              "33768,98,17312,105,45739,252,5641,24336,25084,43302,30201,40792,23877,229,161,240,234,47991,250,166,113,255,168,244,112"),
          new Case(
              "Привет, мир! Γειά σου κόσμε",
              "Привет, мир! Γειά σου κόσμε",
              "140,253,21169,18849,38857,16843,20375,11,12466,120,18849,21169,0,7377,241,30950,29945,138,105,18074,225,26517,139,227,7377,118,139,234,38392,34703,30950"),
          new Case(
              "emoji 😀🎉 and 👨\u200d👩\u200d👧 family, flag 🇫🇷, ✓ ★ €",
              "emoji 😀🎉 and 👨\u200d👩\u200d👧 family, flag 🇫🇷, ✓ ★ €",
              "368,31370,30325,222,8582,236,231,290,50169,101,447,235,41840,102,447,235,41840,100,1641,11,6056,12520,229,104,8582,229,115,11,24762,23883,10432"),
          new Case(
              "two  spaces, three   spaces,    four and          ten",
              "two  spaces, three   spaces,    four and          ten",
              "11545,50286,2777,2114,11,1115,50285,2777,2114,11,50284,14337,290,50278,1452"),
          new Case(
              "   leading and trailing   ",
              "   leading and trailing   ",
              "50285,12294,290,25462,50285"),
          new Case(
              "tabs\there\t\tand\t\t\tthree",
              "tabs\there\t\tand\t\t\tthree",
              "8658,82,197,1456,50294,392,50293,15542"),
          new Case(
              "line one\nline two\n\nafter a blank line\r\nwindows\n",
              "line one\nline two\n\nafter a blank line\r\nwindows\n",
              "1370,530,198,1370,734,198,198,8499,257,9178,1627,201,198,28457,198"),
          new Case(
              "def f(x):\n    return x * 2\n\tindented\n        eight",
              "def f(x):\n    return x * 2\n\tindented\n        eight",
              "4299,277,7,87,2599,198,50284,7783,2124,1635,362,198,197,521,4714,198,50280,26022"),
          new Case(
              "digits 0 12 345 6789 1234567890 3.14159 -42 1,000,000",
              "digits 0 12 345 6789 1234567890 3.14159 -42 1,000,000",
              "12894,896,657,1105,39937,718,40401,17031,2231,30924,3829,513,13,1415,19707,532,3682,352,11,830,11,830"),
          new Case("<|endoftext|>", "<|endoftext|>", "50256"),
          new Case(
              "before<|endoftext|>after <|endoftext|> spaced <|endoftext|>",
              "before<|endoftext|>after <|endoftext|> spaced <|endoftext|>",
              "19052,50256,8499,220,50256,38980,220,50256"),
          new Case(
              "not special: <|endoftext| and <|end",
              "not special: <|endoftext| and <|end",
              "1662,2041,25,1279,91,437,1659,5239,91,290,1279,91,437"),
          new Case(
              "non-breaking\u00a0space, ideographic\u3000space, em\u2003space, next\u0085line",
              "non-breaking\u00a0space, ideographic\u3000space, em\u2003space, next\u0085line",
              "13159,12,13395,1849,13200,11,1405,6826,5099,222,13200,11,795,447,225,13200,11,1306,126,227,1370"),
          new Case(
              "control \u0001\u001f chars and zero\u200bwidth",
              "control \u0001\u001f chars and zero\u200bwidth",
              "13716,220,189,219,34534,290,6632,9525,10394"),
          new Case(
              "combining e\u0301 and precomposed é",
              "combining e\u0301 and precomposed é",
              "24011,3191,304,136,223,290,662,5589,1335,38251"),
          new Case("", "", ""),
          new Case(" ", " ", "220"),
          new Case("\n", "\n", "198"),
          new Case("\t", "\t", "197"),
          new Case(
              "                                          many spaces",
              "                                          many spaces",
              "50257,50277,21834,9029"),
          new Case("a\u00a0\u00a0b", "a\u00a0\u00a0b", "64,1849,1849,65"),
          new Case(
              "punctuation!!! ??? ... --- ((()))[]{} @#$%^&*",
              "punctuation!!! ??? ... --- ((()))[]{} @#$%^&*",
              "79,16260,2288,10185,34913,2644,11420,14808,3419,4008,21737,90,92,2488,29953,4,61,5,9"),
          new Case(
              "URL https://example.com/path?q=1&r=two#frag and user@mail.org",
              "URL https://example.com/path?q=1&r=two#frag and user@mail.org",
              "21886,3740,1378,20688,13,785,14,6978,30,80,28,16,5,81,28,11545,2,8310,363,290,2836,31,4529,13,2398"));

  /** VARIANT_CASES: Hugging Face tokenizers 0.23.2 on variant(tokenizer.json). */
  private static final List<Case> VARIANT_CASES =
      List.of(
          new Case(
              "Hello world, I'M SURE it's 1234567 and 89",
              "<|endoftext|>Hello world, I'M SURE it's 1234567 and 89",
              "50256,15496,995,11,314,6,44,311,11335,340,338,220,10163,29228,22,290,220,4531"),
          new Case(
              "x <|endoftext|> y  <|endoftext|>z",
              "<|endoftext|>x<|endoftext|>y<|endoftext|>z",
              "50256,87,50256,88,50256,89"),
          new Case(
              "[MASK] word[MASK] [MASK]x ([MASK])",
              "<|endoftext|>[MASK] word[MASK] [MASK]x ([MASK])",
              "50256,50295,1573,58,31180,42,60,685,31180,42,60,87,357,50295,8"),
          new Case(
              "combining e\u0301 and precomposed é",
              "<|endoftext|>combining é and precomposed é",
              "50256,24011,3191,38251,290,662,5589,1335,38251"),
          new Case(
              "lines\n\n\n  indented\r\n\ttab   three",
              "<|endoftext|>lines\n\n\n  indented\r\n\ttab   three",
              "50256,6615,628,198,50286,521,4714,201,198,197,8658,50285,15542"),
          new Case(
              "日本語 😀 naïve",
              "<|endoftext|>日本語 😀 naïve",
              "50256,33768,98,17312,105,45739,252,30325,222,41492"));

  /** TIKTOKEN_CASES: js-tiktoken 1.0.21, encoding "gpt2", allowed special "all". */
  private static final List<Case> TIKTOKEN_CASES =
      List.of(
          new Case("Hello world", "Hello world", "15496,995"),
          new Case(
              "The quick brown fox jumps over the lazy dog.",
              "The quick brown fox jumps over the lazy dog.",
              "464,2068,7586,21831,18045,625,262,16931,3290,13"),
          new Case(
              "I'm sure it's what they've said: we'll, you'd, I'd've, she's, don't",
              "I'm sure it's what they've said: we'll, you'd, I'd've, she's, don't",
              "40,1101,1654,340,338,644,484,1053,531,25,356,1183,11,345,1549,11,314,1549,1053,11,673,338,11,836,470"),
          new Case(
              "I'M SURE IT'S DON'T WE'LL",
              "I'M SURE IT'S DON'T WE'LL",
              "40,6,44,311,11335,7283,6,50,23917,6,51,12887,6,3069"),
          new Case(
              "héllo wörld, naïve café, Ærøskøbing, Straße",
              "héllo wörld, naïve café, Ærøskøbing, Straße",
              "71,2634,18798,266,30570,335,11,41492,40304,11,6184,228,81,24172,8135,24172,4623,11,15195,39683,68"),
          new Case(
              "日本語のテキストと中文和한국어",
              "日本語のテキストと中文和한국어",
              "33768,98,17312,105,45739,252,5641,24336,25084,43302,30201,40792,23877,229,161,240,234,47991,250,166,113,255,168,244,112"),
          new Case(
              "Привет, мир! Γειά σου κόσμε",
              "Привет, мир! Γειά σου κόσμε",
              "140,253,21169,18849,38857,16843,20375,11,12466,120,18849,21169,0,7377,241,30950,29945,138,105,18074,225,26517,139,227,7377,118,139,234,38392,34703,30950"),
          new Case(
              "emoji 😀🎉 and 👨\u200d👩\u200d👧 family, flag 🇫🇷, ✓ ★ €",
              "emoji 😀🎉 and 👨\u200d👩\u200d👧 family, flag 🇫🇷, ✓ ★ €",
              "368,31370,30325,222,8582,236,231,290,50169,101,447,235,41840,102,447,235,41840,100,1641,11,6056,12520,229,104,8582,229,115,11,24762,23883,10432"),
          new Case(
              "two  spaces, three   spaces,    four and          ten",
              "two  spaces, three   spaces,    four and          ten",
              "11545,220,9029,11,1115,220,220,9029,11,220,220,220,1440,290,220,220,220,220,220,220,220,220,220,3478"),
          new Case(
              "   leading and trailing   ",
              "   leading and trailing   ",
              "220,220,3756,290,25462,220,220,220"),
          new Case(
              "tabs\there\t\tand\t\t\tthree",
              "tabs\there\t\tand\t\t\tthree",
              "8658,82,197,1456,197,197,392,197,197,197,15542"),
          new Case(
              "line one\nline two\n\nafter a blank line\r\nwindows\n",
              "line one\nline two\n\nafter a blank line\r\nwindows\n",
              "1370,530,198,1370,734,198,198,8499,257,9178,1627,201,198,28457,198"),
          new Case(
              "def f(x):\n    return x * 2\n\tindented\n        eight",
              "def f(x):\n    return x * 2\n\tindented\n        eight",
              "4299,277,7,87,2599,198,220,220,220,1441,2124,1635,362,198,197,521,4714,198,220,220,220,220,220,220,220,3624"),
          new Case(
              "digits 0 12 345 6789 1234567890 3.14159 -42 1,000,000",
              "digits 0 12 345 6789 1234567890 3.14159 -42 1,000,000",
              "12894,896,657,1105,39937,718,40401,17031,2231,30924,3829,513,13,1415,19707,532,3682,352,11,830,11,830"),
          new Case("<|endoftext|>", "<|endoftext|>", "50256"),
          new Case(
              "before<|endoftext|>after <|endoftext|> spaced <|endoftext|>",
              "before<|endoftext|>after <|endoftext|> spaced <|endoftext|>",
              "19052,50256,8499,220,50256,38980,220,50256"),
          new Case(
              "not special: <|endoftext| and <|end",
              "not special: <|endoftext| and <|end",
              "1662,2041,25,1279,91,437,1659,5239,91,290,1279,91,437"),
          new Case(
              "non-breaking\u00a0space, ideographic\u3000space, em\u2003space, next\u0085line",
              "non-breaking\u00a0space, ideographic\u3000space, em\u2003space, next\u0085line",
              "13159,12,13395,1849,13200,11,1405,6826,5099,222,13200,11,795,447,225,13200,11,1306,126,227,1370"),
          new Case(
              "control \u0001\u001f chars and zero\u200bwidth",
              "control \u0001\u001f chars and zero\u200bwidth",
              "13716,220,189,219,34534,290,6632,9525,10394"),
          new Case(
              "combining e\u0301 and precomposed é",
              "combining e\u0301 and precomposed é",
              "24011,3191,304,136,223,290,662,5589,1335,38251"),
          new Case("", "", ""),
          new Case(" ", " ", "220"),
          new Case("\n", "\n", "198"),
          new Case("\t", "\t", "197"),
          new Case(
              "                                          many spaces",
              "                                          many spaces",
              "220,220,220,220,220,220,220,220,220,220,220,220,220,220,220,220,220,220,220,220,220,220,220,220,220,220,220,220,220,220,220,220,220,220,220,220,220,220,220,220,220,867,9029"),
          new Case("a\u00a0\u00a0b", "a\u00a0\u00a0b", "64,1849,1849,65"),
          new Case(
              "punctuation!!! ??? ... --- ((()))[]{} @#$%^&*",
              "punctuation!!! ??? ... --- ((()))[]{} @#$%^&*",
              "79,16260,2288,10185,34913,2644,11420,14808,3419,4008,21737,90,92,2488,29953,4,61,5,9"),
          new Case(
              "URL https://example.com/path?q=1&r=two#frag and user@mail.org",
              "URL https://example.com/path?q=1&r=two#frag and user@mail.org",
              "21886,3740,1378,20688,13,785,14,6978,30,80,28,16,5,81,28,11545,2,8310,363,290,2836,31,4529,13,2398"));

  @TempDir Path folder;

  private static void check(Tokenizer tokenizer, List<Case> cases) {
    for (Case c : cases) {
      assertEquals(c.ids(), tokenizer.encode(c.text()), "the ids of \"" + c.text() + "\"");
      assertEquals(
          c.decoded(), tokenizer.decode(c.ids()), "decoding the ids of \"" + c.text() + "\"");
    }
  }

  @Test
  void gpt2sTokenizerJsonGivesHuggingFacesIds() {
    check(Tokenizer.load(FOLDER), HF_CASES);
    check(Tokenizer.load(FOLDER.resolve("tokenizer.json")), HF_CASES);
  }

  @Test
  void mergesAsPairsReadAsMergesAsStrings() throws IOException {
    ObjectNode json = (ObjectNode) JSON.readTree(FOLDER.resolve("tokenizer.json").toFile());
    ArrayNode pairs = JSON.createArrayNode();
    for (var merge : json.path("model").path("merges")) {
      String[] parts = merge.asText().split(" ");
      pairs.addArray().add(parts[0]).add(parts[1]);
    }
    ((ObjectNode) json.get("model")).set("merges", pairs);
    Path file = folder.resolve("pairs.json");
    JSON.writeValue(file.toFile(), json);
    check(Tokenizer.load(file), HF_CASES);
  }

  /**
   * What scripts/tokenizer-oracle.sh's variant() makes of the file: NFC, Llama 3's split regex
   * before a ByteLevel without its own, stripping and single-word added tokens, a template.
   */
  static ObjectNode variant(ObjectNode json) {
    String llama3 =
        "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}|"
            + " ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    json.set("normalizer", JSON.valueToTree(Map.of("type", "NFC")));
    json.set(
        "pre_tokenizer",
        JSON.valueToTree(
            Map.of(
                "type",
                "Sequence",
                "pretokenizers",
                List.of(
                    Map.of(
                        "type",
                        "Split",
                        "pattern",
                        Map.of("Regex", llama3),
                        "behavior",
                        "Isolated",
                        "invert",
                        false),
                    Map.of("type", "ByteLevel", "add_prefix_space", false, "use_regex", false)))));
    for (var token : json.get("added_tokens")) {
      if (token.get("content").asText().equals("<|endoftext|>")) {
        ((ObjectNode) token).put("lstrip", true).put("rstrip", true);
      }
    }
    ((ArrayNode) json.get("added_tokens"))
        .addObject()
        .put("id", 50295)
        .put("content", "[MASK]")
        .put("single_word", true)
        .put("lstrip", false)
        .put("rstrip", false)
        .put("normalized", false)
        .put("special", true);
    json.set(
        "post_processor",
        JSON.valueToTree(
            Map.of(
                "type",
                "TemplateProcessing",
                "single",
                List.of(
                    Map.of("SpecialToken", Map.of("id", "<|endoftext|>", "type_id", 0)),
                    Map.of("Sequence", Map.of("id", "A", "type_id", 0))),
                "special_tokens",
                Map.of(
                    "<|endoftext|>",
                    Map.of(
                        "id",
                        "<|endoftext|>",
                        "ids",
                        List.of(50256),
                        "tokens",
                        List.of("<|endoftext|>"))))));
    return json;
  }

  @Test
  void splitRegexesNormalizersAddedTokenFlagsAndTemplatesGiveHuggingFacesIds() throws IOException {
    Path file = folder.resolve("variant").resolve("tokenizer.json");
    Files.createDirectories(file.getParent());
    JSON.writeValue(
        file.toFile(),
        variant((ObjectNode) JSON.readTree(FOLDER.resolve("tokenizer.json").toFile())));
    check(Tokenizer.load(file.getParent()), VARIANT_CASES);
  }

  /** GPT-2's two-file layout, the merges written out of the same tokenizer.json. */
  private Path vocabularyAndMerges() throws IOException {
    Path dir = folder.resolve("gpt2");
    Files.createDirectories(dir);
    Files.copy(FOLDER.resolve("vocab.json"), dir.resolve("vocab.json"));
    List<String> lines = new ArrayList<>(List.of("#version: 0.2"));
    JSON.readTree(FOLDER.resolve("tokenizer.json").toFile())
        .path("model")
        .path("merges")
        .forEach(m -> lines.add(m.asText()));
    Files.write(dir.resolve("merges.txt"), lines, StandardCharsets.UTF_8);
    return dir;
  }

  @Test
  void vocabularyAndMergesGiveOpenAisGpt2Ids() throws IOException {
    check(Tokenizer.load(vocabularyAndMerges()), TIKTOKEN_CASES);
  }

  @Test
  void vocabularyAndMergesTakeTheAddedTokensOfTokenizerConfig() throws IOException {
    Path dir = vocabularyAndMerges();
    Files.copy(FOLDER.resolve("tokenizer_config.json"), dir.resolve("tokenizer_config.json"));
    check(Tokenizer.load(dir), HF_CASES);
  }

  @Test
  void streamedTextJoinsUpToTheDecodedTextAndNeverSplitsACharacter() {
    Tokenizer tokenizer = Tokenizer.load(FOLDER);
    boolean heldBack = false;
    for (Case c : HF_CASES) {
      TextStream stream = tokenizer.stream();
      StringBuilder printed = new StringBuilder();
      for (long id : c.ids()) {
        String piece = stream.add(id);
        assertFalse(piece.contains("\uFFFD"), "a piece of \"" + c.text() + "\" splits a character");
        heldBack |= piece.isEmpty();
        printed.append(piece);
      }
      printed.append(stream.finish());
      assertEquals(c.decoded(), printed.toString());
    }
    assertTrue(heldBack, "some emoji or CJK token ends inside a character");
  }

  @Test
  void aCharacterNeverCompletedIsAReplacementCharacter() {
    Tokenizer tokenizer = Tokenizer.load(FOLDER);
    TextStream stream = tokenizer.stream();
    // 8582: the first two bytes of 🎉 (F0 9F), a character that 236, 231 would complete
    assertEquals("", stream.add(8582));
    assertEquals("\uFFFD", stream.finish());
    assertEquals("\uFFFD", tokenizer.decode(List.of(8582L)));
  }

  @Test
  void specialTokensHaveTheirIds() {
    Tokenizer tokenizer = Tokenizer.load(FOLDER);
    assertEquals(java.util.Optional.of(50256L), tokenizer.id("<|endoftext|>"));
    assertEquals("<|endoftext|>", tokenizer.token(50256));
  }
}
