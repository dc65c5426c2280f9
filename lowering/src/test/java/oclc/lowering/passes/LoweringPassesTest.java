package oclc.lowering.passes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import oclc.ir.Attribute;
import oclc.ir.Attributes;
import oclc.ir.Constant;
import oclc.ir.Dim;
import oclc.ir.Graph;
import oclc.ir.Node;
import oclc.ir.Tensor;
import oclc.ir.ValueInfo;
import oclc.ir.exec.Comparison;
import oclc.ir.exec.ReferenceExecutor;
import oclc.ir.passes.Passes;
import oclc.lowering.KvCacheAppend;
import oclc.lowering.SizeRanges;
import org.junit.jupiter.api.Test;

/**
 * The lowering passes on small graphs: each one's text before and after against golden files, the
 * graph after it still computing what it did on the reference executor, and the list in order.
 */
class LoweringPassesTest {
  private static final Path GOLDEN = Path.of("src", "test", "resources", "passes");
  private static final Dim B = Dim.symbol("batch");
  private static final Dim S = Dim.symbol("sequence");
  private static final Dim P = Dim.symbol("past");
  private static final Attributes LAST_AXIS =
      new Attributes(Map.of("axes", new Attribute.Ints(new long[] {-1})));

  @Test
  void theListIsTheStandardPassesThenTheLoweringOnes() {
    assertEquals(
        List.of(
            "import",
            "quantized-matmuls",
            "infer-and-fold",
            "decompose-ops",
            "decompose-attention",
            "fold-repeated-kv",
            "eliminate-dead-code",
            "fuse-decomposed-norms",
            "fuse-decomposed-rotary",
            "kv-cache-append",
            "fusion-groups"),
        LoweringPasses.names());
  }

  @Test
  void decomposedLayerNormAndRmsNormBecomeOneNodeEachThatComputesTheSame() {
    Map<String, Constant> constants = new LinkedHashMap<>();
    constants.put("two", Constant.scalar(2f));
    constants.put("one", Constant.scalar(1f));
    constants.put("eps", Constant.scalar(1e-5f));
    constants.put("gamma", row(3));
    constants.put("beta", row(5));
    constants.put("weight", row(7));
    List<Node> nodes =
        List.of(
            // LayerNorm as the exporter writes it before opset 17
            new Node("ln/mean", "", "ReduceMean", List.of("x"), List.of("m"), LAST_AXIS),
            Node.of("ln/sub", "Sub", "x", "m", "d"),
            Node.of("ln/pow", "Pow", "d", "two", "p"),
            new Node("ln/variance", "", "ReduceMean", List.of("p"), List.of("v"), LAST_AXIS),
            Node.of("ln/plus_eps", "Add", "v", "eps", "e"),
            Node.of("ln/sqrt", "Sqrt", "e", "s"),
            Node.of("ln/div", "Div", "d", "s", "n"),
            Node.of("ln/scale", "Mul", "n", "gamma", "g"),
            Node.of("ln/shift", "Add", "g", "beta", "h"),
            // RMSNorm as Llama exports write it: x · (1 / sqrt(mean(x²) + eps)) · weight
            Node.of("rms/pow", "Pow", "h", "two", "rp"),
            new Node("rms/mean", "", "ReduceMean", List.of("rp"), List.of("rm"), LAST_AXIS),
            Node.of("rms/add", "Add", "rm", "eps", "ra"),
            Node.of("rms/sqrt", "Sqrt", "ra", "rs"),
            Node.of("rms/div", "Div", "one", "rs", "ri"),
            Node.of("rms/mul", "Mul", "h", "ri", "rn"),
            Node.of("rms/mul_1", "Mul", "weight", "rn", "y"));
    Graph before =
        standard(
            List.of(ValueInfo.float32("x", B, S, Dim.of(8))),
            List.of(ValueInfo.float32("y", B, S, Dim.of(8))),
            nodes,
            constants);
    Graph after =
        PassGolden.check(
            GOLDEN,
            FuseDecomposedNorms.NAME,
            new FuseDecomposedNorms(LoweringOptions.of(true, ranges(before))),
            before);
    assertEquals(
        List.of("LayerNormalization", "RMSNormalization"),
        after.nodes().stream().map(Node::opType).toList());
    assertSameResults(before, after, Map.of("x", random(2, 3, 8)));

    Graph unfused =
        new FuseDecomposedNorms(LoweringOptions.of(false, ranges(before))).apply(before);
    assertEquals(before, unfused, "--no-fuse keeps the nodes");
  }

