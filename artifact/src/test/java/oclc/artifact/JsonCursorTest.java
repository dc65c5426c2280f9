package oclc.artifact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import oclc.artifact.JsonCursor.Token;
import org.junit.jupiter.api.Test;

/** The cursor gives the tokens jackson-core gives, and refuses what is not JSON, saying where. */
class JsonCursorTest {
  private static final JsonFactory JACKSON = new JsonFactory();

  @Test
  void tokensAndValuesAreJacksons() throws IOException {
    String fixed =
        "{\"a\" : [1, -2, 0, 3.5, -1.25E-3, 7e2, true, false, null, {}, [], [[]], {\"b\":{}}],\n"
            + "  \"escapes\" : \"q\\\" s\\\\ /\\/ \\b\\f\\n\\r\\t \\u00e9\\u4e2d\", \"utf8\" : \"é中😀\", \"\" : \"\"}";
    assertSameTokens(fixed);
    Random random = new Random(11);
    for (int i = 0; i < 200; i++) {
      assertSameTokens(randomValue(random, 0));
    }
  }

  @Test
  void positionsAreWhereTokensStart() throws IOException {
    JsonCursor cursor = cursor("{\n  \"name\" : \"x\",\n  \"n\" : [ 12 ]\n}");
    assertEquals(Token.START_OBJECT, cursor.next());
    assertEquals(new JsonCursor.Position(1, 1), cursor.position());
    assertEquals(Token.FIELD_NAME, cursor.next());
    assertEquals(new JsonCursor.Position(2, 3), cursor.position());
    cursor.next();
    cursor.next();
    assertEquals(new JsonCursor.Position(3, 3), cursor.position());
    cursor.next();
    assertEquals(Token.INTEGER, cursor.next());
    assertEquals(new JsonCursor.Position(3, 11), cursor.position());
    assertEquals(12, cursor.longValue());
  }

  @Test
  void skipChildrenMovesToTheEndOfTheContainer() throws IOException {
    JsonCursor cursor = cursor("{\"skip\" : {\"a\" : [1, {\"b\" : []}], \"c\" : 2}, \"keep\" : 3}");
    cursor.next();
    cursor.next();
    assertEquals(Token.START_OBJECT, cursor.next());
    cursor.skipChildren();
    assertEquals(Token.END_OBJECT, cursor.token());
    assertEquals(Token.FIELD_NAME, cursor.next());
    assertEquals("keep", cursor.name());
    assertEquals(Token.INTEGER, cursor.next());
    assertEquals("keep", cursor.name(), "a field's name stays while its value is read");
  }

  @Test
  void everyTruncationIsAnErrorThatSaysWhere() {
    String document = "{\"a\" : [1, 2.5, \"x\\u0041y\", true, null], \"b\" : {\"c\" : false}}";
    for (int end = 0; end < document.length(); end++) {
      String prefix = document.substring(0, end);
      IOException e = assertThrows(IOException.class, () -> readAll(prefix), prefix);
      assertTrue(e.getMessage().contains("line 1, column "), e.getMessage());
    }
  }

  @Test
  void whatIsNotJsonIsRefused() {
    assertRefused("{\"a\" : 1 \"b\" : 2}", "expected ',' or the end of the object");
    assertRefused("[1, 2,]", "expected a value, found ']'");
    assertRefused("{\"a\" : 1,}", "expected a field name");
    assertRefused("{\"a\" 1}", "expected ':' after the field name \"a\"");
    assertRefused("{\"a\" : }", "expected a value");
    assertRefused("[1}", "expected the end of the array");
    assertRefused("[tru]", "expected a value, found 'tru]'");
    assertRefused("[01]", "a malformed number");
    assertRefused("[1.]", "a malformed number");
    assertRefused("[-]", "a malformed number");
    assertRefused("[\"a\\x\"]", "an unknown escape \\x");
    assertRefused("[\"a\tb\"]", "a control character inside a string");
    assertRefused("[\"\\u12\"]", "a malformed \\u escape");
    assertRefused("{} []", "text after the end of the document (line 1, column 4)");
    assertRefused("", "the file is empty");
    assertRefused("[99999999999999999999]", "out of range");
  }

