package oclc.compiler.generate.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import oclc.ir.OclcException;

/**
 * A byte-level BPE tokenizer (GPT-2's and its descendants'), in Hugging Face's order: added tokens
 * are matched first, the plain text between them is normalized and cut into words by the
 * pre-tokenizer, each word's UTF-8 bytes are spelt one character per byte and merged by the BPE;
 * the post-processor's special tokens go around the result. Decoding joins the tokens' bytes.
 *
 * <p>{@link #load} reads a Hugging Face {@code tokenizer.json} or GPT-2's {@code vocab.json} +
 * {@code merges.txt} ({@link TokenizerFiles}); {@code source} names the files, for messages.
 */
public record Tokenizer(
    AddedTokens added,
    PreTokenizer preTokenizer,
    BytePairModel model,
    PostProcessor postProcessor,
    String source) {

  /** GPT-2's tokenizer from its vocabulary and merges alone (no added tokens). */
  public static Tokenizer gpt2(
      java.util.Map<String, Long> vocabulary, List<BytePairModel.Merge> merges) {
    return new Tokenizer(
        AddedTokens.none(),
        PreTokenizer.gpt2(),
        new BytePairModel(vocabulary, merges, false, Optional.empty(), false, "the merges"),
        PostProcessor.NONE,
        "GPT-2 vocabulary");
  }

  /**
   * Reads the tokenizer a path holds: a {@code tokenizer.json} file, or a folder with one, or a
   * folder with {@code vocab.json} and {@code merges.txt}.
   */
  public static Tokenizer load(Path path) {
    return TokenizerFiles.load(path);
  }

  /** The ids of a text, with the post-processor's special tokens (as Hugging Face encodes). */
  public List<Long> encode(String text) {
    List<Long> ids = new ArrayList<>(postProcessor.before());
    for (AddedTokens.Segment segment : added.split(text)) {
      switch (segment) {
        case AddedTokens.Token token -> ids.add(token.id());
        case AddedTokens.Text plain -> {
          for (String word : preTokenizer.words(plain.text())) {
            ids.addAll(model.encode(ByteLevel.spell(word)));
          }
        }
      }
    }
    ids.addAll(postProcessor.after());
    return ids;
  }

  public String decode(List<Long> ids) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (long id : ids) {
      bytes.writeBytes(bytesOf(id));
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  /** The bytes one token stands for. */
  public byte[] bytesOf(long id) {
    return ByteLevel.bytesOf(token(id));
  }

  /** A token's string: an added token's content, else the vocabulary's piece. */
  public String token(long id) {
    return added
        .byId(id)
        .map(AddedTokens.AddedToken::content)
        .or(() -> model.piece(id))
        .orElseThrow(
            () ->
                new OclcException(
                    "token id " + id + " is not in the tokenizer's vocabulary (" + source + ")"));
  }

  /** The id of a token string (an added token or a vocabulary piece), if there is one. */
  public Optional<Long> id(String token) {
    return added.tokens().stream()
        .filter(t -> t.content().equals(token))
        .map(AddedTokens.AddedToken::id)
        .findFirst()
        .or(() -> model.id(token));
  }

  /** A decoder that turns ids into text as they arrive. */
  public TextStream stream() {
    return new TextStream(this);
  }
}
