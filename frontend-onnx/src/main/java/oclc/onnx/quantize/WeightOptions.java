package oclc.onnx.quantize;

import java.util.List;
import java.util.regex.Pattern;
import oclc.ir.OclcException;

/**
 * What {@code --weights}, {@code --block} and {@code --keep-fp32} ask for: the format of every
 * MatMul, Gemm and embedding weight, the number of weights sharing one scale (a power of 2 from 16:
 * ONNX Runtime's GatherBlockQuantized takes no smaller block), and glob patterns over initializer
 * and node names whose weights stay as exported; {@code shareTiedHead}: a tied LM head reads the
 * embedding's quantized copy (one copy in a file) rather than its own.
 */
public record WeightOptions(
    WeightFormat format, int blockSize, List<String> keepPatterns, boolean shareTiedHead) {
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

  /** For a file: a tied head shares the embedding's copy. */
  public WeightOptions(WeightFormat format, int blockSize, List<String> keepPatterns) {
    this(format, blockSize, keepPatterns, true);
  }

  /**
   * For a model compiled at once: the head keeps its own copy, as oclc folds the Reshapes that
   * share one into a second copy anyway, and leaves one of GPT-2 small's size (past its folding
   * limit) a Reshape that no quantized kernel reads, so the product would fall back.
   */
  public WeightOptions withoutSharedHead() {
    return new WeightOptions(format, blockSize, keepPatterns, false);
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
