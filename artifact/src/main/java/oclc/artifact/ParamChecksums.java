package oclc.artifact;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.zip.CRC32C;
import oclc.artifact.Manifest.BufferKind;
import oclc.artifact.Manifest.BufferSpec;

/**
 * A checksum per param (CRC32C of its bytes, which the JIT computes with the CPU's CRC
 * instructions, at memory speed): written into the manifest at compile, checked against params.bin
 * by {@code oclc verify} and in the background of every load, so that a damaged weight stops a
 * session with its name rather than giving wrong tokens.
 */
public final class ParamChecksums {
  private static final String PREFIX = "crc32c:";

  private ParamChecksums() {}

  /** The checksum of {@code bytes}' remaining bytes, as the manifest records it. */
  public static String of(ByteBuffer bytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes.duplicate());
    return PREFIX + HexFormat.of().toHexDigits((int) crc.getValue());
  }

  /** What a check found: how many params and bytes it read, and those without a checksum. */
  public record Report(int params, long bytes, int unchecked) {}

  /**
   * Checks every param of {@code artifact}, in params.bin's order, telling {@code checked} each
   * param's name once it is checked. Throws {@link DamagedParamException} naming the first param
   * whose bytes do not match.
   */
  public static Report verify(Artifact artifact, Consumer<String> checked) {
    int params = 0;
    int unchecked = 0;
    long bytes = 0;
    for (BufferSpec param : artifact.manifest().buffers()) {
      if (param.kind() != BufferKind.PARAM) {
        continue;
      }
      if (param.checksum() == null) {
        unchecked++;
        continue;
      }
      Optional<DamagedParamException> damage = damage(artifact, param);
      if (damage.isPresent()) {
        throw damage.get();
      }
      params++;
      bytes += param.bytes();
      checked.accept(param.name());
    }
    return new Report(params, bytes, unchecked);
  }

  /**
   * The graph's tensor a param holds, and the param's own name where it is a packing of it (a
   * compile names those {@code tensor#how#node}).
   */
  private static String describe(String param) {
    int mark = param.indexOf('#');
    return mark <= 0
        ? "tensor '" + param + "'"
        : "tensor '" + param.substring(0, mark) + "' (as the param '" + param + "')";
  }

  /** How many params {@code manifest} has (what a check will report on). */
  public static int paramCount(Manifest manifest) {
    return (int) manifest.buffers().stream().filter(b -> b.kind() == BufferKind.PARAM).count();
  }

  /** The error for {@code param} if its bytes in params.bin no longer match its checksum. */
  static Optional<DamagedParamException> damage(Artifact artifact, BufferSpec param) {
    String actual = of(artifact.paramBytes(param));
    if (actual.equals(param.checksum())) {
      return Optional.empty();
    }
    return Optional.of(
        new DamagedParamException(
            artifact.directory().resolve(Artifact.PARAMS)
                + " is damaged: the bytes of "
                + describe(param.name())
                + " (offset "
                + param.offset()
                + ", "
                + param.bytes()
                + " bytes) have checksum "
                + actual
                + ", the manifest says "
                + param.checksum()
                + "; compile the model again",
            param.name()));
  }
}
