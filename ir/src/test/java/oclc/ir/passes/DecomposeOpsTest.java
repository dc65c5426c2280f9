package oclc.ir.passes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import oclc.ir.Attribute;
import oclc.ir.Attributes;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.Graph;
import oclc.ir.Node;
import oclc.ir.Shape;
import oclc.ir.Tensor;
import oclc.ir.TensorType;
import oclc.ir.ValueInfo;
import oclc.ir.exec.Comparison;
import oclc.ir.exec.ReferenceExecutor;
import oclc.ir.ops.MicrosoftOps;
import org.junit.jupiter.api.Test;

/**
 * decompose-ops: a com.microsoft node becomes default-domain nodes that the reference executor
 * evaluates to what the node's own reference evaluation gives.
 */
class DecomposeOpsTest {
  private static final Dim BATCH = Dim.symbol("batch");
  private static final Dim SEQ = Dim.symbol("seq");

  @Test
  void biasAddBecomesTwoAddsThatComputeIt() {
    Graph graph = biasAdd();
    Graph typed = new InferAndFold().apply(graph);
    Graph decomposed = new DecomposeOps().apply(typed);
    GraphVerifier.verify(decomposed, "after decompose-ops");
    assertEquals(
        List.of("Add", "Add"), decomposed.nodes().stream().map(Node::qualifiedOpType).toList());
    assertEquals("y", decomposed.nodes().getLast().outputs().getFirst());
    Random random = new Random(7);
    for (long[] shape : new long[][] {{1, 1, 4}, {2, 5, 4}}) {
      Map<String, Tensor> inputs =
          Map.of(
              "x", gaussian(random, shape),
              "bias", gaussian(random, 4),
              "skip", gaussian(random, shape));
      Tensor expected = new ReferenceExecutor().run(typed, inputs).get("y");
      Tensor actual = new ReferenceExecutor().run(decomposed, inputs).get("y");
      var mismatch = Comparison.allClose(expected, actual, 1e-6, 1e-6);
      assertTrue(mismatch.isEmpty(), mismatch.orElse(""));
    }
  }

  @Test
  void theStandardPassesLeaveNoMicrosoftNode() {
    Graph lowered = Passes.runStandard(biasAdd());
    assertTrue(lowered.nodes().stream().noneMatch(n -> n.domain().equals(MicrosoftOps.DOMAIN)));
  }

  private static final int HIDDEN = 8;

  /**
   * EmbedLayerNormalization in each of its forms: with segments, a mask and position_ids of every
   * batch; with broadcast position_ids; with neither, positions counted and mask_index zeros.
   */
  @Test
  void embedLayerNormalizationDecomposesToWhatItComputes() {
    Random random = new Random(5);
    Shape tokens = Shape.of(BATCH, SEQ);
    for (int form = 0; form < 3; form++) {
      boolean full = form == 0;
      List<ValueInfo> inputs = new java.util.ArrayList<>();
      inputs.add(ids("input_ids", tokens));
      if (full) {
        inputs.add(ids("segment_ids", tokens));
      }
      inputs.add(value("word", Shape.of(20, HIDDEN)));
      inputs.add(value("position", Shape.of(9, HIDDEN)));
      if (full) {
        inputs.add(value("segment", Shape.of(3, HIDDEN)));
        inputs.add(ids("mask", tokens));
      }
      inputs.add(value("gamma", Shape.of(HIDDEN)));
      inputs.add(value("beta", Shape.of(HIDDEN)));
      if (form < 2) {
        inputs.add(ids("position_ids", full ? tokens : Shape.of(Dim.of(1), SEQ)));
      }
      List<String> nodeInputs =
          List.of(
              "input_ids",
              full ? "segment_ids" : "",
              "word",
              "position",
              full ? "segment" : "",
              "gamma",
              "beta",
              full ? "mask" : "",
              form < 2 ? "position_ids" : "");
      Graph graph =
          oneNode(
              "EmbedLayerNormalization",
              inputs,
              nodeInputs,
              List.of("y", "mask_index", "sum"),
              new Attributes(Map.of("epsilon", new Attribute.FloatValue(1e-5f))));
      for (long[] shape : new long[][] {{1, 1}, {2, 5}, {3, 9}}) {
        Map<String, Tensor> feeds = new java.util.HashMap<>();
        feeds.put("input_ids", integers(random, 20, shape));
        feeds.put("word", gaussian(random, 20, HIDDEN));
        feeds.put("position", gaussian(random, 9, HIDDEN));
        feeds.put("gamma", gaussian(random, HIDDEN));
        feeds.put("beta", gaussian(random, HIDDEN));
        if (full) {
          feeds.put("segment_ids", integers(random, 3, shape));
          feeds.put("segment", gaussian(random, 3, HIDDEN));
          feeds.put("mask", integers(random, 2, shape));
        }
        if (form < 2) {
          feeds.put("position_ids", integers(random, 9, full ? shape : new long[] {1, shape[1]}));
        }
        assertDecompositionComputesTheNode(graph, feeds);
      }
    }
  }

