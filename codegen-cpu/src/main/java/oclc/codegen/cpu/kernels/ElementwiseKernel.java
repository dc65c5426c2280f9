package oclc.codegen.cpu.kernels;

import java.lang.foreign.ValueLayout;
import java.util.List;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import oclc.codegen.cpu.linalg.WorkerPool;

/**
 * float32 unary and binary ops and Where, with broadcasting ({@link Walk}): rows split over the
 * pool, each row's run vectorized where its operands are contiguous or broadcast, element by
 * element where strided. The op is a switch inside the loop over a constant of the bound kernel,
 * so that every branch keeps its vectors in registers.
 */
final class ElementwiseKernel extends CpuKernel {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  /** The ops by code: unary first, then binary. */
  static final List<String> UNARY = List.of("Tanh", "Exp", "Log", "Neg", "Abs", "Sqrt", "Relu", "Sigmoid",
      "Reciprocal", "Sin", "Cos", "Identity", "PowInt");
  static final List<String> BINARY = List.of("Add", "Sub", "Mul", "Div", "Max", "Min", "Pow");

  private static final int TANH = 0, EXP = 1, LOG = 2, NEG = 3, ABS = 4, SQRT = 5, RELU = 6, SIGMOID = 7,
      RECIPROCAL = 8, SIN = 9, COS = 10, IDENTITY = 11;
  private static final int ADD = 0, SUB = 1, MUL = 2, DIV = 3, MAX = 4, MIN = 5, POW = 6;

  /** 1: unary, 2: binary, 3: Where. */
  private final int arity;
  private final int op;
  private final int exponent;
  private Operand[] operands;
  private Walk walk;

  private ElementwiseKernel(WorkerPool pool, int arity, int op, int exponent) {
    super(pool);
    this.arity = arity;
    this.op = op;
    this.exponent = exponent;
  }

  static ElementwiseKernel unary(WorkerPool pool, String op, int exponent) {
    return new ElementwiseKernel(pool, 1, code(UNARY, op), exponent);
  }

  static ElementwiseKernel binary(WorkerPool pool, String op) {
    return new ElementwiseKernel(pool, 2, code(BINARY, op), 0);
  }

  static ElementwiseKernel where(WorkerPool pool) {
    return new ElementwiseKernel(pool, 3, 0, 0);
  }

  private static int code(List<String> ops, String op) {
    int code = ops.indexOf(op);
    if (code < 0) {
      throw new IllegalArgumentException("no Java elementwise kernel for " + op);
    }
    return code;
  }

  @Override
  public void bind(Operand[] buffers, long[] scalars) {
    operands = buffers;
    Operand out = buffers[arity];
    long[][] strides = new long[arity + 1][];
    strides[0] = out.strides();
    for (int i = 0; i < arity; i++) {
      strides[i + 1] = Walk.broadcastStrides(buffers[i], out.shape());
    }
    walk = Walk.of(out.shape(), strides);
    split(out.elementCount() == 0 ? 0 : walk.rows(), walk.inner);
    reportWork(out.elementCount());
  }

  @Override
  protected void compute(long from, long to) {
    for (int r = (int) from; r < to; r++) {
      switch (arity) {
        case 1 -> unaryRow(r);
        case 2 -> binaryRow(r);
        default -> whereRow(r);
      }
    }
  }

  private void unaryRow(int r) {
    Operand x = operands[0];
    Operand y = operands[1];
    float[] xa = x.array();
    float[] ya = y.array();
    int xo = x.floatOffset() + walk.rowOffsets[1][r];
    int yo = y.floatOffset() + walk.rowOffsets[0][r];
    int xs = walk.innerStrides[1];
    int n = walk.inner;
    int i = 0;
    if (xs == 1 && walk.innerStrides[0] == 1) {
      // The op's switch stays inside the loop: a vector handed to a helper C2 does not inline is boxed.
      FloatVector one = FloatVector.broadcast(S, 1f);
      for (int bound = S.loopBound(n); i < bound; i += L) {
        FloatVector v = FloatVector.fromArray(S, xa, xo + i);
        FloatVector result = switch (op) {
          case TANH -> v.lanewise(VectorOperators.TANH);
          case EXP -> v.lanewise(VectorOperators.EXP);
          case LOG -> v.lanewise(VectorOperators.LOG);
          case NEG -> v.neg();
          case ABS -> v.abs();
          case SQRT -> v.sqrt();
          case RELU -> v.max(0f);
          case SIGMOID -> one.div(v.neg().lanewise(VectorOperators.EXP).add(one));
          case RECIPROCAL -> one.div(v);
          case SIN -> v.lanewise(VectorOperators.SIN);
          case COS -> v.lanewise(VectorOperators.COS);
          case IDENTITY -> v;
          default -> exponent == 2 ? v.mul(v) : exponent == 3 ? v.mul(v).mul(v) : exponent == 4 ? v.mul(v).mul(v.mul(v)) : v;
        };
        result.intoArray(ya, yo + i);
      }
    }
    for (; i < n; i++) {
      ya[yo + i * walk.innerStrides[0]] = unary(xa[xo + i * xs]);
    }
  }

