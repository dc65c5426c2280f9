// A tiled dense (MatMul) kernel: each work-group computes a TILE x TILE block of Y, staging
// TILE x TILE blocks of A and B in local memory, so each element of A and B is read from global
// memory once per tile instead of once per output. The work sizes are rounded up to whole tiles;
// the kernel checks the edges.
//
// oclc: arguments A, B, Y, M, N, K, aBatchStride, bBatchStride
// oclc: global 16 * floordiv(N + 15, 16), 16 * floordiv(M + 15, 16), batches
// oclc: local 16, 16, 1

#define TILE 16

__kernel __attribute__((reqd_work_group_size(TILE, TILE, 1)))
void user_dense_tiled(__global const float* restrict a,
                      __global const float* restrict b,
                      __global float* restrict y,
                      const int m, const int n, const int k,
                      const int aBatchStride, const int bBatchStride) {
  __local float aTile[TILE][TILE];
  __local float bTile[TILE][TILE];
  const int column = get_global_id(0);
  const int row = get_global_id(1);
  const int batch = get_global_id(2);
  const int tx = get_local_id(0);
  const int ty = get_local_id(1);
  __global const float* aBatch = a + (size_t) batch * aBatchStride;
  __global const float* bBatch = b + (size_t) batch * bBatchStride;
  float sum = 0.0f;
  for (int base = 0; base < k; base += TILE) {
    aTile[ty][tx] = row < m && base + tx < k ? aBatch[(size_t) row * k + base + tx] : 0.0f;
    bTile[ty][tx] = base + ty < k && column < n ? bBatch[(size_t) (base + ty) * n + column] : 0.0f;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int p = 0; p < TILE; p++) {
      sum = fma(aTile[ty][p], bTile[p][tx], sum);
    }
    barrier(CLK_LOCAL_MEM_FENCE);
  }
  if (row < m && column < n) {
    y[((size_t) batch * m + row) * n + column] = sum;
  }
}
