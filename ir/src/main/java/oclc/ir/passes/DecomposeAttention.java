package oclc.ir.passes;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import oclc.ir.Attributes;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.Graph;
import oclc.ir.Node;
import oclc.ir.Shape;
import oclc.ir.Tensor;
import oclc.ir.TensorType;

/**
 * Rewrites each ONNX {@code Attention} node into the ops it is made of, so that a backend without
 * an attention kernel computes it from MatMul, Transpose, Reshape, Concat, Softmax and elementwise
 * kernels. The decomposition follows the reference ({@code AttentionOp}) step by step:
 *
 * <pre>
 *   present = Concat(past, K)                       [batch, kv heads, total, head]
 *   s       = (Q · presentᵀ) · scale                grouped-query heads: Q's groups folded into its rows
 *   s       = softcap · tanh(s / softcap)           softcap > 0
 *   bias    = mask (bool: 0 or −∞; shorter than total: −∞ after it), −∞ above the causal diagonal
 *   p       = Softmax(s + bias), 0 on rows whose every score is −∞
 *   Y       = p · present_value
 * </pre>
 *
 * Opset 24's {@code nonpad_kv_seqlen} adds −∞ beyond each batch's valid keys and, without a past,
 * ends the causal diagonal at them. A node is left as it is where the rewrite could not reproduce
 * the reference exactly or needs what is not known at compile time: element types other than
 * float32/float64/float16/bfloat16, head counts or head sizes that are not static, a causal mask,
 * key lengths, or a mask of a length other than the keys' over symbolic lengths, a mask that does
 * not broadcast to the scores, only one of the past key and value. The graph is typed again (by
 * {@link InferAndFold}) after a rewrite, so that the new nodes are typed and what is constant among
 * them is folded.
 */
public final class DecomposeAttention implements Pass {

  @Override
  public String name() {
    return "decompose-attention";
  }

  @Override
  public Graph apply(Graph graph) {
    if (graph.nodes().stream().noneMatch(DecomposeAttention::isAttention)) {
      return graph;
    }
    GraphRewriter rewriter = new GraphRewriter(graph);
    List<Node> nodes = new ArrayList<>();
    boolean changed = false;
    for (Node node : graph.nodes()) {
      Optional<List<Node>> replacement =
          isAttention(node)
              ? Shapes.of(graph, node)
                  .map(shapes -> decompose(rewriter.replacing(node), node, shapes))
              : Optional.empty();
      if (replacement.isPresent()) {
        nodes.addAll(replacement.get());
        changed = true;
      } else {
        nodes.add(node);
      }
    }
    if (!changed) {
      return graph;
    }
    Graph rewritten =
        graph.with(nodes, rewriter.constants(), graph.valueTypes(), graph.assertions());
    return new InferAndFold().apply(rewritten);
  }

  private static boolean isAttention(Node node) {
    return node.opType().equals("Attention")
        && (node.domain().isEmpty() || node.domain().equals("ai.onnx"));
  }

  private static String input(Node node, int index) {
    return index < node.inputs().size() ? node.inputs().get(index) : "";
  }

  private static String output(Node node, int index) {
    return index < node.outputs().size() ? node.outputs().get(index) : "";
  }

