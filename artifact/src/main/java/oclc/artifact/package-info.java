/**
 * The compiled artifact {@code X.oclc/}: the manifest (every node's kernel variants, their
 * predicates, arguments and launch geometry as dim expressions), the readable kernel sources and
 * the pre-packed weights in {@code params.bin}. Knows the IR's dims and types, not OpenCL.
 */
package oclc.artifact;
