package oclc.compiler.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import oclc.ir.OclcException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the end-of-sequence and padding ids come from, in which order, and bad files. */
class GenerationConfigTest {
  @TempDir Path folder;

  private Path write(String name, String json) throws IOException {
    return Files.writeString(folder.resolve(name), json);
  }

  @Test
  void genaiConfigComesFirstThenGenerationConfigThenConfig() throws IOException {
    write("config.json", "{\"eos_token_id\": 1, \"pad_token_id\": 0}");
    assertEquals(
        new GenerationConfig(
            List.of(1L), Optional.of(0L), Optional.of(folder.resolve("config.json"))),
        GenerationConfig.find(List.of(folder)));
    write("generation_config.json", "{\"eos_token_id\": [2, 3]}");
    assertEquals(List.of(2L, 3L), GenerationConfig.find(List.of(folder)).endOfSequence());
    write("genai_config.json", "{\"model\": {\"eos_token_id\": 98, \"pad_token_id\": 97}}");
    GenerationConfig genai = GenerationConfig.find(List.of(folder));
    assertEquals(List.of(98L), genai.endOfSequence());
    assertEquals(Optional.of(97L), genai.padding());
    assertTrue(
        genai.describe().contains("98 (from " + folder.resolve("genai_config.json")),
        genai.describe());
  }

  @Test
  void aFileWithoutAnEndOfSequenceGivesWayToTheNext() throws IOException {
    write("generation_config.json", "{\"do_sample\": true}");
    write("config.json", "{\"eos_token_id\": 50256}");
    assertEquals(List.of(50256L), GenerationConfig.find(List.of(folder)).endOfSequence());
  }

  @Test
  void aModelFileLooksInItsFolderAndAnArtifactInItselfThenBesideIt() throws IOException {
    Path model = write("model.onnx", "");
    assertEquals(List.of(folder), GenerationConfig.foldersOf(model));
    Path artifact = Files.createDirectories(folder.resolve("model.oclc"));
    assertEquals(List.of(artifact, folder), GenerationConfig.foldersOf(artifact));
    write("generation_config.json", "{\"eos_token_id\": 7}");
    assertEquals(
        List.of(7L), GenerationConfig.find(GenerationConfig.foldersOf(artifact)).endOfSequence());
  }

  @Test
  void noFileMeansNoEndOfSequence() {
    GenerationConfig none = GenerationConfig.find(List.of(folder));
    assertEquals(List.of(), none.endOfSequence());
    assertTrue(none.describe().contains("none declared"), none.describe());
  }

  @Test
  void badFilesAreNamed() throws IOException {
    Path file = write("generation_config.json", "{\"eos_token_id\": \"</s>\"}");
    String message =
        assertThrows(OclcException.class, () -> GenerationConfig.find(List.of(folder)))
            .getMessage();
    assertEquals(
        file + ": eos_token_id is \"</s>\", not a token id or a list of token ids", message);
    write("generation_config.json", "{\"eos_token_id\": ");
    assertTrue(
        assertThrows(OclcException.class, () -> GenerationConfig.find(List.of(folder)))
            .getMessage()
            .startsWith(file + " is not valid JSON"));
  }
}
