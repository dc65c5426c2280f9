#!/usr/bin/env bash
# Builds the bench module and runs a benchmark:
#   scripts/bench.sh MODEL.onnx [--lengths 8,128,512] [--new-tokens N] [--repeats N] [--weights fp32,int8,int4] ...
#       GPT-2 prefill and decode on oclc and on ONNX Runtime, in one process (--help for every option);
#       --weights adds rows for each quantized file (oclc quantize's), on both oclc backends and ORT
#   scripts/bench.sh stream
#       the machine's bandwidth and FMA ceilings as the bench measures them, beside a C stream (gcc,
#       -fopenmp where it has it) over 1 GiB arrays on as many threads: the check that the bench's
#       bandwidth is within 25% of a C stream's
#   scripts/bench.sh kernels [JMH options, e.g. -f 1 -i 5 Gemm]
#       the JMH benchmarks (kernels, and the host's planning of a decode step; 2 forks x 3 iterations
#       of 1 s by default), then GFLOP/s and GB/s of each kernel
# ./oclc bench ... hands over to this script.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/java-env.sh"
classpath_file="$root/bench/target/classpath.txt"
if [ ! -f "$classpath_file" ] || [ -n "$(find "$root" -path "$root/*/target" -prune -o \( -name pom.xml -o -path '*/src/main/*' \) -newer "$classpath_file" -print -quit)" ]; then
  echo "bench: building (mvn -pl bench -am package)..." >&2
  (cd "$root" && mvn -q -B -Dstyle.color=never -pl bench -am -DskipTests -Dmaven.test.skip=true package >&2) || {
    echo "bench: the build failed; see the Maven output above." >&2
    exit 3
  }
  touch "$classpath_file"
fi
# The bench's jar rather than its classes folder: the JDK's AOT cache (the warm start's) takes jars only.
bench_jar=$(find "$root/bench/target" -maxdepth 1 -name 'oclc-bench-*.jar' ! -name '*-sources.jar' ! -name '*-tests.jar' | head -1)
if [ -z "$bench_jar" ]; then
  echo "bench: no bench jar in $root/bench/target; run mvn -pl bench -am package" >&2
  exit 3
fi
classpath="$bench_jar:$(cat "$classpath_file")"
flags=("${OCLC_JVM_FLAGS[@]}" --add-modules jdk.incubator.vector -Xss16m)
oclc_chain_signals # the bench's JVM and the processes it starts (compiles, warm starts) drive POCL
if [ "${1:-}" = stream ]; then
  command -v gcc >/dev/null || { echo "bench: stream needs gcc, which is not installed" >&2; exit 3; }
  stream="$root/bench/target/stream"
  openmp=-fopenmp
  gcc -O3 -march=native -ffast-math $openmp "$root/bench/src/main/c/stream.c" -o "$stream" 2>/dev/null || {
    echo "bench: gcc has no OpenMP here; the C stream runs on one thread" >&2
    openmp=""
    gcc -O3 -march=native -ffast-math "$root/bench/src/main/c/stream.c" -o "$stream"
  }
  threads=$(nproc)
  for round in 1 2 3; do # alternating, as the host's load moves
    OMP_NUM_THREADS=$threads "$stream"
    java "${flags[@]}" -cp "$classpath" oclc.bench.machine.MachineCeilings 2>&1 | grep -v '^WARNING'
  done
  exit 0
fi
if [ "${1:-}" = kernels ]; then
  shift
  cd "$root" # the host benchmarks name the bundled model relative to the repository root
  exec java "${flags[@]}" -cp "$classpath" oclc.bench.JmhBench "$@"
fi
if [ $# -eq 0 ]; then
  echo "usage: scripts/bench.sh MODEL.onnx [options]   or   scripts/bench.sh kernels [JMH options]" >&2
  exit 2
fi
exec java "${flags[@]}" -cp "$classpath" oclc.bench.gpt2.Gpt2Bench "$@"
