#!/usr/bin/env bash
# Descent against PyTorch on the five `descent bench` configurations, and Descent's matrix
# product against NumPy's, in one run, interleaved (Descent, then the peer, shape by shape),
# printing a Markdown table of the figures and their ratios.
#
# Needs Debian's PyTorch and OpenBLAS (OpenBLAS then becomes the system BLAS that NumPy and
# PyTorch call; without it they fall back to the slow reference BLAS):
#   apt-get install -y python3-torch libopenblas0-pthread
# PyTorch runs with 1 and with 2 threads and keeps its best; Descent uses its default (all cores).
# Then: Descent's two-thread speed-up on configuration 2, and the peak resident memory of one
# epoch of configuration 1 on one thread in each (GNU time's maximum resident set size).
# Configurations 4 (LSTM over MNIST rows, sequences/s) and 5 (character LSTM, characters/s) have
# their own table.
# Environment: CONFIGS="1 2 3", SEQUENCE_CONFIGS="4 5", SHAPES="512x512x512 ...", EPOCHS=3,
# PYTHON=/usr/bin/python3.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-/usr/bin/python3}
CONFIGS=${CONFIGS:-1 2 3}
SEQUENCE_CONFIGS=${SEQUENCE_CONFIGS:-4 5}
EPOCHS=${EPOCHS:-3}
SHAPES=${SHAPES:-512x512x512 1024x1024x1024 2048x2048x2048 64x784x128:NT 128x64x784:TN 256x784x1024:NT 256x1024x1024:NT 256x1024x1024:NN 1024x256x1024:TN 128x9216x128:NT}

field() { "$PY" -c 'import json,sys; print(json.loads(sys.stdin.read().strip().splitlines()[-1])[sys.argv[1]])' "$1"; }
ratio() { "$PY" -c 'import sys; print("%.2f" % (float(sys.argv[1]) / float(sys.argv[2])))' "$1" "$2"; }

./descent info > /dev/null 2>&1 || { echo "compare-pytorch: ./descent does not build; run ./descent info to see why" >&2; exit 2; }
"$PY" -c 'import torch, numpy' 2> /dev/null || { echo "compare-pytorch: needs python3-torch and numpy (apt-get install -y python3-torch libopenblas0-pthread)" >&2; exit 2; }

echo "Machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; $(./descent info 2> /dev/null | sed -n "s/^java */Java /p");"\
     "torch $("$PY" -c 'import torch; print(torch.__version__)'), numpy $("$PY" -c 'import numpy; print(numpy.__version__)'),"\
     "BLAS $(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3 2> /dev/null || echo unknown)"
echo
echo "| configuration | batch | Descent samples/s | PyTorch samples/s (threads) | ratio |"
echo "|---|---|---|---|---|"
for c in $CONFIGS; do
  d=$(./descent bench --config "$c" --epochs "$EPOCHS" --json 2> /dev/null)
  t=$("$PY" bench/torch_bench.py --config "$c" --epochs "$EPOCHS")
  ds=$(field samples_per_sec <<< "$d"); ts=$(field samples_per_sec <<< "$t")
  echo "| $c $(field name <<< "$d") | $(field batch <<< "$d") | $ds | $ts ($(field threads <<< "$t")) | $(ratio "$ds" "$ts") |"
done
echo
echo "| recurrent configuration | batch | unit | Descent per s | PyTorch per s (threads) | ratio |"
echo "|---|---|---|---|---|---|"
for c in $SEQUENCE_CONFIGS; do
  d=$(./descent bench --config "$c" --epochs "$EPOCHS" --json 2> /dev/null)
  t=$("$PY" bench/torch_bench.py --config "$c" --epochs "$EPOCHS")
  if [ "$c" = 5 ]; then unit=characters key=chars_per_sec; else unit=sequences key=samples_per_sec; fi
  ds=$(field "$key" <<< "$d"); ts=$(field "$key" <<< "$t")
  echo "| $c $(field name <<< "$d") | $(field batch <<< "$d") | $unit | $ds | $ts ($(field threads <<< "$t")) | $(ratio "$ds" "$ts") |"
done
echo
echo "| matmul shape | Descent GFLOP/s | NumPy GFLOP/s | ratio |"
echo "|---|---|---|---|"
for s in $SHAPES; do
  d=$(./descent bench --matmul "$s" --json 2> /dev/null)
  n=$("$PY" bench/torch_bench.py --matmul "$s")
  dg=$(field gflops <<< "$d"); ng=$(field gflops <<< "$n")
  echo "| $s | $dg | $ng | $(ratio "$dg" "$ng") |"
done

echo
echo "| two threads against one (Descent, configuration 2) | 1 thread samples/s | 2 threads samples/s | speed-up |"
echo "|---|---|---|---|"
d1=$(./descent bench --config 2 --epochs "$EPOCHS" --threads 1 --json 2> /dev/null)
d2=$(./descent bench --config 2 --epochs "$EPOCHS" --threads 2 --json 2> /dev/null)
s1=$(field samples_per_sec <<< "$d1"); s2=$(field samples_per_sec <<< "$d2")
echo "| 2 $(field name <<< "$d1") | $s1 | $s2 | $(ratio "$s2" "$s1") |"
echo
peak_mb() { /usr/bin/time -f '%M' "$@" 2>&1 > /dev/null | tail -n 1 | awk '{ printf "%.0f", $1 / 1024 }'; }
echo "| peak resident memory, configuration 1, one epoch, one thread | Descent MB | PyTorch MB | ratio |"
echo "|---|---|---|---|"
dm=$(peak_mb ./descent bench --config 1 --epochs 1 --threads 1)
tm=$(peak_mb "$PY" bench/torch_bench.py --config 1 --epochs 1 --threads 1)
echo "| 1 | $dm | $tm | $(ratio "$dm" "$tm") |"
