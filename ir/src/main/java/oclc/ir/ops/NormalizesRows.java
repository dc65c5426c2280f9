package oclc.ir.ops;

import oclc.ir.InferenceContext;

/**
 * An op that computes over rows of its first input (Softmax, LayerNormalization): says which axes
 * make a row, as its definition reads its attributes.
 */
public interface NormalizesRows {
  /**
   * Axes {@code first..last} (inclusive) of input 0 make one row; {@code first > last} for rows of
   * one element.
   */
  record RowAxes(int first, int last) {}

  RowAxes rowAxes(InferenceContext context);
}
