#!/usr/bin/env bash
# Installs what the tests need beyond npm packages: PostgreSQL server binaries (for the throwaway
# test cluster) and, for the VS Code integration tests, Chromium, Node 24 and code-server.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_updated=0
apt_install() {
  if [ "$apt_updated" = 0 ]; then apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

if ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "installing PostgreSQL server"
  apt_install postgresql
fi
