package oclc.artifact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import oclc.artifact.Manifest.Argument;
import oclc.artifact.Manifest.Assumption;
import oclc.artifact.Manifest.BufferKind;
import oclc.artifact.Manifest.BufferSpec;
import oclc.artifact.Manifest.Condition;
import oclc.artifact.Manifest.Dispatch;
import oclc.artifact.Manifest.KernelFile;
import oclc.artifact.Manifest.NodeLaunches;
import oclc.artifact.Manifest.SymbolRange;
import oclc.artifact.Manifest.TensorSpec;
import oclc.artifact.Manifest.Variant;
import oclc.ir.DType;
import oclc.ir.Dim;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streaming reader reads back what the mapper writes, every field of it, and says where a
 * damaged file breaks.
 */
class ManifestReaderTest {
  @TempDir Path folder;

  private static List<Dim> dims(String... texts) {
    return java.util.Arrays.stream(texts).map(Dim::parse).toList();
  }

  /**
   * A manifest with every field of every record set (not null, not empty), each kind of argument
   * once.
   */
  static Manifest everyField() {
    Dispatch dispatch =
        new Dispatch(
            "gemv_w16",
            List.of(
                new Argument.Buffer("x"),
                new Argument.Int(Dim.parse("64 * sequence_length")),
                new Argument.Long(Dim.parse("past_sequence_length")),
                new Argument.Float(0.125f)),
            dims("floordiv(sequence_length + 15, 16)", "12 * batch_size"),
            dims("16", "1"));
    Variant variant =
        new Variant(
            "gemv_keys0..64",
            List.of(new Condition(Dim.parse("past_sequence_length + sequence_length"), 0, 64)),
            List.of(dispatch));
    NodeLaunches node =
        new NodeLaunches(
            "/h.0/attn/MatMul",
            "MatMul",
            List.of("x", "w"),
            List.of("y"),
            List.of(variant),
            List.of("/h.0/attn/Add"),
            List.of("/h.0/attn/MatMul_output_0"));
    BufferSpec everyBufferField =
        new BufferSpec(
            "present_k",
            DType.FLOAT32,
            dims("batch_size", "12", "sequence_length", "64"),
            BufferKind.CACHE,
            "past_k",
            128,
            4096,
            dims("batch_size", "12", "1024", "64"),
            List.of(0, 1, 3, 2),
            "crc32c:0123abcd");
    return new Manifest(
        Manifest.FORMAT_VERSION,
        "0.1.0",
        "gpt2.onnx",
        "ab".repeat(32),
        List.of(
            new SymbolRange("sequence_length", 1, 1024, "model", "the cache's capacity"),
            new SymbolRange(
                "total_sequence_length",
                1,
                1024,
                "unified",
                "= sequence_length (broadcast in Where 'mask')")),
        List.of(
            new TensorSpec(
                "input_ids",
                DType.INT64,
                dims("batch_size", "sequence_length"),
                new Manifest.IndexRange(50257, "wte.weight", "/wte/Gather")),
            // A dim_param that reads like arithmetic is one opaque symbol, quoted in the text.
            new TensorSpec(
                "attention_mask",
                DType.INT64,
                List.of(Dim.symbol("batch_size"), Dim.symbol("past_sequence_length + 1")))),
        List.of(
            new TensorSpec(
                "logits", DType.FLOAT32, dims("batch_size", "sequence_length", "50257"))),
        List.of(
            new Assumption(
                Dim.parse("past_sequence_length + sequence_length"),
                Dim.parse("1024"),
                "the cache's capacity"),
            new Assumption(
                Dim.symbol("total_sequence_length"),
                Dim.symbol("sequence_length"),
                "broadcast in Where 'mask'",
                true)),
        List.of(
            everyBufferField,
            BufferSpec.param("w", DType.FLOAT32, dims("768", "768"))
                .at(64, 2359296, "crc32c:89abcdef")),
        List.of(new KernelFile("gemv_w16", "gemv_w16.cl", "cd".repeat(32))),
        List.of(node),
        Manifest.JAVA,
        true,
        List.of(
            new Manifest.WeightFormat(
                "/h.0/attn/c_attn/Gemm", "h.0.attn.c_attn.weight_Q4", "int4 MatMulNBits b32")));
  }

  private Path written(Manifest manifest) throws IOException {
    Path file = folder.resolve("manifest.json");
    ArtifactJson.mapper().writeValue(file.toFile(), manifest);
    return file;
  }

  @Test
  void readsBackEveryFieldTheMapperWrites() throws IOException {
    Manifest manifest = everyField();
    assertEveryComponentSet(manifest);
    assertEquals(manifest, ManifestReader.read(written(manifest)));
    assertEquals(
        Manifest.JAVA, ManifestReader.backend(written(manifest)), "found without reading the rest");
    assertEquals(
        ArtifactJson.mapper().readValue(written(manifest).toFile(), Manifest.class),
        ManifestReader.read(written(manifest)),
        "the same records as data binding gives");
  }

