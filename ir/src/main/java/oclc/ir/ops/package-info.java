/**
 * Op definitions, one place per op: attributes, symbolic shape inference, reference evaluation and,
 * for shape arithmetic, symbolic evaluation.
 */
package oclc.ir.ops;
