package oclc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import oclc.cli.support.Oclc;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code oclc generate --weights fp16|int8|int4} on every shared GPT-2 and Llama model: the greedy
 * tokens of the OpenCL CPU device and of the Java backend are the reference executor's on the same
 * quantized model (a few tokens, to keep it short).
 */
class GenerateWithWeightsTest {
  static Stream<Arguments> modelsAndFormats() {
    List<Arguments> cases = new ArrayList<>();
    try (Stream<Path> folders = Files.list(SharedData.models())) {
      for (Path model :
          folders
              .filter(p -> p.getFileName().toString().matches("(gpt2|llama|ort-genai-gpt2).*"))
              .sorted()
              .toList()) {
        for (String format : List.of("fp16", "int8", "int4")) {
          cases.add(Arguments.of(model.getFileName().toString(), format));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} --weights {1}")
  @MethodSource("modelsAndFormats")
  void cpuAndJavaGenerateTheReferencesTokens(String model, String format) {
    String onReference = tokens(model, format, "reference");
    assertEquals(onReference, tokens(model, format, "java"), model + " --weights " + format);
    assertEquals(onReference, tokens(model, format, "cpu"), model + " --weights " + format);
  }

  private static String tokens(String model, String format, String device) {
    Oclc.Result r =
        Oclc.run(
            "generate",
            SharedData.models().resolve(model).toString(),
            "--weights",
            format,
            "--device",
            device,
            "--prompt-ids",
            "1,5,9,2",
            "--max-new-tokens",
            "3",
            "--ignore-eos");
    assertEquals(0, r.exitCode(), model + " on " + device + ": " + r.out() + r.err());
    String line = r.out().lines().filter(l -> l.startsWith("tokens: ")).findFirst().orElseThrow();
    assertEquals(3, line.substring("tokens: ".length()).split(",").length, line);
    assertTrue(r.err().contains("quantizing weights to " + format), r.err());
    return line;
  }
}
