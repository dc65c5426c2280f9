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
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.util.Arrays;
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
              new SimpleModule("oclc")
                  .addSerializer(
                      Dim.class,
                      new JsonSerializer<>() {
                        @Override
                        public void serialize(
                            Dim dim, JsonGenerator out, SerializerProvider provider)
                            throws IOException {
                          out.writeString(dim.toString());
                        }
                      })
                  .addDeserializer(
                      Dim.class,
                      new JsonDeserializer<>() {
                        @Override
                        public Dim deserialize(JsonParser in, DeserializationContext context)
                            throws IOException {
                          return Dim.parse(in.getValueAsString());
                        }
                      })
                  .addSerializer(
                      DType.class,
                      new JsonSerializer<>() {
                        @Override
                        public void serialize(
                            DType type, JsonGenerator out, SerializerProvider provider)
                            throws IOException {
                          out.writeString(type.displayName());
                        }
                      })
                  .addDeserializer(
                      DType.class,
                      new JsonDeserializer<>() {
                        @Override
                        public DType deserialize(JsonParser in, DeserializationContext context)
                            throws IOException {
                          String name = in.getValueAsString();
                          return Arrays.stream(DType.values())
                              .filter(t -> t.displayName().equals(name))
                              .findFirst()
                              .orElseThrow(
                                  () -> new IOException("unknown element type '" + name + "'"));
                        }
                      }))
          .enable(SerializationFeature.INDENT_OUTPUT)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private ArtifactJson() {}

  public static ObjectMapper mapper() {
    return MAPPER;
  }
}