  /**
   * What the rewrite needs to know of one node, present only where it can be rewritten exactly.
   * {@code maskKeys} is the mask's last dim; {@code compute} the type the scores are computed in.
   */
  private record Shapes(
      boolean threeD,
      DType dtype,
      DType compute,
      long qHeads,
      long kvHeads,
      long headSize,
      long valueHeadSize,
      Dim qSeq,
      Dim past,
      Dim total,
      Optional<TensorType> mask,
      boolean keyLengths) {

    long groups() {
      return qHeads / kvHeads;
    }

    /**
     * float16 and bfloat16 are computed in float32, as the reference computes in double and rounds
     * once.
     */
    boolean computeDiffers() {
      return compute != dtype;
    }

    static Optional<Shapes> of(Graph graph, Node node) {
      var a = node.attributes();
      if (a.getInt("qk_matmul_output_mode", 0) < 0 || a.getInt("qk_matmul_output_mode", 0) > 3) {
        return Optional.empty();
      }
      Optional<TensorType> q = type(graph, node, 0);
      Optional<TensorType> k = type(graph, node, 1);
      Optional<TensorType> v = type(graph, node, 2);
      if (q.isEmpty() || k.isEmpty() || v.isEmpty()) {
        return Optional.empty();
      }
      DType dtype = q.get().dtype();
      DType compute =
          switch (dtype) {
            case FLOAT32, FLOAT64 -> dtype;
            case FLOAT16, BFLOAT16 -> DType.FLOAT32;
            default -> null;
          };
      int rank = q.get().rank();
      if (compute == null
          || k.get().dtype() != dtype
          || v.get().dtype() != dtype
          || (rank != 3 && rank != 4)
          || k.get().rank() != rank
          || v.get().rank() != rank) {
        return Optional.empty();
      }
      Shape qs = q.get().shape();
      Shape ks = k.get().shape();
      Shape vs = v.get().shape();
      boolean threeD = rank == 3;
      long qHeads = threeD ? a.getInt("q_num_heads", 0) : constant(qs.dim(1));
      long kvHeads = threeD ? a.getInt("kv_num_heads", 0) : constant(ks.dim(1));
      long qHidden = constant(threeD ? qs.dim(2) : qs.dim(3).times(qHeads));
      long kHidden = constant(threeD ? ks.dim(2) : ks.dim(3).times(kvHeads));
      long vHidden = constant(threeD ? vs.dim(2) : vs.dim(3).times(kvHeads));
      if (qHeads <= 0
          || kvHeads <= 0
          || qHeads % kvHeads != 0
          || qHidden < 0
          || kHidden < 0
          || vHidden < 0
          || qHidden % qHeads != 0
          || kHidden % kvHeads != 0
          || vHidden % kvHeads != 0
          || qHidden / qHeads != kHidden / kvHeads
          || (!threeD && !vs.dim(1).equals(Dim.of(kvHeads)))) {
        return Optional.empty();
      }
      long headSize = kHidden / kvHeads;
      long valueHeadSize = vHidden / kvHeads;
      Dim batch = qs.dim(0);
      Dim qSeq = threeD ? qs.dim(1) : qs.dim(2);
      Dim kvSeq = threeD ? ks.dim(1) : ks.dim(2);
      Dim vSeq = threeD ? vs.dim(1) : vs.dim(2);
      if (!ks.dim(0).equals(batch) || !vs.dim(0).equals(batch) || !vSeq.equals(kvSeq)) {
        return Optional.empty();
      }
      Dim past = Dim.of(0);
      boolean hasPastKey = !input(node, 4).isEmpty();
      if (hasPastKey != !input(node, 5).isEmpty()) {
        return Optional.empty();
      }
      if (hasPastKey) {
        Optional<TensorType> pk = type(graph, node, 4);
        Optional<TensorType> pv = type(graph, node, 5);
        if (pk.isEmpty()
            || pv.isEmpty()
            || pk.get().dtype() != dtype
            || pv.get().dtype() != dtype) {
          return Optional.empty();
        }
        past = pk.get().shape().dim(2);
        if (!pk.get().shape().equals(Shape.of(batch, Dim.of(kvHeads), past, Dim.of(headSize)))
            || !pv.get()
                .shape()
                .equals(Shape.of(batch, Dim.of(kvHeads), past, Dim.of(valueHeadSize)))) {
          return Optional.empty();
        }
      }
      Dim total = past.plus(kvSeq);
      if (a.getInt("is_causal", 0) != 0
          && (!qSeq.isConstant() || !past.isConstant() || !total.isConstant())) {
        return Optional.empty();
      }
      boolean keyLengths = !input(node, 6).isEmpty();
      if (keyLengths) {
        Optional<TensorType> lengths = type(graph, node, 6);
        if (lengths.isEmpty()
            || lengths.get().dtype() != DType.INT64
            || !lengths.get().shape().equals(Shape.of(batch))
            || !qSeq.isConstant()
            || !total.isConstant()) {
          return Optional.empty();
        }
      }
      Optional<TensorType> mask = Optional.empty();
      if (!input(node, 3).isEmpty()) {
        mask = type(graph, node, 3);
        Shape scores = Shape.of(batch, Dim.of(qHeads), qSeq, total);
        if (mask.isEmpty()
            || !(mask.get().dtype() == DType.BOOL || mask.get().dtype() == dtype)
            || !broadcastsTo(mask.get().shape(), scores)) {
          return Optional.empty();
        }
      }
      return Optional.of(
          new Shapes(
              threeD,
              dtype,
              compute,
              qHeads,
              kvHeads,
              headSize,
              valueHeadSize,
              qSeq,
              past,
              total,
              mask,
              keyLengths));
    }

    private static Optional<TensorType> type(Graph graph, Node node, int index) {
      return graph.type(input(node, index));
    }

    private static long constant(Dim d) {
      return d.isConstant() ? d.constant() : -1;
    }

    /**
     * Whether the mask broadcasts to the scores, its last dim aside: that one is cut or padded to
     * the keys, which needs both lengths known where they differ.
     */
    private static boolean broadcastsTo(Shape mask, Shape scores) {
      int rank = mask.rank();
      if (rank < 1 || rank > 4) {
        return false;
      }
      for (int i = 0; i < rank - 1; i++) {
        Dim m = mask.dim(i);
        if (!m.equals(Dim.of(1)) && !m.equals(scores.dim(4 - rank + i))) {
          return false;
        }
      }
      Dim keys = mask.dim(rank - 1);
      return keys.equals(scores.dim(3)) || (keys.isConstant() && scores.dim(3).isConstant());
    }
  }

