package oclc.artifact;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.BasicPolymorphicTypeValidator;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.util.Arrays;
import java.util.function.Function;
import oclc.ir.DType;
import oclc.ir.Dim;

/**
 * The JSON form of the manifest: dims as their text ({@code "past_sequence_length + 1"}), types by
 * name.
 */
public final class ArtifactJson {
  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .registerModule(
              asText(
                  asText(new SimpleModule("oclc"), Dim.class, Dim::toString, Dim::parse),
                  DType.class,
                  DType::displayName,
                  ArtifactJson::dtypeNamed))
          // A type named in an artifact's JSON (a Java kernel's class) is only ever one of oclc's:
          // a
          // damaged or hostile file can name no other class, and none is loaded to check it.
          .setPolymorphicTypeValidator(
              BasicPolymorphicTypeValidator.builder().allowIfSubType("oclc.").build())
          .enable(SerializationFeature.INDENT_OUTPUT)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private ArtifactJson() {}

  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** Reads a value from its text; a text that names no value throws. */
  private interface FromText<T> {
    T parse(String text) throws IOException;
  }

  /** Adds to {@code module} the writing of {@code type}'s values as text and their reading back. */
  private static <T> SimpleModule asText(
      SimpleModule module, Class<T> type, Function<T, String> toText, FromText<T> fromText) {
    return module
        .addSerializer(
            type,
            new JsonSerializer<>() {
              @Override
              public void serialize(T value, JsonGenerator out, SerializerProvider provider)
                  throws IOException {
                out.writeString(toText.apply(value));
              }
            })
        .addDeserializer(
            type,
            new JsonDeserializer<>() {
              @Override
              public T deserialize(JsonParser in, DeserializationContext context)
                  throws IOException {
                return fromText.parse(in.getValueAsString());
              }
            });
  }

  private static DType dtypeNamed(String name) throws IOException {
    return Arrays.stream(DType.values())
        .filter(t -> t.displayName().equals(name))
        .findFirst()
        .orElseThrow(() -> new IOException("unknown element type '" + name + "'"));
  }
}
