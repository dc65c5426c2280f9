package oclc.runtime;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whether libjsig is loaded is read from the process's mappings; unknown counts as loaded (no
 * warning).
 */
class SignalChainingTest {
  @TempDir Path folder;

  @Test
  void chainingIsReadFromTheProcessMappings() throws Exception {
    Path with =
        Files.writeString(
            folder.resolve("with"),
            "7f0000000000-7f0000001000 r-xp 00000000 08:01 42 /usr/lib/jvm/jdk/lib/libjsig.so\n");
    Path without =
        Files.writeString(
            folder.resolve("without"),
            "7f0000000000-7f0000001000 r-xp 00000000 08:01 42 /usr/lib/jvm/jdk/lib/server/libjvm.so\n");
    assertTrue(SignalChaining.loaded(with));
    assertFalse(SignalChaining.loaded(without));
    assertTrue(
        SignalChaining.loaded(folder.resolve("missing")),
        "unknown where the mappings cannot be read");
  }
}