  @Test
  void aNormWithAnInnerValueReadOutsideOrAUserKernelStaysAsItIs() {
    Map<String, Constant> constants = new LinkedHashMap<>();
    constants.put("two", Constant.scalar(2f));
    constants.put("one", Constant.scalar(1f));
    constants.put("eps", Constant.scalar(1e-5f));
    constants.put("weight", row(7));
    List<Node> nodes =
        List.of(
            Node.of("rms/pow", "Pow", "x", "two", "rp"),
            new Node("rms/mean", "", "ReduceMean", List.of("rp"), List.of("rm"), LAST_AXIS),
            Node.of("rms/add", "Add", "rm", "eps", "ra"),
            Node.of("rms/sqrt", "Sqrt", "ra", "rs"),
            Node.of("rms/div", "Div", "one", "rs", "ri"),
            Node.of("rms/mul", "Mul", "x", "ri", "rn"),
            Node.of("rms/mul_1", "Mul", "weight", "rn", "y"));
    Graph exposed =
        standard(
            List.of(ValueInfo.float32("x", B, Dim.of(8))),
            List.of(ValueInfo.float32("y", B, Dim.of(8)), ValueInfo.float32("rm", B, Dim.of(1))),
            nodes,
            constants);
    assertEquals(
        exposed, new FuseDecomposedNorms(LoweringOptions.of(true, ranges(exposed))).apply(exposed));
    Graph whole =
        standard(
            List.of(ValueInfo.float32("x", B, Dim.of(8))),
            List.of(ValueInfo.float32("y", B, Dim.of(8))),
            nodes,
            constants);
    LoweringOptions userSqrt =
        new LoweringOptions(
            true, ranges(whole), n -> n.opType().equals("Sqrt"), java.util.Optional.empty());
    assertEquals(whole, new FuseDecomposedNorms(userSqrt).apply(whole));
    assertEquals(
        1,
        new FuseDecomposedNorms(LoweringOptions.of(true, ranges(whole)))
            .apply(whole)
            .nodes()
            .size());
  }

  @Test
  void aConcatOfThePastAndTheNewKeysIsMarkedAnAppendWithTheRangesCapacity() {
    // present = Concat(past, k) along the positions; the scores read it through MatMul.
    List<Node> nodes =
        List.of(
            new Node(
                "concat",
                "",
                "Concat",
                List.of("past", "k"),
                List.of("present"),
                new Attributes(Map.of("axis", new Attribute.IntValue(1)))),
            new Node(
                "keys_t",
                "",
                "Transpose",
                List.of("present"),
                List.of("kt"),
                new Attributes(Map.of("perm", new Attribute.Ints(new long[] {0, 2, 1})))),
            Node.of("scores", "MatMul", "q", "kt", "scores"));
    Graph before =
        standard(
            List.of(
                ValueInfo.float32("past", B, P, Dim.of(4)),
                ValueInfo.float32("k", B, S, Dim.of(4)),
                ValueInfo.float32("q", B, S, Dim.of(4))),
            List.of(
                ValueInfo.float32("present", B, P.plus(S), Dim.of(4)),
                ValueInfo.float32("scores", B, S, P.plus(S))),
            nodes,
            Map.of());
    SizeRanges ranges =
        SizeRanges.forGraph(
            before,
            Map.of(
                "batch", new SizeRanges.Interval(1, 2),
                "sequence", new SizeRanges.Interval(1, 4),
                "past", new SizeRanges.Interval(0, 12)),
            Map.of(),
            true);
    Graph after =
        PassGolden.check(
            GOLDEN,
            AppendKvCaches.NAME,
            new AppendKvCaches(LoweringOptions.of(true, ranges)),
            before);
    assertEquals(
        Map.of("present", new KvCacheAppend.Cache("present", "past", 1, 16)),
        KvCacheAppend.recorded(after));
    assertTrue(KvCacheAppend.recorded(before).isEmpty());
    assertSameResults(
        before, after, Map.of("past", random(2, 3, 4), "k", random(2, 2, 4), "q", random(2, 2, 4)));
  }

