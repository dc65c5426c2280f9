package oclc.ir;

/**
 * An op that the fast backends compute from other ops. Its definition rewrites a node into nodes of
 * the default domain that compute what its reference evaluation computes, so that one rewrite
 * serves every backend (the {@code decompose-ops} pass applies it once types are inferred). The
 * rewrite may round where the reference, computing in double, rounds once.
 */
public interface Decomposable {

  /**
   * Adds the nodes that compute {@code rewrite}'s node, writing its outputs, and returns true; or
   * returns false, having added nothing, where this node cannot be rewritten exactly (the node then
   * stays, for a backend to take or to refuse by name).
   */
  boolean decompose(NodeRewrite rewrite);
}
