#!/usr/bin/env bash
# Installs what the benchmarks need beyond Java 17 and Maven (the test suite does not need it). Idempotent.
# mosquitto: Debian's MQTT broker, the machine's own relay limit that bin/atrium bench-ingest measures
# Atrium's MQTT ingest beside (docs/benchmarks.md, "Ingest over MQTT, beside Mosquitto").
set -euo pipefail

need_apt=()
command -v mosquitto >/dev/null 2>&1 || [[ -x /usr/sbin/mosquitto ]] || need_apt+=(mosquitto)

if ((${#need_apt[@]})); then
  echo "bench prerequisites: installing ${need_apt[*]} with apt-get" >&2
  SUDO=""
  [[ $(id -u) -eq 0 ]] || SUDO="sudo"
  $SUDO apt-get update -qq
  # the package's service is not wanted: bench-ingest starts its own broker on a free port
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