  private float unary(float x) {
    return switch (op) {
      case TANH -> (float) Math.tanh(x);
      case EXP -> (float) Math.exp(x);
      case LOG -> (float) Math.log(x);
      case NEG -> -x;
      case ABS -> Math.abs(x);
      case SQRT -> (float) Math.sqrt(x);
      case RELU -> Math.max(x, 0f);
      case SIGMOID -> (float) (1 / (1 + Math.exp(-x)));
      case RECIPROCAL -> 1f / x;
      case SIN -> (float) Math.sin(x);
      case COS -> (float) Math.cos(x);
      case IDENTITY -> x;
      default -> {
        float result = x;
        for (int e = 1; e < exponent; e++) {
          result *= x;
        }
        yield result;
      }
    };
  }

  private void binaryRow(int r) {
    Operand a = operands[0];
    Operand b = operands[1];
    Operand c = operands[2];
    float[] aa = a.array();
    float[] ba = b.array();
    float[] ca = c.array();
    int ao = a.floatOffset() + walk.rowOffsets[1][r];
    int bo = b.floatOffset() + walk.rowOffsets[2][r];
    int co = c.floatOffset() + walk.rowOffsets[0][r];
    int as = walk.innerStrides[1];
    int bs = walk.innerStrides[2];
    int cs = walk.innerStrides[0];
    int n = walk.inner;
    int i = 0;
    if (as <= 1 && bs <= 1 && cs == 1) {
      FloatVector aScalar = FloatVector.broadcast(S, aa[ao]);
      FloatVector bScalar = FloatVector.broadcast(S, ba[bo]);
      for (int bound = S.loopBound(n); i < bound; i += L) {
        FloatVector x = as == 0 ? aScalar : FloatVector.fromArray(S, aa, ao + i);
        FloatVector y = bs == 0 ? bScalar : FloatVector.fromArray(S, ba, bo + i);
        FloatVector z = switch (op) {
          case ADD -> x.add(y);
          case SUB -> x.sub(y);
          case MUL -> x.mul(y);
          case DIV -> x.div(y);
          case MAX -> x.max(y);
          case MIN -> x.min(y);
          default -> x.lanewise(VectorOperators.POW, y);
        };
        z.intoArray(ca, co + i);
      }
    }
    for (; i < n; i++) {
      float x = aa[ao + i * as];
      float y = ba[bo + i * bs];
      ca[co + i * cs] = switch (op) {
        case ADD -> x + y;
        case SUB -> x - y;
        case MUL -> x * y;
        case DIV -> x / y;
        case MAX -> Math.max(x, y);
        case MIN -> Math.min(x, y);
        default -> (float) Math.pow(x, y);
      };
    }
  }

  /** Where: a bool condition (bytes) chooses between x and y, element by element. */
  private void whereRow(int r) {
    Operand condition = operands[0];
    Operand x = operands[1];
    Operand y = operands[2];
    Operand out = operands[3];
    long co = condition.byteOffset() + walk.rowOffsets[1][r];
    int xo = x.floatOffset() + walk.rowOffsets[2][r];
    int yo = y.floatOffset() + walk.rowOffsets[3][r];
    int oo = out.floatOffset() + walk.rowOffsets[0][r];
    int cs = walk.innerStrides[1];
    int xs = walk.innerStrides[2];
    int ys = walk.innerStrides[3];
    int os = walk.innerStrides[0];
    float[] xa = x.array();
    float[] ya = y.array();
    float[] oa = out.array();
    for (int i = 0; i < walk.inner; i++) {
      boolean pick = condition.memory().get(ValueLayout.JAVA_BYTE, co + (long) i * cs) != 0;
      oa[oo + i * os] = pick ? xa[xo + i * xs] : ya[yo + i * ys];
    }
  }
}
