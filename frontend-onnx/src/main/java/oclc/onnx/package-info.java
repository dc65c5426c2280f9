/**
 * Reads ONNX models (the project's own onnx.proto) into the IR, including external data. Knows the
 * IR, nothing of backends.
 */
package oclc.onnx;
