/**
 * The kernel families, each declared once ({@link oclc.families.KernelFamily}): the ops it takes,
 * the kinds of size class its variants change at, and its OpenCL and Java lowerings side by side.
 * {@link oclc.families.KernelFamilies} maps an op to its family and hands each code generator its
 * lowerings. Sits above both code generators, which know nothing of each other; the runtime does
 * not depend on it.
 */
package oclc.families;
