package oclc.codegen.opencl;

import java.util.Optional;
import oclc.ir.DType;

/**
 * What a Reduce* op folds, by name of the {@code rows.stg} templates that spell it: each element's
 * contribution, how two partial results combine, the result over no elements, and the last step.
 * {@code shifted}: a first pass finds the row's maximum, which the contribution subtracts
 * (ReduceLogSumExp). The identities and the NaN behaviour are the reference's.
 */
public record Fold(
    String opType,
    String element,
    String combine,
    String identity,
    String finish,
    boolean shifted) {

  /**
   * The fold of {@code opType} over {@code dtype}; empty where the kernels do not match the
   * reference.
   */
  public static Optional<Fold> of(String opType, DType dtype) {
    boolean floating = dtype == DType.FLOAT32 || dtype == DType.FLOAT64;
    boolean integer = dtype == DType.INT32 || dtype == DType.INT64;
    if (!floating && !integer) {
      return Optional.empty();
    }
    String plain = floating ? "plain" : "wrappingValue";
    String lowest =
        floating ? "negativeInfinity" : dtype == DType.INT32 ? "intLowest" : "longLowest";
    String highest =
        floating ? "positiveInfinity" : dtype == DType.INT32 ? "intHighest" : "longHighest";
    Fold fold =
        switch (opType) {
          case "ReduceSum" -> new Fold(opType, plain, "add", "zero", "none", false);
          case "ReduceMean" ->
              new Fold(opType, plain, "add", "zero", floating ? "mean" : "integerMean", false);
          case "ReduceSumSquare" ->
              new Fold(
                  opType, floating ? "square" : "wrappingSquare", "add", "zero", "none", false);
          case "ReduceL1" ->
              new Fold(
                  opType, floating ? "absolute" : "wrappingAbsolute", "add", "zero", "none", false);
          case "ReduceProd" -> new Fold(opType, plain, "multiply", "one", "none", false);
          case "ReduceMax" ->
              new Fold(opType, "plain", floating ? "nanMaximum" : "maximum", lowest, "none", false);
          case "ReduceMin" ->
              new Fold(
                  opType, "plain", floating ? "nanMinimum" : "minimum", highest, "none", false);
          // the reference takes these through doubles even for integers: floats only
          case "ReduceL2" ->
              floating ? new Fold(opType, "square", "add", "zero", "squareRoot", false) : null;
          case "ReduceLogSum" ->
              floating ? new Fold(opType, "plain", "add", "zero", "logarithm", false) : null;
          case "ReduceLogSumExp" ->
              floating
                  ? new Fold(opType, "shiftedExponential", "add", "zero", "logSumExp", true)
                  : null;
          default -> null;
        };
    return Optional.ofNullable(fold);
  }

  /**
   * The type partial results are kept in: the float type, or 64-bit integers (wrapping unsigned for
   * sums and products).
   */
  String accumulator(DType dtype) {
    if (dtype.isFloat()) {
      return RowKernels.typeName(dtype);
    }
    return combine.equals("maximum") || combine.equals("minimum") ? "long" : "ulong";
  }
}
