/**
 * The Java (Vector API) backend's compile side: {@link oclc.codegen.cpu.JavaLowering} turns each
 * node into variants with the same size classes as the OpenCL lowering (GEMV for one row, GEMM for
 * many, over weights packed at compile time), each dispatch naming a Java kernel described by a
 * {@link oclc.codegen.cpu.JavaKernelSpec} (kernels/NAME.json in the artifact). The kernels
 * themselves live in {@code kernels}; the matrix products in {@code linalg}. Knows nothing of
 * OpenCL or of sessions.
 */
package oclc.codegen.cpu;
