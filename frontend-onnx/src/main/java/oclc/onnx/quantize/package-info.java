/**
 * Weight-only quantization of an ONNX model: MatMul and Gemm weights become ONNX Runtime's
 * MatMulNBits, embedding tables GatherBlockQuantized (both com.microsoft), or float16 initializers
 * behind a Cast. The result is a standard ONNX file that ONNX Runtime runs, and what oclc compiles
 * when a command is given {@code --weights}.
 */
package oclc.onnx.quantize;
