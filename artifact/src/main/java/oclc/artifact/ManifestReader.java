package oclc.artifact;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import oclc.artifact.JsonCursor.Position;
import oclc.artifact.JsonCursor.Token;
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
 * Reads {@code manifest.json} token by token ({@link JsonCursor}) rather than by data binding.
 * Loading an artifact is on the warm-start path, where the JVM is cold: binding GPT-2 small's 800
 * KB manifest to the records costs ~700 ms there (the mapper and one deserializer per record type
 * are built and run interpreted), jackson-core's streaming parser ~170 ms, most of it its own
 * start-up, the cursor ~85 ms. Each record is read by a switch over its field names into locals,
 * with no lambda or map per field, which a cold JVM would pay for too. The format is the one {@link
 * ArtifactJson}'s mapper writes; ManifestReaderTest reads every field of both back equal. As the
 * mapper does, it refuses a field it does not know.
 */
final class ManifestReader {
  private final JsonCursor in;

  /** A manifest spells a few dozen distinct sizes thousands of times; each is parsed once. */
  private final Map<String, Dim> parsedDims = new HashMap<>();

  private ManifestReader(JsonCursor in) {
    this.in = in;
  }

  /** Reads a manifest; a damaged one fails with an IOException that says what and where. */
  static Manifest read(Path file) throws IOException {
    JsonCursor in = new JsonCursor(Files.readAllBytes(file));
    in.next();
    Manifest manifest = new ManifestReader(in).manifest();
    in.next(); // fails on text after the manifest's end
    return manifest;
  }

  /**
   * The manifest's {@code backend}, skipping over the rest; OpenCL when it has none (written before
   * the Java backend).
   */
  static String backend(Path file) throws IOException {
    ManifestReader reader = skimmingTo(file, "backend");
    String name = reader == null ? null : reader.string();
    return name == null ? Manifest.OPENCL : name;
  }

  /**
   * The manifest's kernels, skipping over the rest (manifests written now list them before the long
   * parts).
   */
  static List<KernelFile> kernels(Path file) throws IOException {
    ManifestReader reader = skimmingTo(file, "kernels");
    if (reader == null) {
      throw new IOException("the manifest has no 'kernels'");
    }
    return reader.list(ManifestReader::kernelFile);
  }

  /**
   * A reader at the value of the manifest's top-level {@code field}, the fields before it skipped;
   * null where it has none.
   */
  private static ManifestReader skimmingTo(Path file, String field) throws IOException {
    JsonCursor in = new JsonCursor(Files.readAllBytes(file));
    ManifestReader reader = new ManifestReader(in);
    in.next();
    reader.expect(Token.START_OBJECT, "the manifest (an object)");
    while (in.next() == Token.FIELD_NAME) {
      boolean found = in.name().equals(field);
      in.next();
      if (found) {
        return reader;
      }
      in.skipChildren();
    }
    return null;
  }

  private Manifest manifest() throws IOException {
    String what = "the manifest";
    Position start = enter(what);
    Long formatVersion = null;
    String oclcVersion = null, model = null, modelSha256 = null, backend = null;
    List<SymbolRange> symbols = null;
    List<TensorSpec> inputs = null, outputs = null;
    List<Assumption> assumptions = null;
    List<BufferSpec> buffers = null;
    List<KernelFile> kernels = null;
    List<NodeLaunches> nodes = null;
    Boolean fusion = null;
    List<Manifest.WeightFormat> weights = null;
    while (nextField()) {
      switch (in.name()) {
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
        case "weights" -> weights = list(ManifestReader::weightFormat);
        default -> throw unknownField(what);
      }
    }
    return new Manifest(
        Math.toIntExact(required(formatVersion, what, "formatVersion", start)),
        required(oclcVersion, what, "oclcVersion", start),
        required(model, what, "model", start),
        required(modelSha256, what, "modelSha256", start),
        required(symbols, what, "symbols", start),
        required(inputs, what, "inputs", start),
        required(outputs, what, "outputs", start),
        required(assumptions, what, "assumptions", start),
        required(buffers, what, "buffers", start),
        required(kernels, what, "kernels", start),
        required(nodes, what, "nodes", start),
        backend,
        fusion,
        weights);
  }

  private Manifest.WeightFormat weightFormat() throws IOException {
    String what = "a weight's format";
    Position start = enter(what);
    String node = null, weight = null, format = null;
    while (nextField()) {
      switch (in.name()) {
        case "node" -> node = string();
        case "weight" -> weight = string();
        case "format" -> format = string();
        default -> throw unknownField(what);
      }
    }
    return new Manifest.WeightFormat(
        required(node, what, "node", start),
        required(weight, what, "weight", start),
        required(format, what, "format", start));
  }