  /** mask_index counts the ones of each row; the count of a row of zeros and ones by hand. */
  @Test
  void embedLayerNormalizationCountsTheOnesOfTheMask() {
    Graph graph =
        oneNode(
            "EmbedLayerNormalization",
            List.of(
                ids("input_ids", Shape.of(BATCH, SEQ)),
                value("word", Shape.of(4, HIDDEN)),
                value("position", Shape.of(4, HIDDEN)),
                value("gamma", Shape.of(HIDDEN)),
                value("beta", Shape.of(HIDDEN)),
                ids("mask", Shape.of(BATCH, SEQ))),
            List.of("input_ids", "", "word", "position", "", "gamma", "beta", "mask"),
            List.of("y", "mask_index"),
            Attributes.NONE);
    Random random = new Random(6);
    Map<String, Tensor> feeds =
        Map.of(
            "input_ids", integers(random, 4, 2, 4),
            "word", gaussian(random, 4, HIDDEN),
            "position", gaussian(random, 4, HIDDEN),
            "gamma", gaussian(random, HIDDEN),
            "beta", gaussian(random, HIDDEN),
            "mask", Tensor.ofLongs(DType.INT32, new long[] {2, 4}, 1, 1, 0, 1, 0, 0, 0, 0));
    Graph decomposed = new DecomposeOps().apply(new InferAndFold().apply(graph));
    Tensor counts = new ReferenceExecutor().run(decomposed, feeds).get("mask_index");
    assertEquals(List.of(3L, 0L), java.util.Arrays.stream(counts.toLongArray()).boxed().toList());
  }

  /**
   * SkipLayerNormalization with every output, the mean and inverse deviation among them (ONNX
   * Runtime's CPU kernel leaves those two unwritten, so this is their check), skip broadcast.
   */
  @Test
  void skipLayerNormalizationDecomposesWithItsStatistics() {
    Random random = new Random(8);
    for (boolean broadcastSkip : new boolean[] {false, true}) {
      Shape rows = Shape.of(BATCH, SEQ, Dim.of(HIDDEN));
      Graph graph =
          oneNode(
              "SkipLayerNormalization",
              List.of(
                  value("x", rows),
                  value("skip", broadcastSkip ? Shape.of(SEQ, Dim.of(HIDDEN)) : rows),
                  value("gamma", Shape.of(HIDDEN)),
                  value("beta", Shape.of(HIDDEN)),
                  value("bias", Shape.of(HIDDEN))),
              List.of("x", "skip", "gamma", "beta", "bias"),
              List.of("y", "mean", "inverse_deviation", "sum"),
              Attributes.NONE);
      for (long[] shape : new long[][] {{1, 1}, {2, 5}}) {
        Map<String, Tensor> feeds =
            Map.of(
                "x", gaussian(random, shape[0], shape[1], HIDDEN),
                "skip",
                    broadcastSkip
                        ? gaussian(random, shape[1], HIDDEN)
                        : gaussian(random, shape[0], shape[1], HIDDEN),
                "gamma", gaussian(random, HIDDEN),
                "beta", gaussian(random, HIDDEN),
                "bias", gaussian(random, HIDDEN));
        assertDecompositionComputesTheNode(graph, feeds);
      }
    }
  }

