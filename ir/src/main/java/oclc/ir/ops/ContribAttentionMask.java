package oclc.ir.ops;

import java.util.Map;
import java.util.Optional;
import java.util.function.BiPredicate;
import oclc.ir.Attribute;
import oclc.ir.Attributes;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.NodeRewrite;
import oclc.ir.Shape;
import oclc.ir.Tensor;

/**
 * The key masks of ONNX Runtime's contrib attention ({@code mask_index} of com.microsoft
 * Attention), as its CPU kernel reads them, with causality ({@code unidirectional}): the additive
 * bias of the scores [batch, heads, seq, total]. A key the mask hides gets {@code
 * mask_filter_value}; one above the causal diagonal (key {@code j > past + i}) gets float's lowest,
 * replacing the mask's value, as ONNX Runtime writes it; others 0.
 */
final class ContribAttentionMask {
  /** float's lowest, ONNX Runtime's bias above the causal diagonal. */
  static final double LOWEST = -Float.MAX_VALUE;

  /** The mask forms ONNX Runtime's CPU kernel takes. */
  enum Form {
    /** No mask, or a [batch or 1, 1] one, which masks nothing. */
    NONE,
    /** [batch]: each batch's keys end before the given position. */
    KEY_END,
    /** [2·batch]: end positions, then start positions (keys before a start are hidden too). */
    KEY_END_START,
    /** [batch, total]: 1 attends a key, 0 (or less) hides it. */
    KEY_PADDING,
    /** [batch, seq, total]: as KEY_PADDING, per query. */
    QUERY_KEY
  }

  private ContribAttentionMask() {}

  /**
   * The form of a mask of {@code shape} (absent: null), making its dims the batch's, query's and
   * keys' through {@code equal} (unification, or equality for concrete shapes); empty where it is
   * no form ONNX Runtime's CPU kernel takes.
   */
  static Optional<Form> form(
      Shape shape, Dim batch, Dim seq, Dim total, BiPredicate<Dim, Dim> equal) {
    if (shape == null) {
      return Optional.of(Form.NONE);
    }
    return switch (shape.rank()) {
      case 1 -> {
        Dim length = shape.dim(0);
        if (length.equals(batch.times(2)) && !batch.equals(Dim.of(0))) {
          yield Optional.of(Form.KEY_END_START);
        }
        yield equal.test(length, batch) ? Optional.of(Form.KEY_END) : Optional.empty();
      }
      case 2 -> {
        Dim rows = shape.dim(0);
        if (shape.dim(1).equals(Dim.of(1)) && (rows.equals(Dim.of(1)) || rows.equals(batch))) {
          // One key per row masks nothing: the softmax of one score is 1, whatever it adds.
          yield Optional.of(Form.NONE);
        }
        yield equal.test(rows, batch) && equal.test(shape.dim(1), total)
            ? Optional.of(Form.KEY_PADDING)
            : Optional.empty();
      }
      case 3 ->
          equal.test(shape.dim(0), batch)
                  && equal.test(shape.dim(1), seq)
                  && equal.test(shape.dim(2), total)
              ? Optional.of(Form.QUERY_KEY)
              : Optional.empty();
      default -> Optional.empty();
    };
  }

  /** The bias of score [b, ·, i, j] over {@code total} keys (reference evaluation). */
  static double bias(
      Form form,
      Tensor mask,
      boolean causal,
      double filter,
      long batch,
      long seq,
      long past,
      long total,
      long b,
      long i,
      long j) {
    if (causal && j > past + i) {
      return LOWEST;
    }
    boolean hidden =
        switch (form) {
          case NONE -> false;
          case KEY_END -> j >= mask.getLong((int) b);
          case KEY_END_START -> j >= mask.getLong((int) b) || j < mask.getLong((int) (batch + b));
          case KEY_PADDING -> mask.getLong((int) (b * total + j)) <= 0;
          case QUERY_KEY -> mask.getLong((int) ((b * seq + i) * total + j)) <= 0;
        };
    return hidden ? filter : 0;
  }

