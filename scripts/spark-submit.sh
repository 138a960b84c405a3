#!/usr/bin/env bash
# Spark's spark-submit without a Spark download: what bin/spark-submit does (it runs bin/spark-class
# org.apache.spark.deploy.SparkSubmit "$@"), on a SPARK_HOME of the jars Maven resolved for descent-spark.
# Spark's launcher library (org.apache.spark.launcher.Main) builds the driver's command line (class path,
# --driver-memory, --driver-java-options, the --add-opens list JDK 17+ needs) and this script runs it.
#   scripts/spark-submit.sh --master MASTER --class dev.descent.cli.Main --jars descent-spark/target/descent-spark-0.1.0-SNAPSHOT.jar \
#     --driver-java-options '--add-modules jdk.incubator.vector' \
#     --conf spark.executor.extraJavaOptions='--add-modules jdk.incubator.vector' \
#     descent-cli/target/descent.jar train mnist --spark MASTER --out runs/mnist
# (docs/spark.md; build the two jars first: ./mvnw -q -DskipTests -pl descent-cli,descent-spark -am package)
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$root/scripts/find-jdk.sh"
. "$root/scripts/spark-home.sh"
spark_home "$root/descent-spark/target/spark-home"
# Descent's Spark logging (warnings only), from Spark's configuration folder unless one is given.
mkdir -p "$SPARK_HOME/conf"
ln -sf "$root/descent-spark/src/main/resources/log4j2.properties" "$SPARK_HOME/conf/log4j2.properties"

# As bin/spark-class: the launcher prints its messages, a NUL and a newline, then the command, NUL-separated.
output=$(mktemp)
trap 'rm -f "$output"' EXIT
status=0
"$JAVA_HOME/bin/java" -Xmx128m ${SPARK_LAUNCHER_OPTS:-} -cp "$SPARK_HOME/jars/*" org.apache.spark.launcher.Main \
  org.apache.spark.deploy.SparkSubmit "$@" >"$output" || status=$?
if [ "$status" -ne 0 ]; then
  exit "$status"
fi
command=()
started=false
while IFS= read -r -d '' arg; do
  if $started; then
    command+=("$arg")
  else
    [ -n "$arg" ] && printf '%s\n' "$arg" # messages before the command (e.g. usage)
    started=true
  fi
done <"$output"
rm -f "$output"
trap - EXIT
[ ${#command[@]} -gt 0 ] || exit 1
command[0]=${command[0]#$'\n'}
exec "${command[@]}"
