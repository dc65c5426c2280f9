package oclc.ir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A concrete tensor: element type, sizes, and little-endian element bytes (which may be a view of a
 * memory-mapped file). Element accessors convert between the stored type and {@code long}/{@code
 * double}, so that one scalar loop serves every type in the reference executor.
 */
public final class Tensor {
  private final DType dtype;
  private final long[] shape;
  private final int size;
  private final ByteBuffer data;

  /**
   * The memory a reader may refill ({@link #writableData()}): the elements' bytes, or more ({@link
   * #inMemory}).
   */
  private final ByteBuffer memory;

  private Tensor(DType dtype, long[] shape, ByteBuffer data) {
    this(dtype, shape, data, false);
  }

  private Tensor(DType dtype, long[] shape, ByteBuffer data, boolean ownsAllOfIt) {
    if (!dtype.isSupported()) {
      throw new UnsupportedOperationException("tensors of type " + dtype + " are not supported");
    }
    this.dtype = dtype;
    this.shape = shape.clone();
    this.size = elementCount(shape);
    long bytes = (long) size * dtype.byteSize();
    if (data.remaining() < bytes) {
      throw new IllegalArgumentException(
          "tensor of type "
              + dtype
              + " and shape "
              + Arrays.toString(shape)
              + " needs "
              + bytes
              + " bytes, got "
              + data.remaining());
    }
    this.data = data.slice(data.position(), (int) bytes).order(ByteOrder.LITTLE_ENDIAN);
    this.memory =
        ownsAllOfIt
            ? data.slice(data.position(), data.remaining()).order(ByteOrder.LITTLE_ENDIAN)
            : this.data;
  }

