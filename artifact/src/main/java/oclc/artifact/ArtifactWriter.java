package oclc.artifact;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import oclc.artifact.Manifest.BufferKind;
import oclc.artifact.Manifest.BufferSpec;
import oclc.artifact.Manifest.KernelFile;

/**
 * Writes an artifact folder. Everything goes to a temporary sibling folder first, which then
 * replaces the old artifact by two renames (the old one aside, the new one in): a failed or killed
 * compile leaves the previous artifact whole, and the next write cleans up what a killed one left.
 */
public final class ArtifactWriter {
  /** The suffixes, before the writer's pid, of the staged new artifact and the replaced old one. */
  private static final String STAGING = ".tmp-";

  private static final String REPLACED = ".old-";

  private ArtifactWriter() {}

  /**
   * What a compile hands over: the manifest without param offsets or kernel files yet, and their
   * contents.
   */
  public record Contents(
      Manifest manifest,
      Map<String, String> kernelSources,
      Map<String, ByteBuffer> paramBytes,
      String graphJson,
      String scheduleJson) {}

  /** Writes {@code contents} to {@code directory} and returns the manifest as written. */
  public static Manifest write(Path directory, Contents contents) {
    Path target = directory.toAbsolutePath().normalize();
    Path staging = sibling(target, STAGING, ProcessHandle.current().pid());
    try {
      recoverInterrupted(target);
      Folders.deleteTree(staging);
      Files.createDirectories(staging.resolve(Artifact.KERNELS));
      List<KernelFile> kernels = new ArrayList<>();
      for (KernelFile k : contents.manifest().kernels()) {
        String source = contents.kernelSources().get(k.name());
        String file = k.file() == null || k.file().isEmpty() ? k.name() + ".cl" : k.file();
        Files.writeString(
            staging.resolve(Artifact.KERNELS).resolve(file), source, StandardCharsets.UTF_8);
        kernels.add(new KernelFile(k.name(), file, Hashes.sha256(source)));
      }
      List<BufferSpec> buffers = writeParams(staging.resolve(Artifact.PARAMS), contents);
      Manifest m = contents.manifest();
      Manifest written =
          new Manifest(
              m.formatVersion(),
              m.oclcVersion(),
              m.model(),
              m.modelSha256(),
              m.symbols(),
              m.inputs(),
              m.outputs(),
              m.assumptions(),
              buffers,
              kernels,
              m.nodes(),
              m.backend(),
              m.fusion(),
              m.weights());
      ArtifactJson.mapper().writeValue(staging.resolve(Artifact.MANIFEST).toFile(), written);
      Files.writeString(
          staging.resolve(Artifact.GRAPH), contents.graphJson(), StandardCharsets.UTF_8);
      Files.writeString(
          staging.resolve(Artifact.SCHEDULE), contents.scheduleJson(), StandardCharsets.UTF_8);
      replace(staging, target);
      return written;
    } catch (IOException e) {
      throw new ArtifactException("cannot write the artifact " + target + ": " + e.getMessage(), e);
    } finally {
      Folders.deleteTree(staging);
    }
  }

  /** Writes the device binaries next to the kernels, for deployment without a kernel cache. */
  public static void embedBinary(
      Path directory, String kernelName, String deviceKey, byte[] binary) {
    try {
      Path folder = directory.resolve(Artifact.BINARIES).resolve(deviceKey);
      Files.createDirectories(folder);
      Files.write(folder.resolve(kernelName + ".bin"), binary);
    } catch (IOException e) {
      throw new ArtifactException(
          "cannot write the binary of " + kernelName + " into " + directory, e);
    }
  }

  private static List<BufferSpec> writeParams(Path file, Contents contents) throws IOException {
    List<BufferSpec> buffers = new ArrayList<>();
    try (FileChannel channel =
        FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      long offset = 0;
      // a weight whose bytes equal one already written (a tied head folded into its own copy) is
      // written once and read at the first one's offset
      Map<ByteBuffer, BufferSpec> written = new HashMap<>();
      for (BufferSpec b : contents.manifest().buffers()) {
        if (b.kind() != BufferKind.PARAM) {
          buffers.add(b);
          continue;
        }
        ByteBuffer bytes = contents.paramBytes().get(b.name());
        if (bytes == null) {
          throw new IllegalArgumentException("param " + b.name() + " has no bytes");
        }
        BufferSpec same = written.get(bytes.duplicate());
        if (same != null) {
          buffers.add(b.at(same.offset(), same.bytes(), same.checksum()));
          continue;
        }
        long aligned =
            (offset + Artifact.PARAM_ALIGNMENT - 1)
                / Artifact.PARAM_ALIGNMENT
                * Artifact.PARAM_ALIGNMENT;
        ByteBuffer view = bytes.duplicate();
        long length = view.remaining();
        channel.position(aligned);
        while (view.hasRemaining()) {
          channel.write(view);
        }
        BufferSpec placed = b.at(aligned, length, ParamChecksums.of(bytes));
        buffers.add(placed);
        written.put(bytes.duplicate(), placed);
        offset = aligned + length;
      }
      channel.force(true);
    }
    return buffers;
  }

  /**
   * Cleans up after a write that was killed (by the pid in the names, no longer running): its
   * staging folder goes; the artifact it was replacing, moved aside and not yet removed, goes too,
   * unless the kill came between the two renames and left no artifact, which it then is again.
   */
  static void recoverInterrupted(Path target) throws IOException {
    Path parent = target.getParent();
    if (parent == null || !Files.isDirectory(parent)) {
      return;
    }
    List<Path> leftovers = new ArrayList<>();
    try (var siblings = Files.list(parent)) {
      siblings.filter(p -> writerOf(target, p).isPresent()).forEach(leftovers::add);
    }
    for (Path leftover : leftovers) {
      long pid = writerOf(target, leftover).orElseThrow();
      if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
        continue; // another compile of the same target, still at work
      }
      boolean replaced = leftover.getFileName().toString().contains(REPLACED);
      if (replaced && !Files.exists(target) && Artifact.isArtifact(leftover)) {
        Files.move(leftover, target);
      } else {
        Folders.deleteTree(leftover);
      }
    }
  }

  private static Path sibling(Path target, String role, long pid) {
    return target.resolveSibling(target.getFileName() + role + pid);
  }

  /** The pid of the write that made {@code path}, if it is one of {@code target}'s siblings. */
  private static OptionalLong writerOf(Path target, Path path) {
    String name = path.getFileName().toString();
    for (String role : List.of(STAGING, REPLACED)) {
      String prefix = target.getFileName() + role;
      if (name.startsWith(prefix) && name.length() > prefix.length()) {
        try {
          return OptionalLong.of(Long.parseLong(name.substring(prefix.length())));
        } catch (NumberFormatException e) {
          return OptionalLong.empty();
        }
      }
    }
    return OptionalLong.empty();
  }

  private static void replace(Path staging, Path target) throws IOException {
    Path old = sibling(target, REPLACED, ProcessHandle.current().pid());
    if (Files.exists(target)) {
      if (!Artifact.isArtifact(target)) {
        throw new IOException(target + " exists and is not an oclc artifact; not replacing it");
      }
      Files.move(target, old);
    }
    Files.move(staging, target);
    Folders.deleteTree(old);
  }
}