  private SymbolRange symbolRange() throws IOException {
    String what = "a symbol";
    Position start = enter(what);
    String name = null, origin = null, reason = null;
    Long min = null, max = null;
    while (nextField()) {
      switch (in.name()) {
        case "name" -> name = string();
        case "min" -> min = integer();
        case "max" -> max = integer();
        case "origin" -> origin = string();
        case "reason" -> reason = string();
        default -> throw unknownField(what);
      }
    }
    return new SymbolRange(
        required(name, what, "name", start),
        required(min, what, "min", start),
        required(max, what, "max", start),
        origin,
        reason);
  }

  private TensorSpec tensor() throws IOException {
    String what = "an input or output";
    Position start = enter(what);
    String name = null;
    DType dtype = null;
    List<Dim> shape = null;
    Manifest.IndexRange indexes = null;
    while (nextField()) {
      switch (in.name()) {
        case "name" -> name = string();
        case "dtype" -> dtype = dtype();
        case "shape" -> shape = dims();
        case "indexes" -> indexes = indexRange();
        default -> throw unknownField(what);
      }
    }
    return new TensorSpec(
        required(name, what, "name", start),
        required(dtype, what, "dtype", start),
        required(shape, what, "shape", start),
        indexes);
  }

  private Manifest.IndexRange indexRange() throws IOException {
    String what = "an input's index range";
    Position start = enter(what);
    Long rows = null;
    String table = null, node = null;
    while (nextField()) {
      switch (in.name()) {
        case "rows" -> rows = integer();
        case "table" -> table = string();
        case "node" -> node = string();
        default -> throw unknownField(what);
      }
    }
    return new Manifest.IndexRange(
        required(rows, what, "rows", start),
        required(table, what, "table", start),
        required(node, what, "node", start));
  }

  private Assumption assumption() throws IOException {
    String what = "an assumption";
    Position start = enter(what);
    Dim lessOrEqual = null, bound = null;
    String reason = null;
    Boolean equality = null;
    while (nextField()) {
      switch (in.name()) {
        case "lessOrEqual" -> lessOrEqual = dim();
        case "bound" -> bound = dim();
        case "reason" -> reason = string();
        case "equality" -> equality = bool();
        default -> throw unknownField(what);
      }
    }
    return new Assumption(
        required(lessOrEqual, what, "lessOrEqual", start),
        required(bound, what, "bound", start),
        required(reason, what, "reason", start),
        equality);
  }

  private BufferSpec buffer() throws IOException {
    String what = "a buffer";
    Position start = enter(what);
    String name = null, viewOf = null, checksum = null;
    DType dtype = null;
    List<Dim> shape = null, storage = null;
    BufferKind kind = null;
    Long offset = null, bytes = null;
    List<Integer> permutation = null;
    while (nextField()) {
      switch (in.name()) {
        case "name" -> name = string();
        case "dtype" -> dtype = dtype();
        case "shape" -> shape = dims();
        case "kind" -> kind = bufferKind();
        case "viewOf" -> viewOf = string();
        case "offset" -> offset = integer();
        case "bytes" -> bytes = integer();
        case "storage" -> storage = dims();
        case "permutation" -> permutation = list(ManifestReader::integer32);
        case "checksum" -> checksum = string();
        default -> throw unknownField(what);
      }
    }
    return new BufferSpec(
        required(name, what, "name", start),
        required(dtype, what, "dtype", start),
        required(shape, what, "shape", start),
        required(kind, what, "kind", start),
        viewOf,
        required(offset, what, "offset", start),
        required(bytes, what, "bytes", start),
        storage,
        permutation,
        checksum);
  }

  private KernelFile kernelFile() throws IOException {
    String what = "a kernel";
    Position start = enter(what);
    String name = null, file = null, sha256 = null;
    while (nextField()) {
      switch (in.name()) {
        case "name" -> name = string();
        case "file" -> file = string();
        case "sha256" -> sha256 = string();
        default -> throw unknownField(what);
      }
    }
    return new KernelFile(
        required(name, what, "name", start),
        required(file, what, "file", start),
        required(sha256, what, "sha256", start));
  }