  /** A zero-filled tensor. */
  public static Tensor allocate(DType dtype, long... shape) {
    long bytes = (long) elementCount(shape) * dtype.byteSize();
    if (bytes > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "tensor of shape " + Arrays.toString(shape) + " exceeds 2 GiB");
    }
    return new Tensor(dtype, shape, ByteBuffer.allocate((int) bytes));
  }

  /**
   * A tensor over the start of {@code memory}, which it owns all of, however much more than its
   * elements that is: a reader that refills one tensor at every step (a session's logits) keeps the
   * largest memory it has read into, so that steps of alternating sizes (a prefill, then decode
   * steps, then a longer prefill) do not allocate again.
   */
  public static Tensor inMemory(DType dtype, long[] shape, ByteBuffer memory) {
    return new Tensor(dtype, shape, memory, true);
  }

  /**
   * The memory to read {@code bytes} of {@code dtype} into: {@code earlier}'s (its whole memory,
   * see {@link #inMemory}) where it is a tensor of that type with room for them, and direct where
   * {@code direct} is asked, else new memory of that size.
   */
  public static ByteBuffer memoryFor(Tensor earlier, DType dtype, int bytes, boolean direct) {
    ByteBuffer memory = earlier != null && earlier.dtype() == dtype ? earlier.writableData() : null;
    if (memory != null && memory.capacity() >= bytes && (memory.isDirect() || !direct)) {
      return memory;
    }
    return (direct ? ByteBuffer.allocateDirect(bytes) : ByteBuffer.allocate(bytes))
        .order(ByteOrder.LITTLE_ENDIAN);
  }

  /** A view of existing little-endian bytes (not copied). */
  public static Tensor wrap(DType dtype, long[] shape, ByteBuffer littleEndianBytes) {
    return new Tensor(dtype, shape, littleEndianBytes);
  }

  public static Tensor ofFloats(long[] shape, float... values) {
    Tensor t = allocate(DType.FLOAT32, shape);
    for (int i = 0; i < values.length; i++) {
      t.setDouble(i, values[i]);
    }
    return t.checkFilled(values.length);
  }

  public static Tensor ofDoubles(DType dtype, long[] shape, double... values) {
    Tensor t = allocate(dtype, shape);
    for (int i = 0; i < values.length; i++) {
      t.setDouble(i, values[i]);
    }
    return t.checkFilled(values.length);
  }

  public static Tensor ofLongs(DType dtype, long[] shape, long... values) {
    Tensor t = allocate(dtype, shape);
    for (int i = 0; i < values.length; i++) {
      t.setLong(i, values[i]);
    }
    return t.checkFilled(values.length);
  }

  public static Tensor ofLongs(long[] shape, long... values) {
    return ofLongs(DType.INT64, shape, values);
  }

  public static Tensor ofBools(long[] shape, boolean... values) {
    Tensor t = allocate(DType.BOOL, shape);
    for (int i = 0; i < values.length; i++) {
      t.setBool(i, values[i]);
    }
    return t.checkFilled(values.length);
  }

  public static Tensor scalarLong(long value) {
    return ofLongs(new long[0], value);
  }

  private Tensor checkFilled(int count) {
    if (count != size) {
      throw new IllegalArgumentException(
          count + " values for a tensor of shape " + Arrays.toString(shape));
    }
    return this;
  }

  public static int elementCount(long[] shape) {
    long n = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative size in shape " + Arrays.toString(shape));
      }
      n = Math.multiplyExact(n, d);
    }
    if (n > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "tensor of shape " + Arrays.toString(shape) + " is too large");
    }
    return (int) n;
  }

  public DType dtype() {
    return dtype;
  }

  public long[] shape() {
    return shape.clone();
  }

  public int rank() {
    return shape.length;
  }

  public long dim(int axis) {
    return shape[axis];
  }

  public int size() {
    return size;
  }

  /** Row-major element strides. */
  public long[] strides() {
    return rowMajorStrides(shape);
  }

  /** Row-major element strides of a shape: the last axis has stride 1. */
  public static long[] rowMajorStrides(long[] shape) {
    long[] strides = new long[shape.length];
    long s = 1;
    for (int i = shape.length - 1; i >= 0; i--) {
      strides[i] = s;
      s *= shape[i];
    }
    return strides;
  }

  /** The same elements under another shape of equal element count (shares the bytes). */
  public Tensor reshape(long... newShape) {
    if (elementCount(newShape) != size) {
      throw new IllegalArgumentException(
          "cannot view " + Arrays.toString(shape) + " as " + Arrays.toString(newShape));
    }
    return new Tensor(dtype, newShape, data);
  }

  /** Read-only view of the element bytes, little-endian. */
  public ByteBuffer data() {
    return data.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
  }

  /**
   * This tensor's memory itself (little-endian, from position 0; at least its elements' bytes, more
   * when made {@link #inMemory}), for a reader that refills it in place rather than allocating
   * another (a session's output read every step).
   */
  public ByteBuffer writableData() {
    return memory.duplicate().order(ByteOrder.LITTLE_ENDIAN).clear();
  }

  public Tensor copy() {
    ByteBuffer bytes = ByteBuffer.allocate(data.capacity());
    bytes.put(data.duplicate().rewind());
    return new Tensor(dtype, shape, bytes.flip());
  }

  // ---- element access ----

  public float getFloat(int i) {
    return dtype == DType.FLOAT32 ? data.getFloat(i * 4) : (float) getDouble(i);
  }

  public double getDouble(int i) {
    return switch (dtype) {
      case FLOAT32 -> data.getFloat(i * 4);
      case FLOAT64 -> data.getDouble(i * 8);
      case FLOAT16 -> Float.float16ToFloat(data.getShort(i * 2));
      case BFLOAT16 -> Float.intBitsToFloat((data.getShort(i * 2) & 0xFFFF) << 16);
      case UINT64 -> unsignedToDouble(data.getLong(i * 8));
      default -> getLong(i);
    };
  }

  public long getLong(int i) {
    return switch (dtype) {
      case INT8 -> data.get(i);
      case UINT8 -> data.get(i) & 0xFFL;
      case INT16 -> data.getShort(i * 2);
      case UINT16 -> data.getShort(i * 2) & 0xFFFFL;
      case INT32 -> data.getInt(i * 4);
      case UINT32 -> data.getInt(i * 4) & 0xFFFFFFFFL;
      case INT64, UINT64 -> data.getLong(i * 8);
      case BOOL -> data.get(i) != 0 ? 1 : 0;
      case FLOAT32, FLOAT64, FLOAT16, BFLOAT16 -> (long) getDouble(i);
      default -> throw new UnsupportedOperationException(dtype.toString());
    };
  }

  public boolean getBool(int i) {
    return dtype.isFloat() ? getDouble(i) != 0 : getLong(i) != 0;
  }

  public void setFloat(int i, float v) {
    if (dtype == DType.FLOAT32) {
      data.putFloat(i * 4, v);
    } else {
      setDouble(i, v);
    }
  }

  public void setDouble(int i, double v) {
    switch (dtype) {
      case FLOAT32 -> data.putFloat(i * 4, (float) v);
      case FLOAT64 -> data.putDouble(i * 8, v);
      case FLOAT16 -> data.putShort(i * 2, Float.floatToFloat16((float) v));
      case BFLOAT16 -> data.putShort(i * 2, toBfloat16((float) v));
      case BOOL -> data.put(i, (byte) (v != 0 ? 1 : 0));
      case UINT64 -> data.putLong(i * 8, doubleToUnsigned(v));
      default -> setLong(i, (long) v);
    }
  }

  public void setLong(int i, long v) {
    switch (dtype) {
      case INT8, UINT8 -> data.put(i, (byte) v);
      case INT16, UINT16 -> data.putShort(i * 2, (short) v);
      case INT32, UINT32 -> data.putInt(i * 4, (int) v);
      case INT64, UINT64 -> data.putLong(i * 8, v);
      case BOOL -> data.put(i, (byte) (v != 0 ? 1 : 0));
      case FLOAT32, FLOAT64, FLOAT16, BFLOAT16 -> setDouble(i, v);
      default -> throw new UnsupportedOperationException(dtype.toString());
    }
  }

  public void setBool(int i, boolean v) {
    setLong(i, v ? 1 : 0);
  }

  /** Copies element {@code from} of {@code source} (of the same dtype) to element {@code to}. */
  public void copyElement(Tensor source, int from, int to) {
    int width = dtype.byteSize();
    for (int b = 0; b < width; b++) {
      data.put(to * width + b, source.data.get(from * width + b));
    }
  }

  public long[] toLongArray() {
    long[] out = new long[size];
    for (int i = 0; i < size; i++) {
      out[i] = getLong(i);
    }
    return out;
  }

  public double[] toDoubleArray() {
    double[] out = new double[size];
    for (int i = 0; i < size; i++) {
      out[i] = getDouble(i);
    }
    return out;
  }

  public float[] toFloatArray() {
    float[] out = new float[size];
    for (int i = 0; i < size; i++) {
      out[i] = getFloat(i);
    }
    return out;
  }

  private static short toBfloat16(float v) {
    int bits = Float.floatToRawIntBits(v);
    if (Float.isNaN(v)) {
      return (short) 0x7FC0;
    }
    int rounding = 0x7FFF + ((bits >>> 16) & 1); // round to nearest even
    return (short) ((bits + rounding) >>> 16);
  }

  private static double unsignedToDouble(long bits) {
    double d = (double) (bits >>> 1) * 2.0;
    return d + (bits & 1);
  }

  private static long doubleToUnsigned(double v) {
    if (v < 0x1p63) {
      return (long) v;
    }
    return (long) (v - 0x1p63) ^ Long.MIN_VALUE;
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder(dtype + Arrays.toString(shape) + " {");
    for (int i = 0; i < Math.min(size, 8); i++) {
      s.append(i == 0 ? "" : ", ").append(dtype.isFloat() ? getDouble(i) : getLong(i));
    }
    return s.append(size > 8 ? ", ...}" : "}").toString();
  }
}
