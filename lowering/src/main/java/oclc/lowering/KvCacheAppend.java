package oclc.lowering;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import oclc.ir.Dim;
import oclc.ir.Graph;
import oclc.ir.Node;
import oclc.ir.ValueInfo;
import oclc.ir.ops.Axes;

/**
 * The decision to compute GPT-2's {@code present = Concat(past, new)} as an append: the present
 * output lives in a KV cache buffer at the capacity of the compiled ranges (e.g. 128 positions),
 * the past input is a view of its first rows, and the node copies only the new keys or values
 * behind them. The present output still reads as the ONNX Concat (the runtime reads its rows out of
 * the cache).
 *
 * <p>It applies where a Concat joins a graph input and another value into a graph output along one
 * axis before the last, its length is bounded by the ranges, and every other reader of the present
 * value reads through strides (Transpose, the batched MatMul), which the cache layout needs. ONNX
 * Runtime's past, keys and values stacked as {@code [2, batch, heads, past, head]}, appends along
 * axis 3 as any other: com.microsoft Attention's decomposition reads its present through one
 * Transpose (a Gather, which reads its data densely, would keep it a copy).
 */
public final class KvCacheAppend {
  /**
   * A present value stored as a cache: the past input it extends, the axis, and the capacity along
   * it.
   */
  public record Cache(String present, String past, int axis, long capacity) {}

  private static final java.util.Set<String> STRIDED_READERS =
      java.util.Set.of("Transpose", "MatMul");

  private KvCacheAppend() {}

  /** The appends of a graph after the standard passes, by present value (the pass's analysis). */
  public static Map<String, Cache> find(Graph graph, SizeRanges ranges) {
    Map<String, Cache> caches = new LinkedHashMap<>();
    List<String> inputs = graph.inputs().stream().map(ValueInfo::name).toList();
    List<String> outputs = graph.outputs().stream().map(ValueInfo::name).toList();
    for (Node node : graph.nodes()) {
      if (!node.opType().equals("Concat") || node.inputs().size() != 2) {
        continue;
      }
      String past = node.inputs().get(0);
      String present = node.outputs().get(0);
      if (!inputs.contains(past)
          || !outputs.contains(present)
          || graph.type(present).isEmpty()
          || graph.type(node.inputs().get(1)).isEmpty()) {
        continue;
      }
      List<Dim> shape = graph.type(present).get().shape().dims();
      int axis = Axes.normalize(node.attributes().getInt("axis"), shape.size());
      long capacity = ranges.range(shape.get(axis)).max();
      if (axis >= shape.size() - 1
          || capacity >= SizeRanges.OPEN
          || !readersStride(graph, node, present)) {
        continue;
      }
      caches.put(present, new Cache(present, past, axis, capacity));
    }
    return caches;
  }

  /**
   * The appends the kv-cache-append pass recorded in the graph ({@link
   * LoweringAttributes#KV_CACHE_CAPACITY}), by present value: what the code generators read.
   */
  public static Map<String, Cache> recorded(Graph graph) {
    Map<String, Cache> caches = new LinkedHashMap<>();
    for (Node node : graph.nodes()) {
      if (node.opType().equals("Concat")
          && node.attributes().has(LoweringAttributes.KV_CACHE_CAPACITY)) {
        String present = node.outputs().getFirst();
        int rank = graph.type(present).orElseThrow().shape().dims().size();
        caches.put(
            present,
            new Cache(
                present,
                node.inputs().getFirst(),
                Axes.normalize(node.attributes().getInt("axis"), rank),
                node.attributes().getInt(LoweringAttributes.KV_CACHE_CAPACITY)));
      }
    }
    return caches;
  }

  /**
   * Whether every node that reads {@code present} (and the past, which becomes a view of it) reads
   * through strides.
   */
  private static boolean readersStride(Graph graph, Node append, String present) {
    for (Node reader : graph.nodes()) {
      if (reader == append) {
        continue;
      }
      boolean reads =
          reader.inputs().contains(present) || reader.inputs().contains(append.inputs().get(0));
      if (reads && !(STRIDED_READERS.contains(reader.opType()) && reader.domain().isEmpty())) {
        return false;
      }
    }
    return true;
  }

  /** The storage shape of a cached value: its shape with the capacity along the cache axis. */
  public static List<Dim> storage(List<Dim> shape, Cache cache) {
    List<Dim> storage = new java.util.ArrayList<>(shape);
    storage.set(cache.axis(), Dim.of(cache.capacity()));
    return storage;
  }
}
