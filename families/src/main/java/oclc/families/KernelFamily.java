package oclc.families;

import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import oclc.codegen.cpu.JavaCumSum;
import oclc.codegen.cpu.JavaElementwise;
import oclc.codegen.cpu.JavaFamily;
import oclc.codegen.cpu.JavaFill;
import oclc.codegen.cpu.JavaGathers;
import oclc.codegen.cpu.JavaMatMul;
import oclc.codegen.cpu.JavaMovement;
import oclc.codegen.cpu.JavaPow;
import oclc.codegen.cpu.JavaQuantized;
import oclc.codegen.cpu.JavaRange;
import oclc.codegen.cpu.JavaReductions;
import oclc.codegen.cpu.JavaRotary;
import oclc.codegen.cpu.JavaRows;
import oclc.codegen.cpu.JavaViews;
import oclc.codegen.opencl.CumSumLowering;
import oclc.codegen.opencl.EinsumLowering;
import oclc.codegen.opencl.ElementwiseLowering;
import oclc.codegen.opencl.FillLowering;
import oclc.codegen.opencl.GatherLowering;
import oclc.codegen.opencl.MaskLowering;
import oclc.codegen.opencl.MatMulLowering;
import oclc.codegen.opencl.MovementLowering;
import oclc.codegen.opencl.NodeLowering;
import oclc.codegen.opencl.OpenClFamily;
import oclc.codegen.opencl.PadLowering;
import oclc.codegen.opencl.PowLowering;
import oclc.codegen.opencl.QuantizedLowering;
import oclc.codegen.opencl.RangeLowering;
import oclc.codegen.opencl.ReduceLowering;
import oclc.codegen.opencl.RotaryLowering;
import oclc.codegen.opencl.RowLowering;
import oclc.codegen.opencl.ScatterLowering;
import oclc.codegen.opencl.ViewLowering;
import oclc.ir.OpDefinition;
import oclc.ir.ops.ElementwiseOps;
import oclc.ir.ops.ReducesAxes;
import oclc.ir.ops.ReductionOps;
import oclc.lowering.SizeClass;

/**
 * The kernel families, each declared once: the ops it takes (ONNX default-domain types, and {@code
 * domain:type} for others, as {@link oclc.ir.OpRegistry#key} writes them), the kinds of size class
 * its variants change at, and its OpenCL and Java lowerings side by side. Where an op group has
 * definitions of its own (the elementwise ops, the reductions), the family takes them from there
 * instead of naming them again. A family whose Java lowering is {@link
 * JavaFamily#REFERENCE_FALLBACK} has no Java kernel: its nodes take the labelled reference
 * fallback. {@link KernelFamilies} maps an op to its family and hands each backend its lowerings.
 */
