#!/usr/bin/env bash
# Runs the worked examples of examples/README.md and copies their pictures to docs/examples/.
# Usage: scripts/examples.sh [OUT]   (runs go to OUT, default runs/examples; about 10 minutes on 2 cores)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-runs/examples}
pics="$root/docs/examples"
mkdir -p "$out" "$pics"
# DESCENT_JAR runs a fixed jar (e.g. a copy, so that editing sources meanwhile does not rebuild mid-run)
d() {
  if [ -n "${DESCENT_JAR:-}" ]; then java --add-modules jdk.incubator.vector -XX:+UseParallelGC -jar "$DESCENT_JAR" "$@" 2>&1 | grep -v '^WARNING: Using incubator'
  else "$root/descent" "$@"; fi
}
small="--limit 2000 --validation 0.5 --epochs 40 --schedule constant"

echo "== 1. all hidden weights start equal"
d train --limit 10000 --layers 64 --dropout 0 --epochs 10 --init-constant 0.01 --out "$out/equal" 2>&1 | grep -E '^(test|diagnosis)'
d train --limit 10000 --layers 64 --dropout 0 --epochs 10 --out "$out/random-init" 2>&1 | grep -E '^(test|diagnosis)'
d train --limit 10000 --layers 64 --dropout 0.2 --epochs 10 --init-constant 0.01 --out "$out/equal-dropout" 2>&1 | grep -E '^(test|diagnosis)'
cp "$out/equal/accuracy.png" "$pics/equal-weights-accuracy.png"

echo "== 2. Adam's first step"
d optimize --function canyon --x0 -8,1 --optimizer adam --opt lr=0.5 --steps 1 --out "$out/adam-first-step.csv" >/dev/null
d optimize --function canyon --x0 -8,1 --optimizer sgd --opt lr=0.05 --steps 1 --out "$out/sgd-first-step.csv" >/dev/null
echo "adam:"; cat "$out/adam-first-step.csv"; echo "sgd:"; cat "$out/sgd-first-step.csv"

echo "== 3. SGD, momentum, RMS-Prop and Adam in the canyon"
d optimize --function canyon --steps 50 --plot "$out/canyon.png" \
    --compare "sgd:lr=0.075,momentum:lr=0.01,rmsprop:lr=0.15,adam:lr=0.3" >/dev/null

echo "== 4. overfitting a small training set, and dropout and L2 against it"
d train $small --dropout 0 --patience 0 --out "$out/overfit" 2>&1 | grep -E '^(test|diagnosis: [a-z]*fitting|diagnosis: beats)'
d train $small --dropout 0.5 --patience 0 --out "$out/dropout" 2>&1 | grep -E '^(test|diagnosis: [a-z]*fitting|diagnosis: beats)'
d train $small --dropout 0 --l2 1e-3 --patience 0 --out "$out/l2" 2>&1 | grep -E '^(test|diagnosis: [a-z]*fitting|diagnosis: beats)'
cp "$out/overfit/loss.png" "$pics/overfit-loss.png"
cp "$out/dropout/loss.png" "$pics/dropout-loss.png"
cp "$out/l2/loss.png" "$pics/l2-loss.png"

echo "== 5. early stopping"
d train $small --dropout 0 --patience 3 --out "$out/early" 2>&1 | grep -E '^(test|early|diagnosis: [a-z]*fitting)'
cp "$out/early/loss.png" "$pics/early-stopping-loss.png"

echo "== 6. choosing the learning rate"
d lr-find --out "$out/lr-find" 2>&1 | grep -E '^(ran|lowest)'
cp "$out/lr-find.png" "$pics/lr-find.png"

echo "== 7. a learning rate far too large"
d train --limit 2000 --optimizer sgd --lr 30 --schedule constant --epochs 3 --out "$out/diverge" 2>&1 | grep -E '^(diagnosis: div|descent: error)' || true
