package oclc.ir.ops;

import java.util.List;
import java.util.Optional;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.OpDefinition;

/** The Reduce* ops, one reducer each. */
final class Reductions {
  private Reductions() {}

  static List<OpDefinition> definitions() {
    return List.of(
        new ReduceOp("ReduceSum", new SumReducer(Sum.PLAIN), 13),
        new ReduceOp(
            "ReduceMean",
            new ReduceOp.Reducer() {
              @Override
              public double reduceFloats(double[] v, int n) {
                return Sum.PLAIN.floats(v, n) / n;
              }

              @Override
              public boolean exactForIntegers() {
                return true;
              }

              /**
               * The integer quotient, truncated as C truncates; an empty mean is 0 rather than a
               * trap.
               */
              @Override
              public long reduceIntegers(long[] v, int n, DType dtype) {
                long sum = Sum.PLAIN.integers(v, n, dtype);
                if (n == 0) {
                  return 0;
                }
                return dtype.isUnsigned() ? Long.divideUnsigned(sum, n) : sum / n;
              }
            },
            18),
        new ReduceOp("ReduceSumSquare", new SumReducer(Sum.SQUARES), 18),
        new ReduceOp("ReduceL1", new SumReducer(Sum.ABSOLUTE), 18),
        new ReduceOp(
            "ReduceL2",
            new ReduceOp.Reducer() {
              @Override
              public double reduceFloats(double[] v, int n) {
                return Math.sqrt(Sum.SQUARES.floats(v, n));
              }

              @Override
              public boolean exactForIntegers() {
                return true;
              }

              @Override
              public long reduceIntegers(long[] v, int n, DType dtype) {
                return (long) Math.sqrt(Sum.SQUARES.integers(v, n, dtype));
              }
            },
            18),
        new ReduceOp(
            "ReduceLogSum",
            new ReduceOp.Reducer() {
              @Override
              public double reduceFloats(double[] v, int n) {
                return Math.log(Sum.PLAIN.floats(v, n));
              }
            },
            18),
        new ReduceOp(
            "ReduceLogSumExp",
            new ReduceOp.Reducer() {
              @Override
              public double reduceFloats(double[] v, int n) {
                double max = Double.NEGATIVE_INFINITY;
                for (int i = 0; i < n; i++) {
                  max = Math.max(max, v[i]);
                }
                if (Double.isInfinite(max)) {
                  return max;
                }
                double sum = 0;
                for (int i = 0; i < n; i++) {
                  sum += Math.exp(v[i] - max);
                }
                return max + Math.log(sum);
              }
            },
            18),
        new ReduceOp(
            "ReduceProd",
            new ReduceOp.Reducer() {
              @Override
              public double reduceFloats(double[] v, int n) {
                double p = 1;
                for (int i = 0; i < n; i++) {
                  p *= v[i];
                }
                return p;
              }

              @Override
              public boolean exactForIntegers() {
                return true;
              }

              @Override
              public long reduceIntegers(long[] v, int n, DType dtype) {
                long p = 1;
                for (int i = 0; i < n; i++) {
                  p *= v[i];
                }
                return p;
              }

              @Override
              public Optional<Dim> reduceDims(List<Dim> values) {
                Dim p = Dim.of(1);
                for (Dim d : values) {
                  p = p.times(d);
                }
                return Optional.of(p);
              }
            },
            18),
        new ReduceOp("ReduceMax", new Extremum(true), 18),
        new ReduceOp("ReduceMin", new Extremum(false), 18));
  }

  /** Sums of a function of the elements. */
  enum Sum {
    PLAIN,
    SQUARES,
    ABSOLUTE;

    double floats(double[] v, int n) {
      double s = 0;
      for (int i = 0; i < n; i++) {
        s +=
            switch (this) {
              case PLAIN -> v[i];
              case SQUARES -> v[i] * v[i];
              case ABSOLUTE -> Math.abs(v[i]);
            };
      }
      return s;
    }

    /** Wraps around as the stored type does (the result is stored truncated to its width). */
    long integers(long[] v, int n, DType dtype) {
      long s = 0;
      for (int i = 0; i < n; i++) {
        s +=
            switch (this) {
              case PLAIN -> v[i];
              case SQUARES -> v[i] * v[i];
              case ABSOLUTE -> dtype.isUnsigned() ? v[i] : Math.abs(v[i]);
            };
      }
      return s;
    }
  }

  /** A sum reducer, exact for integers. */
  private record SumReducer(Sum sum) implements ReduceOp.Reducer {
    @Override
    public double reduceFloats(double[] v, int n) {
      return sum.floats(v, n);
    }

    @Override
    public boolean exactForIntegers() {
      return true;
    }

    @Override
    public long reduceIntegers(long[] v, int n, DType dtype) {
      return sum.integers(v, n, dtype);
    }

    /** Only the plain sum takes part in shape arithmetic (e.g. adding up split sizes). */
    @Override
    public Optional<Dim> reduceDims(List<Dim> values) {
      if (sum != Sum.PLAIN) {
        return Optional.empty();
      }
      Dim s = Dim.of(0);
      for (Dim d : values) {
        s = s.plus(d);
      }
      return Optional.of(s);
    }
  }

  /**
   * Max or min; over no elements, the identity of the fold (−∞ or +∞, or the limits of the integer
   * type). Integers compare exactly, and unsigned where the type is.
   */
  private record Extremum(boolean max) implements ReduceOp.Reducer {
    @Override
    public double reduceFloats(double[] v, int n) {
      double r = max ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
      for (int i = 0; i < n; i++) {
        r = Double.isNaN(v[i]) ? v[i] : max ? Math.max(r, v[i]) : Math.min(r, v[i]);
      }
      return r;
    }

    @Override
    public boolean exactForIntegers() {
      return true;
    }

    @Override
    public long reduceIntegers(long[] v, int n, DType dtype) {
      long r = max ? ElementOrder.lowest(dtype) : ElementOrder.highest(dtype);
      for (int i = 0; i < n; i++) {
        int order = ElementOrder.compareLongs(dtype, v[i], r);
        if (max ? order > 0 : order < 0) {
          r = v[i];
        }
      }
      return r;
    }
  }
}
