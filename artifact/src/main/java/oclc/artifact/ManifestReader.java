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
 * type are built and run interpreted), streaming it ~150 ms. Each record is read by a switch over
 * its field names into locals, with no lambda or map per field, which a cold JVM would pay for too.
 * The format is the one {@link ArtifactJson}'s mapper writes; ManifestReaderTest reads every field
 * of both back equal. As the mapper does, it refuses a field it does not know.
 */
final class ManifestReader {
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
    String what = "the manifest";
    JsonLocation start = enter(what);
    Long formatVersion = null;
    String oclcVersion = null, model = null, modelSha256 = null, backend = null;
    List<SymbolRange> symbols = null;
    List<TensorSpec> inputs = null, outputs = null;
    List<Assumption> assumptions = null;
    List<BufferSpec> buffers = null;
    List<KernelFile> kernels = null;
    List<NodeLaunches> nodes = null;
    Boolean fusion = null;
    while (nextField()) {
      switch (in.currentName()) {
        case "formatVersion" -> formatVersion = integer();
        case "oclcVersion" -> oclcVersion = string();
        case "model" -> model = string();
        case "modelSha256" -> modelSha256 = string();
        case "symbols" -> symbols = list(ManifestReader::symbolRange);
        case "inputs" -> inputs = list(ManifestReader::tensor);
        case "outputs" -> outputs = list(ManifestReader::tensor);
        case "assumptions" -> assumptions = list(ManifestReader::assumption);
        case "buffers" -> buffers = list(ManifestReader::buffer);
        case "kernels" -> kernels = list(ManifestReader::kernelFile);
        case "nodes" -> nodes = list(ManifestReader::node);
        case "backend" -> backend = string();
        case "fusion" -> fusion = bool();
        default -> throw unknownField(what);
      }
    }
    return new Manifest(Math.toIntExact(required(formatVersion, what, "formatVersion", start)),
        required(oclcVersion, what, "oclcVersion", start), required(model, what, "model", start),
        required(modelSha256, what, "modelSha256", start), required(symbols, what, "symbols", start),
        required(inputs, what, "inputs", start), required(outputs, what, "outputs", start),
        required(assumptions, what, "assumptions", start), required(buffers, what, "buffers", start),
        required(kernels, what, "kernels", start), required(nodes, what, "nodes", start), backend, fusion);
  }

  private SymbolRange symbolRange() throws IOException {
    String what = "a symbol";
    JsonLocation start = enter(what);
    String name = null;
    Long min = null, max = null;
    while (nextField()) {
      switch (in.currentName()) {
        case "name" -> name = string();
        case "min" -> min = integer();
        case "max" -> max = integer();
        default -> throw unknownField(what);
      }
    }
    return new SymbolRange(required(name, what, "name", start), required(min, what, "min", start),
        required(max, what, "max", start));
  }

  private TensorSpec tensor() throws IOException {
    String what = "an input or output";
    JsonLocation start = enter(what);
    String name = null;
    DType dtype = null;
    List<Dim> shape = null;
    while (nextField()) {
      switch (in.currentName()) {
        case "name" -> name = string();
        case "dtype" -> dtype = dtype();
        case "shape" -> shape = dims();
        default -> throw unknownField(what);
      }
    }
    return new TensorSpec(required(name, what, "name", start), required(dtype, what, "dtype", start),
        required(shape, what, "shape", start));
  }

  private Assumption assumption() throws IOException {
    String what = "an assumption";
    JsonLocation start = enter(what);
    Dim lessOrEqual = null, bound = null;
    String reason = null;
    while (nextField()) {
      switch (in.currentName()) {
        case "lessOrEqual" -> lessOrEqual = dim();
        case "bound" -> bound = dim();
        case "reason" -> reason = string();
        default -> throw unknownField(what);
      }
    }
    return new Assumption(required(lessOrEqual, what, "lessOrEqual", start), required(bound, what, "bound", start),
        required(reason, what, "reason", start));
  }

  private BufferSpec buffer() throws IOException {
    String what = "a buffer";
    JsonLocation start = enter(what);
    String name = null, viewOf = null;
    DType dtype = null;
    List<Dim> shape = null, storage = null;
    BufferKind kind = null;
    Long offset = null, bytes = null;
    List<Integer> permutation = null;
    while (nextField()) {
      switch (in.currentName()) {
        case "name" -> name = string();
        case "dtype" -> dtype = dtype();
        case "shape" -> shape = dims();
        case "kind" -> kind = bufferKind();
        case "viewOf" -> viewOf = string();
        case "offset" -> offset = integer();
        case "bytes" -> bytes = integer();
        case "storage" -> storage = dims();
        case "permutation" -> permutation = list(ManifestReader::integer32);
        default -> throw unknownField(what);
      }
    }
    return new BufferSpec(required(name, what, "name", start), required(dtype, what, "dtype", start),
        required(shape, what, "shape", start), required(kind, what, "kind", start), viewOf,
        required(offset, what, "offset", start), required(bytes, what, "bytes", start), storage, permutation);
  }

  private KernelFile kernelFile() throws IOException {
    String what = "a kernel";
    JsonLocation start = enter(what);
    String name = null, file = null, sha256 = null;
    while (nextField()) {
      switch (in.currentName()) {
        case "name" -> name = string();
        case "file" -> file = string();
        case "sha256" -> sha256 = string();
        default -> throw unknownField(what);
      }
    }
    return new KernelFile(required(name, what, "name", start), required(file, what, "file", start),
        required(sha256, what, "sha256", start));
  }

  private NodeLaunches node() throws IOException {
    String what = "a node";
    JsonLocation start = enter(what);
    String name = null, opType = null;
    List<String> inputs = null, outputs = null, fused = null, internal = null;
    List<Variant> variants = null;
    while (nextField()) {
      switch (in.currentName()) {
        case "name" -> name = string();
        case "opType" -> opType = string();
        case "inputs" -> inputs = strings();
        case "outputs" -> outputs = strings();
        case "variants" -> variants = list(ManifestReader::variant);
        case "fused" -> fused = strings();
        case "internal" -> internal = strings();
        default -> throw unknownField(what);
      }
    }
    return new NodeLaunches(required(name, what, "name", start), required(opType, what, "opType", start),
        required(inputs, what, "inputs", start), required(outputs, what, "outputs", start),
        required(variants, what, "variants", start), fused, internal);
  }

  private Variant variant() throws IOException {
    String what = "a variant";
    JsonLocation start = enter(what);
    String name = null;
    List<Condition> when = null;
    List<Dispatch> dispatches = null;
    while (nextField()) {
      switch (in.currentName()) {
        case "name" -> name = string();
        case "when" -> when = list(ManifestReader::condition);
        case "dispatches" -> dispatches = list(ManifestReader::dispatch);
        default -> throw unknownField(what);
      }
    }
    return new Variant(required(name, what, "name", start), required(when, what, "when", start),
        required(dispatches, what, "dispatches", start));
  }

  private Condition condition() throws IOException {
    String what = "a variant's condition";
    JsonLocation start = enter(what);
    Dim dim = null;
    Long min = null, max = null;
    while (nextField()) {
      switch (in.currentName()) {
        case "dim" -> dim = dim();
        case "min" -> min = integer();
        case "max" -> max = integer();
        default -> throw unknownField(what);
      }
    }
    return new Condition(required(dim, what, "dim", start), required(min, what, "min", start),
        required(max, what, "max", start));
  }

  private Dispatch dispatch() throws IOException {
    String what = "a dispatch";
    JsonLocation start = enter(what);
    String kernel = null;
    List<Argument> arguments = null;
    List<Dim> globalSize = null, localSize = null;
    while (nextField()) {
      switch (in.currentName()) {
        case "kernel" -> kernel = string();
        case "arguments" -> arguments = list(ManifestReader::argument);
        case "globalSize" -> globalSize = dims();
        case "localSize" -> localSize = dims();
        default -> throw unknownField(what);
      }
    }
    return new Dispatch(required(kernel, what, "kernel", start), required(arguments, what, "arguments", start),
        required(globalSize, what, "globalSize", start), required(localSize, what, "localSize", start));
  }

  /** An argument, tagged by its {@code kind} as the mapper writes it; a scalar's value is a dim or a float. */
  private Argument argument() throws IOException {
    String what = "a kernel argument";
    JsonLocation start = enter(what);
    String kind = null, buffer = null;
    Object value = null;
    while (nextField()) {
      switch (in.currentName()) {
        case "kind" -> kind = string();
        case "buffer" -> buffer = string();
        case "value" -> value = in.currentToken() == JsonToken.VALUE_STRING ? dim() : number();
        default -> throw unknownField(what);
      }
    }
    return switch (required(kind, what, "kind", start)) {
      case "buffer" -> new Argument.Buffer(required(buffer, what, "buffer", start));
      case "int" -> new Argument.Int(sizeValue(value, what, start));
      case "long" -> new Argument.Long(sizeValue(value, what, start));
      case "float" -> new Argument.Float(floatValue(value, what, start));
      default -> throw damaged("unknown kernel argument kind '" + kind + "'", start);
    };
  }

  private static Dim sizeValue(Object value, String what, JsonLocation start) throws IOException {
    if (!(required(value, what, "value", start) instanceof Dim dim)) {
      throw damaged(what + ": an integer argument's value must be a size", start);
    }
    return dim;
  }

  private static float floatValue(Object value, String what, JsonLocation start) throws IOException {
    if (!(required(value, what, "value", start) instanceof Float number)) {
      throw damaged(what + ": a float argument's value must be a number", start);
    }
    return number;
  }

  // ---- objects ----

  /** Expects the start of an object and returns where it is, for the errors of a missing field. */
  private JsonLocation enter(String what) throws IOException {
    JsonLocation start = in.currentTokenLocation();
    expect(JsonToken.START_OBJECT, what + " (an object)");
    return start;
  }

  /** Moves to the next field's value; false at the object's end. */
  private boolean nextField() throws IOException {
    if (in.nextToken() != JsonToken.FIELD_NAME) {
      return false; // the parser itself fails on an early end of the file
    }
    in.nextToken();
    return true;
  }

  private IOException unknownField(String what) throws IOException {
    return damaged(what + " has a field '" + in.currentName() + "' this oclc does not know");
  }

  private static <T> T required(T value, String what, String field, JsonLocation start) throws IOException {
    if (value == null) {
      throw damaged(what + " has no '" + field + "'", start);
    }
    return value;
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

  private List<String> strings() throws IOException {
    return list(ManifestReader::string);
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
}
