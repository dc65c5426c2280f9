package oclc.artifact;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

/**
 * Reads {@code manifest.json} with jackson-core's streaming parser rather than data binding.
 * Loading an artifact is on the warm-start path, where the JVM is cold: binding GPT-2 small's
 * 800 KB manifest to the records costs ~700 ms there (the mapper and one deserializer per record
 * type are built and run interpreted), streaming it ~60 ms. The format is the one
 * {@link ArtifactJson}'s mapper writes; ManifestReaderTest reads every field of both back equal.
 * As the mapper does, it refuses a field it does not know.
 */
final class ManifestReader {
  /** Reads one JSON value for the field it is registered under. */
  private interface Value {
    Object read(ManifestReader reader) throws IOException;
  }

  private static final Map<String, Value> MANIFEST = Map.ofEntries(
      Map.entry("formatVersion", ManifestReader::integer),
      Map.entry("oclcVersion", ManifestReader::string),
      Map.entry("model", ManifestReader::string),
      Map.entry("modelSha256", ManifestReader::string),
      Map.entry("symbols", r -> r.list(ManifestReader::symbolRange)),
      Map.entry("inputs", r -> r.list(ManifestReader::tensor)),
      Map.entry("outputs", r -> r.list(ManifestReader::tensor)),
      Map.entry("assumptions", r -> r.list(ManifestReader::assumption)),
      Map.entry("buffers", r -> r.list(ManifestReader::buffer)),
      Map.entry("kernels", r -> r.list(ManifestReader::kernelFile)),
      Map.entry("nodes", r -> r.list(ManifestReader::node)),
      Map.entry("backend", ManifestReader::string),
      Map.entry("fusion", ManifestReader::bool));
  private static final Map<String, Value> SYMBOL_RANGE = Map.of(
      "name", ManifestReader::string, "min", ManifestReader::integer, "max", ManifestReader::integer);
  private static final Map<String, Value> TENSOR = Map.of(
      "name", ManifestReader::string, "dtype", ManifestReader::dtype, "shape", ManifestReader::dims);
  private static final Map<String, Value> ASSUMPTION = Map.of(
      "lessOrEqual", ManifestReader::dim, "bound", ManifestReader::dim, "reason", ManifestReader::string);
  private static final Map<String, Value> BUFFER = Map.of(
      "name", ManifestReader::string, "dtype", ManifestReader::dtype, "shape", ManifestReader::dims,
      "kind", ManifestReader::bufferKind, "viewOf", ManifestReader::string, "offset", ManifestReader::integer,
      "bytes", ManifestReader::integer, "storage", ManifestReader::dims,
      "permutation", r -> r.list(ManifestReader::integer32));
  private static final Map<String, Value> KERNEL_FILE = Map.of(
      "name", ManifestReader::string, "file", ManifestReader::string, "sha256", ManifestReader::string);
  private static final Map<String, Value> NODE = Map.of(
      "name", ManifestReader::string, "opType", ManifestReader::string,
      "inputs", r -> r.list(ManifestReader::string), "outputs", r -> r.list(ManifestReader::string),
      "variants", r -> r.list(ManifestReader::variant), "fused", r -> r.list(ManifestReader::string),
      "internal", r -> r.list(ManifestReader::string));
  private static final Map<String, Value> VARIANT = Map.of(
      "name", ManifestReader::string, "when", r -> r.list(ManifestReader::condition),
      "dispatches", r -> r.list(ManifestReader::dispatch));
  private static final Map<String, Value> CONDITION = Map.of(
      "dim", ManifestReader::dim, "min", ManifestReader::integer, "max", ManifestReader::integer);
  private static final Map<String, Value> DISPATCH = Map.of(
      "kernel", ManifestReader::string, "arguments", r -> r.list(ManifestReader::argument),
      "globalSize", ManifestReader::dims, "localSize", ManifestReader::dims);
  private static final Map<String, Value> ARGUMENT = Map.of(
      "kind", ManifestReader::string, "buffer", ManifestReader::string, "value", ManifestReader::scalar);

  private static final JsonFactory JSON = new JsonFactory();

  private final JsonParser in;
  /** A manifest spells a few dozen distinct sizes thousands of times; each is parsed once. */
  private final Map<String, Dim> parsedDims = new HashMap<>();

  private ManifestReader(JsonParser in) {
    this.in = in;
  }

