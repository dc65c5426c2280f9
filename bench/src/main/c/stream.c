// A C stream to check the bench's bandwidth ceiling against (scripts/bench.sh stream): the sum and
// STREAM's triad over three arrays of 1 GiB each, OpenMP threads where compiled with -fopenmp,
// the best of 5, bytes counted as MachineCeilings counts them (the triad: read and written).
// Built with -ffast-math, so that the sum may be reordered into vector chains: in order, its adds'
// latency, not the memory, bounds it (3-6 GB/s here).
#include <stdio.h>
#include <stdlib.h>
#ifdef _OPENMP
#include <omp.h>
#else
#include <time.h>
static int omp_get_max_threads(void) { return 1; }
static double omp_get_wtime(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}
#endif

#define FLOATS (1L << 28)

int main(void) {
  float *a = aligned_alloc(64, FLOATS * sizeof(float));
  float *b = aligned_alloc(64, FLOATS * sizeof(float));
  float *c = aligned_alloc(64, FLOATS * sizeof(float));
  if (!a || !b || !c) {
    fprintf(stderr, "stream: cannot allocate 3 GiB\n");
    return 1;
  }
#pragma omp parallel for
  for (long i = 0; i < FLOATS; i++) { // each thread touches the pages it will read
    a[i] = 1;
    b[i] = (i & 1023) * 1e-3f;
    c[i] = 2;
  }
  double bestRead = 0, bestTriad = 0, kept = 0;
  for (int t = 0; t < 5; t++) {
    double sum = 0, start = omp_get_wtime();
#pragma omp parallel for reduction(+ : sum)
    for (long i = 0; i < FLOATS; i++) sum += b[i];
    double read = FLOATS * sizeof(float) / (omp_get_wtime() - start) / 1e9;
    kept += sum;
    start = omp_get_wtime();
#pragma omp parallel for
    for (long i = 0; i < FLOATS; i++) a[i] = b[i] + 3.0f * c[i];
    double triad = 3.0 * FLOATS * sizeof(float) / (omp_get_wtime() - start) / 1e9;
    bestRead = read > bestRead ? read : bestRead;
    bestTriad = triad > bestTriad ? triad : bestTriad;
  }
  printf("C stream, %d threads: %.1f GB/s read (sum of 1 GiB), %.1f GB/s triad (3 x 1 GiB)"
         " (kept: %g)\n", omp_get_max_threads(), bestRead, bestTriad, kept + a[7]);
  return 0;
}
