package oclc.ir.passes;

import oclc.ir.Graph;

/** A function from graph to graph, with a stable name usable from the command line. */
public interface Pass {
  String name();

  Graph apply(Graph graph);
}
