package oclc.lowering.passes;

import java.util.Map;
import oclc.ir.Attribute;
import oclc.ir.Graph;
import oclc.lowering.KvCacheAppend;
import oclc.lowering.LoweringAttributes;

/**
 * {@code kv-cache-append}: marks each Concat that {@link KvCacheAppend#find} makes a KV cache
 * append with the cache's capacity ({@link LoweringAttributes#KV_CACHE_CAPACITY}), from the
 * compile's size ranges; the code generators then keep its present output in a cache buffer and
 * copy only the new rows ({@link KvCacheAppend#recorded}). The node still computes the Concat.
 */
public final class AppendKvCaches extends LoweringPass {
  public static final String NAME = "kv-cache-append";

  public AppendKvCaches(LoweringOptions options) {
    super(NAME, options);
  }

  @Override
  public Graph apply(Graph graph) {
    Map<String, KvCacheAppend.Cache> caches = KvCacheAppend.find(graph, options.ranges());
    if (caches.isEmpty()) {
      return graph;
    }
    return graph.withNodes(
        graph.nodes().stream()
            .map(
                node -> {
                  KvCacheAppend.Cache cache = caches.get(node.outputs().getFirst());
                  return cache == null || !node.opType().equals("Concat")
                      ? node
                      : LoweringAttributes.with(
                          node,
                          LoweringAttributes.KV_CACHE_CAPACITY,
                          new Attribute.IntValue(cache.capacity()));
                })
            .toList());
  }
}
