/**
 * Byte-level BPE tokenizers (GPT-2's and those built like it) for text in and out of generation:
 * read from Hugging Face's tokenizer.json or GPT-2's vocab.json + merges.txt, encoding in Hugging
 * Face's order (added tokens, normalizer, pre-tokenizer, BPE, post-processor) and decoding whole or
 * as a stream. Knows nothing of models or devices.
 */
package oclc.compiler.generate.tokenizer;
