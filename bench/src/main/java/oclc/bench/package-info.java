/**
 * Benchmarks: JMH benchmarks of the hot kernels through the public host API, and an end-to-end
 * GPT-2 benchmark against ONNX Runtime on the same machine. The only module (besides tests) that
 * may see ONNX Runtime; nothing depends on it.
 */
package oclc.bench;
