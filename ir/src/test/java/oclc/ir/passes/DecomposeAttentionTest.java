package oclc.ir.passes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * decompose-attention: the reference executor gives the decomposed graph's outputs for the
 * Attention node's own, on random inputs, for each attribute and input combination; nodes the
 * rewrite cannot reproduce exactly stay; and a small graph before and after the pass is a reviewed
 * golden text (bless: {@code mvn -pl ir test -Dtest=DecomposeAttentionTest -Doclc.bless=true}).
 */
class DecomposeAttentionTest {
  private static final Path GOLDEN =
      Path.of("src", "test", "resources", "golden", "decompose-attention.txt");

  enum Mask {
    NONE,
    BOOL,
    FLOAT
  }

  /** One Attention node's configuration; {@code maskKeys} 0 means as long as the keys. */
  record Case(
      String name,
      boolean threeD,
      long qHeads,
      long kvHeads,
      long qSeq,
      long kvSeq,
      long past,
      long headSize,
      long valueHeadSize,
      Mask mask,
      int maskRank,
      long maskKeys,
      boolean causal,
      float softcap,
      Float scale,
      long mode,
      boolean qkOutput,
      DType dtype,
      boolean keyLengths) {

    Case {
      maskKeys = maskKeys == 0 ? past + kvSeq : maskKeys;
    }

    static Case plain(String name) {
      return new Case(
          name,
          false,
          3,
          3,
          4,
          6,
          0,
          8,
          8,
          Mask.NONE,
          2,
          0,
          false,
          0,
          null,
          0,
          false,
          DType.FLOAT32,
          false);
    }

    Case asThreeD() {
      return new Case(
          name,
          true,
          qHeads,
          kvHeads,
          qSeq,
          kvSeq,
          past,
          headSize,
          valueHeadSize,
          mask,
          maskRank,
          0,
          causal,
          softcap,
          scale,
          mode,
          qkOutput,
          dtype,
          keyLengths);
    }

    Case heads(long q, long kv) {
      return new Case(
          name,
          threeD,
          q,
          kv,
          qSeq,
          kvSeq,
          past,
          headSize,
          valueHeadSize,
          mask,
          maskRank,
          0,
          causal,
          softcap,
          scale,
          mode,
          qkOutput,
          dtype,
          keyLengths);
    }

    Case past(long p) {
      return new Case(
          name,
          threeD,
          qHeads,
          kvHeads,
          qSeq,
          kvSeq,
          p,
          headSize,
          valueHeadSize,
          mask,
          maskRank,
          0,
          causal,
          softcap,
          scale,
          mode,
          qkOutput,
          dtype,
          keyLengths);
    }

    Case valueHeadSize(long size) {
      return new Case(
          name,
          threeD,
          qHeads,
          kvHeads,
          qSeq,
          kvSeq,
          past,
          headSize,
          size,
          mask,
          maskRank,
          maskKeys,
          causal,
          softcap,
          scale,
          mode,
          qkOutput,
          dtype,
          keyLengths);
    }

    Case mask(Mask m, int rank, long keys) {
      return new Case(
          name,
          threeD,
          qHeads,
          kvHeads,
          qSeq,
          kvSeq,
          past,
          headSize,
          valueHeadSize,
          m,
          rank,
          keys,
          causal,
          softcap,
          scale,
          mode,
          qkOutput,
          dtype,
          keyLengths);
    }

    Case asCausal() {
      return new Case(
          name,
          threeD,
          qHeads,
          kvHeads,
          qSeq,
          kvSeq,
          past,
          headSize,
          valueHeadSize,
          mask,
          maskRank,
          maskKeys,
          true,
          softcap,
          scale,
          mode,
          qkOutput,
          dtype,
          keyLengths);
    }

    Case softcap(float cap) {
      return new Case(
          name,
          threeD,
          qHeads,
          kvHeads,
          qSeq,
          kvSeq,
          past,
          headSize,
          valueHeadSize,
          mask,
          maskRank,
          maskKeys,
          causal,
          cap,
          scale,
          mode,
          qkOutput,
          dtype,
          keyLengths);
    }

    Case scale(float s) {
      return new Case(
          name,
          threeD,
          qHeads,
          kvHeads,
          qSeq,
          kvSeq,
          past,
          headSize,
          valueHeadSize,
          mask,
          maskRank,
          maskKeys,
          causal,
          softcap,
          s,
          mode,
          qkOutput,
          dtype,
          keyLengths);
    }

    Case withKeyLengths() {
      return new Case(
          name,
          threeD,
          qHeads,
          kvHeads,
          qSeq,
          kvSeq,
          past,
          headSize,
          valueHeadSize,
          mask,
          maskRank,
          maskKeys,
          causal,
          softcap,
          scale,
          mode,
          qkOutput,
          dtype,
          true);
    }

    Case qk(long m) {
      return new Case(
          name,
          threeD,
          qHeads,
          kvHeads,
          qSeq,
          kvSeq,
          past,
          headSize,
          valueHeadSize,
          mask,
          maskRank,
          maskKeys,
          causal,
          softcap,
          scale,
          m,
          true,
          dtype,
          keyLengths);
    }

    Case dtype(DType t) {
      return new Case(
          name,
          threeD,
          qHeads,
          kvHeads,
          qSeq,
          kvSeq,
          past,
          headSize,
          valueHeadSize,
          mask,
          maskRank,
          maskKeys,
          causal,
          softcap,
          scale,
          mode,
          qkOutput,
          t,
          keyLengths);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        Case.plain("4-D"),
        Case.plain("3-D").asThreeD(),
        Case.plain("scaled").scale(0.05f),
        Case.plain("causal").asCausal(),
        new Case(
            "causal, more queries than keys",
            false,
            2,
            2,
            6,
            3,
            0,
            8,
            8,
            Mask.NONE,
            2,
            0,
            true,
            0,
            null,
            0,
            false,
            DType.FLOAT32,
            false),
        Case.plain("grouped-query heads").heads(6, 2),
        Case.plain("grouped-query heads, 3-D, causal").heads(6, 3).asThreeD().asCausal(),
        Case.plain("multi-query heads, float mask").heads(4, 1).mask(Mask.FLOAT, 2, 0),
        Case.plain("bool mask 2-D").mask(Mask.BOOL, 2, 0),
        Case.plain("bool mask 4-D, causal").mask(Mask.BOOL, 4, 0).asCausal(),
        Case.plain("float mask 3-D, causal").mask(Mask.FLOAT, 3, 0).asCausal(),
        Case.plain("float mask shorter than the keys").mask(Mask.FLOAT, 4, 4),
        Case.plain("bool mask longer than the keys").mask(Mask.BOOL, 2, 9),
        Case.plain("past and present").past(5).mask(Mask.FLOAT, 2, 0).qk(0),
        Case.plain("past and present, causal, grouped, 3-D")
            .past(3)
            .heads(4, 2)
            .asThreeD()
            .asCausal()
            .valueHeadSize(6),
        Case.plain("softcap").softcap(2f),
        Case.plain("softcap, -inf mask, mode 1").softcap(0.5f).mask(Mask.FLOAT, 2, 0).qk(1),
        Case.plain("mode 2 with bias").mask(Mask.FLOAT, 2, 0).asCausal().qk(2),
        Case.plain("mode 2 without bias").qk(2),
        Case.plain("mode 3, fully masked rows").mask(Mask.BOOL, 2, 0).qk(3),
        Case.plain("float64").dtype(DType.FLOAT64).asCausal(),
        Case.plain("key lengths").withKeyLengths(),
        Case.plain("key lengths, causal").withKeyLengths().asCausal(),
        Case.plain("key lengths, causal, bool mask, grouped")
            .withKeyLengths()
            .asCausal()
            .heads(4, 2)
            .mask(Mask.BOOL, 4, 0),
        Case.plain("key lengths, mask shorter than the keys")
            .withKeyLengths()
            .mask(Mask.FLOAT, 4, 4),
        Case.plain("key lengths, causal, past").withKeyLengths().asCausal().past(3).qk(2),
        Case.plain("float16 with float16 mask and past")
            .dtype(DType.FLOAT16)
            .mask(Mask.FLOAT, 2, 0)
            .past(2)
            .qk(3));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void theDecomposedGraphComputesWhatTheAttentionNodeComputes(Case c) {
    Graph typed = new InferAndFold().apply(graph(c));
    Graph decomposed = new DecomposeAttention().apply(typed);
    assertTrue(
        decomposed.nodes().stream().noneMatch(n -> n.opType().equals("Attention")),
        c + " was not decomposed");
    GraphVerifier.verify(decomposed, "after decompose-attention");
    for (int seed = 0; seed < 3; seed++) {
      Map<String, Tensor> inputs = inputs(typed, c, new Random(seed));
      Map<String, Tensor> expected = new ReferenceExecutor().run(typed, inputs);
      Map<String, Tensor> actual = new ReferenceExecutor().run(decomposed, inputs);
      for (ValueInfo out : typed.outputs()) {
        double tolerance = c.dtype() == DType.FLOAT16 ? 1e-3 : 1e-5;
        var mismatch =
            Comparison.allClose(
                expected.get(out.name()), actual.get(out.name()), tolerance, tolerance);
        assertTrue(
            mismatch.isEmpty(),
            c + ", seed " + seed + ", output " + out.name() + ": " + mismatch.orElse(""));
      }
    }
  }

  @Test
  void aNodeTheRewriteCannotReproduceStaysAsItIs() {
    Case causalOverSymbols = Case.plain("causal over symbolic lengths").asCausal();
    Graph symbolic = new InferAndFold().apply(graph(causalOverSymbols, Dim.symbol("sequence")));
    assertSame(symbolic, new DecomposeAttention().apply(symbolic));

    Graph otherMaskType =
        new InferAndFold()
            .apply(
                withInput(
                    graph(Case.plain("float64 mask")),
                    3,
                    new ValueInfo("attn_mask", new TensorType(DType.FLOAT64, Shape.of(4, 6)))));
    assertSame(otherMaskType, new DecomposeAttention().apply(otherMaskType));
  }

  @Test
  void symbolicLengthsDecomposeWithoutACausalMask() {
    Graph typed =
        new InferAndFold()
            .apply(graph(Case.plain("symbolic").mask(Mask.FLOAT, 2, 0), Dim.symbol("sequence")));
    Graph decomposed = new DecomposeAttention().apply(typed);
    assertFalse(decomposed.nodes().stream().anyMatch(n -> n.opType().equals("Attention")));
    assertEquals("float32[2, 3, sequence, 8]", decomposed.type("Y").orElseThrow().toString());
  }

  @Test
  void aGraphWithoutAttentionIsReturnedUnchanged() {
    Graph typed = new InferAndFold().apply(graph(Case.plain("x")));
    Graph other =
        typed.withNodes(
            List.of(new Node("n", "", "Identity", List.of("Q"), List.of("Y"), Attributes.NONE)));
    assertSame(other, new DecomposeAttention().apply(other));
  }

  @Test
  void theSmallGraphBeforeAndAfterThePassIsTheReviewedOne() throws IOException {
    Case c =
        new Case(
            "golden",
            false,
            4,
            2,
            2,
            2,
            1,
            4,
            4,
            Mask.BOOL,
            2,
            0,
            true,
            0,
            null,
            3,
            true,
            DType.FLOAT32,
            false);
    Graph typed = new InferAndFold().apply(graph(c));
    String actual =
        "before decompose-attention:\n"
            + text(typed)
            + "\nafter decompose-attention:\n"
            + text(new DecomposeAttention().apply(typed));
    if (Boolean.getBoolean("oclc.bless")) {
      Files.createDirectories(GOLDEN.getParent());
      Files.writeString(GOLDEN, actual);
    }
    assertEquals(
        Files.readString(GOLDEN),
        actual,
        "the decomposition changed; review it and bless with -Doclc.bless=true");
  }

  /** The graph as its nodes read: name = Op(inputs) {attributes} : type, constants by type. */
  private static String text(Graph g) {
    StringBuilder out = new StringBuilder();
    g.inputs()
        .forEach(
            in ->
                out.append("  input ")
                    .append(in.name())
                    .append(": ")
                    .append(in.type())
                    .append('\n'));
    g.constants()
        .forEach(
            (name, c) ->
                out.append("  constant ")
                    .append(name)
                    .append(": ")
                    .append(c.type())
                    .append(
                        c instanceof oclc.ir.Constant.Data(Tensor t) && t.size() <= 8
                            ? " = " + values(t)
                            : "")
                    .append('\n'));
    for (Node n : g.nodes()) {
      String attributes =
          n.attributes().byName().entrySet().stream()
              .map(e -> e.getKey() + "=" + attribute(e.getValue()))
              .collect(Collectors.joining(", "));
      String outputs =
          n.outputs().stream()
              .map(o -> o.isEmpty() ? "_" : o + ": " + g.type(o).map(Object::toString).orElse("?"))
              .collect(Collectors.joining(", "));
      out.append("  ")
          .append(n.opType())
          .append(" '")
          .append(n.name())
          .append("' (")
          .append(String.join(", ", n.inputs()))
          .append(")")
          .append(attributes.isEmpty() ? "" : " {" + attributes + "}")
          .append(" -> ")
          .append(outputs)
          .append('\n');
    }
    g.outputs()
        .forEach(
            o ->
                out.append("  output ")
                    .append(o.name())
                    .append(": ")
                    .append(o.type())
                    .append('\n'));
    return out.toString();
  }

  private static String values(Tensor t) {
    List<String> v = new ArrayList<>();
    for (int i = 0; i < t.size(); i++) {
      v.add(
          t.dtype().isBool()
              ? String.valueOf(t.getBool(i))
              : t.dtype().isFloat()
                  ? String.valueOf(t.getDouble(i))
                  : String.valueOf(t.getLong(i)));
    }
    return v.toString();
  }

  private static String attribute(Attribute a) {
    return switch (a) {
      case Attribute.IntValue i -> String.valueOf(i.value());
      case Attribute.FloatValue f -> String.valueOf(f.value());
      case Attribute.Ints i -> java.util.Arrays.toString(i.values());
      default -> a.toString();
    };
  }

  private static Graph graph(Case c) {
    return graph(c, Dim.of(c.qSeq()));
  }

  /**
   * One Attention node over graph inputs; {@code qSeq} (a symbol or the case's length) is also the
   * kv length then.
   */
  private static Graph graph(Case c, Dim qSeq) {
    Dim batch = Dim.of(2);
    Dim kvSeq = qSeq.isConstant() ? Dim.of(c.kvSeq()) : qSeq;
    Dim total = kvSeq.plus(c.past());
    List<ValueInfo> inputs = new ArrayList<>();
    inputs.add(
        value(
            "Q",
            c.dtype(),
            c.threeD()
                ? Shape.of(batch, qSeq, Dim.of(c.qHeads() * c.headSize()))
                : Shape.of(batch, Dim.of(c.qHeads()), qSeq, Dim.of(c.headSize()))));
    inputs.add(
        value(
            "K",
            c.dtype(),
            c.threeD()
                ? Shape.of(batch, kvSeq, Dim.of(c.kvHeads() * c.headSize()))
                : Shape.of(batch, Dim.of(c.kvHeads()), kvSeq, Dim.of(c.headSize()))));
    inputs.add(
        value(
            "V",
            c.dtype(),
            c.threeD()
                ? Shape.of(batch, kvSeq, Dim.of(c.kvHeads() * c.valueHeadSize()))
                : Shape.of(batch, Dim.of(c.kvHeads()), kvSeq, Dim.of(c.valueHeadSize()))));
    List<String> nodeInputs = new ArrayList<>(List.of("Q", "K", "V"));
    if (c.mask() != Mask.NONE) {
      Dim keys = qSeq.isConstant() ? Dim.of(c.maskKeys()) : total;
      Shape shape =
          switch (c.maskRank()) {
            case 2 -> Shape.of(qSeq, keys);
            case 3 -> Shape.of(Dim.of(1), qSeq, keys);
            default -> Shape.of(batch, Dim.of(c.qHeads()), qSeq, keys);
          };
      inputs.add(value("attn_mask", c.mask() == Mask.BOOL ? DType.BOOL : c.dtype(), shape));
    }
    nodeInputs.add(c.mask() == Mask.NONE ? "" : "attn_mask");
    List<String> outputs = new ArrayList<>(List.of("Y"));
    if (c.past() > 0) {
      inputs.add(
          value(
              "past_key",
              c.dtype(),
              Shape.of(batch, Dim.of(c.kvHeads()), Dim.of(c.past()), Dim.of(c.headSize()))));
      inputs.add(
          value(
              "past_value",
              c.dtype(),
              Shape.of(batch, Dim.of(c.kvHeads()), Dim.of(c.past()), Dim.of(c.valueHeadSize()))));
      nodeInputs.addAll(List.of("past_key", "past_value"));
      outputs.addAll(List.of("present_key", "present_value"));
    }
    if (c.qkOutput()) {
      while (outputs.size() < 3) {
        outputs.add("");
      }
      outputs.add("qk_matmul_output");
    }
    if (c.keyLengths()) {
      inputs.add(value("nonpad_kv_seqlen", DType.INT64, Shape.of(batch)));
      while (nodeInputs.size() < 6) {
        nodeInputs.add("");
      }
      nodeInputs.add("nonpad_kv_seqlen");
    }
    Map<String, Attribute> attributes = new LinkedHashMap<>();
    if (c.threeD()) {
      attributes.put("q_num_heads", new Attribute.IntValue(c.qHeads()));
      attributes.put("kv_num_heads", new Attribute.IntValue(c.kvHeads()));
    }
    if (c.causal()) {
      attributes.put("is_causal", new Attribute.IntValue(1));
    }
    if (c.softcap() > 0) {
      attributes.put("softcap", new Attribute.FloatValue(c.softcap()));
    }
    if (c.scale() != null) {
      attributes.put("scale", new Attribute.FloatValue(c.scale()));
    }
    if (c.qkOutput()) {
      attributes.put("qk_matmul_output_mode", new Attribute.IntValue(c.mode()));
    }
    Node attention =
        new Node("Attention_0", "", "Attention", nodeInputs, outputs, new Attributes(attributes));
    List<ValueInfo> graphOutputs =
        outputs.stream()
            .filter(o -> !o.isEmpty())
            .map(o -> value(o, c.dtype(), Shape.scalar()))
            .toList();
    return new Graph(
        "attention",
        inputs,
        graphOutputs,
        List.of(attention),
        Map.of(),
        Map.of(),
        List.of(),
        Map.of("", c.keyLengths() ? 24L : 23L));
  }

  private static Graph withInput(Graph g, int index, ValueInfo input) {
    List<ValueInfo> inputs = new ArrayList<>(g.inputs());
    inputs.add(input);
    Node n = g.nodes().getFirst();
    List<String> nodeInputs = new ArrayList<>(n.inputs());
    while (nodeInputs.size() < index) {
      nodeInputs.add("");
    }
    if (nodeInputs.size() > index) {
      nodeInputs.set(index, input.name());
    } else {
      nodeInputs.add(input.name());
    }
    return new Graph(
        g.name(),
        inputs,
        g.outputs(),
        List.of(n.withInputs(nodeInputs)),
        g.constants(),
        g.valueTypes(),
        g.assertions(),
        g.opsets());
  }

  private static ValueInfo value(String name, DType dtype, Shape shape) {
    return new ValueInfo(name, new TensorType(dtype, shape));
  }

  /**
   * Gaussian Q, K, V and past; masks with a fully masked first row (false or −∞) and random entries
   * elsewhere, so that both the zero rows and partly masked rows are exercised.
   */
  private static Map<String, Tensor> inputs(Graph g, Case c, Random random) {
    Map<String, Tensor> inputs = new LinkedHashMap<>();
    for (ValueInfo in : g.inputs()) {
      long[] shape = in.shape().toLongs();
      Tensor t = Tensor.allocate(in.dtype(), shape);
      long row = shape[shape.length - 1];
      for (int i = 0; i < t.size(); i++) {
        if (in.name().equals("nonpad_kv_seqlen")) {
          t.setLong(
              i, i == 0 ? c.past() + c.kvSeq() : 1 + random.nextInt((int) (c.past() + c.kvSeq())));
        } else if (!in.name().equals("attn_mask")) {
          t.setDouble(i, random.nextGaussian());
        } else {
          boolean masked = i < row || random.nextInt(4) == 0;
          if (in.dtype() == DType.BOOL) {
            t.setBool(i, !masked);
          } else {
            t.setDouble(i, masked ? Double.NEGATIVE_INFINITY : random.nextGaussian());
          }
        }
      }
      inputs.put(in.name(), t);
    }
    return inputs;
  }
}
