package oclc.codegen.cpu.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import oclc.codegen.cpu.JavaKernelSpec;
import oclc.codegen.cpu.linalg.PackedMatrix;
import oclc.codegen.cpu.linalg.WorkerPool;
import oclc.ir.DType;
import oclc.ir.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The float16 kernels against the float32 ones on the same values: float16 inputs are exact in
 * float32 and both sum in float32 in the same order, so each float16 result is the float32 result
 * rounded to float16, bit for bit.
 */
class Float16KernelsTest {
  private static final WorkerPool POOL = new WorkerPool(3);
  private final Random random = new Random(16);

  @AfterAll
  static void close() {
    POOL.close();
  }

  /** Random values that float16 holds exactly. */
  private float[] halfValues(int n) {
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = Float.float16ToFloat(Float.floatToFloat16(random.nextFloat() * 4 - 2));
    }
    return values;
  }

  private static Operand floats(float[] values, long[] shape, long[] strides) {
    return new Operand(
        "v", DType.FLOAT32, values, MemorySegment.ofArray(values), 0, shape, strides);
  }

  /** A float16 operand of these values laid out by {@code strides} (NaN where no element is). */
  private static Operand halves(float[] values, long[] shape, long[] strides, int storage) {
    float[] array = new float[(storage + 1) / 2];
    MemorySegment memory = MemorySegment.ofArray(array);
    for (int i = 0; i < storage; i++) {
      memory.set(ValueLayout.JAVA_SHORT_UNALIGNED, 2L * i, Float.floatToFloat16(Float.NaN));
    }
    if (values != null) {
      long[] index = new long[shape.length];
      for (float value : values) {
        long at = 0;
        for (int a = 0; a < shape.length; a++) {
          at += index[a] * strides[a];
        }
        memory.set(ValueLayout.JAVA_SHORT_UNALIGNED, 2 * at, Float.floatToFloat16(value));
        for (int a = shape.length - 1; a >= 0 && ++index[a] == shape[a]; a--) {
          index[a] = 0;
        }
      }
    }
    return new Operand("v", DType.FLOAT16, array, memory, 0, shape, strides);
  }

  private static short half(Operand operand, int element) {
    return operand
        .memory()
        .get(ValueLayout.JAVA_SHORT_UNALIGNED, operand.byteOffset() + 2L * element);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 13})
  void halfPackedMatMulIsTheFloat32ProductRounded(int rows) {
    int k = 37;
    int n = 150; // three panels, the last one partial
    float[] a = halfValues(rows * k);
    float[] b = halfValues(k * n);
    float[] bias = halfValues(n);
    float[] packed = new float[PackedMatrix.packedLength(k, n)];
    PackedMatrix.pack(b, 0, k, n, packed, 0);
    long[] aShape = {rows, k};
    long[] cShape = {rows, n};
    long[] packedShape = {packed.length};
    Operand biasOperand = floats(bias, new long[] {n}, new long[] {1});

    CpuKernel single =
        JavaKernels.create(new JavaKernelSpec.PackedMatMul("GEMM", k, n, true), POOL, null);
    float[] expected = new float[rows * n];
    single.bind(
        new Operand[] {
          floats(a, aShape, Tensor.rowMajorStrides(aShape)),
          floats(packed, packedShape, new long[] {1}),
          biasOperand,
          floats(expected, cShape, Tensor.rowMajorStrides(cShape))
        },
        new long[0]);
    single.run();

    CpuKernel half =
        JavaKernels.create(new JavaKernelSpec.HalfPackedMatMul(k, n, true), POOL, null);
    Operand c = halves(null, cShape, Tensor.rowMajorStrides(cShape), rows * n);
    half.bind(
        new Operand[] {
          halves(a, aShape, Tensor.rowMajorStrides(aShape), rows * k),
          halves(packed, packedShape, new long[] {1}, packed.length),
          biasOperand,
          c
        },
        new long[0]);
    half.run();
    for (int i = 0; i < rows * n; i++) {
      assertEquals(Float.floatToFloat16(expected[i]), half(c, i), "element " + i);
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void stagedKernelsReadStridedFloat16AndRoundTheirResults(boolean softmax) {
    // the float16 x is [3, 40] read through the strides of a transposed [40, 3]; the bias
    // broadcasts
    long[] shape = {3, 40};
    long[] transposed = {1, 3};
    float[] x = halfValues(120);
    float[] bias = halfValues(40);
    JavaKernelSpec spec =
        softmax ? new JavaKernelSpec.Softmax(false) : new JavaKernelSpec.Binary("Add");
    CpuKernel single = JavaKernels.create(spec, POOL, null);
    float[] expected = new float[120];
    Operand out = floats(expected, shape, Tensor.rowMajorStrides(shape));
    Operand xFloats = floats(x, shape, Tensor.rowMajorStrides(shape));
    Operand biasFloats = floats(bias, new long[] {40}, new long[] {1});
    single.bind(
        softmax ? new Operand[] {xFloats, out} : new Operand[] {xFloats, biasFloats, out},
        new long[0]);
    single.run();

    CpuKernel half = JavaKernels.create(new JavaKernelSpec.Float16(spec, 1), POOL, null);
    Operand xHalves = halves(x, shape, transposed, 120);
    Operand biasHalves = halves(bias, new long[] {40}, new long[] {1}, 40);
    Operand y = halves(null, shape, Tensor.rowMajorStrides(shape), 120);
    half.bind(
        softmax ? new Operand[] {xHalves, y} : new Operand[] {xHalves, biasHalves, y}, new long[0]);
    half.run();
    for (int i = 0; i < 120; i++) {
      assertEquals(Float.floatToFloat16(expected[i]), half(y, i), "element " + i);
    }
  }
}
