package oclc.codegen.cpu.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import oclc.codegen.cpu.linalg.WorkerPool;

/**
 * float32 kernels over contiguous rows, rows split over the pool: Softmax and LogSoftmax over the
 * last axis; LayerNormalization over the trailing axes (operands X, scale, [bias], Y; the mean
 * and variance summed in double, as the reference does).
 */
final class RowKernel extends CpuKernel {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  enum Kind { SOFTMAX, LOG_SOFTMAX, LAYER_NORM }

  private final Kind kind;
  private final int axis;
  private final float epsilon;
  private Operand x;
  private Operand y;
  private Operand scale;
  private Operand bias;
  private int length;
  private int scaleLength;
  private int biasLength;

  RowKernel(WorkerPool pool, Kind kind, int axis, float epsilon) {
    super(pool);
    this.kind = kind;
    this.axis = axis;
    this.epsilon = epsilon;
  }

  @Override
  public void bind(Operand[] buffers, long[] scalars) {
    x = buffers[0];
    y = buffers[buffers.length - 1];
    int from = kind == Kind.LAYER_NORM ? axis : x.rank() - 1;
    long row = 1;
    for (int a = from; a < x.rank(); a++) {
      row *= x.shape()[a];
    }
    length = (int) row;
    if (kind == Kind.LAYER_NORM) {
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
      int out = y.floatOffset() + (int) (r * length);
      if (kind == Kind.LAYER_NORM) {
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

  private void layerNorm(float[] xa, int in, float[] ya, int out) {
    int n = length;
    FloatVector sumV = FloatVector.zero(S);
    int i = 0;
    for (int bound = S.loopBound(n); i < bound; i += L) {
      sumV = sumV.add(FloatVector.fromArray(S, xa, in + i));
    }
    double sum = sumV.reduceLanes(VectorOperators.ADD);
    for (; i < n; i++) {
      sum += xa[in + i];
    }
    float mean = (float) (sum / n);
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
      for (int bound = S.loopBound(n); i < bound; i += L) {
        FloatVector v = FloatVector.fromArray(S, xa, in + i).sub(meanV).mul(inverseV).mul(FloatVector.fromArray(S, sa, so + i));
        if (ba != null) {
          v = v.add(FloatVector.fromArray(S, ba, bo + i));
        }
        v.intoArray(ya, out + i);
      }
    }
    for (; i < n; i++) {
      float v = (xa[in + i] - mean) * inverse * sa[so + i % scaleLength];
      ya[out + i] = bias == null ? v : v + bias.array()[bias.floatOffset() + i % biasLength];
    }
  }
}
