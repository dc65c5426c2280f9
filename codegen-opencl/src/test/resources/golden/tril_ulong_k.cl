// output[batch, row, column] = column - row <= diagonal ? input[batch, row, column] : 0
__kernel void tril_ulong_k(__global const ulong* restrict input,
                           __global const long* restrict diagonalInput,
                           __global ulong* restrict output,
                           const int rows, const int columns) {
  const int column = get_global_id(0);
  const int row = get_global_id(1);
  const int batch = get_global_id(2);
  const long diagonal = diagonalInput[0];
  const size_t at = ((size_t) batch * rows + row) * columns + column;
  output[at] = (long) column - row <= diagonal ? input[at] : 0;
}