  private NodeLaunches node() throws IOException {
    String what = "a node";
    Position start = enter(what);
    String name = null, opType = null;
    List<String> inputs = null, outputs = null, fused = null, internal = null;
    List<Variant> variants = null;
    while (nextField()) {
      switch (in.name()) {
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
    return new NodeLaunches(
        required(name, what, "name", start),
        required(opType, what, "opType", start),
        required(inputs, what, "inputs", start),
        required(outputs, what, "outputs", start),
        required(variants, what, "variants", start),
        fused,
        internal);
  }

  private Variant variant() throws IOException {
    String what = "a variant";
    Position start = enter(what);
    String name = null;
    List<Condition> when = null;
    List<Dispatch> dispatches = null;
    while (nextField()) {
      switch (in.name()) {
        case "name" -> name = string();
        case "when" -> when = list(ManifestReader::condition);
        case "dispatches" -> dispatches = list(ManifestReader::dispatch);
        default -> throw unknownField(what);
      }
    }
    return new Variant(
        required(name, what, "name", start),
        required(when, what, "when", start),
        required(dispatches, what, "dispatches", start));
  }

  private Condition condition() throws IOException {
    String what = "a variant's condition";
    Position start = enter(what);
    Dim dim = null;
    Long min = null, max = null;
    while (nextField()) {
      switch (in.name()) {
        case "dim" -> dim = dim();
        case "min" -> min = integer();
        case "max" -> max = integer();
        default -> throw unknownField(what);
      }
    }
    return new Condition(
        required(dim, what, "dim", start),
        required(min, what, "min", start),
        required(max, what, "max", start));
  }

  private Dispatch dispatch() throws IOException {
    String what = "a dispatch";
    Position start = enter(what);
    String kernel = null;
    List<Argument> arguments = null;
    List<Dim> globalSize = null, localSize = null;
    while (nextField()) {
      switch (in.name()) {
        case "kernel" -> kernel = string();
        case "arguments" -> arguments = list(ManifestReader::argument);
        case "globalSize" -> globalSize = dims();
        case "localSize" -> localSize = dims();
        default -> throw unknownField(what);
      }
    }
    return new Dispatch(
        required(kernel, what, "kernel", start),
        required(arguments, what, "arguments", start),
        required(globalSize, what, "globalSize", start),
        required(localSize, what, "localSize", start));
  }

  /**
   * An argument, tagged by its {@code kind} as the mapper writes it; a scalar's value is a dim or a
   * float.
   */
  private Argument argument() throws IOException {
    String what = "a kernel argument";
    Position start = enter(what);
    String kind = null, buffer = null;
    Object value = null;
    while (nextField()) {
      switch (in.name()) {
        case "kind" -> kind = string();
        case "buffer" -> buffer = string();
        case "value" -> value = in.token() == Token.STRING ? dim() : number();
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

  private static Dim sizeValue(Object value, String what, Position start) throws IOException {
    if (!(required(value, what, "value", start) instanceof Dim dim)) {
      throw damaged(what + ": an integer argument's value must be a size", start);
    }
    return dim;
  }

  private static float floatValue(Object value, String what, Position start) throws IOException {
    if (!(required(value, what, "value", start) instanceof Float number)) {
      throw damaged(what + ": a float argument's value must be a number", start);
    }
    return number;
  }

  // ---- objects ----

  /** Expects the start of an object and returns where it is, for the errors of a missing field. */
  private Position enter(String what) throws IOException {
    Position start = in.position();
    expect(Token.START_OBJECT, what + " (an object)");
    return start;
  }

  /** Moves to the next field's value; false at the object's end. */
  private boolean nextField() throws IOException {
    if (in.next() != Token.FIELD_NAME) {
      return false; // the cursor itself fails on an early end of the file
    }
    in.next();
    return true;
  }

  private IOException unknownField(String what) throws IOException {
    return damaged(what + " has a field '" + in.name() + "' this oclc does not know");
  }

  private static <T> T required(T value, String what, String field, Position start)
      throws IOException {
    if (value == null) {
      throw damaged(what + " has no '" + field + "'", start);
    }
    return value;
  }

  // ---- values ----

  private String string() throws IOException {
    if (in.token() == Token.NULL) {
      return null;
    }
    expect(Token.STRING, "a string");
    return in.text();
  }

  private Long integer() throws IOException {
    expect(Token.INTEGER, "an integer");
    return in.longValue();
  }

  private Integer integer32() throws IOException {
    long value = integer();
    if (value != (int) value) {
      throw damaged("the integer " + value + " is out of range");
    }
    return (int) value;
  }

  private Boolean bool() throws IOException {
    return switch (in.token()) {
      case TRUE -> true;
      case FALSE -> false;
      case NULL -> null;
      default -> throw damaged("expected true or false");
    };
  }

  private Float number() throws IOException {
    if (in.token() != Token.INTEGER && in.token() != Token.NUMBER) {
      throw damaged("expected a number");
    }
    return in.floatValue();
  }

  private Dim dim() throws IOException {
    expect(Token.STRING, "a size (a string such as \"sequence_length + 1\")");
    String text = in.text();
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
    if (in.token() == Token.NULL) {
      return null;
    }
    expect(Token.START_ARRAY, "an array");
    List<T> values = new ArrayList<>();
    while (in.next() != Token.END_ARRAY) { // the cursor itself fails on an early end of the file
      values.add(element.read(this));
    }
    return values;
  }

  private void expect(Token token, String what) throws IOException {
    if (in.token() != token) {
      throw damaged(
          "expected "
              + what
              + ", found "
              + (in.token() == null ? "the end of the file" : in.describe()));
    }
  }

  private IOException damaged(String problem) {
    return in.damaged(problem);
  }

  private static IOException damaged(String problem, Position at) {
    return JsonCursor.damaged(problem, at);
  }
}
