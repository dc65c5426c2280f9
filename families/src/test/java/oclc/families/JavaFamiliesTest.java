package oclc.families;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import oclc.ir.OpRegistry;
import org.junit.jupiter.api.Test;

/**
 * Every kernel family has a Java lowering for some of its ops or is declared the reference fallback
 * as a whole, and what {@code oclc ops} reports comes from the families.
 */
class JavaFamiliesTest {
  @Test
  void everyFamilyHasAJavaLoweringOrIsDeclaredTheFallback() {
    for (KernelFamily family : KernelFamily.values()) {
      boolean lowered = family.ops().stream().anyMatch(op -> family.java().kind(op).isPresent());
      assertTrue(
          lowered != family.java().referenceFallback(),
          family + ": a Java kernel for some op, or declared the reference fallback, not both");
    }
  }

  @Test
  void everyOpOpsReportsWithAJavaKernelIsAnOpOclcDefinesAndNoneIsInAFallbackFamily() {
    Map<String, String> kinds = KernelFamilies.javaKinds();
    assertTrue(kinds.keySet().containsAll(KernelFamily.VIEW.ops()), "every view is a view");
    kinds.forEach(
        (op, kind) -> {
          assertTrue(OpRegistry.standard().find("", op).isPresent(), op + ": no such op in ir");
          KernelFamily family = KernelFamilies.of(op).orElseThrow(() -> new AssertionError(op));
          assertFalse(family.java().referenceFallback(), op + " in " + family);
        });
  }
}
