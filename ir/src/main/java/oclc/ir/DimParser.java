package oclc.ir;

/**
 * Reads a {@link Dim} back from the text {@link Dim#toString} writes (manifests and graph.json
 * store dims as text): sums and differences of terms, each a product of an optional integer and
 * factors, a factor being a symbol (a name, or any label in double quotes) or floordiv/mod/min/max
 * of two expressions.
 */
final class DimParser {
  private final String text;
  private int position;

  private DimParser(String text) {
    this.text = text;
  }

  static Dim parse(String text) {
    DimParser parser = new DimParser(text);
    Dim result;
    try {
      result = parser.expression();
    } catch (ArithmeticException e) {
      // floordiv(a, 0), mod(a, 0), or a constant beyond 64 bits: the text names no dimension
      throw parser.error(e.getMessage());
    }
    parser.skipSpaces();
    if (parser.position != text.length()) {
      throw parser.error("unexpected '" + text.charAt(parser.position) + "'");
    }
    return result;
  }

  private Dim expression() {
    skipSpaces();
    boolean negative = accept('-');
    Dim sum = negative ? term().times(-1) : term();
    while (true) {
      skipSpaces();
      if (accept('+')) {
        sum = sum.plus(term());
      } else if (accept('-')) {
        sum = sum.minus(term());
      } else {
        return sum;
      }
    }
  }

  private Dim term() {
    Dim product = factor();
    while (true) {
      skipSpaces();
      if (!accept('*')) {
        return product;
      }
      product = product.times(factor());
    }
  }

  private Dim factor() {
    skipSpaces();
    if (position < text.length() && Character.isDigit(text.charAt(position))) {
      int start = position;
      while (position < text.length() && Character.isDigit(text.charAt(position))) {
        position++;
      }
      String digits = text.substring(start, position);
      try {
        return Dim.of(Long.parseLong(digits));
      } catch (NumberFormatException e) {
        position = start;
        throw error("the number " + digits + " does not fit in 64 bits");
      }
    }
    if (accept('"')) {
      return Dim.symbol(quotedRest());
    }
    String name = name();
    skipSpaces();
    if (!accept('(')) {
      return Dim.symbol(name);
    }
    Dim left = expression();
    expect(',');
    Dim right = expression();
    expect(')');
    return switch (name) {
      case "floordiv" -> left.floorDiv(right);
      case "mod" -> left.mod(right);
      case "min" -> left.min(right);
      case "max" -> left.max(right);
      default -> throw error("unknown function '" + name + "'");
    };
  }

  private String name() {
    int start = position;
    while (position < text.length() && isNameCharacter(text.charAt(position))) {
      position++;
    }
    if (start == position) {
      throw error(
          position < text.length()
              ? "unexpected '" + text.charAt(position) + "'"
              : "unexpected end");
    }
    return text.substring(start, position);
  }

  /** The label of a quoted symbol, after its opening quote; {@code \\} escapes a quote. */
  private String quotedRest() {
    StringBuilder label = new StringBuilder();
    while (position < text.length()) {
      char c = text.charAt(position++);
      if (c == '"') {
        return label.toString();
      }
      if (c == '\\' && position < text.length()) {
        c = text.charAt(position++);
      }
      label.append(c);
    }
    throw error("unterminated quoted symbol");
  }

  /** Whether a symbol's name reads back unquoted: name characters, not starting with a digit. */
  static boolean isPlainName(String name) {
    if (name.isEmpty() || Character.isDigit(name.charAt(0))) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      if (!isNameCharacter(name.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** {@code name} in double quotes, its quotes and backslashes escaped. */
  static String quoted(String name) {
    return '"' + name.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }

  /** Symbols are ONNX dim_params and generated names such as {@code /h.0/attn/TopK.k}. */
  private static boolean isNameCharacter(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '/' || c == ':';
  }

  private void expect(char c) {
    skipSpaces();
    if (!accept(c)) {
      throw error("expected '" + c + "'");
    }
  }

  private boolean accept(char c) {
    if (position < text.length() && text.charAt(position) == c) {
      position++;
      return true;
    }
    return false;
  }

  private void skipSpaces() {
    while (position < text.length() && text.charAt(position) == ' ') {
      position++;
    }
  }

  private OclcException error(String what) {
    return new OclcException(
        "cannot read dimension \"" + text + "\": " + what + " at position " + position);
  }
}
