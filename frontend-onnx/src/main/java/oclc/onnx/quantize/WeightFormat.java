package oclc.onnx.quantize;

import java.util.Arrays;
import java.util.Locale;
import oclc.ir.OclcException;

/** How a weight is stored: as exported, float16, or block-quantized integers. */
public enum WeightFormat {
  FP32(32),
  FP16(16),
  INT8(8),
  INT4(4);

  private final int bits;

  WeightFormat(int bits) {
    this.bits = bits;
  }

  public int bits() {
    return bits;
  }

  public boolean blockQuantized() {
    return this == INT8 || this == INT4;
  }

  /** The name users write: {@code fp32}, {@code fp16}, {@code int8}, {@code int4}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static WeightFormat parse(String text) {
    for (WeightFormat format : values()) {
      if (format.label().equals(text.strip().toLowerCase(Locale.ROOT))) {
        return format;
      }
    }
    throw new OclcException(
        "--weights "
            + text
            + ": not a weight format; use one of "
            + String.join(", ", Arrays.stream(values()).map(WeightFormat::label).toList()));
  }
}
