/**
 * Graph-to-graph passes, listed in order in {@link oclc.ir.passes.Passes}, each with a stable name
 * ({@code inspect --after NAME} stops after it) and the graph verified after it runs; and the check
 * that the registry defines every op of a graph, which the first pass makes before any work.
 */
package oclc.ir.passes;
