package oclc.artifact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a write killed mid-way leaves beside its target, and how the next write recovers from it.
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

  private static Path artifact(Path directory, String manifestText) throws IOException {
    Files.createDirectories(directory);
    Files.writeString(directory.resolve(Artifact.MANIFEST), manifestText);
    return directory;
  }
}
