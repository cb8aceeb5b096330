#!/usr/bin/env bash
# Installs and starts what the test suite needs beyond Java 17 and Maven. Idempotent.
# curl, mosquitto_pub/mosquitto_sub and promtool are the real clients the end-to-end tests drive
# the server with (operator and device HTTP, device MQTT, the Prometheus text check); node runs
# Microsoft's DTDL parser over the DTDL export (control-api/src/test/dtdl); Debian's chromium (with a
# Chinese font for the screenshots) runs the console's browser tests (control-api/src/test/console).
set -euo pipefail

need_apt=()
command -v curl >/dev/null 2>&1 || need_apt+=(curl)
command -v mosquitto_pub >/dev/null 2>&1 || need_apt+=(mosquitto-clients)
command -v promtool >/dev/null 2>&1 || need_apt+=(prometheus)
command -v node >/dev/null 2>&1 || need_apt+=(nodejs)
command -v npm >/dev/null 2>&1 || need_apt+=(npm)
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
[[ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ]] || need_apt+=(fonts-wqy-microhei)

if ((${#need_apt[@]})); then
  echo "test prerequisites: installing ${need_apt[*]} with apt-get" >&2
  SUDO=""
  [[ $(id -u) -eq 0 ]] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

dtdl="$(cd "$(dirname "$0")/.." && pwd)/control-api/src/test/dtdl"
if [[ ! -d "$dtdl/node_modules/@azure/dtdl-parser" ]]; then
  echo "test prerequisites: installing the DTDL parser with npm ci in $dtdl" >&2
  (cd "$dtdl" && npm ci --no-audit --no-fund --loglevel=error)
fi

# The external OpenAPI validators OpenApiDocumentTest runs (pinned in package-lock.json).
openapi_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/control-api/src/test/openapi"
if [[ ! -d "$openapi_dir/node_modules" ]]; then
  echo "test prerequisites: npm ci in $openapi_dir" >&2
  (cd "$openapi_dir" && npm ci --no-audit --no-fund --loglevel=error)
fi

# playwright-core and axe-core for ConsoleBrowserIT (pinned in package-lock.json; the browser is Debian's chromium above).
console_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/control-api/src/test/console"
if [[ ! -d "$console_dir/node_modules/playwright-core" || ! -d "$console_dir/node_modules/axe-core" ]]; then
  echo "test prerequisites: npm ci in $console_dir" >&2
  (cd "$console_dir" && npm ci --no-audit --no-fund --loglevel=error)
fi
