package oclc.compiler.generate.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Decodes tokens one at a time for printing as they arrive. A byte-level token may end inside a
 * UTF-8 character (an emoji is often two tokens): those bytes are held back until the character is
 * whole, so the pieces printed join up to {@link Tokenizer#decode} of all the tokens.
 */
public final class TextStream {
  private final Tokenizer tokenizer;
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

  TextStream(Tokenizer tokenizer) {
    this.tokenizer = tokenizer;
  }

  /** The text that this token completes (may be empty). */
  public String add(long id) {
    pending.writeBytes(tokenizer.bytesOf(id));
    byte[] bytes = pending.toByteArray();
    int whole = wholePrefix(bytes);
    pending.reset();
    pending.write(bytes, whole, bytes.length - whole);
    return new String(bytes, 0, whole, StandardCharsets.UTF_8);
  }

  /** What is still held back, as text (a character never completed becomes U+FFFD). */
  public String finish() {
    String rest = pending.toString(StandardCharsets.UTF_8);
    pending.reset();
    return rest;
  }

  /**
   * How many leading bytes end on a character boundary: all of them unless the last lead byte
   * starts a sequence longer than what follows it.
   */
  static int wholePrefix(byte[] bytes) {
    for (int back = 1; back <= Math.min(4, bytes.length); back++) {
      int b = bytes[bytes.length - back] & 0xFF;
      if ((b & 0xC0) == 0x80) {
        continue; // a continuation byte: its lead is further back
      }
      int length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
      return length > back && b < 0xF8 ? bytes.length - back : bytes.length;
    }
    return bytes.length;
  }
}
