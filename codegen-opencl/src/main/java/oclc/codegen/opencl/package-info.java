/**
 * Lowers IR nodes to OpenCL C kernel variants per size class, through the templates, reading the
 * decisions the lowering passes recorded in the graph; its fusion planner ({@code Fusion}) is what
 * the fusion-groups pass runs for OpenCL. Knows the IR and the neutral lowering ({@code
 * oclc.lowering}), not JOCL.
 */
package oclc.codegen.opencl;
