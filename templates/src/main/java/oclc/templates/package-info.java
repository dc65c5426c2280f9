/**
 * StringTemplate 4 groups that spell OpenCL C kernels, shipped as resources. Templates print;
 * the decisions (tiles, variants) are made in Java by codegen. (Kernels come with the OpenCL issue.)
 */
package oclc.templates;
