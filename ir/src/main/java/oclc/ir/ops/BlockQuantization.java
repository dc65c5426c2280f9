package oclc.ir.ops;

import oclc.ir.Tensor;

/**
 * The block layout ONNX Runtime's block-quantized weights share (MatMulNBits, GatherBlockQuantized;
 * ContribOperators.md): along the quantized axis, runs of {@code blockSize} values share one scale
 * and one zero point; 4-bit values are packed two to a byte, the lower index in the low nibble; the
 * uint8 zero points of 4-bit values are packed the same way, each row of blocks padded to whole
 * bytes; without zero points the middle of the range (8 for 4 bits, 128 for 8 bits) is the zero.
 *
 * @param bits 4 or 8
 * @param blockSize values per block along the quantized axis (a power of two, 16 or more)
 * @param length the number of values along the quantized axis (not a multiple of the block size
 *     when the last block is short, its unused values are padding)
 */
public record BlockQuantization(int bits, int blockSize, long length) {
  public BlockQuantization {
    if (bits != 4 && bits != 8) {
      throw new IllegalArgumentException("bits must be 4 or 8, not " + bits);
    }
  }

  /** Whether oclc computes these bits (4 or 8; ONNX Runtime also writes 2). */
  public static boolean supportsBits(long bits) {
    return bits == 4 || bits == 8;
  }

  /** A valid block size: a power of two, 16 or more. */
  public static boolean validBlockSize(long blockSize) {
    return blockSize >= 16 && Long.bitCount(blockSize) == 1;
  }

  /** Blocks along the quantized axis: scales per row. */
  public long blocks() {
    return Math.ceilDiv(length, blockSize);
  }

  /** Bytes of one block's packed values (MatMulNBits' blob). */
  public long blockBytes() {
    return (long) blockSize * bits / 8;
  }

  /** Bytes of one row's packed values, its last block padded to whole bytes. */
  public long rowBytes() {
    return Math.ceilDiv(length * bits, 8);
  }

  /** Bytes of one row's packed uint8 zero points (one per block, padded to whole bytes). */
  public long zeroPointRowBytes() {
    return Math.ceilDiv(blocks() * bits, 8);
  }

  /** The zero point of values stored without zero points. */
  public int defaultZeroPoint() {
    return 1 << (bits - 1);
  }

  /** Values per byte: 2 for 4 bits, 1 for 8. */
  public int valuesPerByte() {
    return 8 / bits;
  }

  /**
   * {@code rows} rows of unsigned values packed as the nodes store them, each row in {@code
   * rowStride} bytes ({@link #rowBytes} for GatherBlockQuantized, {@link #blocks} · {@link
   * #blockBytes} for MatMulNBits): value {@code v} of row {@code r} is {@code values[r · length +
   * v]}; the padding after the last value takes its block's zero point ({@code zeroPoints}, rows ×
   * blocks), so that it reads back as 0.
   */
  public byte[] packRows(int[] values, int[] zeroPoints, long rows, long rowStride) {
    byte[] packed = new byte[Math.toIntExact(rows * rowStride)];
    long capacity = rowStride * valuesPerByte();
    for (long r = 0; r < rows; r++) {
      for (long v = 0; v < capacity; v++) {
        int value =
            v < length
                ? values[(int) (r * length + v)]
                : zeroPoints[(int) (r * blocks() + Math.min(v / blockSize, blocks() - 1))];
        put(packed, r * rowStride, v, value);
      }
    }
    return packed;
  }

  /**
   * Zero points (rows × blocks, unsigned) packed as the nodes store them, rows of {@link
   * #zeroPointRowBytes}.
   */
  public byte[] packZeroPoints(int[] zeroPoints, long rows) {
    byte[] packed = new byte[Math.toIntExact(rows * zeroPointRowBytes())];
    for (long r = 0; r < rows; r++) {
      for (long b = 0; b < blocks(); b++) {
        put(packed, r * zeroPointRowBytes(), b, zeroPoints[(int) (r * blocks() + b)]);
      }
    }
    return packed;
  }

  private void put(byte[] packed, long offset, long index, int value) {
    int at = (int) (offset + index * bits / 8);
    packed[at] |= (byte) (bits == 8 || (index & 1) == 0 ? value : value << 4);
  }

  /** Value {@code index} of packed bytes starting at {@code offset}, as an unsigned number. */
  public int unpack(Tensor packed, long offset, long index) {
    int value = (int) packed.getLong((int) (offset + index * bits / 8)) & 0xFF;
    return bits == 8 ? value : (index & 1) == 0 ? value & 0xF : value >>> 4;
  }

  /**
   * The zero point of block {@code block} of row {@code row}: packed uint8 rows, a float tensor of
   * one per block, or the default where {@code zeroPoints} is null.
   */
  public double zeroPoint(Tensor zeroPoints, long row, long block) {
    if (zeroPoints == null) {
      return defaultZeroPoint();
    }
    if (zeroPoints.dtype().isFloat()) {
      return zeroPoints.getFloat((int) (row * blocks() + block));
    }
    return unpack(zeroPoints, row * zeroPointRowBytes(), block);
  }

  /**
   * The zero point of every block of {@code rows} rows as a float, row by row (rows × {@link
   * #blocks}): one table for the kernels, whichever form the node gave (none, packed uint8, float).
   */
  public float[] zeroPointTable(Tensor zeroPoints, long rows) {
    float[] table = new float[Math.toIntExact(rows * blocks())];
    for (long row = 0; row < rows; row++) {
      for (long block = 0; block < blocks(); block++) {
        table[(int) (row * blocks() + block)] = (float) zeroPoint(zeroPoints, row, block);
      }
    }
    return table;
  }

  /**
   * The dequantized value {@code index} of row {@code row}, {@code (q - zero point) · scale} in
   * float32 as ONNX Runtime computes it.
   */
  public float dequantize(
      Tensor packed, long rowOffset, Tensor scales, Tensor zeroPoints, long row, long index) {
    long block = index / blockSize;
    float scale = scales.getFloat((int) (row * blocks() + block));
    float zeroPoint = (float) zeroPoint(zeroPoints, row, block);
    return (unpack(packed, rowOffset, index) - zeroPoint) * scale;
  }
}
