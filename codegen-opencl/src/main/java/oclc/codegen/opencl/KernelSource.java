package oclc.codegen.opencl;

/** One OpenCL C kernel: its entry-point name and its source. */
public record KernelSource(String kernelName, String source) {}
