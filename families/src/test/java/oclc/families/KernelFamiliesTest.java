package oclc.families;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import oclc.ir.Attributes;
import oclc.ir.Node;
import org.junit.jupiter.api.Test;

/**
 * Every family's OpenCL lowering has kernels for some of its ops, every op OpenCL lowers belongs to
 * a family and finds its family's lowering, and nothing outside the default domain has a family.
 */
class KernelFamiliesTest {
  @Test
  void everyFamilyLowersSomeOfItsOpsOnOpenCl() {
    for (KernelFamily family : KernelFamily.values()) {
      Set<String> lowered = family.openCl().lowers(family.ops());
      assertFalse(lowered.isEmpty(), family + " has no OpenCL kernel");
      assertTrue(family.ops().containsAll(lowered), family + " lowers ops outside the family");
    }
  }

  @Test
  void everyLoweredOpMapsToAFamilyAndFindsItsLowering() {
    Set<String> fromFamilies = new TreeSet<>();
    for (String op : KernelFamilies.openClOps()) {
      KernelFamily family =
          KernelFamilies.of(op).orElseThrow(() -> new AssertionError(op + " is in no family"));
      Node node = new Node("n", "", op, List.of("x"), List.of("y"), Attributes.NONE);
      assertEquals(family.openCl(), KernelFamilies.openCl().find(node).orElseThrow(), op);
    }
    for (KernelFamily family : KernelFamily.values()) {
      fromFamilies.addAll(family.openCl().lowers(family.ops()));
    }
    assertEquals(fromFamilies, KernelFamilies.openClOps());
  }

  @Test
  void opsOutsideTheDefaultDomainHaveNoFamily() {
    Node node =
        new Node("n", "com.microsoft", "MatMul", List.of("a", "b"), List.of("y"), Attributes.NONE);
    assertTrue(KernelFamilies.of(node).isEmpty());
    assertTrue(KernelFamilies.openCl().find(node).isEmpty());
  }
}
