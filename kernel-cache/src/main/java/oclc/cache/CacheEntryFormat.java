package oclc.cache;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * The bytes of one cache entry: a magic word, the key's fields as text (for {@code oclc cache
 * list}), the binary's length and CRC-32, then the binary. Any truncation or bit flip fails the
 * length or checksum test on reading. CRC-32 rather than a cryptographic hash: it guards against
 * accidents, not tampering, and the JDK computes it natively, which matters on the warm-start path
 * (a cold JVM hashes GPT-2's 4.5 MB of binaries with SHA-256 in ~70 ms, with CRC-32 in ~2 ms).
 */
final class CacheEntryFormat {
  private static final byte[] MAGIC = "OCLCBIN2".getBytes(StandardCharsets.US_ASCII);

  /** The magic word of the format before, whose checksum was a SHA-256. */
  private static final byte[] FORMER_MAGIC = "OCLCBIN1".getBytes(StandardCharsets.US_ASCII);

  private CacheEntryFormat() {}

  /** A decoded entry, or why it could not be decoded. */
  sealed interface Decoded {
    record Valid(CacheKey key, byte[] binary) implements Decoded {}

    record Corrupt(String reason) implements Decoded {}
  }

  static byte[] encode(CacheKey key, byte[] binary) {
    StringBuilder header = new StringBuilder();
    key.fields().forEach((k, v) -> header.append(k).append('=').append(escape(v)).append('\n'));
    byte[] headerBytes = header.toString().getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream bytes =
        new ByteArrayOutputStream(binary.length + headerBytes.length + 64);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.write(MAGIC);
      out.writeInt(headerBytes.length);
      out.write(headerBytes);
      out.writeLong(binary.length);
      out.writeInt(crc32(binary));
      out.write(binary);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static Decoded decode(byte[] file) {
    try {
      ByteBuffer in = ByteBuffer.wrap(file);
      byte[] magic = new byte[MAGIC.length];
      in.get(magic);
      if (MessageDigest.isEqual(magic, FORMER_MAGIC)) {
        return new Decoded.Corrupt("written in the cache format of an earlier oclc");
      }
      if (!MessageDigest.isEqual(magic, MAGIC)) {
        return new Decoded.Corrupt("not an oclc cache entry (bad magic)");
      }
      int headerLength = in.getInt();
      if (headerLength < 0 || headerLength > in.remaining()) {
        return new Decoded.Corrupt("header length " + headerLength + " exceeds the file");
      }
      byte[] header = new byte[headerLength];
      in.get(header);
      long length = in.getLong();
      int checksum = in.getInt();
      if (length != in.remaining()) {
        return new Decoded.Corrupt(
            "binary of "
                + in.remaining()
                + " bytes, the header says "
                + length
                + " (truncated write?)");
      }
      byte[] binary = new byte[(int) length];
      in.get(binary);
      if (checksum != crc32(binary)) {
        return new Decoded.Corrupt("checksum mismatch");
      }
      return new Decoded.Valid(CacheKey.fromFields(parseHeader(header)), binary);
    } catch (BufferUnderflowException e) {
      return new Decoded.Corrupt("the file ends inside its header (truncated)");
    }
  }

  private static int crc32(byte[] bytes) {
    CRC32 crc = new CRC32();
    crc.update(bytes);
    return (int) crc.getValue();
  }

  private static Map<String, String> parseHeader(byte[] header) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (String line : new String(header, StandardCharsets.UTF_8).split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        fields.put(line.substring(0, eq), unescape(line.substring(eq + 1)));
      }
    }
    return fields;
  }

  private static String escape(String s) {
    return s.replace("\\", "\\\\").replace("\n", "\\n");
  }

  private static String unescape(String s) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        char next = s.charAt(++i);
        out.append(next == 'n' ? '\n' : next);
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