  /** Reads a manifest; a damaged one fails with an IOException that says what and where. */
  static Manifest read(Path file) throws IOException {
    try (JsonParser in = JSON.createParser(file.toFile())) {
      ManifestReader reader = new ManifestReader(in);
      in.nextToken();
      Manifest manifest = reader.manifest();
      if (in.nextToken() != null) {
        throw reader.damaged("text after the manifest's end");
      }
      return manifest;
    } catch (JsonProcessingException e) { // not JSON at all: the parser's own words, on one line
      throw damaged(e.getOriginalMessage(), e.getLocation());
    }
  }

  /** The manifest's {@code backend}, skipping over the rest; OpenCL when it has none (written before the Java backend). */
  static String backend(Path file) throws IOException {
    try (JsonParser in = JSON.createParser(file.toFile())) {
      ManifestReader reader = new ManifestReader(in);
      in.nextToken();
      reader.expect(JsonToken.START_OBJECT, "the manifest (an object)");
      while (in.nextToken() == JsonToken.FIELD_NAME) {
        boolean backend = in.currentName().equals("backend");
        in.nextToken();
        if (backend) {
          String name = reader.string();
          return name == null ? Manifest.OPENCL : name;
        }
        in.skipChildren();
      }
      return Manifest.OPENCL;
    }
  }

  private Manifest manifest() throws IOException {
    Fields f = object("the manifest", MANIFEST);
    return new Manifest(Math.toIntExact(f.integer("formatVersion")), f.required("oclcVersion"), f.required("model"),
        f.required("modelSha256"), f.required("symbols"), f.required("inputs"), f.required("outputs"),
        f.required("assumptions"), f.required("buffers"), f.required("kernels"), f.required("nodes"),
        f.optional("backend"), f.optional("fusion"));
  }

  private SymbolRange symbolRange() throws IOException {
    Fields f = object("a symbol", SYMBOL_RANGE);
    return new SymbolRange(f.required("name"), f.integer("min"), f.integer("max"));
  }

  private TensorSpec tensor() throws IOException {
    Fields f = object("an input or output", TENSOR);
    return new TensorSpec(f.required("name"), f.required("dtype"), f.required("shape"));
  }

  private Assumption assumption() throws IOException {
    Fields f = object("an assumption", ASSUMPTION);
    return new Assumption(f.required("lessOrEqual"), f.required("bound"), f.required("reason"));
  }

  private BufferSpec buffer() throws IOException {
    Fields f = object("a buffer", BUFFER);
    return new BufferSpec(f.required("name"), f.required("dtype"), f.required("shape"), f.required("kind"),
        f.optional("viewOf"), f.integer("offset"), f.integer("bytes"), f.optional("storage"), f.optional("permutation"));
  }

  private KernelFile kernelFile() throws IOException {
    Fields f = object("a kernel", KERNEL_FILE);
    return new KernelFile(f.required("name"), f.required("file"), f.required("sha256"));
  }

  private NodeLaunches node() throws IOException {
    Fields f = object("a node", NODE);
    return new NodeLaunches(f.required("name"), f.required("opType"), f.required("inputs"), f.required("outputs"),
        f.required("variants"), f.optional("fused"), f.optional("internal"));
  }

  private Variant variant() throws IOException {
    Fields f = object("a variant", VARIANT);
    return new Variant(f.required("name"), f.required("when"), f.required("dispatches"));
  }

  private Condition condition() throws IOException {
    Fields f = object("a variant's condition", CONDITION);
    return new Condition(f.required("dim"), f.integer("min"), f.integer("max"));
  }

  private Dispatch dispatch() throws IOException {
    Fields f = object("a dispatch", DISPATCH);
    return new Dispatch(f.required("kernel"), f.required("arguments"), f.required("globalSize"),
        f.required("localSize"));
  }

  /** An argument, tagged by its {@code kind} as the mapper writes it; a scalar's value is a dim or a float. */
  private Argument argument() throws IOException {
    Fields f = object("a kernel argument", ARGUMENT);
    String kind = f.required("kind");
    return switch (kind) {
      case "buffer" -> new Argument.Buffer(f.required("buffer"));
      case "int" -> new Argument.Int(f.dimValue());
      case "long" -> new Argument.Long(f.dimValue());
      case "float" -> new Argument.Float(f.floatValue());
      default -> throw damaged("unknown kernel argument kind '" + kind + "'");
    };
  }

  // ---- values ----

  private String string() throws IOException {
    if (in.currentToken() == JsonToken.VALUE_NULL) {
      return null;
    }
    expect(JsonToken.VALUE_STRING, "a string");
    return in.getText();
  }

