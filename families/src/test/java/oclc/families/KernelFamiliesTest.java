package oclc.families;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import oclc.ir.Attributes;
import oclc.ir.Node;
import org.junit.jupiter.api.Test;

/**
 * Every family's OpenCL lowering has kernels for some of its ops, every op OpenCL lowers belongs to
 * a family and finds its family's lowering, and an op of another domain is found by its domain and
 * type together ({@code com.microsoft:MatMulNBits}), never by its type alone.
 */
class KernelFamiliesTest {
  @Test
  void everyFamilyLowersSomeOfItsOpsOnOpenCl() {
    for (KernelFamily family : KernelFamily.values()) {
      assertTrue(
          family.ops().stream().anyMatch(op -> family.openCl().lowering(op).isPresent()),
          family + " has no OpenCL kernel");
    }
  }

  @Test
  void everyLoweredOpMapsToAFamilyAndFindsItsLowering() {
    Set<String> fromFamilies = new TreeSet<>();
    for (String op : KernelFamilies.openClOps()) {
      KernelFamily family =
          KernelFamilies.of(op).orElseThrow(() -> new AssertionError(op + " is in no family"));
      int colon = op.indexOf(':');
      Node node =
          new Node(
              "n",
              colon < 0 ? "" : op.substring(0, colon),
              op.substring(colon + 1),
              List.of("x"),
              List.of("y"),
              Attributes.NONE);
      assertEquals(
          family.openCl().lowering(op).orElseThrow(),
          KernelFamilies.openCl().find(node).orElseThrow(),
          op);
    }
    for (KernelFamily family : KernelFamily.values()) {
      family.ops().stream()
          .filter(op -> family.openCl().lowering(op).isPresent())
          .forEach(fromFamilies::add);
    }
    assertEquals(fromFamilies, KernelFamilies.openClOps());
  }

  @Test
  void opsOfAnotherDomainAreFoundByTheirDomainAndType() {
    Node node =
        new Node("n", "com.microsoft", "MatMul", List.of("a", "b"), List.of("y"), Attributes.NONE);
    assertTrue(KernelFamilies.of(node).isEmpty());
    assertTrue(KernelFamilies.openCl().find(node).isEmpty());
    Node quantized =
        new Node(
            "n", "com.microsoft", "MatMulNBits", List.of("a", "b"), List.of("y"), Attributes.NONE);
    assertEquals(KernelFamily.QUANTIZED_MATMUL, KernelFamilies.of(quantized).orElseThrow());
    assertTrue(KernelFamilies.openCl().find(quantized).isPresent());
    Node unqualified =
        new Node("n", "", "MatMulNBits", List.of("a", "b"), List.of("y"), Attributes.NONE);
    assertTrue(KernelFamilies.of(unqualified).isEmpty());
  }
}
