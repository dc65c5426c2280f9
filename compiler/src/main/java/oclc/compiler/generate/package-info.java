/**
 * Text generation over a compiled decode graph: prefill, then one token per step with the KV cache,
 * greedy or sampled, one prompt or a left-padded batch, stopping at the model's end-of-sequence ids
 * ({@link oclc.compiler.generate.GenerationConfig}); what the graph's inputs are (ids, mask,
 * positions, state pairs) is {@link oclc.compiler.generate.DecoderInputs}', by the names a
 * genai_config.json gives them where it does ({@link oclc.compiler.generate.DecoderNames}). The
 * tokenizer for text in and out is in {@code tokenizer}.
 */
package oclc.compiler.generate;
