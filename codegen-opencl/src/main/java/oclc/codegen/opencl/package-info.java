/**
 * Lowers IR nodes to OpenCL C kernel variants per size range, through the templates. Knows the
 * IR, not JOCL. (Arrives with the OpenCL issue.)
 */
package oclc.codegen.opencl;