  private static List<Node> decompose(GraphRewriter.Scope scope, Node node, Shapes shapes) {
    var a = node.attributes();
    boolean causal = a.getInt("is_causal", 0) != 0;
    long mode = a.getInt("qk_matmul_output_mode", 0);
    String qkOutput = output(node, 3);
    boolean hasBias = shapes.mask().isPresent() || causal || shapes.keyLengths();
    long groups = shapes.groups();

    String q = heads(scope, "q", input(node, 0), shapes.qHeads(), shapes);
    String presentKey = present(scope, "key", node, 1, 4, shapes);
    String presentValue = present(scope, "value", node, 2, 5, shapes);
    q = toCompute(scope, "q_compute", q, shapes);
    String key = toCompute(scope, "key_compute", presentKey, shapes);
    String value = toCompute(scope, "value_compute", presentValue, shapes);

    // Grouped-query heads: the q heads sharing a kv head become rows of one product with it.
    String qRows =
        groups > 1
            ? scope.add(
                "q_groups", "Reshape", q, shape(scope, "to_groups", 0, shapes.kvHeads(), -1, 0))
            : q;
    String keyColumns =
        scope.add("key_transposed", "Transpose", GraphRewriter.ints("perm", 0, 1, 3, 2), key);
    String product = scope.add("product", "MatMul", qRows, keyColumns);
    if (groups > 1) {
      product =
          scope.add(
              "product_heads",
              "Reshape",
              product,
              shape(scope, "to_heads", 0, shapes.qHeads(), -1, 0));
    }
    double scale = a.has("scale") ? a.getFloat("scale", 0) : 1 / Math.sqrt(shapes.headSize());
    boolean scoresAreOutput = !shapes.computeDiffers() && (mode <= 1 || (mode == 2 && !hasBias));
    float softcap = a.getFloat("softcap", 0);
    String scores =
        softcap > 0
            ? scope.add("scaled", "Mul", product, scalar(scope, "scale", scale, shapes.compute()))
            : scope.addAs(
                scoresAreOutput ? qkOutput : "",
                "scaled",
                "Mul",
                Attributes.NONE,
                product,
                scalar(scope, "scale", scale, shapes.compute()));
    if (softcap > 0) {
      String cap = scalar(scope, "softcap", softcap, shapes.compute());
      String tanh =
          scope.add("softcap_tanh", "Tanh", scope.add("softcap_divided", "Div", scores, cap));
      scores =
          scope.addAs(
              scoresAreOutput ? qkOutput : "", "softcapped", "Mul", Attributes.NONE, tanh, cap);
    }
    if (mode <= 1 || (mode == 2 && !hasBias)) {
      fromCompute(scope, qkOutput, "qk_output", scores, shapes);
    }

    Optional<String> bias = bias(scope, node, shapes, causal);
    if (bias.isPresent()) {
      boolean biasedIsOutput = mode == 2 && !shapes.computeDiffers();
      scores =
          scope.addAs(
              biasedIsOutput ? qkOutput : "", "biased", "Add", Attributes.NONE, scores, bias.get());
      if (mode == 2) {
        fromCompute(scope, qkOutput, "qk_output", scores, shapes);
      }
    }
    boolean probabilitiesAreOutput = mode == 3 && !shapes.computeDiffers();
    String probabilities;
    if (shapes.mask().isPresent() || shapes.keyLengths()) {
      // A mask can hide every key of a row; the reference gives such a row zeros, Softmax NaN.
      String softmax = scope.add("softmax", "Softmax", GraphRewriter.integer("axis", -1), scores);
      String rowMax =
          scope.add(
              "row_max",
              "ReduceMax",
              GraphRewriter.integer("keepdims", 1),
              scores,
              scope.constant("last_axis", Tensor.ofLongs(new long[] {1}, -1)));
      String empty =
          scope.add("row_empty", "IsInf", GraphRewriter.integer("detect_positive", 0), rowMax);
      probabilities =
          scope.addAs(
              probabilitiesAreOutput ? qkOutput : "",
              "probabilities",
              "Where",
              Attributes.NONE,
              empty,
              scalar(scope, "zero", 0, shapes.compute()),
              softmax);
    } else {
      probabilities =
          scope.addAs(
              probabilitiesAreOutput ? qkOutput : "",
              "probabilities",
              "Softmax",
              GraphRewriter.integer("axis", -1),
              scores);
    }
    if (mode == 3) {
      fromCompute(scope, qkOutput, "qk_output", probabilities, shapes);
    }

    String probabilityRows =
        groups > 1
            ? scope.add(
                "probabilities_groups",
                "Reshape",
                probabilities,
                shape(scope, "to_groups", 0, shapes.kvHeads(), -1, 0))
            : probabilities;
    boolean last = !shapes.threeD() && groups == 1 && !shapes.computeDiffers();
    String y =
        scope.addAs(
            last ? output(node, 0) : "",
            "attended",
            "MatMul",
            Attributes.NONE,
            probabilityRows,
            value);
    if (groups > 1) {
      last = !shapes.threeD() && !shapes.computeDiffers();
      y =
          scope.addAs(
              last ? output(node, 0) : "",
              "attended_heads",
              "Reshape",
              Attributes.NONE,
              y,
              shape(scope, "to_heads", 0, shapes.qHeads(), -1, 0));
    }
    if (shapes.threeD()) {
      String sequenceMajor =
          scope.add("attended_transposed", "Transpose", GraphRewriter.ints("perm", 0, 2, 1, 3), y);
      y =
          scope.addAs(
              shapes.computeDiffers() ? "" : output(node, 0),
              "attended_merged",
              "Reshape",
              Attributes.NONE,
              sequenceMajor,
              shape(scope, "merged", 0, 0, -1));
    }
    fromCompute(scope, output(node, 0), "output", y, shapes);
    return scope.nodes();
  }

