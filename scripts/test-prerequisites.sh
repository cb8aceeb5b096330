#!/usr/bin/env bash
# Installs and starts what the test suite needs beyond Java 17 and Maven. Idempotent.
# The suite so far needs only curl (the end-to-end tests use it as a device and operator client).
set -euo pipefail

need_apt=()
command -v curl >/dev/null 2>&1 || need_apt+=(curl)

if ((${#need_apt[@]})); then
  echo "test prerequisites: installing ${need_apt[*]} with apt-get" >&2
  SUDO=""
  [[ $(id -u) -eq 0 ]] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
