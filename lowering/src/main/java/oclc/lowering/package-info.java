/**
 * The lowering both code generators share and neither owns: the size classes a compile covers
 * ({@link oclc.lowering.SizeRanges}), the kinds of size class ({@link oclc.lowering.SizeClass}) and
 * the families' choices per class ({@link oclc.lowering.Schedule}), copy and broadcast geometry,
 * the lowered graph, and the lowering passes ({@link oclc.lowering.passes}) with the decisions they
 * record in the graph ({@link oclc.lowering.LoweringAttributes}, the KV-cache appends of {@link
 * oclc.lowering.KvCacheAppend}, read back through {@link oclc.lowering.CacheLayouts}), and what
 * both backends compute alike from a node: the parts a Split, Concat or cache append copies ({@link
 * oclc.lowering.CopyPart}), MatMul and Gemm weights as packed matrices ({@link
 * oclc.lowering.PackedWeights}), and what both backends' lowering contexts see of the graph and
 * record while lowering it ({@link oclc.lowering.LoweringScope}). Knows the IR and the artifact, no
 * kernel language.
 */
package oclc.lowering;
