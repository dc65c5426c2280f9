package oclc.codegen.cpu.kernels;

import oclc.codegen.cpu.JavaKernelSpec;
import oclc.codegen.cpu.linalg.MatMulKernel;
import oclc.codegen.cpu.linalg.WorkerPool;

/** Makes the kernel a spec describes, for one session (its pool, its host values). */
public final class JavaKernels {
  private JavaKernels() {}

  public static CpuKernel create(JavaKernelSpec spec, WorkerPool pool, HostValues host) {
    return switch (spec) {
      case JavaKernelSpec.Unary u ->
          ElementwiseKernel.unary(pool, u.op(), u.exponent(), u.scalars());
      case JavaKernelSpec.Binary b -> ElementwiseKernel.binary(pool, b.op());
      case JavaKernelSpec.Where w -> ElementwiseKernel.where(pool);
      case JavaKernelSpec.Typed t -> new TypedElementwiseKernel(pool, t.op());
      case JavaKernelSpec.PackedMatMul m ->
          new PackedMatMulKernel(pool, MatMulKernel.Kind.valueOf(m.kind()), m.k(), m.n(), m.bias());
      case JavaKernelSpec.HalfPackedMatMul m ->
          new HalfPackedMatMulKernel(pool, m.k(), m.n(), m.bias());
      case JavaKernelSpec.BatchedMatMul m -> new BatchedMatMulKernel(pool);
      case JavaKernelSpec.Softmax s ->
          new RowKernel(pool, s.log() ? RowKernel.Kind.LOG_SOFTMAX : RowKernel.Kind.SOFTMAX, -1, 0);
      case JavaKernelSpec.LayerNorm n ->
          new RowKernel(pool, RowKernel.Kind.LAYER_NORM, n.axis(), n.epsilon());
      case JavaKernelSpec.RmsNorm n ->
          new RowKernel(pool, RowKernel.Kind.RMS_NORM, n.axis(), n.epsilon());
      case JavaKernelSpec.Reduce r -> RowKernel.reduce(pool, r.op(), r.axis());
      case JavaKernelSpec.Gather g -> new GatherKernel(pool, g.axis());
      case JavaKernelSpec.StridedCopy c -> new StridedCopyKernel(pool, c.axes());
      case JavaKernelSpec.Range r -> new SequenceKernel(pool);
      case JavaKernelSpec.Reference r ->
          new ReferenceKernel(pool, r.node().toNode(), r.opset(), host);
      case JavaKernelSpec.Float16 h ->
          new Float16Staging(pool, create(h.kernel(), pool, host), h.outputs());
      case JavaKernelSpec.Own own -> own.kernel(pool, host);
    };
  }

  /** The width of the vectors the kernels compute with (the machine's preferred species). */
  public static int vectorBits() {
    return jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize();
  }

  /** The unary ops with a Vector API kernel (float32). */
  public static java.util.List<String> unaryOps() {
    return ElementwiseKernel.unaryOpTypes().stream().filter(op -> !op.equals("PowInt")).toList();
  }

  /** The comparisons and bool logic ops of the plain Java kernel (Cast too). */
  public static java.util.List<String> typedOps() {
    java.util.List<String> ops = new java.util.ArrayList<>(TypedElementwiseKernel.COMPARISONS);
    ops.addAll(TypedElementwiseKernel.LOGIC);
    ops.add("Cast");
    ops.add("CastLike");
    return ops;
  }

  /** The binary ops the plain Java kernels compute over integers (the Vector API's are float32). */
  public static java.util.List<String> integerArithmetic() {
    return TypedElementwiseKernel.INTEGER_ARITHMETIC;
  }

  /** Whether the plain Java kernels read and write this element type. */
  public static boolean typedTakes(oclc.ir.DType type) {
    return Elements.TYPES.contains(type);
  }

  /** The reductions with a Vector API kernel (float32, over trailing axes). */
  public static java.util.List<String> reductions() {
    return RowKernel.REDUCTIONS;
  }

  /** The binary ops with a Vector API kernel (float32, broadcasting). */
  public static java.util.List<String> binaryOps() {
    return ElementwiseKernel.binaryOpTypes();
  }
}
