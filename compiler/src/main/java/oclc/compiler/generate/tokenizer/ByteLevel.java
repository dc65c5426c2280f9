package oclc.compiler.generate.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * GPT-2's byte-level spelling: every byte of UTF-8 text is written as one printable character (the
 * printable Latin-1 bytes stand for themselves, the others for 256 + n), so that a BPE vocabulary
 * of strings covers every byte sequence.
 */
public final class ByteLevel {
  /**
   * GPT-2's word pattern, as Hugging Face's ByteLevel pre-tokenizer spells it. Its {@code \s} is
   * Unicode white space there (Oniguruma), hence {@link Pattern#UNICODE_CHARACTER_CLASS} here.
   */
  public static final Pattern GPT2_WORDS =
      Pattern.compile(
          "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
          Pattern.UNICODE_CHARACTER_CLASS);

  private static final char[] BYTE_TO_CHAR = new char[256];

  /** The byte each spelling character stands for, or -1; indexed by character (all below 512). */
  private static final int[] CHAR_TO_BYTE = new int[512];

  static {
    java.util.Arrays.fill(CHAR_TO_BYTE, -1);
    int next = 0;
    for (int b = 0; b < 256; b++) {
      boolean printable =
          (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
      BYTE_TO_CHAR[b] = printable ? (char) b : (char) (256 + next++);
      CHAR_TO_BYTE[BYTE_TO_CHAR[b]] = b;
    }
  }

  private ByteLevel() {}

  /** The text's UTF-8 bytes, one spelling character each. */
  public static String spell(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    StringBuilder spelt = new StringBuilder(bytes.length);
    for (byte b : bytes) {
      spelt.append(BYTE_TO_CHAR[b & 0xFF]);
    }
    return spelt.toString();
  }

  /** The one character that spells this byte. */
  public static String spell(int oneByte) {
    return String.valueOf(BYTE_TO_CHAR[oneByte & 0xFF]);
  }

  /**
   * The bytes a token stands for. As Hugging Face's ByteLevel decoder does, a token with a
   * character outside the spelling (an added token such as a run of plain spaces) stands for its
   * own UTF-8 bytes.
   */
  public static byte[] bytesOf(String token) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(token.length());
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      int b = c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1;
      if (b < 0) {
        return token.getBytes(StandardCharsets.UTF_8);
      }
      bytes.write(b);
    }
    return bytes.toByteArray();
  }
}
