/**
 * The compiler API: {@link oclc.compiler.Compiler#compile} turns an ONNX model into an artifact
 * folder under {@link oclc.compiler.CompileOptions}, for an OpenCL device or the Java backend;
 * below it {@link oclc.compiler.ModelCompiler} lowers and writes an artifact without a device, and
 * {@link oclc.compiler.DeviceModel} loads a model or an artifact on one. Everything the command
 * line does apart from reading its arguments and printing; it knows no command-line flags.
 */
package oclc.compiler;
