package oclc.artifact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import oclc.artifact.Manifest.KernelFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kernel sources read ahead of the manifest are the artifact's own, checked against it when it is
 * read.
 */
class KernelSourcesTest {
  private static final String SOURCE =
      "__kernel void gemv_w16(__global float* x) { x[0] = 1.0f; }\n";

  @TempDir Path folder;

  /**
   * A folder with the manifest of {@link ManifestReaderTest#everyField()}, its kernel's source and
   * params.
   */
  private Path artifact(Manifest manifest) throws IOException {
    Path directory = folder.resolve("model.oclc");
    Files.createDirectories(directory.resolve(Artifact.KERNELS));
    ArtifactJson.mapper().writeValue(directory.resolve(Artifact.MANIFEST).toFile(), manifest);
    Files.writeString(directory.resolve(Artifact.KERNELS).resolve("gemv_w16.cl"), SOURCE);
    Files.write(directory.resolve(Artifact.PARAMS), new byte[64 + 2359296]);
    return directory;
  }

  private static Manifest withKernelSha(Manifest m, String sha256) {
    return new Manifest(
        m.formatVersion(),
        m.oclcVersion(),
        m.model(),
        m.modelSha256(),
        m.symbols(),
        m.inputs(),
        m.outputs(),
        m.assumptions(),
        m.buffers(),
        List.of(new KernelFile("gemv_w16", "gemv_w16.cl", sha256)),
        m.nodes(),
        m.backend(),
        m.fusion());
  }

  @Test
  void readAheadTheyAreTheOnesTheArtifactReads() throws IOException {
    Path directory =
        artifact(withKernelSha(ManifestReaderTest.everyField(), Hashes.sha256(SOURCE)));
    KernelSources ahead = KernelSources.read(directory);
    assertEquals(SOURCE, ahead.source("gemv_w16"));
    assertEquals(Hashes.sha256(SOURCE), ahead.sha256("gemv_w16"));
    List<String> warnings = new ArrayList<>();
    Artifact artifact = Artifact.read(directory, ahead, warnings::add);
    assertEquals(List.of(), warnings);
    assertEquals(
        Artifact.read(directory, warnings::add).kernelSourceSha256("gemv_w16"),
        artifact.kernelSourceSha256("gemv_w16"));
    ArtifactException unknown = assertThrows(ArtifactException.class, () -> ahead.source("gemm"));
    assertTrue(unknown.getMessage().contains("names no kernel 'gemm'"), unknown.getMessage());
  }

  @Test
  void anEditedSourceIsUsedAndReported() throws IOException {
    Path directory = artifact(withKernelSha(ManifestReaderTest.everyField(), "00".repeat(32)));
    List<String> warnings = new ArrayList<>();
    Artifact artifact = Artifact.read(directory, KernelSources.read(directory), warnings::add);
    assertEquals(SOURCE, artifact.kernelSource("gemv_w16"));
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(
        warnings.getFirst().contains("gemv_w16.cl was edited after compile"), warnings.toString());
  }

  @Test
  void aManifestThatChangedSinceTheSourcesWereReadIsRefused() throws IOException {
    Manifest manifest = withKernelSha(ManifestReaderTest.everyField(), Hashes.sha256(SOURCE));
    Path directory = artifact(manifest);
    KernelSources ahead = KernelSources.read(directory);
    ArtifactJson.mapper()
        .writeValue(
            directory.resolve(Artifact.MANIFEST).toFile(),
            withKernelSha(manifest, "ef".repeat(32)));
    ArtifactException e =
        assertThrows(ArtifactException.class, () -> Artifact.read(directory, ahead, w -> {}));
    assertTrue(e.getMessage().contains("changed while it was being read"), e.getMessage());
  }

  @Test
  void aMissingKernelFileOrManifestIsNamed() throws IOException {
    Path directory =
        artifact(withKernelSha(ManifestReaderTest.everyField(), Hashes.sha256(SOURCE)));
    Files.delete(directory.resolve(Artifact.KERNELS).resolve("gemv_w16.cl"));
    ArtifactException missing =
        assertThrows(ArtifactException.class, () -> KernelSources.read(directory));
    assertTrue(
        missing.getMessage().contains("is incomplete: kernel file")
            && missing.getMessage().contains("gemv_w16.cl"),
        missing.getMessage());
    ArtifactException none =
        assertThrows(ArtifactException.class, () -> KernelSources.read(folder.resolve("nothing")));
    assertTrue(none.getMessage().contains("is not an oclc artifact"), none.getMessage());
  }
}
