package oclc.onnx.quantize;

import oclc.ir.ops.BlockQuantization;

/**
 * ONNX Runtime's asymmetric block quantization (its MLAS {@code MlasQuantizeBlockwise}, the
 * arithmetic of {@code MatMulNBitsQuantizer}): each block of {@code blockSize} consecutive values
 * of a row gets {@code scale = (max − min) / (2^bits − 1)} over its range widened to hold 0, and
 * the zero point {@code round(−min / scale)}; a value is {@code clamp(round(v / scale + zp))} and
 * reads back as {@code (q − zp) · scale}.
 */
final class BlockQuantizer {
  private BlockQuantizer() {}

  /**
   * Rows of {@code rowLength} values quantized along the row: codes {@code [rows][rowLength]},
   * scales and zero points {@code [rows][blocksPerRow]}.
   */
  record Quantized(
      int bits,
      int blockSize,
      int rows,
      int rowLength,
      int[] codes,
      float[] scales,
      int[] zeroPoints) {
    int blocksPerRow() {
      return Math.ceilDiv(rowLength, blockSize);
    }

    /** The value a code reads back as. */
    float value(int row, int column) {
      int block = row * blocksPerRow() + column / blockSize;
      return (codes[row * rowLength + column] - zeroPoints[block]) * scales[block];
    }

    /** The codes packed as the nodes store them, each row in {@code rowBytes} bytes. */
    byte[] packedCodes(int rowBytes) {
      return layout().packRows(codes, zeroPoints, rows, rowBytes);
    }

    /** The zero points packed as the codes, each row in {@code ceil(blocks · bits / 8)} bytes. */
    byte[] packedZeroPoints() {
      return layout().packZeroPoints(zeroPoints, rows);
    }

    private BlockQuantization layout() {
      return new BlockQuantization(bits, blockSize, rowLength);
    }
  }

  /** Quantizes {@code rows × rowLength} values read by {@code values.at(row, column)}. */
  static Quantized quantize(Matrix values, int rows, int rowLength, int bits, int blockSize) {
    int blocks = Math.ceilDiv(rowLength, blockSize);
    int largest = (1 << bits) - 1;
    int[] codes = new int[rows * rowLength];
    float[] scales = new float[rows * blocks];
    int[] zeroPoints = new int[rows * blocks];
    for (int r = 0; r < rows; r++) {
      for (int b = 0; b < blocks; b++) {
        int from = b * blockSize;
        int to = Math.min(rowLength, from + blockSize);
        float min = 0;
        float max = 0;
        for (int c = from; c < to; c++) {
          float v = values.at(r, c);
          min = Math.min(min, v);
          max = Math.max(max, v);
        }
        float scale = (max - min) / largest;
        float zeroPointReal = scale != 0 ? -min / scale : 0;
        int zeroPoint = (int) Math.min(largest, Math.max(0, Math.round(zeroPointReal)));
        float reciprocal = scale != 0 ? 1 / scale : 0;
        for (int c = from; c < to; c++) {
          float q = values.at(r, c) * reciprocal + zeroPoint;
          codes[r * rowLength + c] = (int) Math.min(largest, Math.max(0, Math.round(q)));
        }
        scales[r * blocks + b] = scale;
        zeroPoints[r * blocks + b] = zeroPoint;
      }
    }
    return new Quantized(bits, blockSize, rows, rowLength, codes, scales, zeroPoints);
  }

  /** A matrix read by row and column (a weight read in place or transposed). */
  interface Matrix {
    float at(int row, int column);
  }
}
