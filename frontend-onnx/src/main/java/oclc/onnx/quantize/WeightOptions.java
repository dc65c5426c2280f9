package oclc.onnx.quantize;

import java.util.List;
import java.util.regex.Pattern;
import oclc.ir.OclcException;

/**
 * What {@code --weights}, {@code --block} and {@code --keep-fp32} ask for: the format of every
 * MatMul, Gemm and embedding weight, the number of weights sharing one scale (a power of 2 from 16:
 * ONNX Runtime's GatherBlockQuantized takes no smaller block), and glob patterns over initializer
 * and node names whose weights stay as exported; {@code compiling}: the model is quantized in
 * memory for oclc to compile at once, not for a file (see {@link #whenCompiling}).
 */
public record WeightOptions(
    WeightFormat format, int blockSize, List<String> keepPatterns, boolean compiling) {
  public static final int DEFAULT_BLOCK = 32;

  /** The weights as exported. */
  public static final WeightOptions AS_EXPORTED =
      new WeightOptions(WeightFormat.FP32, DEFAULT_BLOCK, List.of());

  public WeightOptions {
    if (blockSize < 16 || Integer.bitCount(blockSize) != 1) {
      throw new OclcException(
          "--block " + blockSize + ": the block must be a power of 2 from 16 (32, 64, 128)");
    }
    keepPatterns = List.copyOf(keepPatterns);
  }

  /** For a file. */
  public WeightOptions(WeightFormat format, int blockSize, List<String> keepPatterns) {
    this(format, blockSize, keepPatterns, false);
  }

  /**
   * For a model oclc compiles at once: fp16 weights are rounded to float16 but stay float32
   * initializers, as no kernel multiplies by float16 weights, and a Cast the passes do not fold
   * (GPT-2 small's embedding, past the folding limit) would convert the whole table on every run
   * (decode 74 → 337 ms/token). A tied head shares the embedding's quantized rows as in a file: the
   * Reshapes between them fold into views however large.
   */
  public WeightOptions whenCompiling() {
    return new WeightOptions(format, blockSize, keepPatterns, true);
  }

  public boolean asExported() {
    return format == WeightFormat.FP32;
  }

  /** Whether {@code name} (an initializer's or a node's) matches one of the patterns. */
  public boolean keeps(String name) {
    return keepPatterns.stream().anyMatch(p -> globToRegex(p).matcher(name).matches());
  }

  /** {@code *} any run of characters, {@code ?} one; the rest literal ('/' is no separator). */
  private static Pattern globToRegex(String glob) {
    StringBuilder regex = new StringBuilder();
    for (char c : glob.toCharArray()) {
      switch (c) {
        case '*' -> regex.append(".*");
        case '?' -> regex.append('.');
        default -> regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex.toString());
  }
}
