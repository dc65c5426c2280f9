// output[batch, row, column] = column - row >= diagonal ? input[batch, row, column] : 0
__kernel void triu_uint(__global const uint* restrict input,
                           __global uint* restrict output,
                           const int rows, const int columns, const long diagonal) {
  const int column = get_global_id(0);
  const int row = get_global_id(1);
  const int batch = get_global_id(2);
  const size_t at = ((size_t) batch * rows + row) * columns + column;
  output[at] = (long) column - row >= diagonal ? input[at] : 0;
}
