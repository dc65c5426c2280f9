package oclc.ir.passes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import oclc.ir.Attribute;
import oclc.ir.Attributes;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.DimUnifier;
import oclc.ir.Graph;
import oclc.ir.Node;
import oclc.ir.Shape;
import oclc.ir.ShapeAssertion;
import oclc.ir.Tensor;
import oclc.ir.TensorType;
import oclc.ir.ValueInfo;
import oclc.ir.exec.InputShapeException;
import oclc.ir.exec.ReferenceExecutor;
import org.junit.jupiter.api.Test;

/** Dims an op needs equal become one: the union-find, and shape inference and binding with it. */
class UnificationTest {
  private static final Dim BATCH = Dim.symbol("batch_size");
  private static final Dim SEQ = Dim.symbol("sequence_length");
  private static final Dim PAST = Dim.symbol("past_sequence_length");

  private static ValueInfo value(String name, Dim... dims) {
    return new ValueInfo(name, new TensorType(DType.FLOAT32, Shape.of(dims)));
  }

  /**
   * The attention of a decoder in small: keys = Concat(past, new) on axis 1, then keys + mask, with
   * the mask's length a symbol of its own (Optimum's {@code total_sequence_length}, or any label:
   * here one that reads like arithmetic and is not).
   */
  private static Graph attention(String maskLength) {
    Dim total = Dim.symbol(maskLength);
    List<ValueInfo> inputs =
        List.of(value("x", BATCH, SEQ), value("mask", BATCH, total), value("past", BATCH, PAST));
    List<Node> nodes =
        List.of(
            new Node(
                "keys",
                "",
                "Concat",
                List.of("past", "x"),
                List.of("k"),
                new Attributes(Map.of("axis", new Attribute.IntValue(1)))),
            new Node("masked", "", "Add", List.of("k", "mask"), List.of("y"), Attributes.NONE));
    Graph g =
        new Graph(
            "attention",
            inputs,
            List.of(value("y", BATCH, total)),
            nodes,
            Map.of(),
            Map.of(),
            List.of(),
            Map.of("", 17L));
    return new InferAndFold().apply(g);
  }

  @Test
  void aBareSymbolBroadcastAgainstAnExpressionOfOthersBecomesIt() {
    Graph g = attention("past_sequence_length + 1");
    assertEquals(Shape.of(BATCH, PAST.plus(SEQ)), g.outputs().get(0).shape(), "no max(...) left");
    assertEquals(
        List.of(
            ShapeAssertion.equal(
                Dim.symbol("past_sequence_length + 1"),
                PAST.plus(SEQ),
                "broadcast in Add 'masked'")),
        g.assertions());
    assertEquals(
        "\"past_sequence_length + 1\" == past_sequence_length + sequence_length"
            + " (broadcast in Add 'masked')",
        g.assertions().get(0).toString(),
        "the label is quoted: one symbol, not arithmetic");
    assertEquals(
        Dim.symbol("past_sequence_length + 1"),
        Dim.parse(Dim.symbol("past_sequence_length + 1").toString()),
        "and reads back as one");
    assertEquals(
        Shape.of(BATCH, Dim.symbol("past_sequence_length + 1")),
        g.inputs().get(1).shape(),
        "the inputs keep their declared shapes: the bind learns the label and checks it");
  }

  @Test
  void theBindChecksTheUnificationAndNamesBothSides() {
    Graph g = attention("total_sequence_length");
    ReferenceExecutor executor = new ReferenceExecutor();
    Map<String, Tensor> right =
        Map.of(
            "x", Tensor.allocate(DType.FLOAT32, 1, 2),
            "mask", Tensor.allocate(DType.FLOAT32, 1, 5),
            "past", Tensor.allocate(DType.FLOAT32, 1, 3));
    assertEquals(5, executor.run(g, right).get("y").dim(1));
    Map<String, Tensor> wrong =
        Map.of(
            "x", Tensor.allocate(DType.FLOAT32, 1, 2),
            "mask", Tensor.allocate(DType.FLOAT32, 1, 4),
            "past", Tensor.allocate(DType.FLOAT32, 1, 3));
    InputShapeException e = assertThrows(InputShapeException.class, () -> executor.run(g, wrong));
    assertEquals(
        "the inputs give total_sequence_length = 4 (mask dim 1), but the model needs it equal to"
            + " past_sequence_length + sequence_length = 5 (past_sequence_length = 3 from past dim"
            + " 1, sequence_length = 2 from x dim 1) (broadcast in Add 'masked')",
        e.getMessage());
  }

  @Test
  void twoBareSymbolsKeepTheOneOfTheEarlierInput() {
    DimUnifier unifier = new DimUnifier(List.of("batch_size", "sequence_length", "total"));
    assertEquals(
        SEQ, unifier.unify(Dim.symbol("total"), SEQ, "broadcast").orElseThrow(), "total goes");
    assertEquals(Map.of("total", SEQ), unifier.substitution());
    assertEquals(SEQ.times(2), unifier.resolve(Dim.symbol("total").plus(SEQ)));
  }

  @Test
  void classesMergeTransitivelyAndStaySolved() {
    DimUnifier unifier = new DimUnifier(List.of("a", "b", "c", "d"));
    Dim a = Dim.symbol("a");
    Dim b = Dim.symbol("b");
    Dim c = Dim.symbol("c");
    Dim d = Dim.symbol("d");
    unifier.unify(d, b.plus(c), "one");
    unifier.unify(c, a, "two");
    assertEquals(Map.of("d", b.plus(a), "c", a), unifier.substitution(), "d's class follows c's");
    assertEquals(unifier.resolve(d), unifier.resolve(a.plus(b)));
    assertEquals(
        List.of(ShapeAssertion.equal(d, a.plus(b), "one"), ShapeAssertion.equal(c, a, "two")),
        unifier.equalities(),
        "each recorded over the free symbols");
  }

  @Test
  void constantsThatDifferAndSymbolsNoInputBindsAreNotUnified() {
    DimUnifier unifier = new DimUnifier(List.of("n"));
    assertTrue(unifier.unify(Dim.of(3), Dim.of(4), "broadcast").isEmpty());
    Dim n = Dim.symbol("n");
    assertTrue(unifier.unify(n, n.plus(1), "broadcast").isEmpty(), "never equal");
    assertTrue(
        unifier.unify(n, Dim.symbol("NonZero 'nz'.count"), "broadcast").isEmpty(),
        "a data-dependent size cannot be checked at bind");
    assertEquals(Map.of(), unifier.substitution());
    assertEquals(List.of(), unifier.equalities());
    assertEquals(Dim.of(8), unifier.unify(n, Dim.of(8), "the contracted dims").orElseThrow());
    assertFalse(unifier.substitution().isEmpty());
  }
}
