package oclc.artifact;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A pull reader of JSON text, a token at a time, each with the line and column where it starts. It
 * exists for the warm start, where the JVM is cold: jackson-core's streaming parser, which read the
 * manifest before, cost 100-150 ms there before its first token (its classes, and BigDecimal's
 * static tables, which it initialises), more than reading all of GPT-2 small's 800 KB manifest
 * takes with this. Writing stays with Jackson's mapper ({@link ArtifactJson}). It accepts standard
 * JSON only and names the line and column of the first thing that is not.
 */
final class JsonCursor {
  enum Token {
    START_OBJECT,
    END_OBJECT,
    START_ARRAY,
    END_ARRAY,
    FIELD_NAME,
    STRING,
    INTEGER,
    NUMBER,
    TRUE,
    FALSE,
    NULL
  }

  /** Where a token starts: line and column from 1 (columns count bytes). */
  record Position(int line, int column) {}

  private final byte[] text;
  private int at;
  private int line = 1;
  private int lineStart;

  /** The open objects (true) and arrays (false), innermost last. */
  private boolean[] open = new boolean[16];

  private int depth;

  /**
   * Whether a value has ended in the innermost container, so that a comma or its end comes next.
   */
  private boolean afterValue;

  private boolean started;

  private Token token;
  private String name;
  private String value;
  private int tokenLine;
  private int tokenColumn;

  JsonCursor(byte[] utf8) {
    this.text = utf8;
  }

  /** Moves to the next token; null after the top-level value, where only whitespace may follow. */
  Token next() throws IOException {
    skipWhitespace();
    tokenLine = line;
    tokenColumn = at - lineStart + 1;
    if (started && depth == 0) {
      if (at < text.length) {
        throw damaged("text after the end of the document");
      }
      return token = null;
    }
    if (at == text.length) {
      throw damaged(started ? "unexpected end of the file" : "the file is empty");
    }
    started = true;
    byte c = text[at];
    if (depth > 0 && (c == '}' || c == ']')) {
      return close(c);
    }
    if (afterValue) {
      if (c != ',') {
        throw damaged(
            "expected ',' or the end of the "
                + (open[depth - 1] ? "object" : "array")
                + ", found "
                + found());
      }
      at++;
      afterValue = false;
      skipWhitespace();
      tokenLine = line;
      tokenColumn = at - lineStart + 1;
      if (at == text.length) {
        throw damaged("unexpected end of the file");
      }
      c = text[at];
    }
    if (depth > 0 && open[depth - 1] && token != Token.FIELD_NAME) {
      return fieldName(c);
    }
    return value(c);
  }

  Token token() {
    return token;
  }

  /** The name of the field last read (it stays while its value is read). */
  String name() {
    return name;
  }

  /** The text of a string or a number. */
  String text() {
    return value;
  }

