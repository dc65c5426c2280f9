package oclc.compiler.generate.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import oclc.ir.OclcException;

/**
 * Hugging Face's {@code tokenizer.json}, for a byte-level BPE: the parts oclc reads, each checked,
 * and anything else (a Unigram or WordPiece model, a Metaspace pre-tokenizer) named in an error
 * rather than silently encoded differently.
 */
final class TokenizerJson {
  private final String file;

  private TokenizerJson(Path file) {
    this.file = file.toString();
  }

  static Tokenizer read(Path path, JsonNode root) {
    return new TokenizerJson(path).tokenizer(root);
  }

  private OclcException error(String what) {
    return new OclcException(file + ": " + what);
  }

  private Tokenizer tokenizer(JsonNode root) {
    if (!root.isObject()) {
      throw error("not a tokenizer.json (its top level is not an object)");
    }
    JsonNode model = root.path("model");
    if (!model.isObject()) {
      throw error("no \"model\" object (a tokenizer.json names its model: BPE, Unigram, ...)");
    }
    UnaryOperator<String> normalizer = normalizer(root.path("normalizer"));
    List<AddedTokens.AddedToken> added = new ArrayList<>();
    JsonNode addedTokens = root.path("added_tokens");
    if (!addedTokens.isMissingNode() && !addedTokens.isNull()) {
      if (!addedTokens.isArray()) {
        throw error("\"added_tokens\" is not a list");
      }
      for (JsonNode token : addedTokens) {
        if (!token.path("id").canConvertToLong()) {
          throw error("an entry of \"added_tokens\" has no numeric \"id\": " + token);
        }
        added.add(addedToken(token, token.get("id").asLong(), file + " added_tokens"));
      }
    }
    PreTokenizer preTokenizer = preTokenizer(root.path("pre_tokenizer"));
    decoder(root.path("decoder"));
    BytePairModel bpe = model(model);
    return new Tokenizer(
        new AddedTokens(added, normalizer),
        preTokenizer,
        bpe,
        postProcessor(root.path("post_processor")),
        file);
  }

  /** One added token: its content and flags (HF's defaults where a flag is absent). */
  static AddedTokens.AddedToken addedToken(JsonNode token, long id, String where) {
    if (!token.path("content").isTextual()) {
      throw new OclcException(where + ": the added token " + id + " has no \"content\" string");
    }
    boolean special = token.path("special").asBoolean(false);
    return new AddedTokens.AddedToken(
        id,
        token.get("content").asText(),
        special,
        token.path("single_word").asBoolean(false),
        token.path("lstrip").asBoolean(false),
        token.path("rstrip").asBoolean(false),
        token.path("normalized").asBoolean(!special));
  }

  private BytePairModel model(JsonNode model) {
    String type = model.path("type").asText("");
    if (type.isEmpty() && model.has("merges")) {
      type = "BPE"; // early tokenizer.json files leave the type out
    }
    switch (type) {
      case "BPE" -> {}
      case "Unigram" ->
          throw error(
              "the model is Unigram (SentencePiece's, as T5 and XLNet use); oclc reads byte-level"
                  + " BPE tokenizers only");
      case "WordPiece" ->
          throw error("the model is WordPiece (BERT's); oclc reads byte-level BPE tokenizers only");
      case "WordLevel" ->
          throw error("the model is WordLevel; oclc reads byte-level BPE tokenizers only");
      case "" -> throw error("the model has no \"type\"");
      default -> throw error("the model type '" + type + "' is not one oclc reads (BPE)");
    }
    if (!model.path("vocab").isObject()) {
      throw error("the BPE model has no \"vocab\" object");
    }
    if (!model.path("merges").isArray()) {
      throw error("the BPE model has no \"merges\" list");
    }
    for (String affix : List.of("continuing_subword_prefix", "end_of_word_suffix")) {
      String value = model.path(affix).asText("");
      if (!value.isEmpty()) {
        throw error(
            "the BPE model's "
                + affix
                + " is '"
                + value
                + "'; oclc reads byte-level BPE without subword affixes");
      }
    }
    JsonNode dropout = model.path("dropout");
    if (dropout.isNumber() && dropout.asDouble() > 0) {
      throw error(
          "the BPE model has dropout "
              + dropout.asDouble()
              + " (random merges, for training); set it to null to encode deterministically");
    }
    List<BytePairModel.Merge> merges = new ArrayList<>();
    int rank = 0;
    for (JsonNode merge : model.get("merges")) {
      rank++;
      if (merge.isTextual()) {
        String[] parts = merge.asText().split(" ");
        if (parts.length != 2) {
          throw error(
              "merge " + rank + " ('" + merge.asText() + "') is not two pieces and a space");
        }
        merges.add(new BytePairModel.Merge(parts[0], parts[1]));
      } else if (merge.isArray()
          && merge.size() == 2
          && merge.get(0).isTextual()
          && merge.get(1).isTextual()) {
        merges.add(new BytePairModel.Merge(merge.get(0).asText(), merge.get(1).asText()));
      } else {
        throw error("merge " + rank + " is " + merge + ", neither \"a b\" nor [\"a\", \"b\"]");
      }
    }
    JsonNode unknown = model.path("unk_token");
    return new BytePairModel(
        TokenizerFiles.vocabulary(model.get("vocab"), file + " model.vocab"),
        merges,
        model.path("ignore_merges").asBoolean(false),
        unknown.isTextual() ? Optional.of(unknown.asText()) : Optional.empty(),
        model.path("fuse_unk").asBoolean(false),
        file);
  }

