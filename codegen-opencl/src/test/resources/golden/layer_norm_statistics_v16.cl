__kernel void layer_norm_statistics_v16(__global const float* restrict input,
                           __global const float* restrict scale,
                           __global const float* restrict shift,
                           __global float* restrict output,
                           __global float* restrict means,
                           __global float* restrict inverseDeviations,
                           const int rowLength,
                           const float epsilon) {
  const size_t row = get_global_id(0);
  __global const float* x = input + row * rowLength;
  __global float* y = output + row * rowLength;
  const int whole = rowLength - rowLength % 16;

  float16 sums = (float16)(0.0f);
  for (int i = 0; i < whole; i += 16) {
    sums += vload16(0, x + i);
  }
  float sum = sums.s0 + sums.s1 + sums.s2 + sums.s3 + sums.s4 + sums.s5 + sums.s6 + sums.s7 + sums.s8 + sums.s9 + sums.sa + sums.sb + sums.sc + sums.sd + sums.se + sums.sf;
  for (int i = whole; i < rowLength; i++) {
    sum += x[i];
  }
  const float mean = sum / rowLength;

  float16 squareSums = (float16)(0.0f);
  for (int i = 0; i < whole; i += 16) {
    const float16 deviation = vload16(0, x + i) - mean;
    squareSums = fma(deviation, deviation, squareSums);
  }
  float squares = squareSums.s0 + squareSums.s1 + squareSums.s2 + squareSums.s3 + squareSums.s4 + squareSums.s5 + squareSums.s6 + squareSums.s7 + squareSums.s8 + squareSums.s9 + squareSums.sa + squareSums.sb + squareSums.sc + squareSums.sd + squareSums.se + squareSums.sf;
  for (int i = whole; i < rowLength; i++) {
    const float deviation = x[i] - mean;
    squares += deviation * deviation;
  }
  const float inverseDeviation = rsqrt(squares / rowLength + epsilon);

  for (int i = 0; i < whole; i += 16) {
    vstore16((vload16(0, x + i) - mean) * inverseDeviation * vload16(0, scale + i) + vload16(0, shift + i),
        0, y + i);
  }
  for (int i = whole; i < rowLength; i++) {
    y[i] = (x[i] - mean) * inverseDeviation * scale[i] + shift[i];
  }
  means[row] = mean;
  inverseDeviations[row] = inverseDeviation;
}
