/**
 * The Java backend's runtime: {@link oclc.runtime.cpu.JavaExecutable} (an artifact compiled with
 * {@code --device java}: kernel descriptions and params in heap arrays) and {@link
 * oclc.runtime.cpu.JavaSession} (the same bind / plan / launch model as the OpenCL session, over
 * float[] slots shared by liveness). Loads no OpenCL.
 */
package oclc.runtime.cpu;