  private UnaryOperator<String> normalizer(JsonNode node) {
    if (node.isMissingNode() || node.isNull()) {
      return UnaryOperator.identity();
    }
    String type = node.path("type").asText("");
    return switch (type) {
      case "NFC" -> text -> Normalizer.normalize(text, Normalizer.Form.NFC);
      case "NFD" -> text -> Normalizer.normalize(text, Normalizer.Form.NFD);
      case "NFKC" -> text -> Normalizer.normalize(text, Normalizer.Form.NFKC);
      case "NFKD" -> text -> Normalizer.normalize(text, Normalizer.Form.NFKD);
      case "Lowercase" -> text -> text.toLowerCase(Locale.ROOT);
      case "Replace" -> {
        Pattern pattern = pattern(node.path("pattern"), "the Replace normalizer");
        String content = node.path("content").asText("");
        yield text ->
            pattern.matcher(text).replaceAll(java.util.regex.Matcher.quoteReplacement(content));
      }
      case "Sequence" -> {
        List<UnaryOperator<String>> steps = new ArrayList<>();
        node.path("normalizers").forEach(n -> steps.add(normalizer(n)));
        yield text -> {
          String result = text;
          for (UnaryOperator<String> step : steps) {
            result = step.apply(result);
          }
          return result;
        };
      }
      default ->
          throw error(
              "the normalizer '"
                  + type
                  + "' is not one oclc reads (NFC, NFD, NFKC, NFKD, Lowercase, Replace, Sequence)");
    };
  }

  private PreTokenizer preTokenizer(JsonNode node) {
    List<PreTokenizer.Step> steps = new ArrayList<>();
    boolean byteLevel = preTokenizerSteps(node, steps);
    if (!byteLevel) {
      throw error(
          "the pre-tokenizer is not ByteLevel"
              + (node.isMissingNode() || node.isNull()
                  ? " (there is none)"
                  : ": " + node.path("type").asText())
              + "; oclc reads byte-level BPE tokenizers (GPT-2's) only");
    }
    return new PreTokenizer(steps);
  }

  /** Appends the steps of one pre-tokenizer; true when it ends with ByteLevel's spelling. */
  private boolean preTokenizerSteps(JsonNode node, List<PreTokenizer.Step> steps) {
    if (node.isMissingNode() || node.isNull()) {
      return false;
    }
    String type = node.path("type").asText("");
    switch (type) {
      case "ByteLevel" -> {
        if (node.path("add_prefix_space").asBoolean(false)) {
          steps.add(new PreTokenizer.PrefixSpace());
        }
        if (node.path("use_regex").asBoolean(true)) {
          steps.add(
              new PreTokenizer.Split(ByteLevel.GPT2_WORDS, PreTokenizer.Behavior.ISOLATED, false));
        }
        return true;
      }
      case "Split" -> {
        steps.add(
            new PreTokenizer.Split(
                pattern(node.path("pattern"), "the Split pre-tokenizer"),
                behavior(node.path("behavior").asText("")),
                node.path("invert").asBoolean(false)));
        return false;
      }
      case "Digits" -> {
        // char::is_numeric, each digit alone or runs of digits together
        boolean individual = node.path("individual_digits").asBoolean(false);
        steps.add(
            new PreTokenizer.Split(
                Pattern.compile(individual ? "\\p{N}" : "\\p{N}+"),
                PreTokenizer.Behavior.ISOLATED,
                false));
        return false;
      }
      case "Sequence" -> {
        boolean endsInByteLevel = false;
        for (JsonNode step : node.path("pretokenizers")) {
          if (endsInByteLevel) {
            throw error("the pre-tokenizer sequence goes on after its ByteLevel step");
          }
          endsInByteLevel = preTokenizerSteps(step, steps);
        }
        return endsInByteLevel;
      }
      case "Metaspace" ->
          throw error(
              "the pre-tokenizer is Metaspace (SentencePiece-style ▁ words, as Llama 2 uses);"
                  + " oclc reads byte-level BPE tokenizers (GPT-2's) only");
      default ->
          throw error(
              "the pre-tokenizer '"
                  + type
                  + "' is not one oclc reads (ByteLevel, Split, Digits, Sequence)");
    }
  }

