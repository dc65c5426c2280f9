/**
 * ONNX backend-test cases (a model and its test_data_set_* folders) run on a backend: the reference
 * executor, the Java backend or an OpenCL device, each model compiled as {@code oclc compile} would
 * and compared with the ONNX tolerances, float16 outputs with float16's ({@link
 * oclc.compiler.conformance.Tolerance}).
 */
package oclc.compiler.conformance;