  @Test
  void aStackedPastReadThroughATransposeIsMarkedAnAppendAndAGatheredOneIsNot() {
    // ONNX Runtime's layout: keys and values stacked [2, batch, heads, past, head], appended
    // along axis 3; com.microsoft Attention reads the present through one Transpose (Kᵀ and Vᵀ
    // then gathered).
    Dim two = Dim.of(2);
    Dim heads = Dim.of(2);
    Dim head = Dim.of(4);
    List<ValueInfo> inputs =
        List.of(
            ValueInfo.float32("past", two, B, heads, P, head),
            ValueInfo.float32("new", two, B, heads, S, head),
            ValueInfo.float32("q", B, heads, S, head));
    ValueInfo present = ValueInfo.float32("present", two, B, heads, P.plus(S), head);
    Node append =
        new Node(
            "present",
            "",
            "Concat",
            List.of("past", "new"),
            List.of("present"),
            new Attributes(Map.of("axis", new Attribute.IntValue(3))));
    Constant keysIndex = new Constant.Data(Tensor.scalarLong(0));
    List<Node> transposed =
        List.of(
            append,
            new Node(
                "kv_transposed",
                "",
                "Transpose",
                List.of("present"),
                List.of("kv_t"),
                new Attributes(Map.of("perm", new Attribute.Ints(new long[] {0, 1, 2, 4, 3})))),
            gatherKeys("kv_t", "keys_t"),
            Node.of("scores", "MatMul", "q", "keys_t", "scores"));
    List<ValueInfo> outputs = List.of(present, ValueInfo.float32("scores", B, heads, S, P.plus(S)));
    Graph before = standard(inputs, outputs, transposed, Map.of("keys_index", keysIndex));
    Graph after =
        PassGolden.check(
            GOLDEN,
            AppendKvCaches.NAME + "-stacked",
            new AppendKvCaches(LoweringOptions.of(true, stackedRanges(before))),
            before);
    assertEquals(
        Map.of("present", new KvCacheAppend.Cache("present", "past", 3, 16)),
        KvCacheAppend.recorded(after));
    assertSameResults(
        before,
        after,
        Map.of(
            "past", random(2, 1, 2, 3, 4), "new", random(2, 1, 2, 2, 4), "q", random(1, 2, 2, 4)));

    // The keys gathered from the present itself: a Gather reads its data densely, so no append.
    List<Node> gathered =
        List.of(
            append,
            gatherKeys("present", "keys"),
            new Node(
                "keys_transposed",
                "",
                "Transpose",
                List.of("keys"),
                List.of("keys_t"),
                new Attributes(Map.of("perm", new Attribute.Ints(new long[] {0, 1, 3, 2})))),
            Node.of("scores", "MatMul", "q", "keys_t", "scores"));
    Graph dense = standard(inputs, outputs, gathered, Map.of("keys_index", keysIndex));
    assertTrue(KvCacheAppend.find(dense, stackedRanges(dense)).isEmpty());
  }

  private static Node gatherKeys(String stack, String keys) {
    return new Node(
        keys,
        "",
        "Gather",
        List.of(stack, "keys_index"),
        List.of(keys),
        new Attributes(Map.of("axis", new Attribute.IntValue(0))));
  }

  private static SizeRanges stackedRanges(Graph graph) {
    return SizeRanges.forGraph(
        graph,
        Map.of(
            "batch", new SizeRanges.Interval(1, 1),
            "sequence", new SizeRanges.Interval(1, 4),
            "past", new SizeRanges.Interval(0, 12)),
        Map.of(),
        true);
  }

  private static void assertSameResults(Graph before, Graph after, Map<String, Tensor> inputs) {
    ReferenceExecutor executor = new ReferenceExecutor();
    Map<String, Tensor> expected = executor.run(before, inputs);
    Map<String, Tensor> actual = executor.run(after, inputs);
    for (ValueInfo out : before.outputs()) {
      double error = Comparison.relativeL2(expected.get(out.name()), actual.get(out.name()));
      assertTrue(error < 1e-6, out.name() + ": relative L2 error " + error);
    }
  }

  private static SizeRanges ranges(Graph graph) {
    return SizeRanges.forGraph(graph, Map.of(), Map.of(), false);
  }

  private static Graph standard(
      List<ValueInfo> inputs,
      List<ValueInfo> outputs,
      List<Node> nodes,
      Map<String, Constant> constants) {
    return Passes.runStandard(
        new Graph(
            "passes", inputs, outputs, nodes, constants, Map.of(), List.of(), Map.of("", 17L)));
  }

  /** Eight float32 values in [0.5, 2.5), seeded: a norm's weight or shift. */
  private static Constant row(long seed) {
    Random random = new Random(seed);
    float[] values = new float[8];
    for (int i = 0; i < values.length; i++) {
      values[i] = random.nextFloat() * 2 + 0.5f;
    }
    return new Constant.Data(Tensor.ofFloats(new long[] {values.length}, values));
  }

  /** A float32 input of {@code shape} in [-2, 2), seeded by the shape. */
  private static Tensor random(long... shape) {
    Random random = new Random(java.util.Arrays.hashCode(shape));
    float[] values = new float[Tensor.elementCount(shape)];
    for (int i = 0; i < values.length; i++) {
      values[i] = random.nextFloat() * 4 - 2;
    }
    return Tensor.ofFloats(shape, values);
  }
}
