// output[item, column] = table[indices[item], column]
__kernel void gather_rows_uint(__global const uint* restrict table,
                           __global const long* restrict indices,
                           __global uint* restrict output,
                           const int rows, const int rowLength) {
  const int column = get_global_id(0);
  const int item = get_global_id(1);
  long row = indices[item];
  if (row < 0) {
    row += rows;
  }
  row = clamp(row, 0L, (long) rows - 1);
  output[(size_t) item * rowLength + column] = table[(size_t) row * rowLength + column];
}