  private static void assertRefused(String text, String expected) {
    IOException e = assertThrows(IOException.class, () -> readAll(text), text);
    assertTrue(e.getMessage().contains(expected), text + ": " + e.getMessage());
  }

  private static void readAll(String text) throws IOException {
    JsonCursor cursor = cursor(text);
    Token token;
    do {
      token = cursor.next();
      if (token == Token.INTEGER) {
        cursor.longValue();
      }
    } while (token != null);
  }

  private static void assertSameTokens(String text) throws IOException {
    assertEquals(jacksonTokens(text), cursorTokens(text), text);
  }

  private static List<String> cursorTokens(String text) throws IOException {
    List<String> tokens = new ArrayList<>();
    JsonCursor cursor = cursor(text);
    for (Token t = cursor.next(); t != null; t = cursor.next()) {
      tokens.add(
          switch (t) {
            case FIELD_NAME -> "name " + cursor.name();
            case STRING -> "string " + cursor.text();
            case INTEGER -> "integer " + cursor.longValue();
            case NUMBER -> "number " + cursor.floatValue();
            default -> t.name();
          });
    }
    return tokens;
  }

  private static List<String> jacksonTokens(String text) throws IOException {
    List<String> tokens = new ArrayList<>();
    try (JsonParser parser = JACKSON.createParser(text.getBytes(StandardCharsets.UTF_8))) {
      for (JsonToken t = parser.nextToken(); t != null; t = parser.nextToken()) {
        tokens.add(
            switch (t) {
              case FIELD_NAME -> "name " + parser.currentName();
              case VALUE_STRING -> "string " + parser.getText();
              case VALUE_NUMBER_INT -> "integer " + parser.getLongValue();
              case VALUE_NUMBER_FLOAT -> "number " + parser.getFloatValue();
              case VALUE_TRUE -> "TRUE";
              case VALUE_FALSE -> "FALSE";
              case VALUE_NULL -> "NULL";
              default -> t.name();
            });
      }
    }
    return tokens;
  }

  private static JsonCursor cursor(String text) {
    return new JsonCursor(text.getBytes(StandardCharsets.UTF_8));
  }

  /** A random JSON value, nested up to four deep, with random spacing. */
  private static String randomValue(Random random, int depth) {
    String space = List.of("", " ", "\n  ", "\t").get(random.nextInt(4));
    int kind = random.nextInt(depth >= 4 ? 5 : 7);
    return space
        + switch (kind) {
          case 0 -> Long.toString(random.nextLong() >> random.nextInt(64));
          case 1 ->
              Float.toString(
                  (float) (random.nextGaussian() * Math.pow(10, random.nextInt(12) - 6)));
          case 2 -> "\"" + randomString(random) + "\"";
          case 3 -> List.of("true", "false", "null").get(random.nextInt(3));
          case 4 -> "[]";
          case 5 -> {
            List<String> items = new ArrayList<>();
            for (int i = random.nextInt(4); i > 0; i--) {
              items.add(randomValue(random, depth + 1));
            }
            yield "[" + String.join("," + space, items) + "]";
          }
          default -> {
            List<String> fields = new ArrayList<>();
            for (int i = random.nextInt(4); i > 0; i--) {
              fields.add(
                  "\""
                      + randomString(random)
                      + "\""
                      + space
                      + ":"
                      + randomValue(random, depth + 1));
            }
            yield "{" + String.join(",", fields) + space + "}";
          }
        };
  }

  private static String randomString(Random random) {
    String alphabet = "ab_/.*+ 0123éß中";
    StringBuilder s = new StringBuilder();
    for (int i = random.nextInt(8); i > 0; i--) {
      switch (random.nextInt(10)) {
        case 0 -> s.append("\\n");
        case 1 -> s.append("\\\"");
        case 2 -> s.append(String.format("\\u%04x", random.nextInt(0xd000)));
        default -> s.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
    }
    return s.toString();
  }
}
