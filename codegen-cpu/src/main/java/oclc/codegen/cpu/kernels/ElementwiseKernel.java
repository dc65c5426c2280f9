package oclc.codegen.cpu.kernels;

import java.lang.foreign.ValueLayout;
import java.util.List;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import oclc.codegen.cpu.linalg.WorkerPool;

/**
 * float32 unary and binary ops and Where, with broadcasting ({@link Walk}): rows split over the
 * pool, each row's run vectorized where its operands are contiguous or broadcast, element by
 * element where strided. The op is a switch inside the loop over a constant of the bound kernel, so
 * that every branch keeps its vectors in registers.
 */
final class ElementwiseKernel extends CpuKernel {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  /** The unary ops, each with its ONNX op type (PowInt: Pow by a small integer exponent). */
  enum Unary {
    TANH("Tanh"),
    EXP("Exp"),
    LOG("Log"),
    NEG("Neg"),
    ABS("Abs"),
    SQRT("Sqrt"),
    RELU("Relu"),
    SIGMOID("Sigmoid"),
    RECIPROCAL("Reciprocal"),
    SIN("Sin"),
    COS("Cos"),
    IDENTITY("Identity"),
    SWISH("Swish"),
    POW_INT("PowInt");

    final String opType;

    Unary(String opType) {
      this.opType = opType;
    }
  }

  /** The binary ops, each with its ONNX op type. */
  enum Binary {
    ADD("Add"),
    SUB("Sub"),
    MUL("Mul"),
    DIV("Div"),
    MAX("Max"),
    MIN("Min"),
    POW("Pow");

    final String opType;

    Binary(String opType) {
      this.opType = opType;
    }
  }

  /** 1: unary, 2: binary, 3: Where. */
  private final int arity;

  /** The op: {@code unary} for arity 1, {@code binary} for arity 2 (the other null). */
  private final Unary unary;

  private final Binary binary;
  private final int exponent;

  /** A unary op's number attributes, in the order its definition declares them. */
  private final float[] scalars;

  private Operand[] operands;
  private Walk walk;

  /**
   * Per part of the launch, one vector's worth of each broadcast operand's value (made at bind).
   */
  private float[][] broadcast = new float[0][];

  private ElementwiseKernel(
      WorkerPool pool, int arity, Unary unary, Binary binary, int exponent, float[] scalars) {
    super(pool);
    this.arity = arity;
    this.unary = unary;
    this.binary = binary;
    this.exponent = exponent;
    this.scalars = scalars.clone();
  }

  static ElementwiseKernel unary(WorkerPool pool, String op, int exponent, float[] scalars) {
    return new ElementwiseKernel(
        pool, 1, of(Unary.values(), u -> u.opType, op), null, exponent, scalars);
  }

  static ElementwiseKernel binary(WorkerPool pool, String op) {
    return new ElementwiseKernel(
        pool, 2, null, of(Binary.values(), b -> b.opType, op), 0, new float[0]);
  }

  static ElementwiseKernel where(WorkerPool pool) {
    return new ElementwiseKernel(pool, 3, null, null, 0, new float[0]);
  }

  private static <E> E of(E[] ops, java.util.function.Function<E, String> opTypeOf, String opType) {
    for (E op : ops) {
      if (opTypeOf.apply(op).equals(opType)) {
        return op;
      }
    }
    throw new IllegalArgumentException("no Java elementwise kernel for " + opType);
  }

  /** The unary ops' ONNX op types. */
  static List<String> unaryOpTypes() {
    return java.util.Arrays.stream(Unary.values()).map(op -> op.opType).toList();
  }

  /** The binary ops' ONNX op types. */
  static List<String> binaryOpTypes() {
    return java.util.Arrays.stream(Binary.values()).map(op -> op.opType).toList();
  }

  @Override
  public void bind(Operand[] buffers, long[] scalars) {
    operands = buffers;
    Operand out = buffers[arity];
    walk = Walk.broadcasting(buffers);
    split(out.elementCount() == 0 ? 0 : walk.rows(), walk.inner);
    if (broadcast.length < 2 * parts()) {
      broadcast = new float[2 * parts()][L];
    }
    reportWork(out.elementCount());
  }

  @Override
  protected void compute(long from, long to) {
    compute(0, from, to);
  }

