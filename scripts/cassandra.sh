#!/usr/bin/env bash
# A single-node Apache Cassandra 5.0 on 127.0.0.1 for development and the *IT tests, built from
# Maven Central's cassandra-all (no tarball, no Docker). Idempotent.
#   scripts/cassandra.sh start    resolve the jars (first time), write the config, start, wait for CQL
#   scripts/cassandra.sh stop     stop the node started by `start` (pid file), cleanly, then wait
#   scripts/cassandra.sh status   print whether it runs and answers CQL (exit 0 if it does, 3 if not)
#   scripts/cassandra.sh wait     wait until CQL answers (exit 1 after CASSANDRA_WAIT_SECONDS)
#   scripts/cassandra.sh resolve  only resolve the jars into the cache
#   scripts/cassandra.sh wipe     stop it and delete its data (keeps the jar cache)
# Environment (all optional):
#   CASSANDRA_HOME          where jars, config, data, logs and the pid file go (default <repo>/.cassandra, git-ignored)
#   CASSANDRA_CQL_PORT      native (CQL) port, default 9042
#   CASSANDRA_STORAGE_PORT  inter-node port, default 7000
#   CASSANDRA_JMX_PORT      local JMX port, default 7199
#   CASSANDRA_HEAP          heap size, default 512M
#   CASSANDRA_WAIT_SECONDS  how long start/wait wait for CQL, default 180
#   CASSANDRA_MVN_OFFLINE   set to 1 to resolve with `mvn -o` (the jars must be in ~/.m2 already)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VERSION="5.0.9"
HOME_DIR="${CASSANDRA_HOME:-$ROOT/.cassandra}"
LIB="$HOME_DIR/lib"
CONF="$HOME_DIR/conf"
DATA="$HOME_DIR/data"
LOGS="$HOME_DIR/logs"
PID_FILE="$HOME_DIR/cassandra.pid"
OUT="$LOGS/stdout.log"
CQL_PORT="${CASSANDRA_CQL_PORT:-9042}"
STORAGE_PORT="${CASSANDRA_STORAGE_PORT:-7000}"
JMX_PORT="${CASSANDRA_JMX_PORT:-7199}"
HEAP="${CASSANDRA_HEAP:-512M}"
WAIT_SECONDS="${CASSANDRA_WAIT_SECONDS:-180}"

log() { echo "cassandra.sh: $*" >&2; }

running_pid() {
  [[ -f "$PID_FILE" ]] || return 1
  local pid
  pid="$(cat "$PID_FILE" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  # the pid must still be our CassandraDaemon, not a recycled pid
  if kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "CassandraDaemon"; then
    echo "$pid"
    return 0
  fi
  return 1
}

cql_answers() {
  # The native transport binds its port only once it is ready for clients; a CQL OPTIONS frame
  # (protocol v4) must get a SUPPORTED reply (opcode 0x06) to count.
  local reply
  reply="$(timeout 5 bash -c '
    exec 3<>"/dev/tcp/127.0.0.1/$0" || exit 1
    printf "\x04\x00\x00\x01\x05\x00\x00\x00\x00" >&3
    head -c 5 <&3 | od -An -tx1
  ' "$CQL_PORT" 2>/dev/null || true)"
  [[ "$(echo "$reply" | awk '{print $5}')" == "06" ]]
}

resolve() {
  if [[ -f "$LIB/.resolved-$VERSION" ]]; then
    return 0
  fi
  command -v mvn >/dev/null || { log "Maven (mvn) is needed to resolve cassandra-all"; exit 1; }
  log "resolving org.apache.cassandra:cassandra-all:$VERSION and its dependencies into $LIB (first time only) ..."
  local t0=$SECONDS offline=()
  [[ "${CASSANDRA_MVN_OFFLINE:-0}" == 1 ]] && offline=(-o)
  rm -rf "$LIB"
  mkdir -p "$LIB"
  mvn -B -q "${offline[@]}" -f "$ROOT/scripts/cassandra/pom.xml" dependency:copy-dependencies \
    -DoutputDirectory="$LIB" -DincludeScope=runtime -DoverWriteIfNewer=true
  ls "$LIB"/cassandra-all-*.jar >/dev/null 2>&1 || { log "cassandra-all was not resolved into $LIB"; exit 1; }
  ls "$LIB"/jamm-*.jar >/dev/null 2>&1 || { log "jamm (Cassandra's java agent) was not resolved into $LIB"; exit 1; }
  touch "$LIB/.resolved-$VERSION"
  log "resolved $(ls "$LIB"/*.jar | wc -l) jars in $((SECONDS - t0)) s"
}

