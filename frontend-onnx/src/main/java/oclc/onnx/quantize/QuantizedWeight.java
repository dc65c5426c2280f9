package oclc.onnx.quantize;

/**
 * One weight of the summary: its initializer, shape, the format it was given (with the reason where
 * it stayed as exported) and its bytes before and after (scales and zero points counted).
 */
public record QuantizedWeight(
    String tensor, String shape, String format, long bytesBefore, long bytesAfter) {}
