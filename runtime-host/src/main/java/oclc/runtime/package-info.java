/**
 * Devices, executables, sessions, launch plans and buffers over JOCL. Knows kernels only through
 * the artifact's manifest and the kernel cache.
 */
package oclc.runtime;
