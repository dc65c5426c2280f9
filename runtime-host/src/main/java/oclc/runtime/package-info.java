/**
 * The runtime: devices, executables, launch plans and the one {@link oclc.runtime.Session} of every
 * backend, with its {@link oclc.runtime.MemoryPlanner} (slots by liveness) and per-node launch
 * state over the small {@link oclc.runtime.Backend} / {@link oclc.runtime.BoundVariant} interface
 * that OpenCL (over JOCL, here) and the Java kernels ({@code cpu}) implement. Knows OpenCL kernels
 * only through the artifact's manifest and the kernel cache, and the Java kernels through
 * codegen-cpu's kernel classes; it depends on no code generator of OpenCL C and on no template.
 */
package oclc.runtime;
