package oclc.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import oclc.artifact.Artifact;
import oclc.artifact.ParamChecksums;
import oclc.ir.OclcException;
import org.junit.jupiter.api.Timeout;

/**
 * An artifact whose manifest.json is any bytes (seeded with manifests oclc wrote, one with a
 * param), beside real kernel files and a params.bin: it is read and its params checked, or refused
 * with an {@link OclcException} saying what is wrong.
 */
class ManifestFuzzTest {
  private static final Path ARTIFACT = copyOfTheFixture();

  @FuzzTest(maxDuration = "20s")
  @Timeout(value = 5, unit = TimeUnit.SECONDS)
  void readsOrSaysWhy(byte[] bytes) throws IOException {
    Files.write(ARTIFACT.resolve(Artifact.MANIFEST), bytes);
    try {
      Artifact artifact = Artifact.read(ARTIFACT, warning -> {});
      ParamChecksums.verify(artifact, param -> {});
    } catch (OclcException documented) {
      // the documented refusal
    }
  }

  /** The kernels and params.bin of resources/oclc/fuzz/artifact, in a scratch folder. */
  private static Path copyOfTheFixture() {
    try {
      Path fixture = Path.of(ManifestFuzzTest.class.getResource("artifact").toURI());
      Path copy = FuzzFiles.scratch("artifact");
      try (Stream<Path> files = Files.walk(fixture)) {
        for (Path from : files.toList()) {
          Path to = copy.resolve(fixture.relativize(from).toString());
          if (Files.isDirectory(from)) {
            Files.createDirectories(to);
          } else {
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
          }
        }
      }
      return copy;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
