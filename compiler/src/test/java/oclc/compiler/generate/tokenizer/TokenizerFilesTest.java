package oclc.compiler.generate.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import oclc.ir.OclcException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tokenizer files that cannot be read: one clear message naming the file and what is wrong. */
class TokenizerFilesTest {
  @TempDir Path folder;

  private static final String BYTE_LEVEL =
      "\"pre_tokenizer\": {\"type\": \"ByteLevel\", \"add_prefix_space\": false},"
          + " \"decoder\": {\"type\": \"ByteLevel\"}";

  private String failure(String json) throws IOException {
    Path file = folder.resolve("tokenizer.json");
    Files.writeString(file, json);
    String message = assertThrows(OclcException.class, () -> Tokenizer.load(folder)).getMessage();
    assertTrue(message.startsWith(file.toString()), message);
    return message;
  }

  @Test
  void otherModelTypesAreNamed() throws IOException {
    assertTrue(
        failure("{\"model\": {\"type\": \"Unigram\", \"vocab\": []}, " + BYTE_LEVEL + "}")
            .contains("the model is Unigram (SentencePiece's"));
    assertTrue(
        failure("{\"model\": {\"type\": \"WordPiece\", \"vocab\": {}}, " + BYTE_LEVEL + "}")
            .contains("the model is WordPiece (BERT's)"));
  }

  @Test
  void missingPartsAreNamed() throws IOException {
    assertTrue(failure("{" + BYTE_LEVEL + "}").contains("no \"model\" object"));
    assertTrue(
        failure("{\"model\": {\"type\": \"BPE\", \"vocab\": {}}, " + BYTE_LEVEL + "}")
            .contains("no \"merges\" list"));
    assertTrue(
        failure("{\"model\": {\"type\": \"BPE\", \"merges\": []}, " + BYTE_LEVEL + "}")
            .contains("no \"vocab\" object"));
  }

  @Test
  void aMergeOutsideTheVocabularyIsNamedWithItsRank() throws IOException {
    String message =
        failure(
            "{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0, \"b\": 1, \"ab\": 2},"
                + " \"merges\": [\"a b\", \"a c\"]}, "
                + BYTE_LEVEL
                + "}");
    assertTrue(message.contains("merge 2 makes or joins the piece 'c'"), message);
  }

  @Test
  void aSentencePieceStyleBpeIsNamed() throws IOException {
    String message =
        failure(
            "{\"model\": {\"type\": \"BPE\", \"vocab\": {}, \"merges\": []},"
                + " \"pre_tokenizer\": {\"type\": \"Metaspace\", \"replacement\": \"▁\"}}");
    assertTrue(message.contains("Metaspace"), message);
    assertTrue(
        failure("{\"model\": {\"type\": \"BPE\", \"vocab\": {}, \"merges\": []}}")
            .contains("the pre-tokenizer is not ByteLevel (there is none)"));
  }

  @Test
  void brokenJsonSaysWhere() throws IOException {
    String message = failure("{\"model\": {\"type\": \"BPE\",\n \"vocab\": {\"a\" 0}}}");
    assertTrue(message.contains("is not valid JSON (line 2"), message);
  }

  @Test
  void aFolderWithoutEitherLayoutSaysWhatItLacks() throws IOException {
    Files.writeString(folder.resolve("vocab.json"), "{}");
    String message = assertThrows(OclcException.class, () -> Tokenizer.load(folder)).getMessage();
    assertEquals(
        "the tokenizer folder "
            + folder
            + " has no tokenizer.json and no merges.txt beside its vocab.json",
        message);
    assertTrue(
        assertThrows(OclcException.class, () -> Tokenizer.load(folder.resolve("absent")))
            .getMessage()
            .contains("is neither a file nor a folder"));
  }

  @Test
  void aMinimalTokenizerJsonEncodes() throws IOException {
    Files.writeString(
        folder.resolve("tokenizer.json"),
        "{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0, \"b\": 1, \"ab\": 2, \"Ġ\": 3},"
            + " \"merges\": [[\"a\", \"b\"]]}, "
            + BYTE_LEVEL
            + "}");
    Tokenizer tokenizer = Tokenizer.load(folder);
    assertEquals(List.of(2L, 3L, 0L), tokenizer.encode("ab a"));
    assertEquals("ab a", tokenizer.decode(List.of(2L, 3L, 0L)));
  }
}