  @Override
  protected void compute(int part, long from, long to) {
    for (int r = (int) from; r < to; r++) {
      switch (arity) {
        case 1 -> unaryRow(r);
        case 2 -> binaryRow(r, broadcast[2 * part], broadcast[2 * part + 1]);
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
      i = S.loopBound(n);
      unaryVectors(xa, xo, ya, yo, i);
    }
    for (; i < n; i++) {
      ya[yo + i * walk.innerStrides[0]] = unary(xa[xo + i * xs]);
    }
  }

  /**
   * y = op(x) over {@code count} elements (a multiple of the vector length). One loop per op: a
   * switch inside the loop, or a vector handed to a helper C2 does not inline, keeps C2 from
   * compiling the vectors into registers (they are boxed, each op allocates).
   */
  private void unaryVectors(float[] xa, int xo, float[] ya, int yo, int count) {
    switch (unary) {
      case TANH -> {
        for (int i = 0; i < count; i += L) {
          FloatVector.fromArray(S, xa, xo + i).lanewise(VectorOperators.TANH).intoArray(ya, yo + i);
        }
      }
      case EXP -> {
        for (int i = 0; i < count; i += L) {
          FloatVector.fromArray(S, xa, xo + i).lanewise(VectorOperators.EXP).intoArray(ya, yo + i);
        }
      }
      case LOG -> {
        for (int i = 0; i < count; i += L) {
          FloatVector.fromArray(S, xa, xo + i).lanewise(VectorOperators.LOG).intoArray(ya, yo + i);
        }
      }
      case NEG -> {
        for (int i = 0; i < count; i += L) {
          FloatVector.fromArray(S, xa, xo + i).neg().intoArray(ya, yo + i);
        }
      }
      case ABS -> {
        for (int i = 0; i < count; i += L) {
          FloatVector.fromArray(S, xa, xo + i).abs().intoArray(ya, yo + i);
        }
      }
      case SQRT -> {
        for (int i = 0; i < count; i += L) {
          FloatVector.fromArray(S, xa, xo + i).sqrt().intoArray(ya, yo + i);
        }
      }
      case RELU -> {
        for (int i = 0; i < count; i += L) {
          FloatVector.fromArray(S, xa, xo + i).max(0f).intoArray(ya, yo + i);
        }
      }
      case SIGMOID -> {
        FloatVector one = FloatVector.broadcast(S, 1f);
        for (int i = 0; i < count; i += L) {
          one.div(FloatVector.fromArray(S, xa, xo + i).neg().lanewise(VectorOperators.EXP).add(one))
              .intoArray(ya, yo + i);
        }
      }
      case RECIPROCAL -> {
        FloatVector one = FloatVector.broadcast(S, 1f);
        for (int i = 0; i < count; i += L) {
          one.div(FloatVector.fromArray(S, xa, xo + i)).intoArray(ya, yo + i);
        }
      }
      case SIN -> {
        for (int i = 0; i < count; i += L) {
          FloatVector.fromArray(S, xa, xo + i).lanewise(VectorOperators.SIN).intoArray(ya, yo + i);
        }
      }
      case COS -> {
        for (int i = 0; i < count; i += L) {
          FloatVector.fromArray(S, xa, xo + i).lanewise(VectorOperators.COS).intoArray(ya, yo + i);
        }
      }
      case IDENTITY -> System.arraycopy(xa, xo, ya, yo, count);
      case SWISH -> swish(xa, xo, ya, yo, count);
      default -> powInt(xa, xo, ya, yo, count);
    }
  }

  /**
   * x·sigmoid(αx) as x / (1 + e) for t = αx ≥ 0 and x·e / (1 + e) below, e = exp(−|t|) (which never
   * overflows); below −32, x·e as (x·h)·h, h = exp(t/2), so that a result that is a normal float
   * does not go through a subnormal e. The product t is rounded: its error αx − t (exact, by fma)
   * corrects the result to first order, y + y·(1 − s)·(αx − t); where t is infinite there is
   * nothing to correct.
   */
  private void swish(float[] xa, int xo, float[] ya, int yo, int count) {
    float alpha = scalars[0];
    FloatVector one = FloatVector.broadcast(S, 1f);
    FloatVector zero = FloatVector.zero(S);
    for (int i = 0; i < count; i += L) {
      FloatVector x = FloatVector.fromArray(S, xa, xo + i);
      FloatVector t = x.mul(alpha);
      VectorMask<Float> finite = t.test(VectorOperators.IS_FINITE);
      VectorMask<Float> negative = t.lt(0f);
      FloatVector e = t.abs().neg().lanewise(VectorOperators.EXP);
      FloatVector d = e.add(one);
      FloatVector half = t.mul(0.5f).lanewise(VectorOperators.EXP);
      FloatVector scaled = x.mul(half).mul(half);
      FloatVector y = x.blend(x.mul(e), negative).blend(scaled, t.lt(-32f)).div(d);
      FloatVector complement = e.blend(one, negative).div(d);
      FloatVector error = x.lanewise(VectorOperators.FMA, alpha, t.neg());
      zero.blend(y.mul(complement).mul(error), finite).add(y).intoArray(ya, yo + i);
    }
  }

  /** x·x, x·x·x or (x·x)·(x·x): one loop each (a vector chosen by a condition is boxed). */
  private void powInt(float[] xa, int xo, float[] ya, int yo, int count) {
    switch (exponent) {
      case 2 -> {
        for (int i = 0; i < count; i += L) {
          FloatVector v = FloatVector.fromArray(S, xa, xo + i);
          v.mul(v).intoArray(ya, yo + i);
        }
      }
      case 3 -> {
        for (int i = 0; i < count; i += L) {
          FloatVector v = FloatVector.fromArray(S, xa, xo + i);
          v.mul(v).mul(v).intoArray(ya, yo + i);
        }
      }
      case 4 -> {
        for (int i = 0; i < count; i += L) {
          FloatVector v = FloatVector.fromArray(S, xa, xo + i);
          FloatVector square = v.mul(v);
          square.mul(square).intoArray(ya, yo + i);
        }
      }
      default -> System.arraycopy(xa, xo, ya, yo, count);
    }
  }

  private float unary(float x) {
    return switch (unary) {
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
      case SWISH -> {
        double t = (double) scalars[0] * x;
        yield (float) (x * (t >= 0 ? 1 / (1 + Math.exp(-t)) : Math.exp(t) / (1 + Math.exp(t))));
      }
      default -> {
        float result = x;
        for (int e = 1; e < exponent; e++) {
          result *= x;
        }
        yield result;
      }
    };
  }

  private void binaryRow(int r, float[] broadcastA, float[] broadcastB) {
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
      i = S.loopBound(n);
      binaryVectors(aa, ao, as, ba, bo, bs, ca, co, i, broadcastA, broadcastB);
    }
    for (; i < n; i++) {
      float x = aa[ao + i * as];
      float y = ba[bo + i * bs];
      ca[co + i * cs] =
          switch (binary) {
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

  /**
   * c = a op b over {@code count} elements. A broadcast operand (stride 0) is read from a row of
   * its one value filled at each launch (bind made the row): every load is then a plain array load,
   * with no vector chosen by a condition, which C2 would box. One loop per op, as above.
   */
  private void binaryVectors(
      float[] aa,
      int ao,
      int as,
      float[] ba,
      int bo,
      int bs,
      float[] ca,
      int co,
      int count,
      float[] broadcastA,
      float[] broadcastB) {
    float[] x = aa;
    int xo = ao;
    int xs = 1;
    if (as == 0) {
      java.util.Arrays.fill(broadcastA, aa[ao]);
      x = broadcastA;
      xo = 0;
      xs = 0;
    }
    float[] y = ba;
    int yo = bo;
    int ys = 1;
    if (bs == 0) {
      java.util.Arrays.fill(broadcastB, ba[bo]);
      y = broadcastB;
      yo = 0;
      ys = 0;
    }
    switch (binary) {
      case ADD -> {
        for (int i = 0; i < count; i += L) {
          FloatVector.fromArray(S, x, xo + i * xs)
              .add(FloatVector.fromArray(S, y, yo + i * ys))
              .intoArray(ca, co + i);
        }
      }
      case SUB -> {
        for (int i = 0; i < count; i += L) {
          FloatVector.fromArray(S, x, xo + i * xs)
              .sub(FloatVector.fromArray(S, y, yo + i * ys))
              .intoArray(ca, co + i);
        }
      }
      case MUL -> {
        for (int i = 0; i < count; i += L) {
          FloatVector.fromArray(S, x, xo + i * xs)
              .mul(FloatVector.fromArray(S, y, yo + i * ys))
              .intoArray(ca, co + i);
        }
      }
      case DIV -> {
        for (int i = 0; i < count; i += L) {
          FloatVector.fromArray(S, x, xo + i * xs)
              .div(FloatVector.fromArray(S, y, yo + i * ys))
              .intoArray(ca, co + i);
        }
      }
      case MAX -> {
        for (int i = 0; i < count; i += L) {
          FloatVector.fromArray(S, x, xo + i * xs)
              .max(FloatVector.fromArray(S, y, yo + i * ys))
              .intoArray(ca, co + i);
        }
      }
      case MIN -> {
        for (int i = 0; i < count; i += L) {
          FloatVector.fromArray(S, x, xo + i * xs)
              .min(FloatVector.fromArray(S, y, yo + i * ys))
              .intoArray(ca, co + i);
        }
      }
      default -> {
        for (int i = 0; i < count; i += L) {
          FloatVector.fromArray(S, x, xo + i * xs)
              .lanewise(VectorOperators.POW, FloatVector.fromArray(S, y, yo + i * ys))
              .intoArray(ca, co + i);
        }
      }
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
