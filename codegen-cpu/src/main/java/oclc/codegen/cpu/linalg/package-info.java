/**
 * The CPU backend's matrix products over the Java Vector API: {@link
 * oclc.codegen.cpu.linalg.PackedMatrix} (weights packed once, at compile time, into the panels the
 * kernels stream), {@link oclc.codegen.cpu.linalg.MatMulKernel} (GEMV for decode, register-blocked
 * GEMM for prefill) and {@link oclc.codegen.cpu.linalg.WorkerPool} (the persistent threads a launch
 * is split over). Knows nothing of graphs, ops or artifacts: the rest of codegen-cpu binds float
 * arrays to these kernels.
 */
package oclc.codegen.cpu.linalg;
