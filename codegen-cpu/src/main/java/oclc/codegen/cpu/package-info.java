/**
 * The Vector API backend: the same variants as OpenCL, as Java kernels. (Arrives with its
 * own issue.)
 */
package oclc.codegen.cpu;
