package oclc.ir.ops;

import java.util.List;
import oclc.ir.OpDefinition;

/** The Reduce* ops, one reducer each. */
final class Reductions {
  private Reductions() {}

  static List<OpDefinition> definitions() {
    return List.of(
        new ReduceOp("ReduceSum", new SumReducer(Sum.PLAIN), 13),
        new ReduceOp("ReduceMean", new ReduceOp.Reducer() {
          @Override
          public double reduceFloats(double[] v, int n) {
            return Sum.PLAIN.floats(v, n) / n;
          }
        }, 18),
        new ReduceOp("ReduceSumSquare", new SumReducer(Sum.SQUARES), 18),
        new ReduceOp("ReduceL1", new SumReducer(Sum.ABSOLUTE), 18),
        new ReduceOp("ReduceL2", new ReduceOp.Reducer() {
          @Override
          public double reduceFloats(double[] v, int n) {
            return Math.sqrt(Sum.SQUARES.floats(v, n));
          }

          @Override
          public boolean exactForIntegers() {
            return true;
          }

          @Override
          public long reduceIntegers(long[] v, int n) {
            return (long) Math.sqrt(Sum.SQUARES.integers(v, n));
          }
        }, 18),
        new ReduceOp("ReduceLogSum", new ReduceOp.Reducer() {
          @Override
          public double reduceFloats(double[] v, int n) {
            return Math.log(Sum.PLAIN.floats(v, n));
          }
        }, 18),
        new ReduceOp("ReduceLogSumExp", new ReduceOp.Reducer() {
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
        }, 18),
        new ReduceOp("ReduceProd", new ReduceOp.Reducer() {
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
          public long reduceIntegers(long[] v, int n) {
            long p = 1;
            for (int i = 0; i < n; i++) {
              p *= v[i];
            }
            return p;
          }
        }, 18),
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
        s += switch (this) {
          case PLAIN -> v[i];
          case SQUARES -> v[i] * v[i];
          case ABSOLUTE -> Math.abs(v[i]);
        };
      }
      return s;
    }

    long integers(long[] v, int n) {
      long s = 0;
      for (int i = 0; i < n; i++) {
        s += switch (this) {
          case PLAIN -> v[i];
          case SQUARES -> v[i] * v[i];
          case ABSOLUTE -> Math.abs(v[i]);
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
    public long reduceIntegers(long[] v, int n) {
      return sum.integers(v, n);
    }
  }

  /** Max or min; over no elements, the identity of the fold (−∞ or +∞, or the integer limits). */
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
    public long reduceIntegers(long[] v, int n) {
      long r = max ? Long.MIN_VALUE : Long.MAX_VALUE;
      for (int i = 0; i < n; i++) {
        r = max ? Math.max(r, v[i]) : Math.min(r, v[i]);
      }
      return r;
    }
  }
}