write_config() {
  mkdir -p "$CONF" "$DATA"/{data,commitlog,saved_caches,hints,cdc_raw} "$LOGS"
  cat >"$CONF/cassandra.yaml" <<EOF
# Written by scripts/cassandra.sh on every start: a single development node, not a production config.
cluster_name: atrium-dev
num_tokens: 16
allocate_tokens_for_local_replication_factor: 1
partitioner: org.apache.cassandra.dht.Murmur3Partitioner
endpoint_snitch: SimpleSnitch
seed_provider:
  - class_name: org.apache.cassandra.locator.SimpleSeedProvider
    parameters:
      - seeds: "127.0.0.1:$STORAGE_PORT"
listen_address: 127.0.0.1
rpc_address: 127.0.0.1
storage_port: $STORAGE_PORT
native_transport_port: $CQL_PORT
start_native_transport: true
data_file_directories:
  - $DATA/data
commitlog_directory: $DATA/commitlog
saved_caches_directory: $DATA/saved_caches
hints_directory: $DATA/hints
cdc_raw_directory: $DATA/cdc_raw
commitlog_sync: periodic
commitlog_sync_period: 10000ms
commitlog_segment_size: 32MiB
disk_failure_policy: stop
commit_failure_policy: stop
# tests only: no authentication. Production: PasswordAuthenticator + CassandraAuthorizer (docs/operations.md)
authenticator: AllowAllAuthenticator
authorizer: AllowAllAuthorizer
role_manager: CassandraRoleManager
# small: a dev laptop or a 2-core CI machine that also runs the test JVMs
memtable_heap_space: 128MiB
memtable_offheap_space: 128MiB
file_cache_size: 64MiB
key_cache_size: 16MiB
counter_cache_size: 8MiB
concurrent_reads: 8
concurrent_writes: 8
concurrent_counter_writes: 8
concurrent_compactors: 1
compaction_throughput: 64MiB/s
# schema changes at start-up (CREATE ... IF NOT EXISTS) of many test keyspaces
auto_snapshot: false
snapshot_on_duplicate_row_detection: false
EOF
  cat >"$CONF/logback.xml" <<EOF
<configuration scan="false">
  <appender name="FILE" class="ch.qos.logback.core.FileAppender">
    <file>$LOGS/system.log</file>
    <encoder><pattern>%-5level [%thread] %date{ISO8601} %F:%L - %msg%n</pattern></encoder>
  </appender>
  <logger name="org.apache.cassandra" level="INFO"/>
  <root level="WARN"><appender-ref ref="FILE"/></root>
</configuration>
EOF
}

java_flags() {
  local jamm
  jamm="$(ls "$LIB"/jamm-*.jar | head -n 1)"
  local flags=(
    -Xms"$HEAP" -Xmx"$HEAP" -XX:+UseG1GC -XX:MaxGCPauseMillis=300 -XX:+HeapDumpOnOutOfMemoryError
    -XX:MaxDirectMemorySize=256M -Xss512k
    -Djava.net.preferIPv4Stack=true
    -javaagent:"$jamm"
    -Dcassandra.config="file://$CONF/cassandra.yaml"
    -Dlogback.configurationFile="file://$CONF/logback.xml"
    -Dcassandra.logdir="$LOGS"
    -Dcassandra.storagedir="$DATA"
    -Dcassandra-foreground=yes
    -Dcassandra.skip_wait_for_gossip_to_settle=0
    -Dcassandra.ring_delay_ms=1000
    -Dcassandra.jmx.local.port="$JMX_PORT"
    -Dcassandra.superuser_setup_delay_ms=0
    -Djdk.attach.allowAttachSelf=true
  )
  # Java 17: Cassandra's own conf/jvm17-server.options
  local m
  for m in java.base/jdk.internal.misc java.management.rmi/com.sun.jmx.remote.internal.rmi \
           java.rmi/sun.rmi.registry java.rmi/sun.rmi.server java.sql/java.sql java.base/java.lang.ref \
           jdk.unsupported/sun.misc jdk.compiler/com.sun.tools.javac.file jdk.attach/sun.tools.attach; do
    flags+=(--add-exports "$m=ALL-UNNAMED")
  done
  for m in java.base/java.lang.module java.base/jdk.internal.loader java.base/jdk.internal.ref \
           java.base/jdk.internal.reflect java.base/jdk.internal.math java.base/jdk.internal.module \
           java.base/jdk.internal.util.jar java.base/sun.nio.ch java.base/java.io \
           java.base/java.lang.reflect java.base/java.lang java.base/java.util \
           jdk.management/com.sun.management.internal jdk.compiler/com.sun.tools.javac; do
    flags+=(--add-opens "$m=ALL-UNNAMED")
  done
  printf '%s\n' "${flags[@]}"
}

