package oclc.compiler.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import oclc.artifact.Folders;
import oclc.compiler.LoadedModel;
import oclc.lowering.SizeRanges;

/**
 * The temporary folder where a compiling backend writes each case's artifact, deleted with
 * everything in it on close.
 */
final class ScratchArtifacts implements AutoCloseable {
  private final Path folder;

  ScratchArtifacts(String prefix) {
    try {
      this.folder = Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make a temporary folder for artifacts", e);
    }
  }

  /** A fresh artifact folder's path for the next model. */
  Path next() {
    return folder.resolve("model-" + System.nanoTime() + ".oclc");
  }

  /** The sizes a case compiles for: what its graph bounds (no --dim, no --buckets). */
  static SizeRanges sizes(LoadedModel model) {
    return SizeRanges.forGraph(model.simplified(), Map.of(), Map.of(), false);
  }

  @Override
  public void close() {
    Folders.deleteTree(folder);
  }
}
