#!/usr/bin/env bash
# Descent against PyTorch on the five `descent bench` configurations, single-example prediction
# latency, and Descent's matrix product against NumPy's, in one run, interleaved (Descent, then the
# peer, item by item), printing Markdown tables and at the end one table of every ratio.
#
# Needs Debian's PyTorch and OpenBLAS (OpenBLAS then becomes the system BLAS that NumPy and
# PyTorch call; without it they fall back to the slow reference BLAS):
#   apt-get install -y python3-torch libopenblas0-pthread
# The peer runs in a fresh process under every combination of OMP_NUM_THREADS (with
# torch.set_num_threads the same) and OPENBLAS_NUM_THREADS in THREADS, with OMP_WAIT_POLICY=PASSIVE,
# and keeps its best per item; the table names the setting that won ("omp 2, blas 1"). OpenMP and
# OpenBLAS have their own thread pools: left alone, both take every core and oversubscribe them.
# Descent uses its default (all cores).
# Then: Descent's two-thread speed-up on configuration 2, and the peak resident memory of one
# epoch of configuration 1 on one thread in each (GNU time's maximum resident set size).
# Usage: bench/compare-pytorch.sh [--quick]   (--quick: a smoke test of a few seconds per item:
# a few batches, one timed epoch, two small shapes)
# Environment: CONFIGS="1 2 3", SEQUENCE_CONFIGS="4 5", LATENCY_CONFIGS="1 3",
# SHAPES="512x512x512 ...", EPOCHS=3, THREADS="1 2", PYTHON=/usr/bin/python3 (an empty list skips its table).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-/usr/bin/python3}
QUICK=
case "${1:-}" in
  --quick) QUICK=1 ;;
  "") ;;
  *) echo "compare-pytorch: unknown argument $1 (usage: bench/compare-pytorch.sh [--quick])" >&2; exit 2 ;;
esac
CONFIGS=${CONFIGS-1 2 3}
SEQUENCE_CONFIGS=${SEQUENCE_CONFIGS-4 5}
LATENCY_CONFIGS=${LATENCY_CONFIGS-1 3}
THREADS=${THREADS:-1 2}
if [ -n "$QUICK" ]; then
  EPOCHS=${EPOCHS:-1}
  SHAPES=${SHAPES-256x256x256 64x784x128:NT}
  SAMPLES=(--samples 256)
  LATENCY_SECONDS=(--seconds 0.5)
else
  EPOCHS=${EPOCHS:-3}
  SHAPES=${SHAPES-512x512x512 1024x1024x1024 2048x2048x2048 64x784x128:NT 128x64x784:TN 256x784x1024:NT 256x1024x1024:NT 256x1024x1024:NN 1024x256x1024:TN 128x9216x128:NT}
  SAMPLES=()
  LATENCY_SECONDS=()
fi

field() { "$PY" -c 'import json,sys; print(json.loads(sys.stdin.read().strip().splitlines()[-1])[sys.argv[1]])' "$1"; }
ratio() { "$PY" -c 'import sys; print("%.2f" % (float(sys.argv[1]) / float(sys.argv[2])))' "$1" "$2"; }
RATIOS=()

# peer_best KEY DIRECTION ARGS...: runs bench/torch_bench.py ARGS under every OMP_NUM_THREADS x
# OPENBLAS_NUM_THREADS in THREADS and prints the JSON line of the best run (highest KEY for
# DIRECTION max, lowest for min) with "setting" added.
peer_best() {
  local key=$1 direction=$2; shift 2
  local omp blas line runs=""
  for omp in $THREADS; do
    for blas in $THREADS; do
      line=$(OMP_NUM_THREADS=$omp OPENBLAS_NUM_THREADS=$blas OMP_WAIT_POLICY=PASSIVE \
             "$PY" bench/torch_bench.py --threads "$omp" "$@" | tail -n 1)
      runs+="omp $omp, blas $blas	$line"$'\n'
    done
  done
  "$PY" -c '
import json, sys
key, direction = sys.argv[1], sys.argv[2]
runs = []
for row in sys.stdin.read().strip().splitlines():
    setting, line = row.split("\t", 1)
    run = json.loads(line); run["setting"] = setting; runs.append(run)
pick = max if direction == "max" else min
print(json.dumps(pick(runs, key=lambda r: r[key])))' "$key" "$direction" <<< "$runs"
}

./descent info > /dev/null 2>&1 || { echo "compare-pytorch: ./descent does not build; run ./descent info to see why" >&2; exit 2; }
"$PY" -c 'import torch, numpy' 2> /dev/null || { echo "compare-pytorch: needs python3-torch and numpy (apt-get install -y python3-torch libopenblas0-pthread)" >&2; exit 2; }

