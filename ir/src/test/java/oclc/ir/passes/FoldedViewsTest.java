package oclc.ir.passes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import oclc.ir.Constant;
import oclc.ir.DType;
import oclc.ir.Graph;
import oclc.ir.Node;
import oclc.ir.Shape;
import oclc.ir.Tensor;
import oclc.ir.TensorType;
import oclc.ir.ValueInfo;
import org.junit.jupiter.api.Test;

/**
 * infer-and-fold folds a view of a constant however large (its bytes shared, nothing copied), as a
 * quantized file's tied head needs (its embedding's packed rows reshaped into MatMulNBits' blocks),
 * while a large result that would be a copy stays a node.
 */
class FoldedViewsTest {
  /** Past the folding limit of 2^24 elements. */
  private static final int LARGE = (1 << 24) + 64;

  private static Graph reshapeThenRead(String movement) {
    ByteBuffer bytes = ByteBuffer.allocate(LARGE);
    for (int i = 0; i < LARGE; i++) {
      bytes.put(i, (byte) (i * 31));
    }
    Map<String, Constant> constants =
        Map.of(
            "table",
            new Constant.Data(Tensor.wrap(DType.UINT8, new long[] {LARGE}, bytes)),
            "rows_shape",
            new Constant.Data(Tensor.ofLongs(new long[] {2}, 2, -1)));
    Node moved =
        movement.equals("Reshape")
            ? Node.of("as_rows", "Reshape", "table", "rows_shape", "rows")
            : new Node(
                "as_rows",
                "",
                "Transpose",
                List.of("table_2d"),
                List.of("rows"),
                GraphRewriter.ints("perm", 1, 0));
    List<Node> nodes =
        movement.equals("Reshape")
            ? List.of(moved, Node.of("pick", "Gather", "rows", "row", "picked"))
            : List.of(
                Node.of("as_2d", "Reshape", "table", "rows_shape", "table_2d"),
                moved,
                Node.of("pick", "Gather", "rows", "row", "picked"));
    return new InferAndFold()
        .apply(
            new Graph(
                "views",
                List.of(new ValueInfo("row", new TensorType(DType.INT64, Shape.of(1)))),
                List.of(
                    new ValueInfo("picked", new TensorType(DType.UINT8, Shape.of(1, LARGE / 2)))),
                nodes,
                constants,
                Map.of(),
                List.of(),
                Map.of("", 17L)));
  }

  @Test
  void aLargeReshapeOfAConstantFoldsIntoAViewOfItsBytes() {
    Graph folded = reshapeThenRead("Reshape");
    assertEquals(List.of("pick"), folded.nodes().stream().map(Node::name).toList());
    Tensor rows = assertInstanceOf(Constant.Data.class, folded.constants().get("rows")).tensor();
    assertArrayEquals(new long[] {2, LARGE / 2}, rows.shape());
    assertEquals(((Constant.Data) folded.constants().get("table")).tensor().data(), rows.data());
  }

  @Test
  void aLargeTransposeOfAConstantStaysANode() {
    Graph folded = reshapeThenRead("Transpose");
    assertTrue(folded.nodes().stream().anyMatch(n -> n.opType().equals("Transpose")));
  }
}