  /** FastGelu and BiasGelu with a bias, FastGelu, Gelu and QuickGelu (two alphas) without. */
  @Test
  void geluFormsDecomposeToWhatTheyCompute() {
    Random random = new Random(9);
    Shape rows = Shape.of(BATCH, SEQ, Dim.of(HIDDEN));
    Attributes alpha = new Attributes(Map.of("alpha", new Attribute.FloatValue(0.8f)));
    record Form(String opType, boolean biased, Attributes attributes) {}
    for (Form form :
        List.of(
            new Form("FastGelu", true, Attributes.NONE),
            new Form("FastGelu", false, Attributes.NONE),
            new Form("BiasGelu", true, Attributes.NONE),
            new Form("Gelu", false, Attributes.NONE),
            new Form("QuickGelu", false, Attributes.NONE),
            new Form("QuickGelu", false, alpha))) {
      List<ValueInfo> inputs =
          form.biased()
              ? List.of(value("x", rows), value("bias", Shape.of(HIDDEN)))
              : List.of(value("x", rows));
      Graph graph =
          oneNode(
              form.opType(),
              inputs,
              inputs.stream().map(ValueInfo::name).toList(),
              List.of("y"),
              form.attributes());
      Map<String, Tensor> feeds = new java.util.HashMap<>();
      feeds.put("x", gaussian(random, 2, 3, HIDDEN));
      if (form.biased()) {
        feeds.put("bias", gaussian(random, HIDDEN));
      }
      assertDecompositionComputesTheNode(graph, feeds);
    }
  }

  /** SkipSimplifiedLayerNormalization with a bias and the sum, skip broadcast over the batch. */
  @Test
  void skipSimplifiedLayerNormalizationDecomposesToWhatItComputes() {
    Random random = new Random(10);
    Shape rows = Shape.of(BATCH, SEQ, Dim.of(HIDDEN));
    Graph graph =
        oneNode(
            "SkipSimplifiedLayerNormalization",
            List.of(
                value("x", rows),
                value("skip", Shape.of(Dim.of(1), SEQ, Dim.of(HIDDEN))),
                value("gamma", Shape.of(HIDDEN)),
                value("bias", Shape.of(HIDDEN))),
            List.of("x", "skip", "gamma", "bias"),
            List.of("y", "", "", "sum"),
            new Attributes(Map.of("epsilon", new Attribute.FloatValue(1e-5f))));
    assertDecompositionComputesTheNode(
        graph,
        Map.of(
            "x", gaussian(random, 2, 5, HIDDEN),
            "skip", gaussian(random, 1, 5, HIDDEN),
            "gamma", gaussian(random, HIDDEN),
            "bias", gaussian(random, HIDDEN)));
  }

  /**
   * SimplifiedLayerNormalization of either domain becomes RMSNormalization; asked for its inverse
   * deviation, which RMSNormalization lacks, it stays.
   */
  @Test
  void simplifiedLayerNormalizationBecomesRmsNormalization() {
    Random random = new Random(12);
    Shape rows = Shape.of(BATCH, Dim.of(3), Dim.of(HIDDEN));
    for (String domain : List.of("", MicrosoftOps.DOMAIN)) {
      Graph graph =
          withDomain(
              oneNode(
                  "SimplifiedLayerNormalization",
                  List.of(value("x", rows), value("scale", Shape.of(3, HIDDEN))),
                  List.of("x", "scale"),
                  List.of("y"),
                  new Attributes(Map.of("axis", new Attribute.IntValue(1)))),
              domain);
      assertDecompositionComputesTheNode(
          graph, Map.of("x", gaussian(random, 2, 3, HIDDEN), "scale", gaussian(random, 3, HIDDEN)));
      Graph withStatistics =
          withDomain(
              oneNode(
                  "SimplifiedLayerNormalization",
                  List.of(value("x", rows), value("scale", Shape.of(HIDDEN))),
                  List.of("x", "scale"),
                  List.of("y", "inverse_deviation"),
                  Attributes.NONE),
              domain);
      Graph typed = new InferAndFold().apply(withStatistics);
      assertEquals(typed.nodes(), new DecomposeOps().apply(typed).nodes());
    }
  }

