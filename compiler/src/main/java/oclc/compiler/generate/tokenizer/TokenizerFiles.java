package oclc.compiler.generate.tokenizer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import oclc.ir.OclcException;

/**
 * Reads the two layouts byte-level BPE tokenizers come in: Hugging Face's {@code tokenizer.json}
 * (model, pre-tokenizer, normalizer, added tokens, post-processor and decoder: {@link
 * TokenizerJson}) and GPT-2's {@code vocab.json} + {@code merges.txt}, whose added tokens are in
 * {@code tokenizer_config.json} where there is one. Every error names the file and what is wrong.
 */
public final class TokenizerFiles {
  public static final String TOKENIZER_JSON = "tokenizer.json";
  public static final String VOCAB_JSON = "vocab.json";
  public static final String MERGES_TXT = "merges.txt";
  public static final String TOKENIZER_CONFIG = "tokenizer_config.json";

  private static final ObjectMapper JSON = new ObjectMapper();

  private TokenizerFiles() {}

  /** A tokenizer.json file, a folder with one, or a folder with vocab.json and merges.txt. */
  public static Tokenizer load(Path path) {
    if (Files.isRegularFile(path)) {
      if (path.getFileName().toString().equals(VOCAB_JSON)) {
        return loadVocabularyAndMerges(path.toAbsolutePath().getParent());
      }
      return TokenizerJson.read(path, readJson(path));
    }
    if (!Files.isDirectory(path)) {
      throw new OclcException("the tokenizer " + path + " is neither a file nor a folder");
    }
    Path json = path.resolve(TOKENIZER_JSON);
    if (Files.isRegularFile(json)) {
      return TokenizerJson.read(json, readJson(json));
    }
    boolean vocabulary = Files.isRegularFile(path.resolve(VOCAB_JSON));
    boolean merges = Files.isRegularFile(path.resolve(MERGES_TXT));
    if (vocabulary && merges) {
      return loadVocabularyAndMerges(path);
    }
    throw new OclcException(
        "the tokenizer folder "
            + path
            + " has no "
            + TOKENIZER_JSON
            + (vocabulary
                ? " and no " + MERGES_TXT + " beside its " + VOCAB_JSON
                : merges
                    ? " and no " + VOCAB_JSON + " beside its " + MERGES_TXT
                    : " and no " + VOCAB_JSON + " + " + MERGES_TXT));
  }

  /** GPT-2's layout: the word pattern, the vocabulary and merges, added tokens from the config. */
  static Tokenizer loadVocabularyAndMerges(Path folder) {
    Path vocabularyFile = folder.resolve(VOCAB_JSON);
    Path mergesFile = folder.resolve(MERGES_TXT);
    Map<String, Long> vocabulary = vocabulary(readJson(vocabularyFile), vocabularyFile.toString());
    List<BytePairModel.Merge> merges = new ArrayList<>();
    List<String> lines = readLines(mergesFile);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank() || (i == 0 && line.startsWith("#version"))) {
        continue;
      }
      String[] parts = line.strip().split(" ");
      if (parts.length != 2) {
        throw new OclcException(
            mergesFile + ": line " + (i + 1) + " ('" + line + "') is not two pieces and a space");
      }
      merges.add(new BytePairModel.Merge(parts[0], parts[1]));
    }
    BytePairModel model =
        new BytePairModel(
            vocabulary, merges, false, Optional.empty(), false, mergesFile.toString());
    return new Tokenizer(
        new AddedTokens(addedTokensOf(folder, vocabulary), UnaryOperator.identity()),
        PreTokenizer.gpt2(),
        model,
        PostProcessor.NONE,
        vocabularyFile + " + " + MERGES_TXT);
  }

  /**
   * The added tokens of tokenizer_config.json's {@code added_tokens_decoder}; without that file,
   * GPT-2's one special token {@code <|endoftext|>}, as Hugging Face's GPT2Tokenizer declares it.
   */
  private static List<AddedTokens.AddedToken> addedTokensOf(
      Path folder, Map<String, Long> vocabulary) {
    Path config = folder.resolve(TOKENIZER_CONFIG);
    if (Files.isRegularFile(config)) {
      JsonNode decoder = readJson(config).path("added_tokens_decoder");
      List<AddedTokens.AddedToken> tokens = new ArrayList<>();
      for (Map.Entry<String, JsonNode> entry : decoder.properties()) {
        long id;
        try {
          id = Long.parseLong(entry.getKey());
        } catch (NumberFormatException e) {
          throw new OclcException(
              config + ": added_tokens_decoder's key '" + entry.getKey() + "' is not a token id");
        }
        tokens.add(
            TokenizerJson.addedToken(entry.getValue(), id, config + " added_tokens_decoder"));
      }
      return tokens;
    }
    Long endOfText = vocabulary.get("<|endoftext|>");
    return endOfText == null
        ? List.of()
        : List.of(
            new AddedTokens.AddedToken(
                endOfText, "<|endoftext|>", true, false, false, false, false));
  }

  /** A vocab object: piece → id. */
  static Map<String, Long> vocabulary(JsonNode node, String where) {
    if (!node.isObject()) {
      throw new OclcException(where + ": the vocabulary is not an object of piece → id");
    }
    Map<String, Long> vocabulary = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : node.properties()) {
      if (!entry.getValue().canConvertToLong()) {
        throw new OclcException(
            where
                + ": the id of '"
                + entry.getKey()
                + "' is "
                + entry.getValue()
                + ", not a number");
      }
      vocabulary.put(entry.getKey(), entry.getValue().asLong());
    }
    return vocabulary;
  }

  static JsonNode readJson(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (JsonProcessingException e) {
      throw new OclcException(
          file
              + " is not valid JSON (line "
              + e.getLocation().getLineNr()
              + ", column "
              + e.getLocation().getColumnNr()
              + "): "
              + e.getOriginalMessage());
    } catch (IOException e) {
      throw new OclcException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static List<String> readLines(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new OclcException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
