/**
 * Graph-to-graph passes, listed in order in {@link oclc.ir.passes.Passes}, each with a stable name
 * ({@code inspect --after NAME} stops after it) and the graph verified after it runs; the check
 * that the registry defines every op of a graph, which the first pass makes before any work; and
 * the graph's printed text ({@link oclc.ir.passes.GraphText}) the pass golden tests compare. The
 * lowering passes that follow these in a compile live in {@code oclc.lowering.passes}.
 */
package oclc.ir.passes;