  long longValue() throws IOException {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw damaged("the integer " + value + " is out of range");
    }
  }

  float floatValue() {
    return Float.parseFloat(value);
  }

  /** The current token as the text shows it, for messages. */
  String describe() {
    return switch (token) {
      case STRING, FIELD_NAME -> "\"" + (token == Token.STRING ? value : name) + "\"";
      case INTEGER, NUMBER -> value;
      case START_OBJECT -> "'{'";
      case END_OBJECT -> "'}'";
      case START_ARRAY -> "'['";
      case END_ARRAY -> "']'";
      case TRUE -> "true";
      case FALSE -> "false";
      case NULL -> "null";
    };
  }

  Position position() {
    return new Position(tokenLine, tokenColumn);
  }

  /** At the start of an object or array, moves to its end; at any other token, stays. */
  void skipChildren() throws IOException {
    if (token != Token.START_OBJECT && token != Token.START_ARRAY) {
      return;
    }
    int end = depth - 1;
    while (depth > end) {
      next();
    }
  }

  /** The error for a problem at the current token. */
  IOException damaged(String problem) {
    return damaged(problem, position());
  }

  /** The error for a problem at {@code at}: what it is, and where. */
  static IOException damaged(String problem, Position at) {
    return new IOException(problem + " (line " + at.line() + ", column " + at.column() + ")");
  }

  private Token close(byte c) throws IOException {
    boolean object = open[depth - 1];
    if (object != (c == '}')) {
      throw damaged(
          "expected the end of the " + (object ? "object" : "array") + ", found " + found());
    }
    if (token == Token.FIELD_NAME
        || (!afterValue && token != Token.START_OBJECT && token != Token.START_ARRAY)) {
      throw damaged("expected a value, found " + found());
    }
    at++;
    depth--;
    afterValue = true;
    return token = object ? Token.END_OBJECT : Token.END_ARRAY;
  }

  private Token fieldName(byte c) throws IOException {
    if (c != '"') {
      throw damaged("expected a field name, found " + found());
    }
    name = string();
    skipWhitespace();
    if (at == text.length || text[at] != ':') {
      throw damaged("expected ':' after the field name \"" + name + "\"");
    }
    at++;
    return token = Token.FIELD_NAME;
  }

  private Token value(byte c) throws IOException {
    switch (c) {
      case '{', '[' -> {
        if (depth == open.length) {
          open = java.util.Arrays.copyOf(open, depth * 2);
        }
        open[depth++] = c == '{';
        at++;
        afterValue = false;
        return token = c == '{' ? Token.START_OBJECT : Token.START_ARRAY;
      }
      case '"' -> {
        value = string();
        return ended(Token.STRING);
      }
      case 't' -> {
        return literal("true", Token.TRUE);
      }
      case 'f' -> {
        return literal("false", Token.FALSE);
      }
      case 'n' -> {
        return literal("null", Token.NULL);
      }
      default -> {
        if (c == '-' || (c >= '0' && c <= '9')) {
          return number();
        }
        throw damaged("expected a value, found " + found());
      }
    }
  }

  private Token ended(Token value) {
    afterValue = true;
    return token = value;
  }

  private Token literal(String word, Token literal) throws IOException {
    for (int i = 0; i < word.length(); i++) {
      if (at + i == text.length || text[at + i] != word.charAt(i)) {
        throw damaged("expected a value, found " + found());
      }
    }
    at += word.length();
    return ended(literal);
  }

  private Token number() throws IOException {
    int start = at;
    boolean integer = true;
    if (text[at] == '-') {
      at++;
    }
    int digits = digits();
    if (digits == 0 || (digits > 1 && text[at - digits] == '0')) {
      throw damaged("a malformed number");
    }
    if (at < text.length && text[at] == '.') {
      at++;
      integer = false;
      if (digits() == 0) {
        throw damaged("a malformed number");
      }
    }
    if (at < text.length && (text[at] == 'e' || text[at] == 'E')) {
      at++;
      integer = false;
      if (at < text.length && (text[at] == '+' || text[at] == '-')) {
        at++;
      }
      if (digits() == 0) {
        throw damaged("a malformed number");
      }
    }
    value = new String(text, start, at - start, StandardCharsets.US_ASCII);
    return ended(integer ? Token.INTEGER : Token.NUMBER);
  }

  private int digits() {
    int start = at;
    while (at < text.length && text[at] >= '0' && text[at] <= '9') {
      at++;
    }
    return at - start;
  }

  /**
   * Reads a string from its opening quote; the plain run without escapes, the common case, is one
   * copy.
   */
  private String string() throws IOException {
    int start = ++at;
    while (at < text.length && text[at] != '"' && text[at] != '\\') {
      if ((text[at] & 0xff) < 0x20) {
        throw damaged("a control character inside a string");
      }
      at++;
    }
    if (at < text.length && text[at] == '"') {
      return new String(text, start, at++ - start, StandardCharsets.UTF_8);
    }
    StringBuilder escaped =
        new StringBuilder(new String(text, start, at - start, StandardCharsets.UTF_8));
    while (true) {
      if (at == text.length) {
        throw damaged("unexpected end of the file inside a string");
      }
      byte c = text[at];
      if (c == '"') {
        at++;
        return escaped.toString();
      }
      if (c != '\\') {
        int run = at;
        while (at < text.length && text[at] != '"' && text[at] != '\\') {
          at++;
        }
        escaped.append(new String(text, run, at - run, StandardCharsets.UTF_8));
        continue;
      }
      if (at + 1 == text.length) {
        throw damaged("unexpected end of the file inside a string");
      }
      byte e = text[at + 1];
      at += 2;
      switch (e) {
        case '"', '\\', '/' -> escaped.append((char) e);
        case 'b' -> escaped.append('\b');
        case 'f' -> escaped.append('\f');
        case 'n' -> escaped.append('\n');
        case 'r' -> escaped.append('\r');
        case 't' -> escaped.append('\t');
        case 'u' -> {
          if (at + 4 > text.length) {
            throw damaged("unexpected end of the file inside a string");
          }
          try {
            escaped.append(
                (char) Integer.parseInt(new String(text, at, 4, StandardCharsets.US_ASCII), 16));
          } catch (NumberFormatException bad) {
            throw damaged("a malformed \\u escape in a string");
          }
          at += 4;
        }
        default -> throw damaged("an unknown escape \\" + (char) e + " in a string");
      }
    }
  }

  private void skipWhitespace() {
    while (at < text.length) {
      byte c = text[at];
      if (c == '\n') {
        line++;
        lineStart = at + 1;
      } else if (c != ' ' && c != '\t' && c != '\r') {
        return;
      }
      at++;
    }
  }

  private String found() {
    if (at >= text.length) {
      return "the end of the file";
    }
    int end = at;
    while (end < text.length && end - at < 16 && text[end] != '\n') {
      end++;
    }
    return "'" + new String(text, at, Math.max(1, end - at), StandardCharsets.UTF_8) + "'";
  }
}