  /** A Q, K or V operand as [batch, heads, sequence, head]: 3-D ones split their hidden dim. */
  private static String heads(
      GraphRewriter.Scope scope, String role, String operand, long heads, Shapes shapes) {
    if (!shapes.threeD()) {
      return operand;
    }
    String split =
        scope.add(
            role + "_split", "Reshape", operand, shape(scope, "split_" + heads, 0, 0, heads, -1));
    return scope.add(role + "_heads", "Transpose", GraphRewriter.ints("perm", 0, 2, 1, 3), split);
  }

  /**
   * present_key or present_value: past ++ current along the sequence, written to the node's output
   * if it has one.
   */
  private static String present(
      GraphRewriter.Scope scope, String role, Node node, int current, int past, Shapes shapes) {
    String heads = heads(scope, role, input(node, current), shapes.kvHeads(), shapes);
    String output = output(node, current);
    if (!input(node, past).isEmpty()) {
      return scope.addAs(
          output,
          "present_" + role,
          "Concat",
          GraphRewriter.integer("axis", 2),
          input(node, past),
          heads);
    }
    return output.isEmpty()
        ? heads
        : scope.addAs(output, "present_" + role, "Identity", Attributes.NONE, heads);
  }

  /**
   * The bias added to the scores, absent without a mask and causality: the mask as 0/−∞ (bool) or
   * as it is, cut or padded with −∞ to the keys, then −∞ above the diagonal (replacing the mask).
   */
  private static Optional<String> bias(
      GraphRewriter.Scope scope, Node node, Shapes shapes, boolean causal) {
    Optional<String> bias = Optional.empty();
    if (shapes.mask().isPresent()) {
      TensorType maskType = shapes.mask().get();
      String mask = input(node, 3);
      String additive =
          maskType.dtype() == DType.BOOL
              ? scope.add(
                  "mask_bias",
                  "Where",
                  mask,
                  scalar(scope, "zero", 0, shapes.compute()),
                  scalar(scope, "minus_infinity", Double.NEGATIVE_INFINITY, shapes.compute()))
              : toCompute(scope, "mask_compute", mask, shapes);
      int rank = maskType.rank();
      Dim keys = maskType.shape().dim(rank - 1);
      if (!keys.equals(shapes.total())) {
        long have = keys.constant();
        long want = shapes.total().constant();
        if (have > want) {
          additive =
              scope.add(
                  "mask_cut",
                  "Slice",
                  additive,
                  scope.constant("mask_starts", Tensor.ofLongs(new long[] {1}, 0)),
                  scope.constant("mask_ends", Tensor.ofLongs(new long[] {1}, want)),
                  scope.constant("mask_axes", Tensor.ofLongs(new long[] {1}, rank - 1)));
        } else {
          long[] pads = new long[2 * rank];
          pads[2 * rank - 1] = want - have;
          additive =
              scope.add(
                  "mask_padded",
                  "Pad",
                  additive,
                  scope.constant("mask_pads", Tensor.ofLongs(new long[] {pads.length}, pads)),
                  scalar(scope, "minus_infinity", Double.NEGATIVE_INFINITY, shapes.compute()));
        }
      }
      bias = Optional.of(additive);
    }
    String lengths =
        shapes.keyLengths()
            ? scope.add(
                "key_lengths", "Reshape", input(node, 6), shape(scope, "lengths", -1, 1, 1, 1))
            : "";
    if (causal) {
      long rows = shapes.qSeq().constant();
      long keys = shapes.total().constant();
      long[] shape = {rows, keys};
      String above;
      if (shapes.keyLengths() && input(node, 4).isEmpty()) {
        // Without a past, the diagonal ends at each batch's last valid key: j > i + length − rows.
        long[] distance = new long[(int) (rows * keys)];
        for (int i = 0; i < rows; i++) {
          for (int j = 0; j < keys; j++) {
            distance[(int) (i * keys + j)] = j - i + rows;
          }
        }
        above =
            scope.add(
                "causal",
                "Greater",
                scope.constant("causal_distance", Tensor.ofLongs(shape, distance)),
                lengths);
      } else {
        long offset = shapes.past().constant();
        boolean[] masked = new boolean[(int) (rows * keys)];
        for (int i = 0; i < rows; i++) {
          for (int j = 0; j < keys; j++) {
            masked[(int) (i * keys + j)] = j > i + offset;
          }
        }
        above = scope.constant("causal", Tensor.ofBools(shape, masked));
      }
      String unmasked = bias.orElseGet(() -> scalar(scope, "zero", 0, shapes.compute()));
      bias =
          Optional.of(
              scope.add(
                  "causal_masked",
                  "Where",
                  above,
                  scalar(scope, "minus_infinity", Double.NEGATIVE_INFINITY, shapes.compute()),
                  unmasked));
    }
    if (shapes.keyLengths()) {
      // Keys at or beyond a batch's length add −∞ to what the mask and causality gave.
      long keys = shapes.total().constant();
      long[] index = new long[(int) keys];
      for (int j = 0; j < keys; j++) {
        index[j] = j;
      }
      String beyond =
          scope.add(
              "beyond_length",
              "GreaterOrEqual",
              scope.constant("key_index", Tensor.ofLongs(new long[] {keys}, index)),
              lengths);
      String padding =
          scope.add(
              "length_bias",
              "Where",
              beyond,
              scalar(scope, "minus_infinity", Double.NEGATIVE_INFINITY, shapes.compute()),
              scalar(scope, "zero", 0, shapes.compute()));
      bias =
          Optional.of(
              bias.isEmpty() ? padding : scope.add("length_masked", "Add", bias.get(), padding));
    }
    return bias;
  }

  private static String toCompute(
      GraphRewriter.Scope scope, String role, String value, Shapes shapes) {
    return shapes.computeDiffers()
        ? scope.add(role, "Cast", GraphRewriter.integer("to", shapes.compute().onnxCode()), value)
        : value;
  }

  /** Writes a computed value to a node output of the node's own type, when the types differ. */
  private static void fromCompute(
      GraphRewriter.Scope scope, String output, String role, String value, Shapes shapes) {
    if (shapes.computeDiffers() && !output.isEmpty()) {
      scope.addAs(
          output, role, "Cast", GraphRewriter.integer("to", shapes.dtype().onnxCode()), value);
    }
  }

  private static String shape(GraphRewriter.Scope scope, String role, long... dims) {
    return scope.constant(role + "_shape", Tensor.ofLongs(new long[] {dims.length}, dims));
  }

  private static String scalar(GraphRewriter.Scope scope, String role, double value, DType dtype) {
    return scope.constant(role, Tensor.ofDoubles(dtype, new long[0], value));
  }
}
