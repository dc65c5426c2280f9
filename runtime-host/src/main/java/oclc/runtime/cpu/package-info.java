/**
 * The Java backend's runtime: {@link oclc.runtime.cpu.JavaExecutable} (an artifact compiled with
 * {@code --device java}: kernel descriptions and params in heap arrays), whose sessions are {@link
 * oclc.runtime.Session}s over a {@code JavaBackend}: float[] buffers, the Vector API kernels bound
 * to views of them, and the session's worker threads. Loads no OpenCL.
 */
package oclc.runtime.cpu;
