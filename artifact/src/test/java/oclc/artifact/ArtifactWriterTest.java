package oclc.artifact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import oclc.artifact.ArtifactWriter.Contents;
import oclc.artifact.Manifest.BufferSpec;
import oclc.ir.DType;
import oclc.ir.Dim;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a write killed mid-way leaves beside its target, and how the next write recovers from it;
 * how params.bin holds weights.
 */
class ArtifactWriterTest {
  /** A pid no process has: above Linux's pid_max limit. */
  private static final long DEAD = 4_194_305L;

  @TempDir Path folder;

  @Test
  void aKilledWritesStagingFolderIsRemovedAndTheArtifactKept() throws IOException {
    Path target = artifact(folder.resolve("m.oclc"), "current");
    Path staging = artifact(folder.resolve("m.oclc.tmp-" + DEAD), "half-written");
    ArtifactWriter.recoverInterrupted(target);
    assertFalse(Files.exists(staging));
    assertEquals("current", Files.readString(target.resolve(Artifact.MANIFEST)));
  }

  @Test
  void aWriteKilledBetweenItsRenamesGetsThePreviousArtifactBack() throws IOException {
    Path target = folder.resolve("m.oclc");
    artifact(folder.resolve("m.oclc.old-" + DEAD), "previous");
    Path staging = artifact(folder.resolve("m.oclc.tmp-" + DEAD), "new, complete");
    ArtifactWriter.recoverInterrupted(target);
    assertEquals("previous", Files.readString(target.resolve(Artifact.MANIFEST)));
    assertFalse(Files.exists(staging));
    try (var left = Files.list(folder)) {
      assertEquals(1, left.count());
    }
  }

  @Test
  void aReplacedArtifactLeftBesideAWholeOneIsRemoved() throws IOException {
    Path target = artifact(folder.resolve("m.oclc"), "new");
    Path old = artifact(folder.resolve("m.oclc.old-" + DEAD), "previous");
    ArtifactWriter.recoverInterrupted(target);
    assertFalse(Files.exists(old));
    assertEquals("new", Files.readString(target.resolve(Artifact.MANIFEST)));
  }

  @Test
  void aRunningWritersFoldersAndOtherNamesAreLeftAlone() throws IOException {
    Path target = folder.resolve("m.oclc");
    long self = ProcessHandle.current().pid();
    Path running = artifact(folder.resolve("m.oclc.tmp-" + self), "being written");
    Path unrelated = artifact(folder.resolve("m.oclc.tmp-notapid"), "a user's");
    Path other = artifact(folder.resolve("n.oclc.old-" + DEAD), "another model's");
    ArtifactWriter.recoverInterrupted(target);
    assertTrue(Files.exists(running));
    assertTrue(Files.exists(unrelated));
    assertTrue(Files.exists(other));
    assertFalse(Files.exists(target));
  }

  @Test
  void aWeightWhoseBytesEqualOneWrittenBeforeIsWrittenOnceAndReadAtItsOffset() throws IOException {
    List<Dim> shape = List.of(Dim.of(4), Dim.of(12));
    ByteBuffer table = ByteBuffer.allocate(4 * 12 * 4);
    ByteBuffer other = ByteBuffer.allocate(4 * 12 * 4);
    for (int i = 0; i < table.capacity(); i++) {
      table.put(i, (byte) i);
      other.put(i, (byte) (i + 1));
    }
    Manifest manifest =
        new Manifest(
            Manifest.FORMAT_VERSION,
            "0.1.0",
            "m.onnx",
            "ab".repeat(32),
            List.of(),
            List.of(),
            List.of(),
            List.of(),
            List.of(
                BufferSpec.param("embedding", DType.FLOAT32, shape),
                BufferSpec.param("other", DType.FLOAT32, shape),
                // the same bytes in another buffer (a tied head folded into its own constant)
                BufferSpec.param("head", DType.FLOAT32, shape)),
            List.of(),
            List.of(),
            Manifest.JAVA,
            false,
            List.of());
    Path target = folder.resolve("m.oclc");
    Manifest written =
        ArtifactWriter.write(
            target,
            new Contents(
                manifest,
                Map.of(),
                Map.of("embedding", table, "other", other, "head", ByteBuffer.wrap(table.array())),
                "{}",
                "{}"));
    Map<String, BufferSpec> placed = new java.util.HashMap<>();
    written.buffers().forEach(b -> placed.put(b.name(), b));
    assertEquals(placed.get("embedding").offset(), placed.get("head").offset());
    assertEquals(placed.get("embedding").checksum(), placed.get("head").checksum());
    assertTrue(placed.get("other").offset() != placed.get("embedding").offset());
    byte[] params = Files.readAllBytes(target.resolve(Artifact.PARAMS));
    long aligned =
        Math.ceilDiv(table.capacity(), Artifact.PARAM_ALIGNMENT) * Artifact.PARAM_ALIGNMENT;
    assertEquals(aligned + other.capacity(), params.length, "two weights' bytes, not three");
    for (String name : List.of("embedding", "other", "head")) {
      BufferSpec b = placed.get(name);
      ByteBuffer expected = name.equals("other") ? other : table;
      assertEquals(
          expected.duplicate().clear(),
          ByteBuffer.wrap(params, (int) b.offset(), (int) b.bytes()),
          name + " reads back its own bytes");
    }
  }

  private static Path artifact(Path directory, String manifestText) throws IOException {
    Files.createDirectories(directory);
    Files.writeString(directory.resolve(Artifact.MANIFEST), manifestText);
    return directory;
  }
}
