package oclc.templates;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KernelTemplatesTest {
  /**
   * A buffer as the elementwise templates' load and store read it (codegen's
   * ElementwiseKernels.Storage).
   */
  record Storage(String type, boolean half, boolean bfloat) {}

  @Test
  void aUnaryKernelSpellsItsExpression() {
    String expression =
        KernelTemplates.render("elementwise", "floatUnaryExpression", Map.of("key", "Tanh"));
    String source =
        KernelTemplates.render(
            "elementwise",
            "unary",
            Map.of(
                "kernelName",
                "tanh_f32",
                "comment",
                "Tanh",
                "input",
                new Storage("float", false, false),
                "output",
                new Storage("float", false, false),
                "computeType",
                "float",
                "expression",
                expression,
                "parameters",
                List.of(),
                "fp64",
                false,
                "real",
                false));
    assertTrue(source.contains("__kernel void tanh_f32("), source);
    assertTrue(source.contains("output[i] = tanh(x);"), source);
  }

  @Test
  void missingOrExtraArgumentsAreErrorsNotBlanks() {
    assertThrows(
        KernelTemplates.TemplateException.class,
        () -> KernelTemplates.render("elementwise", "unary", Map.of("kernelName", "k")));
    assertThrows(
        KernelTemplates.TemplateException.class,
        () ->
            KernelTemplates.render(
                "elementwise", "unary", Map.of("kernelName", "k", "opType", "Tanh", "extra", 1)));
  }

  @Test
  void unknownTemplatesAndGroupsAreErrors() {
    assertThrows(
        KernelTemplates.TemplateException.class,
        () -> KernelTemplates.render("elementwise", "ternary", Map.of()));
    assertThrows(
        KernelTemplates.TemplateException.class,
        () -> KernelTemplates.render("no_such_family", "unary", Map.of()));
  }
}
