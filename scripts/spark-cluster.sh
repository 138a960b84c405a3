#!/usr/bin/env bash
# A Spark standalone cluster on this machine's loopback address, from the jars Maven resolved for
# descent-spark (no Spark download): one master and N one-core workers.
#   scripts/spark-cluster.sh start [WORKERS] [WORKER_MEMORY]   (default 2 workers of 1g; master spark://127.0.0.1:7077)
#   scripts/spark-cluster.sh stop
#   scripts/spark-cluster.sh kill-worker I                     (kills worker I and its executor, as a machine that dies)
# Then: ./descent train mnist --spark spark://127.0.0.1:7077. Files: runs/spark-cluster/ (logs, pids, SPARK_HOME).
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$root/scripts/find-jdk.sh"
. "$root/scripts/spark-home.sh"
state="$root/runs/spark-cluster"
port=${SPARK_MASTER_PORT:-7077}

start() {
  local workers=${1:-2} memory=${2:-1g}
  if [ -f "$state/master.pid" ] && kill -0 "$(cat "$state/master.pid")" 2>/dev/null; then
    echo "spark-cluster: already running (spark://127.0.0.1:$port); stop it first" >&2; exit 2
  fi
  if (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    # Spark's master would move to the next free port while the workers join whatever listens here.
    echo "spark-cluster: port $port is taken (another cluster?); stop it or set SPARK_MASTER_PORT" >&2; exit 2
  fi
  spark_home "$state/spark-home"
  local java=("$JAVA_HOME/bin/java" -Xmx512m --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -cp "$spark_classpath")
  nohup "${java[@]}" org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$port" --webui-port 8080 \
    >"$state/master.log" 2>&1 & echo $! >"$state/master.pid"
  for i in $(seq 1 "$workers"); do
    mkdir -p "$state/worker-$i"
    nohup "${java[@]}" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --cores 1 --memory "$memory" \
      --webui-port $((8080 + i)) --work-dir "$state/worker-$i" "spark://127.0.0.1:$port" \
      >"$state/worker-$i.log" 2>&1 & echo $! >"$state/worker-$i.pid"
  done
  echo "spark-cluster: master spark://127.0.0.1:$port (web UI http://127.0.0.1:8080), $workers workers; logs in $state" >&2
}

kill_tree() {
  local pid=$1 child
  for child in $(pgrep -P "$pid" || true); do kill_tree "$child"; done
  kill -9 "$pid" 2>/dev/null || true
}

stop() {
  for f in "$state"/worker-*.pid "$state"/master.pid; do
    [ -f "$f" ] || continue
    kill_tree "$(cat "$f")"
    rm -f "$f"
  done
  echo "spark-cluster: stopped" >&2
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) stop ;;
  kill-worker) kill_tree "$(cat "$state/worker-${2:?give the worker number}.pid")"; rm -f "$state/worker-$2.pid" ;;
  *) echo "usage: scripts/spark-cluster.sh start [WORKERS] [MEMORY] | stop | kill-worker I" >&2; exit 2 ;;
esac
