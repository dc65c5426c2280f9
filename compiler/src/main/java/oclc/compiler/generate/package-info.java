/**
 * Text generation over a compiled decode graph: prefill, then one token per step with the KV cache,
 * greedy or sampled; and GPT-2's byte-level BPE tokenizer for text in and out.
 */
package oclc.compiler.generate;
