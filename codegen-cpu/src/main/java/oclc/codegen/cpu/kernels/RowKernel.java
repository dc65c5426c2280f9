package oclc.codegen.cpu.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import oclc.codegen.cpu.linalg.WorkerPool;

/**
 * float32 kernels over contiguous rows, rows split over the pool: Softmax and LogSoftmax over the
 * last axis; LayerNormalization over the trailing axes (operands X, scale, [bias], Y; the mean and
 * variance summed in double, as the reference does), and RMSNormalization, the same without the
 * mean (operands X, scale, Y).
 */
final class RowKernel extends CpuKernel {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  enum Kind {
    SOFTMAX,
    LOG_SOFTMAX,
    LAYER_NORM,
    RMS_NORM,
    REDUCE
  }

  /** The reductions over trailing axes, by code. */
  static final java.util.List<String> REDUCTIONS =
      java.util.List.of(
          "ReduceSum",
          "ReduceMean",
          "ReduceMax",
          "ReduceMin",
          "ReduceSumSquare",
          "ReduceL1",
          "ReduceL2");

  private final Kind kind;
  private final int axis;
  private final float epsilon;
  private final int reduction;
  private Operand x;
  private Operand y;
  private Operand scale;
  private Operand bias;
  private int length;
  private int scaleLength;
  private int biasLength;

  RowKernel(WorkerPool pool, Kind kind, int axis, float epsilon) {
    this(pool, kind, axis, epsilon, -1);
  }

  private RowKernel(WorkerPool pool, Kind kind, int axis, float epsilon, int reduction) {
    super(pool);
    this.kind = kind;
    this.axis = axis;
    this.epsilon = epsilon;
    this.reduction = reduction;
  }

  /** A reduction over the axes from {@code axis} on (one output element per row). */
  static RowKernel reduce(WorkerPool pool, String op, int axis) {
    int code = REDUCTIONS.indexOf(op);
    if (code < 0) {
      throw new IllegalArgumentException("no Java reduction kernel for " + op);
    }
    return new RowKernel(pool, Kind.REDUCE, axis, 0, code);
  }

  @Override
  public void bind(Operand[] buffers, long[] scalars) {
    x = buffers[0];
    y = buffers[buffers.length - 1];
    boolean normalizes = kind == Kind.LAYER_NORM || kind == Kind.RMS_NORM;
    int from = normalizes || kind == Kind.REDUCE ? axis : x.rank() - 1;
    long row = 1;
    for (int a = from; a < x.rank(); a++) {
      row *= x.shape()[a];
    }
    length = (int) row;
    if (normalizes) {
      scale = buffers[1];
      bias = buffers.length == 4 ? buffers[2] : null;
      scaleLength = (int) scale.elementCount();
      biasLength = bias == null ? 0 : (int) bias.elementCount();
    }
    split(length == 0 ? 0 : x.elementCount() / length, length * 4L);
  }

  @Override
  protected void compute(long from, long to) {
    for (long r = from; r < to; r++) {
      int in = x.floatOffset() + (int) (r * length);
      if (kind == Kind.REDUCE) {
        y.array()[y.floatOffset() + (int) r] = reduce(x.array(), in);
        continue;
      }
      int out = y.floatOffset() + (int) (r * length);
      if (kind == Kind.LAYER_NORM || kind == Kind.RMS_NORM) {
        layerNorm(x.array(), in, y.array(), out);
      } else {
        softmax(x.array(), in, y.array(), out);
      }
    }
  }

  private void softmax(float[] xa, int in, float[] ya, int out) {
    int n = length;
    int i = 0;
    FloatVector maxV = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
    for (int bound = S.loopBound(n); i < bound; i += L) {
      maxV = maxV.max(FloatVector.fromArray(S, xa, in + i));
    }
    float max = maxV.reduceLanes(VectorOperators.MAX);
    for (; i < n; i++) {
      max = Math.max(max, xa[in + i]);
    }
    FloatVector shift = FloatVector.broadcast(S, max);
    FloatVector sumV = FloatVector.zero(S);
    i = 0;
    for (int bound = S.loopBound(n); i < bound; i += L) {
      FloatVector e = FloatVector.fromArray(S, xa, in + i).sub(shift).lanewise(VectorOperators.EXP);
      sumV = sumV.add(e);
      if (kind == Kind.SOFTMAX) {
        e.intoArray(ya, out + i);
      }
    }
    double sum = sumV.reduceLanes(VectorOperators.ADD);
    for (; i < n; i++) {
      float e = (float) Math.exp(xa[in + i] - max);
      sum += e;
      if (kind == Kind.SOFTMAX) {
        ya[out + i] = e;
      }
    }
    if (kind == Kind.SOFTMAX) {
      FloatVector inverse = FloatVector.broadcast(S, (float) (1 / sum));
      i = 0;
      for (int bound = S.loopBound(n); i < bound; i += L) {
        FloatVector.fromArray(S, ya, out + i).mul(inverse).intoArray(ya, out + i);
      }
      for (; i < n; i++) {
        ya[out + i] *= (float) (1 / sum);
      }
    } else {
      FloatVector subtract = FloatVector.broadcast(S, (float) (max + Math.log(sum)));
      i = 0;
      for (int bound = S.loopBound(n); i < bound; i += L) {
        FloatVector.fromArray(S, xa, in + i).sub(subtract).intoArray(ya, out + i);
      }
      for (; i < n; i++) {
        ya[out + i] = xa[in + i] - (float) (max + Math.log(sum));
      }
    }
  }

