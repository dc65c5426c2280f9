inline float16 expVector(const float16 x) {
  const float16 n = floor(fma(x, (float16)(1.44269504f), (float16)(0.5f)));
  float16 r = fma(n, (float16)(-0.693359375f), x);
  r = fma(n, (float16)(2.12194440e-4f), r);
  float16 p = (float16)(1.9875691500e-4f);
  p = fma(p, r, (float16)(1.3981999507e-3f));
  p = fma(p, r, (float16)(8.3334519073e-3f));
  p = fma(p, r, (float16)(4.1665795894e-2f));
  p = fma(p, r, (float16)(1.6666665459e-1f));
  p = fma(p, r, (float16)(5.0000001201e-1f));
  float16 y = fma(p, r * r, r + (float16)(1.0f));
  y = y * as_float16((convert_int16(max(n, (float16)(-126.0f))) + (int16)(127)) << 23);
  y = select(y, (float16)(0.0f), x < (float16)(-87.0f));
  return select(y, x, isnan(x));
}
inline float expScalar(const float x) {
  const float n = floor(fma(x, (float)(1.44269504f), (float)(0.5f)));
  float r = fma(n, (float)(-0.693359375f), x);
  r = fma(n, (float)(2.12194440e-4f), r);
  float p = (float)(1.9875691500e-4f);
  p = fma(p, r, (float)(1.3981999507e-3f));
  p = fma(p, r, (float)(8.3334519073e-3f));
  p = fma(p, r, (float)(4.1665795894e-2f));
  p = fma(p, r, (float)(1.6666665459e-1f));
  p = fma(p, r, (float)(5.0000001201e-1f));
  float y = fma(p, r * r, r + (float)(1.0f));
  y = y * as_float((convert_int(max(n, (float)(-126.0f))) + (int)(127)) << 23);
  y = select(y, (float)(0.0f), x < (float)(-87.0f));
  return select(y, x, isnan(x));
}

__kernel void softmax_v16(__global const float* restrict input,
                           __global float* restrict output,
                           const int rowLength) {
  __global const float* x = input + (size_t) get_global_id(0) * rowLength;
  __global float* y = output + (size_t) get_global_id(0) * rowLength;
  const int whole = rowLength - rowLength % 16;

  float16 maxima = (float16)(-INFINITY);
  for (int i = 0; i < whole; i += 16) {
    maxima = fmax(maxima, vload16(0, x + i));
  }
  float maximum = -INFINITY;
  maximum = fmax(maximum, maxima.s0);
  maximum = fmax(maximum, maxima.s1);
  maximum = fmax(maximum, maxima.s2);
  maximum = fmax(maximum, maxima.s3);
  maximum = fmax(maximum, maxima.s4);
  maximum = fmax(maximum, maxima.s5);
  maximum = fmax(maximum, maxima.s6);
  maximum = fmax(maximum, maxima.s7);
  maximum = fmax(maximum, maxima.s8);
  maximum = fmax(maximum, maxima.s9);
  maximum = fmax(maximum, maxima.sa);
  maximum = fmax(maximum, maxima.sb);
  maximum = fmax(maximum, maxima.sc);
  maximum = fmax(maximum, maxima.sd);
  maximum = fmax(maximum, maxima.se);
  maximum = fmax(maximum, maxima.sf);
  for (int i = whole; i < rowLength; i++) {
    maximum = fmax(maximum, x[i]);
  }

  float16 sums = (float16)(0.0f);
  for (int i = 0; i < whole; i += 16) {
    const float16 e = expVector(vload16(0, x + i) - maximum);
    vstore16(e, 0, y + i);
    sums += e;
  }
  float sum = sums.s0 + sums.s1 + sums.s2 + sums.s3 + sums.s4 + sums.s5 + sums.s6 + sums.s7 + sums.s8 + sums.s9 + sums.sa + sums.sb + sums.sc + sums.sd + sums.se + sums.sf;
  for (int i = whole; i < rowLength; i++) {
    const float e = expScalar(x[i] - maximum);
    y[i] = e;
    sum += e;
  }

  const float inverse = 1.0f / sum;
  for (int i = 0; i < whole; i += 16) {
    vstore16(vload16(0, y + i) * inverse, 0, y + i);
  }
  for (int i = whole; i < rowLength; i++) {
    y[i] *= inverse;
  }
}
