#!/usr/bin/env bash
# A bounded load test of `oclc serve`: CLIENTS clients (default 16) each posting greedy completions
# of TOKENS tokens (default 32) back to back for SECONDS seconds (default 30); prints requests,
# generated tokens per second and the latency percentiles. Usage:
#   scripts/serve-load.sh URL [CLIENTS] [SECONDS] [TOKENS]   (URL e.g. http://127.0.0.1:8080)
set -euo pipefail
url=${1:?give the URL of the server, e.g. http://127.0.0.1:8080}
clients=${2:-16}
seconds=${3:-30}
tokens=${4:-32}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
end=$(( $(date +%s) + seconds ))
for c in $(seq 1 "$clients"); do
  (
    i=0
    while [ "$(date +%s)" -lt "$end" ]; do
      i=$((i + 1))
      # prompts of one length (the example has no attention mask), different per client and round
      body="{\"prompt\": [$((c * 7 % 500)), $((i % 500)), 11], \"max_tokens\": $tokens, \"temperature\": 0}"
      curl -s -o "$work/body.$c" -w '%{http_code} %{time_total}\n' \
        -H 'Content-Type: application/json' -d "$body" "$url/v1/completions" >> "$work/times.$c"
      grep -o '"completion_tokens":[0-9]*' "$work/body.$c" | cut -d: -f2 >> "$work/tokens.$c" || true
    done
  ) &
done
wait
cat "$work"/times.* > "$work/all"
total_tokens=$(cat "$work"/tokens.* | awk '{s += $1} END {print s + 0}')
ok=$(awk '$1 == 200' "$work/all" | wc -l)
failed=$(awk '$1 != 200' "$work/all" | wc -l)
awk '$1 == 200 {print $2}' "$work/all" | sort -n > "$work/latencies"
printf 'clients %d, %d s, %d tokens per request\n' "$clients" "$seconds" "$tokens"
printf 'requests: %d ok, %d failed\n' "$ok" "$failed"
printf 'throughput: %.1f tokens/s, %.2f requests/s\n' \
  "$(echo "$total_tokens / $seconds" | bc -l)" "$(echo "$ok / $seconds" | bc -l)"
awk '{a[NR] = $1} END {n = NR; if (n == 0) {print "latency s: none"; exit}
  printf "latency s: p50 %.3f, p90 %.3f, p99 %.3f\n", a[int((n - 1) * 0.5) + 1], a[int((n - 1) * 0.9) + 1], a[int((n - 1) * 0.99) + 1]}' "$work/latencies"
