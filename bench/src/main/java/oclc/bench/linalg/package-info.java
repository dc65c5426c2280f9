/**
 * JMH benchmarks of the Vector API backend's matrix kernels ({@code oclc.codegen.cpu.linalg}) at
 * GPT-2 small's shapes, of its worker pool's launch overhead, and of this machine's own ceilings
 * (memory read bandwidth, fp32 FMA peak) that {@code JmhBench} prints the kernels' rates against.
 */
package oclc.bench.linalg;
