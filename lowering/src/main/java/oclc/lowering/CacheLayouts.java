package oclc.lowering;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import oclc.artifact.Manifest.BufferKind;
import oclc.artifact.Manifest.BufferSpec;
import oclc.ir.Dim;
import oclc.ir.Graph;
import oclc.ir.Node;
import oclc.ir.ValueInfo;

/**
 * The KV caches the kv-cache-append pass recorded in a graph (present value → its cache) and what
 * both code generators ask of them: which Concat appends, which values live in a cache, the layout
 * they live in, and the buffer of a past input.
 */
public record CacheLayouts(Map<String, KvCacheAppend.Cache> byPresent) {
  public CacheLayouts {
    byPresent = Map.copyOf(byPresent);
  }

  public static CacheLayouts of(Graph graph) {
    return new CacheLayouts(KvCacheAppend.recorded(graph));
  }

  /** The cache a Concat node appends to, when it is a KV cache append. */
  public Optional<KvCacheAppend.Cache> appendedBy(Node node) {
    KvCacheAppend.Cache cache = byPresent.get(node.outputs().get(0));
    return cache != null && node.inputs().get(0).equals(cache.past())
        ? Optional.of(cache)
        : Optional.empty();
  }

  /** The cache a value lives in (a present output, or the past input it extends). */
  public Optional<KvCacheAppend.Cache> holding(String value) {
    return byPresent.values().stream()
        .filter(c -> c.present().equals(value) || c.past().equals(value))
        .findFirst();
  }

  /** The row-major layout a value of {@code shape} lives in: its shape, or a cache's capacity. */
  public List<Dim> layout(String value, List<Dim> shape) {
    return holding(value).map(c -> KvCacheAppend.storage(shape, c)).orElse(shape);
  }

  /** A graph input's buffer: a past cache is a view of its present, stored at the capacity. */
  public BufferSpec inputBuffer(ValueInfo in) {
    List<Dim> shape = in.shape().dims();
    return holding(in.name())
        .map(
            cache ->
                BufferSpec.view(in.name(), in.dtype(), shape, BufferKind.INPUT, cache.present())
                    .storedAs(layout(in.name(), shape)))
        .orElseGet(() -> BufferSpec.value(in.name(), in.dtype(), shape, BufferKind.INPUT));
  }
}