  /**
   * Adds the nodes that compute the bias, broadcastable to [batch, heads, seq, total], of {@code
   * dtype}; empty where nothing is masked. {@code seq} (queries), {@code past} and {@code newKeys}
   * (total = past + new keys) are int64 scalars; query i sits at position past + i.
   */
  static Optional<String> decompose(
      NodeRewrite rewrite,
      Form form,
      String mask,
      boolean causal,
      double filter,
      DType dtype,
      String seq,
      String past,
      String newKeys) {
    if (form == Form.NONE && !causal) {
      return Optional.empty();
    }
    String one = rewrite.constant("one", Tensor.scalarLong(1));
    String total = rewrite.add("total_length", "Add", past, newKeys);
    String keys =
        rewrite.add(
            "key_positions", "Range", rewrite.constant("zero", Tensor.scalarLong(0)), total, one);
    Optional<String> bias =
        hidden(rewrite, form, mask, keys)
            .map(
                hidden ->
                    rewrite.add(
                        "mask_bias",
                        "Where",
                        hidden,
                        scalar(rewrite, "filter", filter, dtype),
                        scalar(rewrite, "unmasked", 0, dtype)));
    if (!causal) {
      return bias;
    }
    String queries =
        rewrite.add(
            "query_columns",
            "Reshape",
            rewrite.add(
                "query_positions", "Range", past, rewrite.add("query_end", "Add", past, seq), one),
            shape(rewrite, "column", -1, 1));
    String future = rewrite.add("future", "Greater", keys, queries);
    return Optional.of(
        rewrite.add(
            "causal_bias",
            "Where",
            future,
            scalar(rewrite, "lowest", LOWEST, dtype),
            bias.orElseGet(() -> scalar(rewrite, "unmasked", 0, dtype))));
  }

  /** Where the mask hides a key, as bool of [batch, 1, 1 or seq, total]. */
  private static Optional<String> hidden(NodeRewrite rewrite, Form form, String mask, String keys) {
    return switch (form) {
      case NONE -> Optional.empty();
      case KEY_END ->
          Optional.of(
              rewrite.add(
                  "beyond_end",
                  "GreaterOrEqual",
                  keys,
                  rewrite.add(
                      "mask_ends",
                      "Reshape",
                      positions(rewrite, mask),
                      shape(rewrite, "ends", -1, 1, 1, 1))));
      case KEY_END_START -> {
        String halves =
            rewrite.add(
                "mask_halves",
                "Reshape",
                positions(rewrite, mask),
                shape(rewrite, "halves", 2, -1, 1, 1, 1));
        String ends = gather(rewrite, "mask_ends", halves, 0);
        String starts = gather(rewrite, "mask_starts", halves, 1);
        yield Optional.of(
            rewrite.add(
                "outside",
                "Or",
                rewrite.add("beyond_end", "GreaterOrEqual", keys, ends),
                rewrite.add("before_start", "Less", keys, starts)));
      }
      case KEY_PADDING ->
          Optional.of(
              rewrite.add(
                  "mask_rows",
                  "Reshape",
                  zeroes(rewrite, mask),
                  shape(rewrite, "rows", 0, 1, 1, -1)));
      case QUERY_KEY -> {
        // [batch, seq, total] → [batch, 1, seq, total]: its own shape with a 1 after the batch.
        String dims = rewrite.add("mask_dims", "Shape", mask);
        String withHeads =
            rewrite.add(
                "mask_head_dims",
                "Concat",
                integer("axis", 0),
                rewrite.add("mask_batch", "Gather", dims, ints(rewrite, "first", 0)),
                ints(rewrite, "head", 1),
                rewrite.add("mask_queries_keys", "Gather", dims, ints(rewrite, "rest", 1, 2)));
        yield Optional.of(rewrite.add("mask_rows", "Reshape", zeroes(rewrite, mask), withHeads));
      }
    };
  }

  /**
   * ONNX Runtime hides a key whose mask element is not above 0. The mask is read through a Cast, a
   * unary op, as its declared key dim stands for past + seq once unified.
   */
  private static String zeroes(NodeRewrite rewrite, String mask) {
    return rewrite.add(
        "mask_hides",
        "Not",
        rewrite.add(
            "mask_attends",
            "Greater",
            positions(rewrite, mask),
            rewrite.constant("zero", Tensor.scalarLong(0))));
  }

  private static String positions(NodeRewrite rewrite, String mask) {
    return rewrite.add("mask_positions", "Cast", integer("to", DType.INT64.onnxCode()), mask);
  }

  private static String gather(NodeRewrite rewrite, String role, String data, long index) {
    return rewrite.add(
        role,
        "Gather",
        integer("axis", 0),
        data,
        rewrite.constant(role + "_index", Tensor.scalarLong(index)));
  }

  /** Dim {@code axis} of {@code value}, an int64 scalar. */
  static String length(NodeRewrite rewrite, String role, String value, long axis) {
    return rewrite.add(
        role,
        "Gather",
        rewrite.add(role + "_dims", "Shape", value),
        rewrite.constant(role + "_axis", Tensor.scalarLong(axis)));
  }

  static Attributes integer(String name, long value) {
    return new Attributes(Map.of(name, new Attribute.IntValue(value)));
  }

  static String shape(NodeRewrite rewrite, String role, long... dims) {
    return rewrite.constant(role + "_shape", Tensor.ofLongs(new long[] {dims.length}, dims));
  }

  private static String ints(NodeRewrite rewrite, String role, long... values) {
    return rewrite.constant(role, Tensor.ofLongs(new long[] {values.length}, values));
  }

  static String scalar(NodeRewrite rewrite, String role, double value, DType dtype) {
    return rewrite.constant(role, Tensor.ofDoubles(dtype, new long[0], value));
  }
}
