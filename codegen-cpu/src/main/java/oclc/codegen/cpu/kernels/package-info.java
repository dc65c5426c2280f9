/**
 * The Java kernels: each bound once per plan to its operands (arrays, offsets, shapes, strides) and
 * run at launch with no allocation, over a {@code linalg.WorkerPool} for large launches. Vector API
 * loops over {@code FloatVector.SPECIES_PREFERRED} with scalar tails; the {@link
 * oclc.codegen.cpu.kernels.ReferenceKernel} is the labelled fallback for ops without one.
 */
package oclc.codegen.cpu.kernels;
