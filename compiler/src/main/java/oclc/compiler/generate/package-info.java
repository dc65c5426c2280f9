/**
 * Text generation over a compiled decode graph: prefill, then one token per step with the KV cache,
 * greedy or sampled, stopping at the model's end-of-sequence ids. The tokenizer for text in and out
 * is in {@code tokenizer}.
 */
package oclc.compiler.generate;