  private PreTokenizer.Behavior behavior(String name) {
    return switch (name) {
      case "Removed" -> PreTokenizer.Behavior.REMOVED;
      case "Isolated" -> PreTokenizer.Behavior.ISOLATED;
      case "MergedWithPrevious" -> PreTokenizer.Behavior.MERGED_WITH_PREVIOUS;
      case "MergedWithNext" -> PreTokenizer.Behavior.MERGED_WITH_NEXT;
      case "Contiguous" -> PreTokenizer.Behavior.CONTIGUOUS;
      default -> throw error("the Split pre-tokenizer's behavior '" + name + "' is unknown");
    };
  }

  /**
   * A {"Regex": ...} or {"String": ...} pattern. Hugging Face's regexes are Oniguruma's, whose
   * {@code \s}, {@code \w} and {@code \d} are Unicode classes: so are Java's with
   * UNICODE_CHARACTER_CLASS.
   */
  private Pattern pattern(JsonNode node, String where) {
    if (node.path("Regex").isTextual()) {
      String regex = node.get("Regex").asText();
      try {
        return Pattern.compile(regex, Pattern.UNICODE_CHARACTER_CLASS);
      } catch (PatternSyntaxException e) {
        throw error(where + "'s regex does not compile: " + e.getDescription() + " in " + regex);
      }
    }
    if (node.path("String").isTextual()) {
      return Pattern.compile(Pattern.quote(node.get("String").asText()));
    }
    throw error(where + " has no pattern {\"Regex\": ...} or {\"String\": ...}");
  }

  /** The decoder must undo the byte spelling, as ByteLevel does; none at all means the same. */
  private void decoder(JsonNode node) {
    if (node.isMissingNode() || node.isNull()) {
      return;
    }
    String type = node.path("type").asText("");
    if (type.equals("Sequence")) {
      node.path("decoders").forEach(this::decoder);
    } else if (!type.equals("ByteLevel")) {
      throw error(
          "the decoder '" + type + "' is not ByteLevel; oclc decodes byte-level BPE tokens only");
    }
  }

  /** The special tokens the post-processor puts before and after a single text. */
  private PostProcessor postProcessor(JsonNode node) {
    if (node.isMissingNode() || node.isNull()) {
      return PostProcessor.NONE;
    }
    String type = node.path("type").asText("");
    return switch (type) {
      case "ByteLevel" -> PostProcessor.NONE; // it only trims offsets
      case "TemplateProcessing" -> {
        List<Long> first = new ArrayList<>();
        List<Long> last = new ArrayList<>();
        boolean seenText = false;
        for (JsonNode piece : node.path("single")) {
          if (piece.has("Sequence")) {
            seenText = true;
          } else if (piece.has("SpecialToken")) {
            String name = piece.get("SpecialToken").path("id").asText();
            JsonNode ids = node.path("special_tokens").path(name).path("ids");
            if (!ids.isArray()) {
              throw error("the post-processor's special token '" + name + "' has no ids");
            }
            for (JsonNode id : ids) {
              (seenText ? last : first).add(id.asLong());
            }
          } else {
            throw error("the post-processor's template has an item " + piece);
          }
        }
        yield new PostProcessor(first, last);
      }
      case "RobertaProcessing", "BertProcessing" ->
          new PostProcessor(
              List.of(node.path("cls").path(1).asLong()),
              List.of(node.path("sep").path(1).asLong()));
      case "Sequence" -> {
        PostProcessor sequence = PostProcessor.NONE;
        for (JsonNode processor : node.path("processors")) {
          sequence = sequence.then(postProcessor(processor));
        }
        yield sequence;
      }
      default -> throw error("the post-processor '" + type + "' is not one oclc reads");
    };
  }
}
