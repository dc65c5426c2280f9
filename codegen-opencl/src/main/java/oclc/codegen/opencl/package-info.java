/**
 * Lowers IR nodes to OpenCL C kernel variants per size class, through the templates. Knows the IR
 * and the neutral lowering ({@code oclc.lowering}), not JOCL.
 */
package oclc.codegen.opencl;
