package oclc.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import oclc.ir.Dim;
import oclc.ir.OclcException;
import org.junit.jupiter.api.Timeout;

/**
 * The {@code Dim} parser on any text: a dim that prints as text which parses back to itself, or an
 * {@link OclcException} naming the position.
 */
class DimFuzzTest {
  @FuzzTest(maxDuration = "20s")
  @Timeout(value = 5, unit = TimeUnit.SECONDS)
  void parsesOrSaysWhy(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.UTF_8);
    Dim dim;
    try {
      dim = Dim.parse(text);
    } catch (OclcException documented) {
      return;
    }
    assertEquals(dim, Dim.parse(dim.toString()), "the text of " + text);
  }
}