  private static Graph withDomain(Graph graph, String domain) {
    Node node = graph.nodes().getFirst();
    return graph.with(
        List.of(
            new Node(
                node.name(),
                domain,
                node.opType(),
                node.inputs(),
                node.outputs(),
                node.attributes())),
        graph.constants(),
        graph.valueTypes(),
        graph.assertions());
  }

  /**
   * Every output of the graph's one node, by its own reference evaluation and by the reference
   * evaluation of its decomposition, which leaves no com.microsoft node.
   */
  private static void assertDecompositionComputesTheNode(Graph graph, Map<String, Tensor> feeds) {
    Graph typed = new InferAndFold().apply(graph);
    Graph decomposed = new DecomposeOps().apply(typed);
    GraphVerifier.verify(decomposed, "after decompose-ops");
    assertTrue(
        decomposed.nodes().stream()
            .noneMatch(
                n -> n.domain().equals(MicrosoftOps.DOMAIN) || n.opType().contains("Simplified")));
    Map<String, Tensor> expected = new ReferenceExecutor().run(typed, feeds);
    Map<String, Tensor> actual = new ReferenceExecutor().run(decomposed, feeds);
    for (ValueInfo output : graph.outputs()) {
      var mismatch =
          Comparison.allClose(expected.get(output.name()), actual.get(output.name()), 1e-5, 1e-5);
      assertTrue(mismatch.isEmpty(), output.name() + ": " + mismatch.orElse(""));
    }
  }

  private static Graph oneNode(
      String opType,
      List<ValueInfo> inputs,
      List<String> nodeInputs,
      List<String> outputs,
      Attributes attributes) {
    return new Graph(
        opType,
        inputs,
        outputs.stream().filter(o -> !o.isEmpty()).map(o -> value(o, Shape.scalar())).toList(),
        List.of(
            new Node(opType + "_0", MicrosoftOps.DOMAIN, opType, nodeInputs, outputs, attributes)),
        Map.of(),
        Map.of(),
        List.of(),
        Map.of("", 17L, MicrosoftOps.DOMAIN, 1L));
  }

  private static ValueInfo ids(String name, Shape shape) {
    return new ValueInfo(name, new TensorType(DType.INT32, shape));
  }

  private static Tensor integers(Random random, int bound, long... shape) {
    Tensor t = Tensor.allocate(DType.INT32, shape);
    for (int i = 0; i < t.size(); i++) {
      t.setLong(i, random.nextInt(bound));
    }
    return t;
  }

  private static Graph biasAdd() {
    Shape rows = Shape.of(BATCH, SEQ, Dim.of(4));
    return new Graph(
        "bias_add",
        List.of(value("x", rows), value("bias", Shape.of(Dim.of(4))), value("skip", rows)),
        List.of(value("y", Shape.scalar())),
        List.of(
            new Node(
                "BiasAdd_0",
                MicrosoftOps.DOMAIN,
                "BiasAdd",
                List.of("x", "bias", "skip"),
                List.of("y"),
                Attributes.NONE)),
        Map.of(),
        Map.of(),
        List.of(),
        Map.of("", 17L, MicrosoftOps.DOMAIN, 1L));
  }

  private static ValueInfo value(String name, Shape shape) {
    return new ValueInfo(name, new TensorType(DType.FLOAT32, shape));
  }

  private static Tensor gaussian(Random random, long... shape) {
    Tensor t = Tensor.allocate(DType.FLOAT32, shape);
    for (int i = 0; i < t.size(); i++) {
      t.setFloat(i, (float) random.nextGaussian());
    }
    return t;
  }
}
