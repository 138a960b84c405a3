#!/usr/bin/env bash
# Latency and throughput of `descent serve` with wrk (Debian package wrk: apt-get install wrk):
# for each model folder given, starts `descent serve` on a free port, sends the first MNIST test
# image (784 raw pixels, flat, one instance per request) for WARMUP seconds, then for DURATION
# seconds with each number of open connections in CONNECTIONS (wrk keeps each connection busy:
# a new request as soon as the last is answered); prints a Markdown table of requests per second
# and wrk's latency percentiles, and the load average before and after.
#   bench/serve-bench.sh runs/mnist runs/cnn
# Environment: CONNECTIONS="1 8 32", DURATION=10, WARMUP=5, THREADS=2 (wrk's threads),
# SERVE_ARGS="--batch-window 2 --max-batch 64" (extra options of descent serve), DESCENT_DATA.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { echo "usage: bench/serve-bench.sh MODEL_DIR..." >&2; exit 2; }
command -v wrk > /dev/null || { echo "serve-bench: wrk is missing; install it (apt-get install wrk)" >&2; exit 2; }
CONNECTIONS=${CONNECTIONS:-1 8 32}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-5}
THREADS=${THREADS:-2}
SERVE_ARGS=${SERVE_ARGS:-}
images="${DESCENT_DATA:-../shared/datasets}/mnist/t10k-images-idx3-ubyte.gz"
[ -f "$images" ] || { echo "serve-bench: $images is missing; set DESCENT_DATA to a folder holding mnist/" >&2; exit 2; }

work=$(mktemp -d)
server=""
trap '[ -n "$server" ] && kill "$server" 2> /dev/null; rm -rf "$work"' EXIT
# the request: {"instances": [[784 pixels 0-255]]}, the first test image (a 7)
python3 - "$images" > "$work/body.json" <<'EOF'
import gzip, json, sys
pixels = list(gzip.open(sys.argv[1]).read()[16:16 + 784])
print(json.dumps({"instances": [pixels]}))
EOF
cat > "$work/post.lua" <<EOF
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = io.open("$work/body.json"):read("*a")
EOF
./descent --version > /dev/null # builds the jar first when the sources changed
. scripts/find-jdk.sh

echo "Machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; load average at start $(cut -d' ' -f1-3 /proc/loadavg);" \
     "$(./descent --version 2> /dev/null); wrk $THREADS threads, ${DURATION} s per row after ${WARMUP} s of warm-up;" \
     "serve options: ${SERVE_ARGS:-defaults}"
echo
echo "| model | connections | requests/s | p50 ms | p90 ms | p99 ms | instances per forward pass |"
echo "|---|---|---|---|---|---|---|"
for dir in "$@"; do
  name=$(basename "$dir")
  # java itself rather than ./descent, so that kill reaches the server (the launcher's options)
  # shellcheck disable=SC2086
  "$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -XX:+UseParallelGC -Xmn32m ${DESCENT_JAVA_OPTS:-} \
    -jar descent-cli/target/descent.jar serve --model "$dir" --port 0 $SERVE_ARGS > "$work/serve.log" 2>&1 &
  server=$!
  url=""
  for _ in $(seq 600); do
    url=$(sed -n 's/^serving .* at \(http[^ ]*\) .*/\1/p' "$work/serve.log")
    [ -n "$url" ] && break
    kill -0 "$server" 2> /dev/null || { cat "$work/serve.log" >&2; exit 1; }
    sleep 0.1
  done
  [ -n "$url" ] || { echo "serve-bench: descent serve did not start" >&2; exit 1; }
  status=${url%:predict}
  wrk -t "$THREADS" -c 8 -d "${WARMUP}s" -s "$work/post.lua" "$url" > /dev/null
  for c in $CONNECTIONS; do
    before=$(curl -s "$status")
    out=$(wrk -t "$(( c < THREADS ? c : THREADS ))" -c "$c" -d "${DURATION}s" --latency -s "$work/post.lua" "$url")
    after=$(curl -s "$status")
    errors=$(sed -n 's/.*Non-2xx or 3xx responses: *\([0-9]*\).*/\1/p; s/.*Socket errors: \(.*\)/\1/p' <<< "$out")
    [ -z "$errors" ] || echo "serve-bench: $name, $c connections: $errors" >&2
    ms() { awk -v v="$1" 'BEGIN { u = v; sub(/[0-9.]+/, "", u); n = v + 0;
           printf "%.2f", u == "us" ? n / 1000 : u == "s" ? n * 1000 : n }'; }
    pct() { ms "$(awk -v p="$1" '$1 == p { print $2 }' <<< "$out")"; }
    per_batch=$(python3 -c 'import json, sys
a, b = (json.loads(s)["statistics"] for s in sys.argv[1:])
print("%.1f" % ((b["instances"] - a["instances"]) / max(1, b["batches"] - a["batches"])))' "$before" "$after")
    echo "| $name | $c | $(awk '/Requests\/sec/ { printf "%.0f", $2 }' <<< "$out") | $(pct 50%) | $(pct 90%) | $(pct 99%) | $per_batch |"
  done
  kill "$server"
  wait "$server" 2> /dev/null || true
  server=""
done
echo
echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
