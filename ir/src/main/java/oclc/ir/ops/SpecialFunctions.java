package oclc.ir.ops;

/** Math functions that java.lang.Math lacks, to double precision. */
public final class SpecialFunctions {
  private SpecialFunctions() {}

  private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

  /** The error function: its Taylor series near 0, a continued fraction of erfc beyond. */
  public static double erf(double x) {
    if (Double.isNaN(x)) {
      return x;
    }
    double a = Math.abs(x);
    if (a < 3) {
      double term = a;
      double sum = a;
      for (int n = 1; n < 200 && Math.abs(term) > 1e-17 * Math.abs(sum); n++) {
        term *= -a * a / n;
        sum += term / (2 * n + 1);
      }
      return Math.copySign(TWO_OVER_SQRT_PI * sum, x);
    }
    return Math.copySign(1 - erfcLarge(a), x);
  }

  /** erfc(x) for x ≥ 3: exp(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))). */
  private static double erfcLarge(double x) {
    double fraction = x;
    for (int k = 60; k >= 1; k--) {
      fraction = x + (k / 2.0) / fraction;
    }
    return Math.exp(-x * x) / Math.sqrt(Math.PI) / fraction;
  }

  /** log(1 + eˣ) without overflow. */
  public static double softplus(double x) {
    return x > 30 ? x : Math.log1p(Math.exp(x));
  }

  public static double sigmoid(double x) {
    return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
  }

  /** asinh through log1p, exact near 0 and free of cancellation for negative x. */
  public static double asinh(double x) {
    double a = Math.abs(x);
    if (a > 1e8) { // a² would lose a's square root of 1, or overflow
      return Math.copySign(Math.log(a) + Math.log(2), x);
    }
    return Math.copySign(Math.log1p(a + a * a / (1 + Math.sqrt(1 + a * a))), x);
  }

  /** atanh through log1p, exact near 0. */
  public static double atanh(double x) {
    return 0.5 * Math.log1p(2 * x / (1 - x));
  }
}
