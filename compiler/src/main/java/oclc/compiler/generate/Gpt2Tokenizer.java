package oclc.compiler.generate;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import oclc.ir.OclcException;

/**
 * GPT-2's byte-level BPE: text is split into words by GPT-2's pattern, each word's UTF-8 bytes are
 * spelt with printable characters (one per byte), then merged pair by pair in the order merges.txt
 * ranks them; vocab.json maps the pieces to ids. Decoding reverses the byte spelling.
 */
public final class Gpt2Tokenizer {
  private static final Pattern WORDS =
      Pattern.compile(
          "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+");

  private final Map<String, Long> ids;
  private final Map<Long, String> pieces = new HashMap<>();
  private final Map<String, Integer> mergeRanks;
  private final char[] byteToChar = new char[256];
  private final Map<Character, Integer> charToByte = new HashMap<>();
  private final Map<String, List<String>> wordCache = new HashMap<>();

  public Gpt2Tokenizer(Map<String, Long> vocabulary, List<String> merges) {
    this.ids = Map.copyOf(vocabulary);
    vocabulary.forEach((piece, id) -> pieces.put(id, piece));
    this.mergeRanks = new HashMap<>();
    for (int i = 0; i < merges.size(); i++) {
      mergeRanks.put(merges.get(i), i);
    }
    // GPT-2's byte spelling: printable bytes stand for themselves, the others for 256 + n.
    int next = 0;
    for (int b = 0; b < 256; b++) {
      boolean printable =
          (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
      byteToChar[b] = printable ? (char) b : (char) (256 + next++);
      charToByte.put(byteToChar[b], b);
    }
  }

  /** Reads DIR/vocab.json and DIR/merges.txt. */
  public static Gpt2Tokenizer load(Path folder) {
    Path vocabFile = folder.resolve("vocab.json");
    Path mergesFile = folder.resolve("merges.txt");
    try {
      Map<String, Long> vocabulary =
          new ObjectMapper().readValue(vocabFile.toFile(), new TypeReference<>() {});
      List<String> merges = new ArrayList<>();
      for (String line : Files.readAllLines(mergesFile, StandardCharsets.UTF_8)) {
        if (!line.isBlank() && !line.startsWith("#version")) {
          merges.add(line.strip());
        }
      }
      return new Gpt2Tokenizer(vocabulary, merges);
    } catch (IOException e) {
      throw new OclcException(
          "cannot read the tokenizer in "
              + folder
              + " (vocab.json and merges.txt): "
              + e.getMessage(),
          e);
    }
  }

  public List<Long> encode(String text) {
    List<Long> tokens = new ArrayList<>();
    Matcher m = WORDS.matcher(text);
    while (m.find()) {
      StringBuilder spelt = new StringBuilder();
      for (byte b : m.group().getBytes(StandardCharsets.UTF_8)) {
        spelt.append(byteToChar[b & 0xFF]);
      }
      for (String piece : wordCache.computeIfAbsent(spelt.toString(), this::merge)) {
        Long id = ids.get(piece);
        if (id == null) {
          throw new OclcException(
              "the tokenizer's vocabulary has no piece '"
                  + piece
                  + "' (from \""
                  + m.group()
                  + "\")");
        }
        tokens.add(id);
      }
    }
    return tokens;
  }

  public String decode(List<Long> tokens) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (long token : tokens) {
      String piece = pieces.get(token);
      if (piece == null) {
        throw new OclcException("token id " + token + " is not in the tokenizer's vocabulary");
      }
      for (char c : piece.toCharArray()) {
        Integer b = charToByte.get(c);
        if (b != null) {
          bytes.write(b);
        }
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  /**
   * Merges the pair of neighbouring pieces with the best (lowest) rank until no ranked pair is
   * left.
   */
  private List<String> merge(String word) {
    List<String> parts = new ArrayList<>();
    word.codePoints().forEach(cp -> parts.add(new String(Character.toChars(cp))));
    while (parts.size() > 1) {
      int best = -1;
      int bestRank = Integer.MAX_VALUE;
      for (int i = 0; i + 1 < parts.size(); i++) {
        Integer rank = mergeRanks.get(parts.get(i) + " " + parts.get(i + 1));
        if (rank != null && rank < bestRank) {
          bestRank = rank;
          best = i;
        }
      }
      if (best < 0) {
        break;
      }
      parts.set(best, parts.get(best) + parts.remove(best + 1));
    }
    return parts;
  }
}
