package oclc.ir.passes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import oclc.ir.Constant;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.Graph;
import oclc.ir.Node;
import oclc.ir.Tensor;
import oclc.ir.ValueInfo;
import oclc.ir.exec.Comparison;
import oclc.ir.exec.ReferenceExecutor;
import org.junit.jupiter.api.Test;

/**
 * fold-repeated-kv: Hugging Face's repeat_kv before the two attention products (Unsqueeze, Expand,
 * Reshape; a Transpose for the keys) becomes products over the kv heads, each group's query heads
 * folded into rows, computing the same scores and context.
 */
class FoldRepeatedKvTest {
  private static final Dim BATCH = Dim.symbol("batch");
  private static final Dim SEQ = Dim.symbol("seq");

  /** The keys' length (Optimum's exports have past + seq there: the Llama tests run those). */
  private static final Dim TOTAL = Dim.symbol("total");

  private static final long HEADS = 4;
  private static final long KV_HEADS = 2;
  private static final long HEAD = 8;

  /** q · repeat(k)ᵀ → Softmax → · repeat(v); {@code extraReader}: the keys' Expand read again. */
  private static Graph attention(boolean extraReader) {
    List<ValueInfo> inputs =
        List.of(
            ValueInfo.float32("q", BATCH, Dim.of(HEADS), SEQ, Dim.of(HEAD)),
            ValueInfo.float32("k", BATCH, Dim.of(KV_HEADS), TOTAL, Dim.of(HEAD)),
            ValueInfo.float32("v", BATCH, Dim.of(KV_HEADS), TOTAL, Dim.of(HEAD)));
    Map<String, Constant> constants =
        Map.of(
            "axis_2", new Constant.Data(Tensor.ofLongs(new long[] {1}, 2)),
            "repeat", new Constant.Data(Tensor.ofLongs(new long[] {5}, 1, 1, 2, 1, 1)),
            "to_heads", new Constant.Data(Tensor.ofLongs(new long[] {4}, 0, HEADS, -1, HEAD)));
    List<Node> nodes = new ArrayList<>();
    for (String kv : List.of("k", "v")) {
      nodes.add(Node.of(kv + "_unsqueeze", "Unsqueeze", kv, "axis_2", kv + "_1"));
      nodes.add(Node.of(kv + "_expand", "Expand", kv + "_1", "repeat", kv + "_2"));
      nodes.add(Node.of(kv + "_reshape", "Reshape", kv + "_2", "to_heads", kv + "_rep"));
    }
    nodes.add(
        new Node(
            "k_transpose",
            "",
            "Transpose",
            List.of("k_rep"),
            List.of("k_t"),
            GraphRewriter.ints("perm", 0, 1, 3, 2)));
    nodes.add(Node.of("scores", "MatMul", "q", "k_t", "s"));
    nodes.add(
        new Node(
            "softmax",
            "",
            "Softmax",
            List.of("s"),
            List.of("p"),
            GraphRewriter.integer("axis", -1)));
    nodes.add(Node.of("context", "MatMul", "p", "v_rep", "y"));
    List<ValueInfo> outputs = new ArrayList<>(List.of(ValueInfo.float32("y")));
    if (extraReader) {
      nodes.add(Node.of("k_also", "Identity", "k_2", "k_seen"));
      outputs.add(ValueInfo.float32("k_seen"));
    }
    return new Graph(
        "gqa", inputs, outputs, nodes, constants, Map.of(), List.of(), Map.of("", 17L));
  }

  @Test
  void bothProductsRunOverTheKvHeadsAndComputeTheSame() {
    Graph typed = new InferAndFold().apply(attention(false));
    Graph folded = new EliminateDeadCode().apply(new FoldRepeatedKv().apply(typed));
    GraphVerifier.verify(folded, "after fold-repeated-kv");
    assertTrue(
        folded.nodes().stream().noneMatch(n -> n.opType().equals("Expand")),
        "no repeat of the kv heads is left");
    assertEquals(
        "float32[batch, 2, 2 * seq, total]",
        folded.type("scores/grouped_product").orElseThrow().toString());
    assertEquals("float32[batch, 4, seq, 8]", folded.type("y").orElseThrow().toString());
    Random random = new Random(11);
    for (long[] sizes : new long[][] {{1, 1, 1}, {2, 3, 7}, {3, 5, 5}}) {
      long batch = sizes[0];
      long seq = sizes[1];
      long total = sizes[2];
      Map<String, Tensor> feeds =
          Map.of(
              "q", gaussian(random, batch, HEADS, seq, HEAD),
              "k", gaussian(random, batch, KV_HEADS, total, HEAD),
              "v", gaussian(random, batch, KV_HEADS, total, HEAD));
      Tensor expected = new ReferenceExecutor().run(typed, feeds).get("y");
      Tensor actual = new ReferenceExecutor().run(folded, feeds).get("y");
      var mismatch = Comparison.allClose(expected, actual, 1e-6, 1e-6);
      assertTrue(mismatch.isEmpty(), mismatch.orElse(""));
    }
  }

  @Test
  void aRepeatReadByAnotherNodeStaysForItWhileBothProductsFold() {
    Graph typed = new InferAndFold().apply(attention(true));
    Graph folded = new EliminateDeadCode().apply(new FoldRepeatedKv().apply(typed));
    assertTrue(
        folded.nodes().stream().anyMatch(n -> n.name().equals("scores/grouped_product"))
            && folded.nodes().stream().anyMatch(n -> n.name().equals("context/grouped_product")),
        "both products over the kv heads");
    assertEquals(
        List.of("k_expand"),
        folded.nodes().stream().filter(n -> n.opType().equals("Expand")).map(Node::name).toList(),
        "the keys' repeat kept for its other reader, the values' gone");
  }

  @Test
  void aGraphWithoutARepeatIsReturnedUnchanged() {
    Graph typed =
        new InferAndFold()
            .apply(
                new Graph(
                    "plain",
                    List.of(
                        ValueInfo.float32("a", BATCH, Dim.of(2), Dim.of(3)),
                        ValueInfo.float32("b", BATCH, Dim.of(3), Dim.of(2))),
                    List.of(ValueInfo.float32("c")),
                    List.of(Node.of("product", "MatMul", "a", "b", "c")),
                    Map.of(),
                    Map.of(),
                    List.of(),
                    Map.of("", 17L)));
    assertSame(typed, new FoldRepeatedKv().apply(typed));
  }

  private static Tensor gaussian(Random random, long... shape) {
    Tensor t = Tensor.allocate(DType.FLOAT32, shape);
    for (int i = 0; i < t.size(); i++) {
      t.setFloat(i, (float) random.nextGaussian());
    }
    return t;
  }
}
