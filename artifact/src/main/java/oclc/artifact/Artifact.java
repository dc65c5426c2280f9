package oclc.artifact;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Consumer;
import oclc.artifact.Manifest.BufferKind;
import oclc.artifact.Manifest.BufferSpec;
import oclc.artifact.Manifest.KernelFile;

/**
 * A compiled model as read from its folder: the manifest, the kernel sources, and params.bin mapped
 * into memory (weights are views of the mapping, never copied on the heap).
 */
public final class Artifact {
  public static final String MANIFEST = "manifest.json";
  public static final String GRAPH = "graph.json";

  /**
   * The schedule the kernels were made with (the families' choices per size class), editable for a
   * recompile.
   */
  public static final String SCHEDULE = "schedule.json";

  public static final String KERNELS = "kernels";
  public static final String PARAMS = "params.bin";
  public static final String BINARIES = "bin";

  /**
   * Every param starts at a multiple of this, so that it can be mapped and vector-loaded in place.
   */
  public static final int PARAM_ALIGNMENT = 64;

  private final Path directory;
  private final Manifest manifest;
  private final KernelSources kernelSources;
  private final ByteBuffer params;

  private Artifact(
      Path directory, Manifest manifest, KernelSources kernelSources, ByteBuffer params) {
    this.directory = directory;
    this.manifest = manifest;
    this.kernelSources = kernelSources;
    this.params = params;
  }

  /** Whether {@code path} looks like an artifact folder (rather than a model file). */
  public static boolean isArtifact(Path path) {
    return Files.isDirectory(path) && Files.isRegularFile(path.resolve(MANIFEST));
  }

  /**
   * The backend an artifact was compiled for ({@link Manifest#OPENCL} or {@link Manifest#JAVA}),
   * found without reading the rest of its manifest; OpenCL where the manifest cannot be read
   * (loading it then says what is wrong).
   */
  public static String backendOf(Path directory) {
    try {
      return ManifestReader.backend(directory.resolve(MANIFEST));
    } catch (IOException e) {
      return Manifest.OPENCL;
    }
  }

  /**
   * Reads an artifact. A kernel file whose text differs from the one compiled is used as it is now
   * (that is how a user replaces a kernel by hand) and reported to {@code warnings}.
   */
  public static Artifact read(Path directory, Consumer<String> warnings) {
    Manifest manifest = readManifest(directory);
    return assemble(
        directory, manifest, KernelSources.read(directory, manifest.kernels()), warnings);
  }

  /**
   * Reads an artifact whose kernel sources were read already ({@link KernelSources#read(Path)}), as
   * a warm start does to load their binaries meanwhile.
   */
  public static Artifact read(
      Path directory, KernelSources kernelSources, Consumer<String> warnings) {
    Manifest manifest = readManifest(directory);
    if (!manifest.kernels().equals(kernelSources.kernels())) {
      throw new ArtifactException(
          directory
              + " changed while it was being read: its manifest's kernels are not the ones "
              + "read before; load it again");
    }
    return assemble(directory, manifest, kernelSources, warnings);
  }

  private static Artifact assemble(
      Path directory, Manifest manifest, KernelSources kernelSources, Consumer<String> warnings) {
    for (KernelFile kernel : kernelSources.edited()) {
      warnings.accept(
          "kernel "
              + kernel.name()
              + ": "
              + directory.resolve(KERNELS).resolve(kernel.file())
              + " was edited after compile; using the edited source");
    }
    return new Artifact(directory, manifest, kernelSources, mapParams(directory, manifest));
  }

  private static Manifest readManifest(Path directory) {
    Path manifestFile = directory.resolve(MANIFEST);
    Manifest manifest;
    try {
      manifest = ManifestReader.read(manifestFile);
    } catch (IOException e) {
      throw unreadable(directory, manifestFile, e);
    }
    if (manifest.formatVersion() != Manifest.FORMAT_VERSION) {
      throw new ArtifactException(
          directory
              + " is of artifact format "
              + manifest.formatVersion()
              + "; this oclc reads format "
              + Manifest.FORMAT_VERSION
              + ": compile the model again");
    }
    return manifest;
  }

  /** The error for a manifest that cannot be read: there is none, or it is damaged. */
  static ArtifactException unreadable(Path directory, Path manifestFile, IOException e) {
    if (!Files.exists(manifestFile)) {
      return new ArtifactException(directory + " is not an oclc artifact: it has no " + MANIFEST);
    }
    return new ArtifactException(
        manifestFile + " is damaged: " + e.getMessage().lines().findFirst().orElse(""), e);
  }

  private static ByteBuffer mapParams(Path directory, Manifest manifest) {
    Path file = directory.resolve(PARAMS);
    long needed = 0;
    for (BufferSpec b : manifest.buffers()) {
      if (b.kind() == BufferKind.PARAM) {
        needed = Math.max(needed, b.offset() + b.bytes());
      }
    }
    try (FileChannel channel = FileChannel.open(file)) {
      if (channel.size() < needed) {
        throw new ArtifactException(
            file + " is truncated: " + channel.size() + " bytes, the manifest needs " + needed);
      }
      return channel
          .map(FileChannel.MapMode.READ_ONLY, 0, channel.size())
          .order(ByteOrder.LITTLE_ENDIAN);
    } catch (NoSuchFileException e) {
      throw new ArtifactException(directory + " is incomplete: " + PARAMS + " is missing");
    } catch (IOException e) {
      throw new ArtifactException("cannot map " + file + ": " + e.getMessage(), e);
    }
  }

  public Path directory() {
    return directory;
  }

  public Manifest manifest() {
    return manifest;
  }

  /** The kernels' sources as their files hold them now, with their SHA-256. */
  public KernelSources kernelSources() {
    return kernelSources;
  }

  /** The source of a kernel, as its file holds it now. */
  public String kernelSource(String kernelName) {
    return kernelSources.source(kernelName);
  }

  /** The SHA-256 (hex) of a kernel's source as its file holds it now. */
  public String kernelSourceSha256(String kernelName) {
    return kernelSources.sha256(kernelName);
  }

  /** A param's bytes: a read-only view of the mapped params.bin. */
  public ByteBuffer paramBytes(BufferSpec param) {
    if (param.kind() != BufferKind.PARAM) {
      throw new IllegalArgumentException(param.name() + " is not a param");
    }
    return params.slice((int) param.offset(), (int) param.bytes()).order(ByteOrder.LITTLE_ENDIAN);
  }
}