  private float reduce(float[] xa, int in) {
    int n = length;
    boolean extremum = reduction == 2 || reduction == 3;
    FloatVector acc =
        FloatVector.broadcast(
            S,
            reduction == 2
                ? Float.NEGATIVE_INFINITY
                : reduction == 3 ? Float.POSITIVE_INFINITY : 0f);
    int i = 0;
    for (int bound = S.loopBound(n); i < bound; i += L) {
      FloatVector v = FloatVector.fromArray(S, xa, in + i);
      acc =
          switch (reduction) {
            case 2 -> acc.max(v);
            case 3 -> acc.min(v);
            case 4, 6 -> v.fma(v, acc);
            case 5 -> acc.add(v.abs());
            default -> acc.add(v);
          };
    }
    double result =
        extremum
            ? acc.reduceLanes(reduction == 2 ? VectorOperators.MAX : VectorOperators.MIN)
            : acc.reduceLanes(VectorOperators.ADD);
    for (; i < n; i++) {
      float v = xa[in + i];
      result =
          switch (reduction) {
            case 2 -> Math.max(result, v);
            case 3 -> Math.min(result, v);
            case 4, 6 -> result + (double) v * v;
            case 5 -> result + Math.abs(v);
            default -> result + v;
          };
    }
    return (float)
        switch (reduction) {
          case 1 -> result / n;
          case 6 -> Math.sqrt(result);
          default -> result;
        };
  }

  /** LayerNormalization's row, or RMSNormalization's: the same with a mean of 0. */
  private void layerNorm(float[] xa, int in, float[] ya, int out) {
    int n = length;
    int i = 0;
    float mean = 0;
    if (kind == Kind.LAYER_NORM) {
      FloatVector sumV = FloatVector.zero(S);
      for (int bound = S.loopBound(n); i < bound; i += L) {
        sumV = sumV.add(FloatVector.fromArray(S, xa, in + i));
      }
      double sum = sumV.reduceLanes(VectorOperators.ADD);
      for (; i < n; i++) {
        sum += xa[in + i];
      }
      mean = (float) (sum / n);
    }
    FloatVector meanV = FloatVector.broadcast(S, mean);
    FloatVector squaresV = FloatVector.zero(S);
    i = 0;
    for (int bound = S.loopBound(n); i < bound; i += L) {
      FloatVector d = FloatVector.fromArray(S, xa, in + i).sub(meanV);
      squaresV = d.fma(d, squaresV);
    }
    double squares = squaresV.reduceLanes(VectorOperators.ADD);
    for (; i < n; i++) {
      double d = xa[in + i] - mean;
      squares += d * d;
    }
    float inverse = (float) (1 / Math.sqrt(squares / n + epsilon));
    float[] sa = scale.array();
    int so = scale.floatOffset();
    FloatVector inverseV = FloatVector.broadcast(S, inverse);
    i = 0;
    if (scaleLength == n && (bias == null || biasLength == n)) {
      float[] ba = bias == null ? null : bias.array();
      int bo = bias == null ? 0 : bias.floatOffset();
      // Two loops, not a vector chosen by a condition (which C2 would box).
      if (ba == null) {
        for (int bound = S.loopBound(n); i < bound; i += L) {
          FloatVector.fromArray(S, xa, in + i)
              .sub(meanV)
              .mul(inverseV)
              .mul(FloatVector.fromArray(S, sa, so + i))
              .intoArray(ya, out + i);
        }
      } else {
        for (int bound = S.loopBound(n); i < bound; i += L) {
          FloatVector.fromArray(S, xa, in + i)
              .sub(meanV)
              .mul(inverseV)
              .mul(FloatVector.fromArray(S, sa, so + i))
              .add(FloatVector.fromArray(S, ba, bo + i))
              .intoArray(ya, out + i);
        }
      }
    }
    for (; i < n; i++) {
      float v = (xa[in + i] - mean) * inverse * sa[so + i % scaleLength];
      ya[out + i] = bias == null ? v : v + bias.array()[bias.floatOffset() + i % biasLength];
    }
  }
}
