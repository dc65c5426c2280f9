package oclc.codegen.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import oclc.ir.Attributes;
import oclc.ir.Node;
import oclc.lowering.KernelFamilies;
import oclc.lowering.KernelFamily;
import org.junit.jupiter.api.Test;

/** The OpenCL backend lowers every kernel family, and every op it lowers belongs to one. */
class LoweringsTest {
  @Test
  void everyFamilyHasAnOpenClLowering() {
    assertEquals(EnumSet.allOf(KernelFamily.class), EnumSet.copyOf(Lowerings.families()));
  }

  @Test
  void everyLoweredOpMapsToAFamilyAndFindsItsLowering() {
    for (String op : GraphLowering.supportedOps()) {
      assertTrue(KernelFamilies.of(op).isPresent(), op + " is in no kernel family");
      Node node = new Node("n", "", op, List.of("x"), List.of("y"), Attributes.NONE);
      assertTrue(Lowerings.find(node).isPresent(), op + " has no lowering");
    }
  }

  @Test
  void opsOutsideTheDefaultDomainHaveNoFamily() {
    Node node =
        new Node("n", "com.microsoft", "MatMul", List.of("a", "b"), List.of("y"), Attributes.NONE);
    assertTrue(KernelFamilies.of(node).isEmpty());
    assertTrue(Lowerings.find(node).isEmpty());
  }
}
