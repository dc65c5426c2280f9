package oclc.lowering.passes;

import static oclc.lowering.passes.DecomposedLayerNorm.constant;
import static oclc.lowering.passes.DecomposedLayerNorm.is;
import static oclc.lowering.passes.DecomposedLayerNorm.shape;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.Graph;
import oclc.ir.Node;

/**
 * A pattern {@link FuseDecomposedRotary} rewrites: rotary embedding as Hugging Face's Llama code
 * writes it and the exporter traces it, {@code x · cos + rotate_half(x) · sin} over a 4-D float32
 * {@code x} [batch, heads, sequence, head], where {@code rotate_half(x) = Concat(−x[..., half:],
 * x[..., :half])} and cos and sin are [batch, 1, sequence, head] (Unsqueeze on axis 1) of an angle
 * table whose two halves are equal, as {@code emb = Concat(freqs, freqs)} makes them. That is
 * RotaryEmbedding (opset 23) without position ids over the half tables; which half tables the
 * product reads is the pass's to decide ({@link Halves}). It matches only where every value between
 * x and the sum is read inside the pattern.
 */
final class DecomposedRotary {
  private DecomposedRotary() {}

  /**
   * The nodes, in graph order (the sum last), the rotated {@code x}, and the full-width cos and sin
   * tables the products read ([batch, sequence, head], before the Unsqueeze).
   */
  record Match(List<Node> nodes, String x, String cos, String sin) {
    Node sum() {
      return nodes.getLast();
    }
  }

  /** The pattern whose sum is {@code add}; a shape known only at run time throws. */
  static Optional<Match> match(
      Node add, DecomposedLayerNorm.Readers around, Map<String, Node> producers, Graph graph) {
    if (!is(add, "Add") || add.inputs().size() != 2) {
      return Optional.empty();
    }
    for (int first = 0; first < 2; first++) {
      Optional<Match> match =
          match(
              add, add.inputs().get(first), add.inputs().get(1 - first), around, producers, graph);
      if (match.isPresent()) {
        return match;
      }
    }
    return Optional.empty();
  }

  private static Optional<Match> match(
      Node add,
      String cosProductValue,
      String sinProductValue,
      DecomposedLayerNorm.Readers around,
      Map<String, Node> producers,
      Graph graph) {
    Optional<Node> cosProduct = internal(cosProductValue, "Mul", around, producers);
    Optional<Node> sinProduct = internal(sinProductValue, "Mul", around, producers);
    if (cosProduct.isEmpty() || sinProduct.isEmpty()) {
      return Optional.empty();
    }
    for (int side = 0; side < 2; side++) {
      String x = cosProduct.get().inputs().get(side);
      String cosTable = cosProduct.get().inputs().get(1 - side);
      if (!rotatable(x, graph)) {
        continue;
      }
      for (int sinSide = 0; sinSide < 2; sinSide++) {
        String rotated = sinProduct.get().inputs().get(sinSide);
        String sinTable = sinProduct.get().inputs().get(1 - sinSide);
        Optional<List<Node>> rotateHalf = rotateHalf(rotated, x, around, producers, graph);
        Optional<String> cos = unsqueezedTable(cosTable, x, producers, graph);
        Optional<String> sin = unsqueezedTable(sinTable, x, producers, graph);
        if (rotateHalf.isPresent() && cos.isPresent() && sin.isPresent()) {
          List<Node> nodes = new ArrayList<>(List.of(cosProduct.get()));
          nodes.addAll(rotateHalf.get());
          nodes.addAll(List.of(sinProduct.get(), add));
          return Optional.of(new Match(List.copyOf(nodes), x, cos.get(), sin.get()));
        }
      }
    }
    return Optional.empty();
  }

