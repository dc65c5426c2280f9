package oclc.compiler.generate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import oclc.ir.OclcException;

/**
 * The end-of-sequence, padding and beginning-of-sequence ids a model's folder declares, from the
 * first of ONNX Runtime GenAI's {@code genai_config.json} ({@code model.eos_token_id}), Hugging
 * Face's {@code generation_config.json} or its {@code config.json} (each {@code eos_token_id}, a
 * number or a list, {@code pad_token_id} and {@code bos_token_id}) that declares an end of
 * sequence.
 *
 * @param source the file they came from; empty when no folder had one
 */
public record GenerationConfig(
    List<Long> endOfSequence,
    Optional<Long> padding,
    Optional<Long> beginning,
    Optional<Path> source) {
  public static final List<String> FILES =
      List.of("genai_config.json", "generation_config.json", "config.json");

  public GenerationConfig {
    endOfSequence = List.copyOf(endOfSequence);
  }

  /** Without a beginning-of-sequence id. */
  public GenerationConfig(List<Long> endOfSequence, Optional<Long> padding, Optional<Path> source) {
    this(endOfSequence, padding, Optional.empty(), source);
  }

  public static GenerationConfig none() {
    return new GenerationConfig(List.of(), Optional.empty(), Optional.empty());
  }

  /**
   * The folders a model's configuration may be in, most likely first: an artifact (or model) folder
   * and the folder it is in; the folder of a model file.
   */
  public static List<Path> foldersOf(Path model) {
    List<Path> folders = new ArrayList<>();
    Path absolute = model.toAbsolutePath().normalize();
    if (Files.isDirectory(absolute)) {
      folders.add(absolute);
    }
    if (absolute.getParent() != null) {
      folders.add(absolute.getParent());
    }
    return folders;
  }

  /** The first configuration file among the folders that names an end of sequence. */
  public static GenerationConfig find(List<Path> folders) {
    for (Path folder : folders) {
      for (String name : FILES) {
        Path file = folder.resolve(name);
        if (Files.isRegularFile(file)) {
          GenerationConfig config = read(file);
          if (!config.endOfSequence().isEmpty()) {
            return config;
          }
        }
      }
    }
    return none();
  }

  /** One file's ids (none if it names no end of sequence). */
  public static GenerationConfig read(Path file) {
    JsonNode root = readJson(file);
    JsonNode holder =
        file.getFileName().toString().equals("genai_config.json") ? root.path("model") : root;
    return new GenerationConfig(
        ids(holder.path("eos_token_id"), file, "eos_token_id"),
        ids(holder.path("pad_token_id"), file, "pad_token_id").stream().findFirst(),
        ids(holder.path("bos_token_id"), file, "bos_token_id").stream().findFirst(),
        Optional.of(file));
  }

  private static List<Long> ids(JsonNode node, Path file, String key) {
    if (node.isMissingNode() || node.isNull()) {
      return List.of();
    }
    List<Long> ids = new ArrayList<>();
    for (JsonNode id : node.isArray() ? node : List.of(node)) {
      if (!id.isIntegralNumber()) {
        throw new OclcException(
            file + ": " + key + " is " + node + ", not a token id or a list of token ids");
      }
      ids.add(id.asLong());
    }
    return ids;
  }

  private static JsonNode readJson(Path file) {
    try {
      return new ObjectMapper().readTree(file.toFile());
    } catch (JsonProcessingException e) {
      throw new OclcException(
          file
              + " is not valid JSON (line "
              + e.getLocation().getLineNr()
              + "): "
              + e.getOriginalMessage());
    } catch (IOException e) {
      throw new OclcException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** For the user: "end of sequence: 50256 (from DIR/generation_config.json)". */
  public String describe() {
    return source
        .map(
            file ->
                "end of sequence: "
                    + String.join(", ", endOfSequence.stream().map(String::valueOf).toList())
                    + " (from "
                    + file
                    + ")")
        .orElse(
            "end of sequence: none declared (no "
                + String.join(", ", FILES)
                + " beside the model)");
  }
}
