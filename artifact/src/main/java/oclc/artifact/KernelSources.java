package oclc.artifact;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An artifact's kernel sources as their files hold them now, each with its SHA-256 (the kernel
 * cache keys binaries by it). They can be read before the rest of the manifest, so that a warm
 * start loads the kernels' binaries while the manifest is still being read.
 */
public final class KernelSources {
  private final Path directory;
  private final List<Manifest.KernelFile> kernels;
  private final Map<String, String> sources;
  private final Map<String, String> sha256;

  private KernelSources(
      Path directory,
      List<Manifest.KernelFile> kernels,
      Map<String, String> sources,
      Map<String, String> sha256) {
    this.directory = directory;
    this.kernels = kernels;
    this.sources = sources;
    this.sha256 = sha256;
  }

  /** Reads the kernels an artifact's manifest lists, without reading the rest of the manifest. */
  public static KernelSources read(Path directory) {
    Path manifestFile = directory.resolve(Artifact.MANIFEST);
    try {
      return read(directory, ManifestReader.kernels(manifestFile));
    } catch (IOException e) {
      throw Artifact.unreadable(directory, manifestFile, e);
    }
  }

  static KernelSources read(Path directory, List<Manifest.KernelFile> kernels) {
    Map<String, String> sources = new LinkedHashMap<>();
    Map<String, String> hashes = new LinkedHashMap<>();
    for (Manifest.KernelFile kernel : kernels) {
      Path file = directory.resolve(Artifact.KERNELS).resolve(kernel.file());
      try {
        String source = Files.readString(file, StandardCharsets.UTF_8);
        sources.put(kernel.name(), source);
        hashes.put(kernel.name(), Hashes.sha256(source));
      } catch (NoSuchFileException e) {
        throw new ArtifactException(
            directory + " is incomplete: kernel file " + file + " is missing");
      } catch (IOException e) {
        throw new ArtifactException("cannot read " + file + ": " + e.getMessage(), e);
      }
    }
    return new KernelSources(directory, List.copyOf(kernels), sources, hashes);
  }

  /**
   * The kernels, in the manifest's order, as it lists them (with the SHA-256 each had when
   * compiled).
   */
  public List<Manifest.KernelFile> kernels() {
    return kernels;
  }

  /** The source of a kernel, as its file holds it now. */
  public String source(String kernelName) {
    String source = sources.get(kernelName);
    if (source == null) {
      throw new ArtifactException(
          directory + ": the manifest names no kernel '" + kernelName + "'");
    }
    return source;
  }

  /** The SHA-256 (hex) of a kernel's source as its file holds it now. */
  public String sha256(String kernelName) {
    source(kernelName); // the same error for a kernel the manifest does not name
    return sha256.get(kernelName);
  }

  /** The kernels whose files were edited after compile (their text is used as it is now). */
  List<Manifest.KernelFile> edited() {
    return kernels.stream().filter(k -> !k.sha256().equals(sha256.get(k.name()))).toList();
  }
}
