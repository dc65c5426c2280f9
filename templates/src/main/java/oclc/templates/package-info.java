/**
 * StringTemplate 4 groups, shipped as resources: one per OpenCL C kernel family, and the SVG of a
 * profile and of the benchmark chart. {@link oclc.templates.KernelTemplates} makes every
 * StringTemplate error throw and every template take exactly its declared arguments. Templates
 * print; the decisions (tiles, variants, layout) are made in Java by their callers.
 */
package oclc.templates;
