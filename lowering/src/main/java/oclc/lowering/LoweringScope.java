package oclc.lowering;

import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import oclc.artifact.Manifest.Argument;
import oclc.artifact.Manifest.BufferSpec;
import oclc.ir.Constant;
import oclc.ir.Dim;
import oclc.ir.Graph;
import oclc.ir.Node;
import oclc.ir.Tensor;

/**
 * What a backend's lowering sees of the graph and where it records what its kernels need, alike for
 * every backend: the graph after the passes, the sizes the compile covers and the schedule, the KV
 * caches' layouts; the kernels by name, the params (constants a kernel reads, weights packed for
 * one) and the views. Each backend adds how it types a value and what a kernel of its is.
 */
public abstract class LoweringScope {
  private final Graph graph;
  private final SizeRanges ranges;
  private final Schedule schedule;
  private final CacheLayouts caches;
  private final Map<String, String> kernels = new LinkedHashMap<>();
  private final Map<String, BufferSpec> params = new LinkedHashMap<>();
  private final Map<String, ByteBuffer> paramBytes = new LinkedHashMap<>();
  private final Map<String, String> views = new LinkedHashMap<>();

  protected LoweringScope(Graph graph, SizeRanges ranges, Schedule schedule) {
    this.graph = graph;
    this.ranges = ranges;
    this.schedule = schedule;
    this.caches = CacheLayouts.of(graph);
  }

  public Graph graph() {
    return graph;
  }

  /** The sizes the compile covers, from which variants are cut. */
  public SizeRanges ranges() {
    return ranges;
  }

  /** The families' choices per size class. */
  public Schedule schedule() {
    return schedule;
  }

  /** A value's dims; what a value without a type is, each backend says. */
  public abstract List<Dim> shape(String value);

  /** The tensor of a compile-time constant input (weights, a folded scalar). */
  public Optional<Tensor> constant(String value) {
    return graph.constants().get(value) instanceof Constant.Data(Tensor t)
        ? Optional.of(t)
        : Optional.empty();
  }

  /** The cache a Concat node appends to, when it is a KV cache append. */
  public Optional<KvCacheAppend.Cache> appendedBy(Node node) {
    return caches.appendedBy(node);
  }

  /** The row-major layout a value's elements live in: its shape, or a cache's capacity. */
  public List<Dim> layout(String value) {
    return caches.layout(value, shape(value));
  }

  /** Element strides of a value in its layout. */
  public List<Dim> strides(String value) {
    return Dims.rowMajorStrides(layout(value));
  }

  /** Registers a param (a constant, or weights packed for a kernel) under {@code name}, once. */
  public Argument.Buffer param(String name, Tensor data) {
    if (!params.containsKey(name)) {
      params.put(name, BufferSpec.param(name, data.dtype(), Dims.of(data.shape())));
      paramBytes.put(name, data.data().duplicate());
    }
    return new Argument.Buffer(name);
  }

  /** Declares {@code output} a view of {@code input}'s memory (same elements, another shape). */
  public void view(String output, String input) {
    views.put(output, input);
  }

  /** The KV caches the kv-cache-append pass recorded, and the layouts they give values. */
  protected CacheLayouts cacheLayouts() {
    return caches;
  }

  /**
   * Registers a kernel's text (its source, or its description) under its name, which it returns;
   * kernels of the same name must be the same.
   */
  protected String kernel(String name, String text) {
    String known = kernels.putIfAbsent(name, text);
    if (known != null && !known.equals(text)) {
      throw new IllegalStateException("two different kernels are named " + name);
    }
    return name;
  }

  /** The kernels' texts by name, in the order they were registered. */
  public Map<String, String> kernels() {
    return Collections.unmodifiableMap(kernels);
  }

  public Map<String, BufferSpec> params() {
    return Collections.unmodifiableMap(params);
  }

  public Map<String, ByteBuffer> paramBytes() {
    return Collections.unmodifiableMap(paramBytes);
  }

  /** Each view and the value whose memory it is. */
  public Map<String, String> views() {
    return Collections.unmodifiableMap(views);
  }
}
