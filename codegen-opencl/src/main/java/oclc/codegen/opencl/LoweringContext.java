package oclc.codegen.opencl;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import oclc.artifact.Manifest.Argument;
import oclc.artifact.Manifest.BufferKind;
import oclc.artifact.Manifest.BufferSpec;
import oclc.artifact.Manifest.Dispatch;
import oclc.ir.Constant;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.Graph;
import oclc.ir.InferenceContext;
import oclc.ir.Node;
import oclc.ir.SymbolicTensor;
import oclc.ir.Tensor;
import oclc.ir.TensorType;
import oclc.ir.ValueInfo;
import oclc.lowering.CacheLayouts;
import oclc.lowering.Dims;
import oclc.lowering.KvCacheAppend;
import oclc.lowering.Schedule;
import oclc.lowering.SizeRanges;

/**
 * What a lowering sees of the graph (types, constants, each node's inference context) and where it
 * records what it needs: kernels (shared by name), params (constants and packed weights) and views.
 */
final class LoweringContext {
  private final Graph graph;
  private final SizeRanges ranges;
  private final Schedule schedule;
  private final Map<String, String> kernels = new LinkedHashMap<>();
  private final Map<String, BufferSpec> params = new LinkedHashMap<>();
  private final Map<String, ByteBuffer> paramBytes = new LinkedHashMap<>();
  private final Map<String, String> views = new LinkedHashMap<>();
  private final CacheLayouts caches;

  LoweringContext(Graph graph, SizeRanges ranges, Schedule schedule) {
    this.graph = graph;
    this.ranges = ranges;
    this.schedule = schedule;
    this.caches = CacheLayouts.of(graph);
  }

  /** The KV caches the kv-cache-append pass recorded: present value → its cache. */
  Map<String, KvCacheAppend.Cache> caches() {
    return caches.byPresent();
  }

  /** The cache a value lives in (a present output, or the past input it extends). */
  Optional<KvCacheAppend.Cache> cacheHolding(String value) {
    return caches.holding(value);
  }

  /** The cache a Concat node appends to, when it is a KV cache append. */
  Optional<KvCacheAppend.Cache> appendedBy(Node node) {
    return caches.appendedBy(node);
  }

  /** The row-major layout a value's elements live in: its shape, or a cache's capacity. */
  List<Dim> layout(String value) {
    return caches.layout(value, shape(value));
  }

  /** A graph input's buffer (a past cache's is a view of its present). */
  BufferSpec inputBuffer(ValueInfo in) {
    return caches.inputBuffer(in);
  }

  /** Element strides of a value in its layout. */
  List<Dim> strides(String value) {
    return Dims.rowMajorStrides(layout(value));
  }

  Graph graph() {
    return graph;
  }

  /** The families' choices per size class. */
  Schedule schedule() {
    return schedule;
  }

  /** The sizes the compile covers, from which variants are cut. */
  SizeRanges ranges() {
    return ranges;
  }

  InferenceContext inference(Node node) {
    return InferenceContext.of(graph, node);
  }

  TensorType type(String value) {
    return graph
        .type(value)
        .orElseThrow(
            () ->
                new NotLowerableException(
                    "the shape of '" + value + "' is known only at run time"));
  }

  List<Dim> shape(String value) {
    return type(value).shape().dims();
  }

  DType dtype(String value) {
    return type(value).dtype();
  }

  /** The tensor of a compile-time constant input (weights, a folded scalar). */
  Optional<Tensor> constant(String value) {
    return graph.constants().get(value) instanceof Constant.Data(Tensor t)
        ? Optional.of(t)
        : Optional.empty();
  }

  /** An integer input known at compile time as dims (a constant, or folded shape arithmetic). */
  Optional<SymbolicTensor> dims(String value) {
    return switch (graph.constants().get(value)) {
      case Constant.Symbolic(SymbolicTensor s) -> Optional.of(s);
      case Constant.Data(Tensor t) when t.dtype().isInteger() -> Optional.of(SymbolicTensor.of(t));
      case null, default -> Optional.empty();
    };
  }

  /**
   * The buffer argument for a value a kernel reads: constants become params, stored as they are.
   */
  Argument.Buffer read(String value) {
    if (graph.constants().get(value) instanceof Constant.Symbolic) {
      throw new NotLowerableException(
          "'" + value + "' is shape arithmetic, known only when the symbols are bound");
    }
    constant(value).ifPresent(t -> param(value, t));
    type(value);
    return new Argument.Buffer(value);
  }

  /** The buffer argument for a value a kernel writes. */
  Argument.Buffer write(String value) {
    type(value);
    return new Argument.Buffer(value);
  }

  /** Registers a param (a constant, or weights packed for a kernel) under {@code name}, once. */
  Argument.Buffer param(String name, Tensor data) {
    if (!params.containsKey(name)) {
      params.put(name, BufferSpec.param(name, data.dtype(), Dims.of(data.shape())));
      paramBytes.put(name, data.data().duplicate());
    }
    return new Argument.Buffer(name);
  }

  /** Registers a kernel; kernels of the same name must be the same source. */
  String kernel(KernelSource kernel) {
    String known = kernels.putIfAbsent(kernel.kernelName(), kernel.source());
    if (known != null && !known.equals(kernel.source())) {
      throw new IllegalStateException("two different kernels are named " + kernel.kernelName());
    }
    return kernel.kernelName();
  }

  /** Declares {@code output} a view of {@code input}'s memory (same elements, another shape). */
  void view(String output, String input) {
    views.put(output, input);
  }

  /** A dispatch with the local size {@link WorkGroups} picks. */
  Dispatch dispatch(KernelSource kernel, List<Argument> arguments, List<Dim> globalSize) {
    return new Dispatch(kernel(kernel), arguments, globalSize, WorkGroups.localSize(globalSize));
  }

  Dispatch dispatch(
      KernelSource kernel, List<Argument> arguments, List<Dim> globalSize, List<Dim> localSize) {
    return new Dispatch(kernel(kernel), arguments, globalSize, localSize);
  }

  Map<String, String> kernels() {
    return kernels;
  }

  Map<String, BufferSpec> params() {
    return params;
  }

  Map<String, ByteBuffer> paramBytes() {
    return paramBytes;
  }

  Map<String, String> views() {
    return views;
  }

  static BufferKind kindOf(Graph graph, String value) {
    if (graph.inputs().stream().anyMatch(in -> in.name().equals(value))) {
      return BufferKind.INPUT;
    }
    return graph.outputs().stream().anyMatch(o -> o.name().equals(value))
        ? BufferKind.OUTPUT
        : BufferKind.INTERMEDIATE;
  }
}