  private Long integer() throws IOException {
    expect(JsonToken.VALUE_NUMBER_INT, "an integer");
    return in.getLongValue();
  }

  private Integer integer32() throws IOException {
    expect(JsonToken.VALUE_NUMBER_INT, "an integer");
    return in.getIntValue();
  }

  private Boolean bool() throws IOException {
    return switch (in.currentToken()) {
      case VALUE_TRUE -> true;
      case VALUE_FALSE -> false;
      case VALUE_NULL -> null;
      default -> throw damaged("expected true or false");
    };
  }

  /** An int or long argument's dim, or a float argument's number: the field is named {@code value} in both. */
  private Object scalar() throws IOException {
    return in.currentToken() == JsonToken.VALUE_STRING ? dim() : (Object) number();
  }

  private Float number() throws IOException {
    if (!in.currentToken().isNumeric()) {
      throw damaged("expected a number");
    }
    return in.getFloatValue();
  }

  private Dim dim() throws IOException {
    expect(JsonToken.VALUE_STRING, "a size (a string such as \"sequence_length + 1\")");
    String text = in.getText();
    Dim dim = parsedDims.get(text);
    if (dim == null) {
      try {
        dim = Dim.parse(text);
      } catch (RuntimeException e) {
        throw damaged("the size \"" + text + "\" does not parse: " + e.getMessage());
      }
      parsedDims.put(text, dim);
    }
    return dim;
  }

  private List<Dim> dims() throws IOException {
    return list(ManifestReader::dim);
  }

  private DType dtype() throws IOException {
    String name = string();
    for (DType type : DType.values()) {
      if (type.displayName().equals(name)) {
        return type;
      }
    }
    throw damaged("unknown element type '" + name + "'");
  }

  private BufferKind bufferKind() throws IOException {
    String name = string();
    try {
      return BufferKind.valueOf(name);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw damaged("unknown buffer kind '" + name + "'");
    }
  }

  private interface Element<T> {
    T read(ManifestReader reader) throws IOException;
  }

  private <T> List<T> list(Element<T> element) throws IOException {
    if (in.currentToken() == JsonToken.VALUE_NULL) {
      return null;
    }
    expect(JsonToken.START_ARRAY, "an array");
    List<T> values = new ArrayList<>();
    while (in.nextToken() != JsonToken.END_ARRAY) { // the parser itself fails on an early end of the file
      values.add(element.read(this));
    }
    return values;
  }

  /** Reads an object whose fields are all in {@code schema}; {@code what} names it in errors. */
  private Fields object(String what, Map<String, Value> schema) throws IOException {
    JsonLocation start = in.currentTokenLocation();
    expect(JsonToken.START_OBJECT, what + " (an object)");
    Map<String, Object> values = new HashMap<>();
    while (in.nextToken() == JsonToken.FIELD_NAME) {
      String name = in.currentName();
      Value value = schema.get(name);
      if (value == null) {
        throw damaged(what + " has a field '" + name + "' this oclc does not know");
      }
      in.nextToken();
      values.put(name, value.read(this));
    }
    return new Fields(what, start, values);
  }

  private void expect(JsonToken token, String what) throws IOException {
    if (in.currentToken() != token) {
      throw damaged("expected " + what + ", found " + (in.currentToken() == null ? "the end of the file"
          : "'" + in.getText() + "'"));
    }
  }

  private IOException damaged(String problem) {
    return damaged(problem, in.currentTokenLocation());
  }

  private static IOException damaged(String problem, JsonLocation at) {
    return new IOException(problem + " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")");
  }

  /** One object's fields as read, by name. */
  private record Fields(String what, JsonLocation start, Map<String, Object> values) {
    @SuppressWarnings("unchecked")
    <T> T optional(String name) {
      return (T) values.get(name);
    }

    <T> T required(String name) throws IOException {
      T value = optional(name);
      if (value == null) {
        throw damaged(what + " has no '" + name + "'", start);
      }
      return value;
    }

    long integer(String name) throws IOException {
      return this.<Long>required(name);
    }

    Dim dimValue() throws IOException {
      if (!(required("value") instanceof Dim d)) {
        throw damaged(what + ": an integer argument's value must be a size", start);
      }
      return d;
    }

    float floatValue() throws IOException {
      if (!(required("value") instanceof Float v)) {
        throw damaged(what + ": a float argument's value must be a number", start);
      }
      return v;
    }
  }
}