  /**
   * The upper Slice, the Neg, the lower Slice and the Concat of {@code Concat(−x[..., half:],
   * x[..., :half])} computing {@code value}, each read only inside the pattern.
   */
  private static Optional<List<Node>> rotateHalf(
      String value,
      String x,
      DecomposedLayerNorm.Readers around,
      Map<String, Node> producers,
      Graph graph) {
    Optional<Node> concat =
        internal(value, "Concat", around, producers)
            .filter(
                n ->
                    n.inputs().size() == 2 && lastAxis(n.attributes().getInt("axis", 0), x, graph));
    Optional<Node> negation =
        concat.flatMap(n -> internal(n.inputs().get(0), "Neg", around, producers));
    Optional<Node> upper =
        negation
            .flatMap(n -> internal(n.inputs().getFirst(), "Slice", around, producers))
            .filter(n -> halfOf(n, x, true, graph));
    Optional<Node> lower =
        concat
            .flatMap(n -> internal(n.inputs().get(1), "Slice", around, producers))
            .filter(n -> halfOf(n, x, false, graph));
    if (upper.isEmpty() || lower.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(List.of(upper.get(), negation.get(), lower.get(), concat.get()));
  }

  /** The {@code opType} node computing {@code value}, when only one node reads it. */
  private static Optional<Node> internal(
      String value,
      String opType,
      DecomposedLayerNorm.Readers around,
      Map<String, Node> producers) {
    return around
        .soleReader(value)
        .flatMap(r -> Optional.ofNullable(producers.get(value)))
        .filter(n -> is(n, opType));
  }

  /** A float32 [batch, heads, sequence, head] value with an even, known head. */
  private static boolean rotatable(String x, Graph graph) {
    if (graph.type(x).map(t -> t.dtype() != DType.FLOAT32).orElse(true)) {
      return false;
    }
    List<Dim> dims = shape(graph, x);
    return dims.size() == 4
        && dims.getLast().isConstant()
        && dims.getLast().constant() > 0
        && dims.getLast().constant() % 2 == 0;
  }

  /** Whether {@code slice} takes x's upper (or lower) half of its last axis, step 1. */
  private static boolean halfOf(Node slice, String x, boolean upperHalf, Graph graph) {
    if (!slice.inputs().getFirst().equals(x) || slice.inputs().size() < 4) {
      return false;
    }
    long head = shape(graph, x).getLast().constant();
    Optional<Long> start = single(graph, slice.inputs().get(1));
    Optional<Long> end = single(graph, slice.inputs().get(2));
    Optional<Long> axis = single(graph, slice.inputs().get(3));
    boolean unitStep =
        slice.inputs().size() < 5
            || slice.inputs().get(4).isEmpty()
            || single(graph, slice.inputs().get(4)).equals(Optional.of(1L));
    if (start.isEmpty() || end.isEmpty() || axis.isEmpty() || !unitStep) {
      return false;
    }
    if (!lastAxis(axis.get(), x, graph)) {
      return false;
    }
    long from = start.get() < 0 ? start.get() + head : Math.min(start.get(), head);
    long to = end.get() < 0 ? end.get() + head : Math.min(end.get(), head);
    return upperHalf ? from == head / 2 && to == head : from == 0 && to == head / 2;
  }

  /**
   * The [batch, sequence, head] table that {@code value} unsqueezes on axis 1 to broadcast over x's
   * heads: its batch and sequence x's own (a table of one batch row shared by several rows is not
   * RotaryEmbedding's table without positions).
   */
  private static Optional<String> unsqueezedTable(
      String value, String x, Map<String, Node> producers, Graph graph) {
    Node unsqueeze = producers.get(value);
    if (unsqueeze == null || !is(unsqueeze, "Unsqueeze")) {
      return Optional.empty();
    }
    long[] axes = // an input from opset 13, the attribute before
        unsqueeze.inputs().size() == 2
            ? single(graph, unsqueeze.inputs().get(1)).stream().mapToLong(a -> a).toArray()
            : unsqueeze.attributes().has("axes")
                ? unsqueeze.attributes().getInts("axes")
                : new long[0];
    if (!Arrays.equals(axes, new long[] {1})) {
      return Optional.empty();
    }
    String table = unsqueeze.inputs().getFirst();
    if (graph.type(table).map(t -> t.dtype() != DType.FLOAT32).orElse(true)) {
      return Optional.empty();
    }
    List<Dim> tableDims = shape(graph, table);
    List<Dim> xDims = shape(graph, x);
    boolean aligned =
        tableDims.size() == 3
            && tableDims.get(0).equals(xDims.get(0))
            && tableDims.get(1).equals(xDims.get(2))
            && tableDims.get(2).equals(xDims.get(3));
    return aligned ? Optional.of(table) : Optional.empty();
  }

  /** Whether {@code axis} names x's last axis. */
  private static boolean lastAxis(long axis, String x, Graph graph) {
    int rank = shape(graph, x).size();
    return axis == -1 || axis == rank - 1;
  }

  /** The integer constant of one element named {@code value}. */
  private static Optional<Long> single(Graph graph, String value) {
    return constant(graph, value)
        .filter(t -> t.dtype().isInteger() && t.size() == 1)
        .map(t -> t.getLong(0));
  }

  /**
   * How the half-width tables RotaryEmbedding reads are had from a full-width table whose halves
   * are equal: {@code Cos(Concat(f, f))} is {@code Cos(f)} (a node computing only the half), {@code
   * Concat(t, t)} is {@code t}.
   */
  record Half(String value, Optional<Node> node) {}

  /** The half of {@code table}, or empty where its halves cannot be shown equal. */
  static Optional<Half> half(String table, Map<String, Node> producers, Graph graph) {
    Node producer = producers.get(table);
    if (producer == null) {
      return Optional.empty();
    }
    Optional<String> doubled = doubled(producer, graph);
    if (doubled.isPresent()) {
      return Optional.of(new Half(doubled.get(), Optional.empty()));
    }
    boolean angle = is(producer, "Cos") || is(producer, "Sin");
    Optional<String> angles =
        angle
            ? Optional.ofNullable(producers.get(producer.inputs().getFirst()))
                .flatMap(n -> doubled(n, graph))
            : Optional.empty();
    return angles.map(
        f ->
            new Half(
                table + "/half",
                Optional.of(
                    new Node(
                        producer.name() + "/half",
                        "",
                        producer.opType(),
                        List.of(f),
                        List.of(table + "/half"),
                        producer.attributes()))));
  }

  /** The t of {@code Concat(t, t)} on the last axis. */
  private static Optional<String> doubled(Node node, Graph graph) {
    if (!is(node, "Concat")
        || node.inputs().size() != 2
        || !node.inputs().get(0).equals(node.inputs().get(1))) {
      return Optional.empty();
    }
    String t = node.inputs().getFirst();
    return lastAxis(node.attributes().getInt("axis", 0), t, graph)
        ? Optional.of(t)
        : Optional.empty();
  }
}
