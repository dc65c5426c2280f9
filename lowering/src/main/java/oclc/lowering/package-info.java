/**
 * The lowering both code generators share and neither owns: the size classes a compile covers
 * ({@link oclc.lowering.SizeRanges}), the kinds of size class ({@link oclc.lowering.SizeClass}) and
 * the families' choices per class ({@link oclc.lowering.Schedule}), copy and broadcast geometry,
 * the lowered graph, and the lowering passes ({@link oclc.lowering.passes}) with the decisions they
 * record in the graph ({@link oclc.lowering.LoweringAttributes}, the KV-cache appends of {@link
 * oclc.lowering.KvCacheAppend}). Knows the IR and the artifact, no kernel language.
 */
package oclc.lowering;
