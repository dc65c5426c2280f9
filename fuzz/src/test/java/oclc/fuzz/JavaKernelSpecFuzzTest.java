package oclc.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import oclc.codegen.cpu.JavaKernelSpec;
import oclc.ir.OclcException;
import org.junit.jupiter.api.Timeout;

/**
 * A Java artifact's kernel file of any bytes (seeded with the kernels of a compiled GPT-2, and one
 * naming a class that is not a kernel spec): read as a spec, or refused with an {@link IOException}
 * (which loading reports naming the file) or an {@link OclcException}; never another class loaded.
 */
class JavaKernelSpecFuzzTest {
  @FuzzTest(maxDuration = "20s")
  @Timeout(value = 5, unit = TimeUnit.SECONDS)
  void readsOrSaysWhy(byte[] bytes) {
    try {
      JavaKernelSpec.read(new String(bytes, StandardCharsets.UTF_8));
    } catch (IOException | OclcException documented) {
      // the documented refusal
    }
  }
}
