package oclc.artifact;

import static com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY;
import static com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;
import java.util.Optional;
import java.util.function.ToLongFunction;
import oclc.ir.DType;
import oclc.ir.Dim;

/**
 * {@code manifest.json}: all the runtime knows of a compiled model. Every size that depends on the
 * input shapes is a {@link Dim} over the model's symbols, evaluated when a session binds its
 * inputs. The file lists the backend and the kernels before the long parts (buffers, nodes), so
 * that a warm start finds them, and starts loading the kernels, without reading the rest first.
 */
@JsonPropertyOrder({
  "formatVersion",
  "oclcVersion",
  "model",
  "modelSha256",
  "backend",
  "fusion",
  "kernels"
})
public record Manifest(
    int formatVersion,
    String oclcVersion,
    String model,
    String modelSha256,
    List<SymbolRange> symbols,
    List<TensorSpec> inputs,
    List<TensorSpec> outputs,
    List<Assumption> assumptions,
    List<BufferSpec> buffers,
    List<KernelFile> kernels,
    List<NodeLaunches> nodes,
    String backend,
    Boolean fusion,
    @JsonInclude(NON_EMPTY) List<WeightFormat> weights) {

  public static final int FORMAT_VERSION = 1;

  /**
   * The backends an artifact is compiled for: OpenCL C kernels, or the Java (Vector API) kernels.
   */
  public static final String OPENCL = "opencl";

  public static final String JAVA = "java";

  public Manifest {
    backend =
        backend == null
            ? OPENCL
            : backend; // artifacts written before the Java backend are OpenCL ones
    fusion = fusion != null && fusion; // absent in artifacts from before fusion
    symbols = List.copyOf(symbols);
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
    assumptions = List.copyOf(assumptions);
    buffers = List.copyOf(buffers);
    kernels = List.copyOf(kernels);
    nodes = List.copyOf(nodes);
    weights = weights == null ? List.of() : List.copyOf(weights); // none: as exported
  }

  /** A manifest whose weights are all as the model was exported. */
  public Manifest(
      int formatVersion,
      String oclcVersion,
      String model,
      String modelSha256,
      List<SymbolRange> symbols,
      List<TensorSpec> inputs,
      List<TensorSpec> outputs,
      List<Assumption> assumptions,
      List<BufferSpec> buffers,
      List<KernelFile> kernels,
      List<NodeLaunches> nodes,
      String backend,
      Boolean fusion) {
    this(
        formatVersion,
        oclcVersion,
        model,
        modelSha256,
        symbols,
        inputs,
        outputs,
        assumptions,
        buffers,
        kernels,
        nodes,
        backend,
        fusion,
        List.of());
  }

  /**
   * The storage of a weight that is not as exported: the node that reads it, the constant it reads
   * and its format ({@code int4 MatMulNBits b32}, {@code fp16 Cast to float}, ...).
   */
  public record WeightFormat(String node, String weight, String format) {}

  /**
   * A symbol and the sizes it was compiled for (inclusive), and where the range came from: {@code
   * origin} is {@code dim} (given, {@code --dim}), {@code model} (a bound the model implies),
   * {@code default} (the model leaves it unbounded), {@code unified} (equal to an expression of
   * other symbols) or {@code open}; {@code reason} says which bound, default or unification. Both
   * are null in artifacts from before they were recorded.
   */
  public record SymbolRange(
      String name,
      long min,
      long max,
      @JsonInclude(NON_NULL) String origin,
      @JsonInclude(NON_NULL) String reason) {
    public SymbolRange(String name, long min, long max) {
      this(name, min, max, null, null);
    }

    public boolean admits(long value) {
      return value >= min && value <= max;
    }
  }

  /** A graph input or output: name, element type, symbolic shape. */
  public record TensorSpec(
      String name, DType dtype, List<Dim> shape, @JsonInclude(NON_NULL) IndexRange indexes) {
    public TensorSpec {
      shape = List.copyOf(shape);
    }

    public TensorSpec(String name, DType dtype, List<Dim> shape) {
      this(name, dtype, shape, null);
    }
  }

  /**
   * What an input's values index: the {@code rows} of the weight {@code table} that node {@code
   * node} gathers from (an embedding's token or position ids), so that an id outside {@code -rows
   * .. rows - 1} is refused when bound rather than clamped by the kernel into another row.
   */
  public record IndexRange(long rows, String table, String node) {
    public boolean admits(long index) {
      return index >= -rows && index < rows;
    }
  }

  /**
   * {@code lessOrEqual <= bound}, or {@code lessOrEqual == bound} where {@code equality} (two dims
   * shape inference unified), which shape inference relied on; checked at bind time.
   */
  public record Assumption(Dim lessOrEqual, Dim bound, String reason, Boolean equality) {
    public Assumption {
      equality = equality != null && equality; // absent in artifacts from before unification
    }

    public Assumption(Dim lessOrEqual, Dim bound, String reason) {
      this(lessOrEqual, bound, reason, false);
    }

    @Override
    public String toString() {
      return lessOrEqual + (equality ? " == " : " <= ") + bound + " (" + reason + ")";
    }
  }

  /** What a buffer holds, which decides where its memory comes from. */
  public enum BufferKind {
    /** A graph input, written by the session when it is bound. */
    INPUT,
    /** A value computed by a node and read by later nodes. */
    INTERMEDIATE,
    /** A graph output (also computed by a node), live until the end of a run. */
    OUTPUT,
    /** Weights and other constants, stored in params.bin (packed for their kernels). */
    PARAM,
    /**
     * A KV cache: a graph output ({@code present}) kept on the device across runs, at the capacity
     * of its {@code storage} shape; the matching past input is a view of it, so a decode step
     * appends.
     */
    CACHE
  }

  /**
   * One buffer a kernel reads or writes. A view ({@code viewOf} set: Reshape, Unsqueeze, …) shares
   * the memory of the buffer it views. A param has its bytes at {@code offset} in params.bin. The
   * {@code storage} shape, where set, is the row-major layout the elements live in (a KV cache at
   * its capacity); the shape is the part of it the value is. A param's {@code checksum} ({@link
   * ParamChecksums}) is of its bytes as compiled; null in artifacts from before checksums.
   */
  public record BufferSpec(
      String name,
      DType dtype,
      List<Dim> shape,
      BufferKind kind,
      String viewOf,
      long offset,
      long bytes,
      List<Dim> storage,
      @JsonInclude(NON_NULL) List<Integer> permutation,
      @JsonInclude(NON_NULL) String checksum) {

    public BufferSpec {
      shape = List.copyOf(shape);
      storage = storage == null ? null : List.copyOf(storage);
      permutation = permutation == null ? null : List.copyOf(permutation);
    }

    /**
     * A view of {@code viewOf}'s memory with its axes permuted ({@code permutation[i]} is the axis
     * of {@code viewOf} that axis i reads), read through strides: a Transpose the Java backend's
     * readers take in place, without a copy.
     */
    public static BufferSpec permutedView(
        String name,
        DType dtype,
        List<Dim> shape,
        BufferKind kind,
        String viewOf,
        List<Integer> permutation) {
      return new BufferSpec(name, dtype, shape, kind, viewOf, -1, -1, null, permutation, null);
    }

    public static BufferSpec value(String name, DType dtype, List<Dim> shape, BufferKind kind) {
      return new BufferSpec(name, dtype, shape, kind, null, -1, -1, null, null, null);
    }

    public static BufferSpec view(
        String name, DType dtype, List<Dim> shape, BufferKind kind, String viewOf) {
      return new BufferSpec(name, dtype, shape, kind, viewOf, -1, -1, null, null, null);
    }

    public static BufferSpec param(String name, DType dtype, List<Dim> shape) {
      return new BufferSpec(name, dtype, shape, BufferKind.PARAM, null, -1, -1, null, null, null);
    }

    /** This buffer laid out in a larger storage shape. */
    public BufferSpec storedAs(List<Dim> storageShape) {
      return new BufferSpec(
          name, dtype, shape, kind, viewOf, offset, bytes, storageShape, permutation, checksum);
    }

    /** This param as written: where its bytes are in params.bin, and their checksum. */
    public BufferSpec at(long paramOffset, long paramBytes, String paramChecksum) {
      return new BufferSpec(
          name,
          dtype,
          shape,
          kind,
          viewOf,
          paramOffset,
          paramBytes,
          storage,
          permutation,
          paramChecksum);
    }

    /** The layout the elements live in: the storage shape where set, else the shape. */
    public List<Dim> layout() {
      return storage == null ? shape : storage;
    }

    public Optional<String> view() {
      return Optional.ofNullable(viewOf);
    }

    /** Its size in bytes once the symbols are known. */
    public long bytes(ToLongFunction<String> symbols) {
      long count = 1;
      for (Dim d : shape) {
        count *= d.evaluate(symbols);
      }
      return count * dtype.byteSize();
    }

    /** The size of its layout in bytes once the symbols are known. */
    public long storageBytes(ToLongFunction<String> symbols) {
      long count = 1;
      for (Dim d : layout()) {
        count *= d.evaluate(symbols);
      }
      return count * dtype.byteSize();
    }
  }

  /**
   * One kernel: its entry point and the file under kernels/ that holds it (OpenCL C, or a Java
   * kernel's description as JSON), with that file's SHA-256.
   */
  public record KernelFile(String name, String file, String sha256) {}

  /**
   * One node of the graph and the variants that can compute it, in the order they are tried. A
   * fused launch (compile --fuse) is named after its anchor node and also computes the {@code
   * fused} nodes, in order; its inputs and outputs are the group's, and the {@code internal} values
   * live in registers only (no buffer holds them).
   */
  public record NodeLaunches(
      String name,
      String opType,
      List<String> inputs,
      List<String> outputs,
      List<Variant> variants,
      List<String> fused,
      List<String> internal) {
    public NodeLaunches {
      inputs = List.copyOf(inputs);
      outputs = List.copyOf(outputs);
      variants = List.copyOf(variants);
      fused = fused == null ? List.of() : List.copyOf(fused);
      internal = internal == null ? List.of() : List.copyOf(internal);
    }

    /** A node launched alone. */
    public NodeLaunches(
        String name,
        String opType,
        List<String> inputs,
        List<String> outputs,
        List<Variant> variants) {
      this(name, opType, inputs, outputs, variants, List.of(), List.of());
    }

    /** Every node this launch computes: itself, then the nodes fused into it. */
    public List<String> covers() {
      List<String> all = new java.util.ArrayList<>(List.of(name));
      all.addAll(fused);
      return all;
    }
  }

  /**
   * A way to compute a node: admitted when every condition holds, done by its dispatches in order
   * (none for a view, which only renames memory).
   */
  public record Variant(String name, List<Condition> when, List<Dispatch> dispatches) {
    public Variant {
      when = List.copyOf(when);
      dispatches = List.copyOf(dispatches);
    }

    public boolean admits(ToLongFunction<String> symbols) {
      return when.stream().allMatch(c -> c.holds(symbols));
    }
  }

  /** {@code min <= dim <= max}. */
  public record Condition(Dim dim, long min, long max) {
    public boolean holds(ToLongFunction<String> symbols) {
      long value = dim.evaluate(symbols);
      return value >= min && value <= max;
    }

    @Override
    public String toString() {
      if (min == max) {
        return dim + " == " + min;
      }
      return max >= Integer.MAX_VALUE ? dim + " >= " + min : min + " <= " + dim + " <= " + max;
    }
  }

  /**
   * One kernel enqueue: the kernel, its arguments in order, and its global (and local) work size.
   */
  public record Dispatch(
      String kernel, List<Argument> arguments, List<Dim> globalSize, List<Dim> localSize) {
    public Dispatch {
      arguments = List.copyOf(arguments);
      globalSize = List.copyOf(globalSize);
      localSize = List.copyOf(localSize);
    }

    /** The buffers its arguments name, in argument order. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public List<String> buffers() {
      return arguments.stream()
          .filter(a -> a instanceof Argument.Buffer)
          .map(a -> ((Argument.Buffer) a).buffer())
          .toList();
    }
  }

  /** A kernel argument: a buffer by name, or a scalar. */
  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
  @JsonSubTypes({
    @JsonSubTypes.Type(value = Argument.Buffer.class, name = "buffer"),
    @JsonSubTypes.Type(value = Argument.Int.class, name = "int"),
    @JsonSubTypes.Type(value = Argument.Long.class, name = "long"),
    @JsonSubTypes.Type(value = Argument.Float.class, name = "float")
  })
  public sealed interface Argument {
    record Buffer(String buffer) implements Argument {}

    /** A 32-bit integer, e.g. a row count that depends on {@code sequence_length}. */
    record Int(Dim value) implements Argument {}

    /** A 64-bit integer, e.g. the first position id. */
    record Long(Dim value) implements Argument {}

    record Float(float value) implements Argument {}
  }
}