  @Test
  void theKernelsComeBeforeTheLongPartsAndAreFoundWithoutThem() throws IOException {
    Manifest manifest = everyField();
    String json = Files.readString(written(manifest));
    assertTrue(
        json.indexOf("\"backend\"") < json.indexOf("\"buffers\"")
            && json.indexOf("\"kernels\"") < json.indexOf("\"buffers\"")
            && json.indexOf("\"kernels\"") < json.indexOf("\"nodes\""),
        json);
    assertEquals(manifest.kernels(), ManifestReader.kernels(written(manifest)));
    // An older manifest had them after the buffers; the skim finds them there too.
    java.util.regex.Matcher kernels =
        java.util.regex.Pattern.compile("\"kernels\" : \\[[^\\]]*\\],").matcher(json);
    assertTrue(kernels.find(), json);
    String older =
        json.replace(kernels.group(), "")
            .replace("\"nodes\" : ", kernels.group() + " \"nodes\" : ");
    assertTrue(older.indexOf("\"kernels\"") > older.indexOf("\"buffers\""), older);
    Path file = folder.resolve("older.json");
    Files.writeString(file, older);
    assertEquals(manifest.kernels(), ManifestReader.kernels(file));
    assertEquals(manifest, ManifestReader.read(file));
  }

  @Test
  void readsManifestsFromBeforeTheLaterFields() throws IOException {
    Path file = written(everyField());
    String older =
        Files.readString(file)
            .replaceAll(",\\s*\"backend\" : \"java\"", "")
            .replaceAll(",\\s*\"fusion\" : true", "")
            .replaceAll(",\\s*\"fused\" : \\[[^\\]]*\\]", "")
            .replaceAll(",\\s*\"internal\" : \\[[^\\]]*\\]", "")
            .replaceAll(",\\s*\"weights\" : \\[[^\\]]*\\]", "");
    Files.writeString(file, older);
    Manifest read = ManifestReader.read(file);
    assertEquals(Manifest.OPENCL, read.backend());
    assertEquals(Manifest.OPENCL, ManifestReader.backend(file));
    assertEquals(false, read.fusion());
    assertEquals(List.of(), read.nodes().getFirst().fused());
    assertEquals(List.of(), read.weights(), "no formats: the weights as exported");
  }

  @Test
  void namesWhatIsWrongAndWhere() throws IOException {
    Path file = written(everyField());
    String json = Files.readString(file);
    assertProblem(json.substring(0, json.length() / 2), "unexpected end of the file");
    assertProblem(
        json.replace("\"opType\"", "\"opKind\""),
        "a node has a field 'opKind' this oclc does not know");
    assertProblem(
        json.replaceFirst("\"kernel\" : \"gemv_w16\",", ""), "a dispatch has no 'kernel'");
    assertProblem(json.replace("\"float32\"", "\"float31\""), "unknown element type 'float31'");
    assertProblem(
        json.replace("\"64 * sequence_length\"", "\"64 * (sequence_length\""),
        "the size \"64 * (sequence_length\"");
    assertProblem(
        json.replace("\"kind\" : \"long\"", "\"kind\" : \"double\""),
        "unknown kernel argument kind 'double'");
    assertProblem(json.replace("\"min\" : 1,", "\"min\" : \"one\","), "expected an integer");
    assertProblem(
        json.replaceFirst("\"permutation\" : \\[ 0,", "\"permutation\" : [ 4294967296,"),
        "the integer 4294967296 is out of range");
    assertProblem(json + "{}", "text after the end of the document");
  }

  private void assertProblem(String json, String expected) throws IOException {
    Path file = folder.resolve("damaged.json");
    Files.writeString(file, json, StandardCharsets.UTF_8);
    IOException e = assertThrows(IOException.class, () -> ManifestReader.read(file));
    assertTrue(
        e.getMessage().contains(expected) && e.getMessage().contains("line "), e.getMessage());
  }

  /**
   * Guards the fixture: every component of every record type in it is set (not null, not an empty
   * list) in at least one instance, so that a field added later without a value here fails this
   * test.
   */
  private static void assertEveryComponentSet(Manifest manifest) {
    Map<Class<?>, Set<String>> unset = new HashMap<>();
    Map<Class<?>, Set<String>> set = new HashMap<>();
    visit(manifest, set, unset);
    unset.forEach(
        (type, names) ->
            names.forEach(
                name ->
                    assertTrue(
                        set.getOrDefault(type, Set.of()).contains(name),
                        type.getSimpleName() + "." + name + " is never set in the fixture")));
  }

  private static void visit(
      Object value, Map<Class<?>, Set<String>> set, Map<Class<?>, Set<String>> unset) {
    if (value instanceof Collection<?> values) {
      values.forEach(v -> visit(v, set, unset));
    } else if (value instanceof Record record) {
      for (RecordComponent component : record.getClass().getRecordComponents()) {
        try {
          Object field = component.getAccessor().invoke(record);
          boolean present = field != null && !(field instanceof Collection<?> c && c.isEmpty());
          (present ? set : unset)
              .computeIfAbsent(record.getClass(), k -> new HashSet<>())
              .add(component.getName());
          visit(field, set, unset);
        } catch (ReflectiveOperationException e) {
          throw new AssertionError(e);
        }
      }
    }
  }
}
