# Sourced by the Spark scripts: a SPARK_HOME made of the jars Maven resolved for descent-spark (no Spark
# download). Spark's launcher and its workers find Spark's jars in $SPARK_HOME/jars, and need
# SPARK_SCALA_VERSION to take that folder for an installed Spark (else: "Cannot find any build directories").
#   spark_home DIR   links the jars into DIR/jars (building descent-spark once to list them) and exports
#                    SPARK_HOME=DIR, SPARK_SCALA_VERSION=2.13, SPARK_LOCAL_IP=127.0.0.1 (unless set),
#                    and spark_classpath (the jars, colon-separated)
spark_home() {
  local dir=$1 classpath_file="$root/descent-spark/target/spark-classpath.txt" j
  if [ ! -f "$classpath_file" ]; then
    echo "descent: building descent-spark (lists Spark's jars)..." >&2
    (cd "$root" && ./mvnw -q -B -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true -pl descent-cli,descent-spark -am package)
  fi
  spark_classpath=$(cat "$classpath_file")
  mkdir -p "$dir/jars"
  local jars; IFS=: read -ra jars <<<"$spark_classpath"
  for j in "${jars[@]}"; do ln -sf "$j" "$dir/jars/"; done
  export SPARK_HOME="$dir" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=${SPARK_LOCAL_IP:-127.0.0.1}
}
