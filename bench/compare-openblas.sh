#!/usr/bin/env bash
# The built-in pure-Java matmul against the optional OpenBLAS one (module descent-openblas), in
# one run, interleaved (java, then openblas, shape by shape), with 1 and 2 threads, then the
# end-to-end training throughput of `descent bench` with each; prints Markdown tables.
# Builds descent.jar with the openblas profile first (Linux x86-64 only). Quick runs: each
# figure is the median of `descent bench`'s five timed rounds after its two-second warm-up.
# "cores used" is the process's CPU time over its wall time (JVM start and warm-up included):
# below the thread count, the machine was busy with other work during that run.
# Environment: SHAPES="512x512x512 ...", THREADS="1 2", CONFIGS="1 2 3", SAMPLES=2560, EPOCHS=2.
set -euo pipefail
cd "$(dirname "$0")/.."
THREADS=${THREADS:-1 2}
CONFIGS=${CONFIGS:-1 2 3}
SAMPLES=${SAMPLES:-2560}
EPOCHS=${EPOCHS:-2}
SHAPES=${SHAPES:-256x256x256 512x512x512 1024x1024x1024 2048x2048x2048 64x784x128:NT 128x64x784:TN 256x784x1024:NT 256x1024x1024:NT 256x1024x1024:NN 1024x256x1024:TN 128x9216x128:NT}

. scripts/find-jdk.sh
./mvnw -B -q -DskipTests -Popenblas -pl descent-cli -am package > .build.log 2>&1 \
  || { echo "compare-openblas: the build with -Popenblas failed; see .build.log" >&2; exit 2; }
export DESCENT_MAVEN_ARGS=-Popenblas # should ./descent rebuild, it keeps the profile

# run BACKEND THREADS ARGS...: sets JSON (the last line of `descent bench --json`) and
# CORES (CPU seconds over wall seconds of the whole process)
run() {
  local backend=$1 threads=$2 times; shift 2
  times=$(mktemp)
  JSON=$(DESCENT_MATMUL=$backend DESCENT_THREADS=$threads /usr/bin/time -o "$times" -f "%U %S %e" \
         ./descent bench "$@" --json 2> /dev/null | tail -n 1)
  CORES=$(awk '{ printf "%.2f", ($1 + $2) / $3 }' "$times")
  rm -f "$times"
}
value() { sed -n "s/.*\"$2\": *\"\{0,1\}\([^,\"}]*\).*/\1/p" <<< "$1"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

echo "Machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, load average at start $(cut -d' ' -f1-3 /proc/loadavg);"\
     "$(./descent info 2> /dev/null | sed -n 's/^java */Java /p'); $(DESCENT_MATMUL=openblas ./descent info 2> /dev/null | sed -n 's/^matmul *\(openblas [0-9.]*\).*/\1/p')"
echo
echo "| matmul shape | threads | java GFLOP/s (cores used) | openblas GFLOP/s (cores used) | openblas / java |"
echo "|---|---|---|---|---|"
for s in $SHAPES; do
  for t in $THREADS; do
    run java "$t" --matmul "$s"; jg=$(value "$JSON" gflops); jc=$CORES
    run openblas "$t" --matmul "$s"; og=$(value "$JSON" gflops); oc=$CORES
    echo "| $s | $t | $jg ($jc) | $og ($oc) | $(ratio "$og" "$jg") |"
  done
done
echo
echo "| configuration | samples | threads | java samples/s (cores used) | openblas samples/s (cores used) | openblas / java |"
echo "|---|---|---|---|---|---|"
for c in $CONFIGS; do
  for t in $THREADS; do
    run java "$t" --config "$c" --samples "$SAMPLES" --epochs "$EPOCHS"; js=$(value "$JSON" samples_per_sec); jc=$CORES
    name=$(value "$JSON" name)
    run openblas "$t" --config "$c" --samples "$SAMPLES" --epochs "$EPOCHS"; os=$(value "$JSON" samples_per_sec); oc=$CORES
    echo "| $c $name | $SAMPLES | $t | $js ($jc) | $os ($oc) | $(ratio "$os" "$js") |"
  done
done
echo
echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