echo "Machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg);"\
     "$(./descent info 2> /dev/null | sed -n "s/^java */Java /p"), Descent $(./descent info 2> /dev/null | sed -n 's/^kernels *//p');"\
     "torch $("$PY" -c 'import torch; print(torch.__version__)'), numpy $("$PY" -c 'import numpy; print(numpy.__version__)'),"\
     "BLAS $(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3 2> /dev/null || echo unknown)${QUICK:+; --quick}"
echo
echo "| configuration | batch | unit | Descent per s | PyTorch per s (best setting) | ratio |"
echo "|---|---|---|---|---|---|"
for c in $CONFIGS $SEQUENCE_CONFIGS; do
  d=$(./descent bench --config "$c" --epochs "$EPOCHS" "${SAMPLES[@]}" --json 2> /dev/null)
  t=$(peer_best samples_per_sec max --config "$c" --epochs "$EPOCHS" "${SAMPLES[@]}")
  case "$c" in
    5) unit=characters key=chars_per_sec ;;
    4) unit=sequences key=samples_per_sec ;;
    *) unit=images key=samples_per_sec ;;
  esac
  ds=$(field "$key" <<< "$d"); ts=$(field "$key" <<< "$t"); r=$(ratio "$ds" "$ts")
  echo "| $c $(field name <<< "$d") | $(field batch <<< "$d") | $unit | $ds | $ts ($(field setting <<< "$t")) | $r |"
  RATIOS+=("config $c $(field name <<< "$d"), $unit/s|$r")
done
echo
echo "| single-example predict, warm | Descent p50 µs | Descent p99 µs | PyTorch p50 µs | PyTorch p99 µs (best setting) | p50 ratio (PyTorch/Descent) |"
echo "|---|---|---|---|---|---|"
for c in $LATENCY_CONFIGS; do
  d=$(./descent bench --latency --config "$c" "${LATENCY_SECONDS[@]}" --json 2> /dev/null)
  t=$(peer_best p50_us min --latency --config "$c" "${LATENCY_SECONDS[@]}")
  r=$(ratio "$(field p50_us <<< "$t")" "$(field p50_us <<< "$d")")
  echo "| $c $(field name <<< "$d") | $(field p50_us <<< "$d") | $(field p99_us <<< "$d") | $(field p50_us <<< "$t") |"\
       "$(field p99_us <<< "$t") ($(field setting <<< "$t")) | $r |"
  RATIOS+=("config $c $(field name <<< "$d"), one-example predict p50 (PyTorch time / Descent time)|$r")
done
echo
echo "| matmul shape | Descent GFLOP/s | NumPy GFLOP/s (best setting) | ratio |"
echo "|---|---|---|---|"
for s in $SHAPES; do
  d=$(./descent bench --matmul "$s" --json 2> /dev/null)
  n=$(peer_best gflops max --matmul "$s")
  dg=$(field gflops <<< "$d"); ng=$(field gflops <<< "$n"); r=$(ratio "$dg" "$ng")
  echo "| $s | $dg | $ng ($(field setting <<< "$n")) | $r |"
  RATIOS+=("matmul $s, GFLOP/s against NumPy|$r")
done

echo
echo "| two threads against one (Descent, configuration 2) | 1 thread samples/s | 2 threads samples/s | speed-up |"
echo "|---|---|---|---|"
d1=$(./descent bench --config 2 --epochs "$EPOCHS" "${SAMPLES[@]}" --threads 1 --json 2> /dev/null)
d2=$(./descent bench --config 2 --epochs "$EPOCHS" "${SAMPLES[@]}" --threads 2 --json 2> /dev/null)
s1=$(field samples_per_sec <<< "$d1"); s2=$(field samples_per_sec <<< "$d2"); r=$(ratio "$s2" "$s1")
echo "| 2 $(field name <<< "$d1") | $s1 | $s2 | $r |"
RATIOS+=("config 2, Descent 2 threads against 1|$r")
echo
peak_mb() { /usr/bin/time -f '%M' "$@" 2>&1 > /dev/null | tail -n 1 | awk '{ printf "%.0f", $1 / 1024 }'; }
echo "| peak resident memory, configuration 1, one epoch, one thread | Descent MB | PyTorch MB | ratio |"
echo "|---|---|---|---|"
dm=$(peak_mb ./descent bench --config 1 --epochs 1 "${SAMPLES[@]}" --threads 1)
tm=$(OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 peak_mb "$PY" bench/torch_bench.py --config 1 --epochs 1 "${SAMPLES[@]}" --threads 1)
echo "| 1 | $dm | $tm | $(ratio "$dm" "$tm") |"
echo
echo "| ratio, Descent against its peer (above 1: Descent ahead; memory: below 1) | ratio |"
echo "|---|---|"
for row in "${RATIOS[@]}"; do
  echo "| ${row%|*} | ${row##*|} |"
done
echo "| peak resident memory, Descent MB / PyTorch MB | $(ratio "$dm" "$tm") |"
echo
echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