public enum KernelFamily {
  /** x to a power: its own family, as a small constant exponent becomes multiplications. */
  POW(Set.of("Pow"), List.of(), new PowLowering(), JavaPow.FAMILY),
  /** Unary and broadcast n-ary math, comparisons, logic, Where, Clip, Cast, CastLike, Mean. */
  ELEMENTWISE(
      opTypes(ElementwiseOps.definitions(), op -> !op.opType().equals("Pow")),
      List.of(),
      ElementwiseLowering.FAMILY,
      JavaElementwise.FAMILY),
  /** GEMV/GEMM over packed weights per row class; the attention products per key class. */
  MATMUL(
      Set.of("MatMul", "Gemm"),
      List.of(SizeClass.MATMUL_ROWS, SizeClass.ATTENTION_KEYS),
      new MatMulLowering(),
      JavaMatMul.FAMILY),
  /**
   * MatMulNBits over its packed block-quantized weights, per MatMul row class: a GEMV that streams
   * them once for decode, a GEMM that dequantizes each weight once for many rows.
   */
  QUANTIZED_MATMUL(
      Set.of("com.microsoft:MatMulNBits"),
      List.of(SizeClass.MATMUL_ROWS),
      QuantizedLowering.MATMUL,
      JavaQuantized.MATMUL),
  /** GatherBlockQuantized: an embedding lookup from packed rows. */
  QUANTIZED_GATHER(
      Set.of("com.microsoft:GatherBlockQuantized"),
      List.of(),
      QuantizedLowering.GATHER,
      JavaQuantized.GATHER),
  EINSUM(Set.of("Einsum"), List.of(), new EinsumLowering(), JavaFamily.REFERENCE_FALLBACK),
  ROTARY(Set.of("RotaryEmbedding"), List.of(), new RotaryLowering(), JavaRotary.FAMILY),
  /** Row-wise normalizations: one row in, one row out. */
  ROWS(
      Set.of("Softmax", "LogSoftmax", "Hardmax", "LayerNormalization", "RMSNormalization"),
      List.of(SizeClass.ROW_LENGTH),
      RowLowering.FAMILY,
      JavaRows.FAMILY),
  /** Reductions over axes, ArgMax and ArgMin among them. */
  REDUCE(
      opTypes(ReductionOps.definitions(), op -> op instanceof ReducesAxes),
      List.of(SizeClass.ROW_LENGTH),
      ReduceLowering.FAMILY,
      JavaReductions.FAMILY),
  /** Ops that move elements: strided copies. */
  MOVEMENT(
      Set.of(
          "Transpose",
          "Slice",
          "Split",
          "Concat",
          "Expand",
          "Tile",
          "DepthToSpace",
          "SpaceToDepth"),
      List.of(),
      MovementLowering.FAMILY,
      JavaMovement.FAMILY),
  /** Ops whose output is their input seen with another shape: no copy. */
  VIEW(
      Set.of("Reshape", "Unsqueeze", "Squeeze", "Flatten", "Identity", "Dropout"),
      List.of(),
      ViewLowering.FAMILY,
      JavaViews.FAMILY),
  GATHER(
      Set.of("Gather", "GatherElements", "GatherND"),
      List.of(),
      GatherLowering.FAMILY,
      JavaGathers.FAMILY),
  MASK(Set.of("Trilu", "OneHot"), List.of(), MaskLowering.FAMILY, JavaFamily.REFERENCE_FALLBACK),
  PAD(Set.of("Pad"), List.of(), new PadLowering(), JavaFamily.REFERENCE_FALLBACK),
  SCATTER(
      Set.of("ScatterElements", "Scatter", "ScatterND"),
      List.of(),
      ScatterLowering.FAMILY,
      JavaFamily.REFERENCE_FALLBACK),
  RANGE(Set.of("Range"), List.of(), new RangeLowering(), JavaRange.FAMILY),
  /** Scans along an axis. */
  SCAN(Set.of("CumSum"), List.of(), new CumSumLowering(), JavaCumSum.FAMILY),
  /** ConstantOfShape: every element of a (symbolic) shape one value. */
  FILL(Set.of("ConstantOfShape"), List.of(), new FillLowering(), JavaFill.FAMILY);

  private final Set<String> ops;
  private final List<SizeClass> sizeClasses;
  private final OpenClFamily openCl;
  private final JavaFamily java;

  KernelFamily(Set<String> ops, List<SizeClass> sizeClasses, OpenClFamily openCl, JavaFamily java) {
    this.ops = Collections.unmodifiableSet(new TreeSet<>(ops));
    this.sizeClasses = List.copyOf(sizeClasses);
    this.openCl = openCl;
    this.java = java;
  }

  /** A family whose every op one OpenCL lowering computes. */
  KernelFamily(Set<String> ops, List<SizeClass> sizeClasses, NodeLowering openCl, JavaFamily java) {
    this(ops, sizeClasses, OpenClFamily.of(openCl), java);
  }

  /** The ops this family takes: default-domain types, {@code domain:type} for others. */
  public Set<String> ops() {
    return ops;
  }

  /** The kinds of size class its variants change at; none: one set of variants for every size. */
  public List<SizeClass> sizeClasses() {
    return sizeClasses;
  }

  /** Its OpenCL lowering. */
  public OpenClFamily openCl() {
    return openCl;
  }

  /** Its Java lowering. */
  public JavaFamily java() {
    return java;
  }

  private static Set<String> opTypes(List<OpDefinition> definitions, Predicate<OpDefinition> take) {
    Set<String> ops = new TreeSet<>();
    definitions.stream()
        .filter(op -> op.domain().isEmpty())
        .filter(take)
        .forEach(op -> ops.add(op.opType()));
    return ops;
  }
}
