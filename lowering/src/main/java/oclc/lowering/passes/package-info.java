/**
 * The lowering passes, listed in order with the standard ones in {@link
 * oclc.lowering.passes.LoweringPasses}: the rewrite of the exporter's decomposed norms into one
 * node, and the KV-cache appends and fusion groups recorded on the nodes for the code generators to
 * read. Each is a {@code LoweringPass}: a name and the compile's {@link
 * oclc.lowering.passes.LoweringOptions}. Backend-neutral: a backend's fusion plan comes in through
 * {@link oclc.lowering.passes.FusionPlanner}.
 */
package oclc.lowering.passes;
