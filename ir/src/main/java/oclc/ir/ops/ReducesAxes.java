package oclc.ir.ops;

import java.util.SortedSet;
import oclc.ir.InferenceContext;

/** An op that reduces some axes of its first input: says which, as its definition reads them. */
public interface ReducesAxes {
  /** The reduced axes of input 0, normalized and sorted. */
  SortedSet<Integer> reducedAxes(InferenceContext context);
}
