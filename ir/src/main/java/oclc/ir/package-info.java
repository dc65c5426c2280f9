/**
 * The IR: immutable graphs of ops over values with symbolic shapes ({@link oclc.ir.Dim}), the op
 * registry (one definition per op), passes and the reference executor. Knows nothing of ONNX files,
 * OpenCL or any backend.
 */
package oclc.ir;