start() {
  local pid
  if pid="$(running_pid)"; then
    log "already running (pid $pid)"
    wait_cql
    return
  fi
  if cql_answers; then
    log "something else already answers CQL on 127.0.0.1:$CQL_PORT; using it (not started by this script)"
    return 0
  fi
  command -v java >/dev/null || { log "java (17) is needed"; exit 1; }
  local java_major
  java_major="$(java -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')"
  if [[ "$java_major" != 17 && "$java_major" != 11 ]]; then
    log "Cassandra $VERSION runs on Java 11 or 17; 'java' here is $java_major (set PATH or JAVA_HOME)"
    exit 1
  fi
  resolve
  write_config
  local t0=$SECONDS flags
  mapfile -t flags < <(java_flags)
  log "starting Cassandra $VERSION on 127.0.0.1:$CQL_PORT (heap $HEAP, home $HOME_DIR) ..."
  : >"$OUT"
  # setsid: its own session, so a Ctrl-C in the calling shell does not kill it half-way
  setsid java "${flags[@]}" -cp "$CONF:$LIB/*" org.apache.cassandra.service.CassandraDaemon \
    >>"$OUT" 2>&1 </dev/null &
  echo $! >"$PID_FILE"
  wait_cql
  log "ready in $((SECONDS - t0)) s (pid $(cat "$PID_FILE"))"
}

wait_cql() {
  local deadline=$((SECONDS + WAIT_SECONDS))
  while ((SECONDS < deadline)); do
    if cql_answers; then
      return 0
    fi
    if [[ -f "$PID_FILE" ]] && ! running_pid >/dev/null; then
      log "Cassandra exited before answering CQL; last lines of $OUT and $LOGS/system.log:"
      tail -n 30 "$OUT" >&2 || true
      tail -n 30 "$LOGS/system.log" >&2 2>/dev/null || true
      rm -f "$PID_FILE"
      exit 1
    fi
    sleep 1
  done
  log "CQL did not answer on 127.0.0.1:$CQL_PORT within $WAIT_SECONDS s (log: $LOGS/system.log)"
  exit 1
}

stop() {
  local pid
  if ! pid="$(running_pid)"; then
    rm -f "$PID_FILE"
    log "not running"
    return 0
  fi
  log "stopping (pid $pid) ..."
  kill -TERM "$pid" 2>/dev/null || true
  local i
  for ((i = 0; i < 60; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "still running after 30 s; killing"
    kill -KILL "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
  fi
  rm -f "$PID_FILE"
  log "stopped"
}

status() {
  local pid
  if pid="$(running_pid)"; then
    if cql_answers; then
      echo "running (pid $pid), CQL answers on 127.0.0.1:$CQL_PORT"
      return 0
    fi
    echo "running (pid $pid), CQL not answering yet on 127.0.0.1:$CQL_PORT"
    return 3
  fi
  if cql_answers; then
    echo "not started by this script, but CQL answers on 127.0.0.1:$CQL_PORT"
    return 0
  fi
  echo "not running"
  return 3
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  wait) wait_cql ;;
  resolve) resolve ;;
  wipe) stop; rm -rf "$DATA" "$LOGS"; log "data deleted" ;;
  *) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
