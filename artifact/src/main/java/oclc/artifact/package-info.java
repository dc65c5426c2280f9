/**
 * The compiled artifact {@code X.oclc/}, for either backend: the manifest (the backend it was
 * compiled for, every node's kernel variants, their predicates, arguments and launch geometry as
 * dim expressions), the kernels (OpenCL C sources, or the Java kernels' readable JSON
 * descriptions), {@code graph.json}, {@code schedule.json} and the weights packed for their kernels
 * in {@code params.bin} (64-byte aligned, mapped when read); the reader and the atomic writer.
 * Knows the IR's dims and types, not OpenCL or the Java kernels.
 */
package oclc.artifact;
