package oclc.codegen.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** A Java kernel file names its spec's class: one of oclc's is read, any other refused unloaded. */
class JavaKernelSpecReadTest {
  @Test
  void aSpecOfOclcIsRead() throws IOException {
    JavaKernelSpec spec =
        JavaKernelSpec.read("{\"kernel\":\"oclc.codegen.cpu.JavaKernelSpec$Gather\",\"axis\":0}");
    assertInstanceOf(JavaKernelSpec.Gather.class, spec);
    assertEquals(
        spec, JavaKernelSpec.read(oclc.artifact.ArtifactJson.mapper().writeValueAsString(spec)));
  }

  @Test
  void aClassOutsideOclcIsRefusedByName() {
    InvalidTypeIdException refused =
        assertThrows(
            InvalidTypeIdException.class,
            () -> JavaKernelSpec.read("{\"kernel\":\"javax.script.ScriptEngineManager\"}"));
    assertTrue(
        refused.getMessage().contains("javax.script.ScriptEngineManager"), refused.getMessage());
  }
}
