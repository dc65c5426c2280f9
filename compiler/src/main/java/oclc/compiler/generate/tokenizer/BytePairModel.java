package oclc.compiler.generate.tokenizer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import oclc.ir.OclcException;

/**
 * A BPE model: a word's characters start as one piece each and the neighbouring pair with the best
 * (lowest) merge rank is joined, leftmost first, until no ranked pair is left; the vocabulary gives
 * each piece its id. This is the order Hugging Face's BPE merges in (and GPT-2's own encoder).
 */
public final class BytePairModel {
  /** One merge rule: the two pieces it joins, in the file's order (rank = position). */
  public record Merge(String left, String right) {}

  private final Map<String, Long> ids;
  private final Map<Long, String> pieces = new HashMap<>();

  /** (left id, right id) packed into one long → {rank, merged id}. */
  private final Map<Long, long[]> merges = new HashMap<>();

  private final boolean ignoreMerges;
  private final Optional<Long> unknown;
  private final boolean fuseUnknown;
  private final Map<String, List<Long>> words = new ConcurrentHashMap<>();

  /**
   * {@code ignoreMerges}: a word that is itself in the vocabulary is that one token (Llama 3's
   * BPE); {@code unknownToken}: the piece a character outside the vocabulary becomes (else it is an
   * error), consecutive ones fused into one where {@code fuseUnknown}.
   *
   * @param file names the file in errors
   */
  public BytePairModel(
      Map<String, Long> vocabulary,
      List<Merge> mergeList,
      boolean ignoreMerges,
      Optional<String> unknownToken,
      boolean fuseUnknown,
      String file) {
    this.ids = Map.copyOf(vocabulary);
    vocabulary.forEach((piece, id) -> pieces.put(id, piece));
    for (int rank = 0; rank < mergeList.size(); rank++) {
      Merge merge = mergeList.get(rank);
      long left = idOf(merge.left(), rank, file);
      long right = idOf(merge.right(), rank, file);
      long merged = idOf(merge.left() + merge.right(), rank, file);
      // A repeated pair takes its last rank, as Hugging Face's (and GPT-2's) rank maps do.
      merges.put(pair(left, right), new long[] {rank, merged});
    }
    this.ignoreMerges = ignoreMerges;
    this.unknown =
        unknownToken.map(
            token -> {
              Long id = ids.get(token);
              if (id == null) {
                throw new OclcException(
                    file + ": the BPE model's unk_token '" + token + "' is not in its vocab");
              }
              return id;
            });
    this.fuseUnknown = fuseUnknown;
  }

  private long idOf(String piece, int rank, String file) {
    Long id = ids.get(piece);
    if (id == null) {
      throw new OclcException(
          file
              + ": merge "
              + (rank + 1)
              + " makes or joins the piece '"
              + piece
              + "', which is not in the vocabulary");
    }
    return id;
  }

  private static long pair(long left, long right) {
    return (left << 32) | (right & 0xFFFFFFFFL);
  }

  /** The piece's id, if the vocabulary has it. */
  public Optional<Long> id(String piece) {
    return Optional.ofNullable(ids.get(piece));
  }

  /** The vocabulary's piece of an id, if it has one. */
  public Optional<String> piece(long id) {
    return Optional.ofNullable(pieces.get(id));
  }

  public int size() {
    return ids.size();
  }

  /** The ids of one word (already spelt as the vocabulary spells it). */
  public List<Long> encode(String word) {
    List<Long> cached = words.get(word);
    if (cached != null) {
      return cached;
    }
    List<Long> result = List.copyOf(merge(word));
    if (words.size() < 100_000) {
      words.put(word, result);
    }
    return result;
  }

  private List<Long> merge(String word) {
    Long whole = ids.get(word);
    if (ignoreMerges && whole != null) {
      return List.of(whole);
    }
    List<Long> parts = new ArrayList<>();
    boolean lastUnknown = false;
    for (int i = 0; i < word.length(); ) {
      int end = i + Character.charCount(word.codePointAt(i));
      String character = word.substring(i, end);
      Long id = ids.get(character);
      if (id == null) {
        long unknownId =
            unknown.orElseThrow(
                () ->
                    new OclcException(
                        "the tokenizer's vocabulary has no piece for '"
                            + character
                            + "' and no unk_token"));
        if (!(fuseUnknown && lastUnknown)) {
          parts.add(unknownId);
        }
        lastUnknown = true;
      } else {
        parts.add(id);
        lastUnknown = false;
      }
      i = end;
    }
    while (parts.size() > 1) {
      int best = -1;
      long[] bestMerge = null;
      for (int i = 0; i + 1 < parts.size(); i++) {
        long[] merge = merges.get(pair(parts.get(i), parts.get(i + 1)));
        if (merge != null && (bestMerge == null || merge[0] < bestMerge[0])) {
          bestMerge = merge;
          best = i;
        }
      }
      if (best < 0) {
        break;
      }
      parts.set(best, bestMerge[1]);
      parts.remove(best + 1);
    }
    return parts;
  }
}
