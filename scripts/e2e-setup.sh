#!/usr/bin/env bash
# Installs what the end-to-end tests need, offline-friendly and idempotent:
# Debian's chromium, ripgrep and libkrb5-dev (for a native module of code-server), and
# code-server 4.99.x (a real VS Code that runs on Node 20) in .e2e/ of this checkout.
set -euo pipefail
cd "$(dirname "$0")/.."
CS_VERSION=4.99.4

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v rg >/dev/null 2>&1 || need_apt+=(ripgrep)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "e2e-setup: installing ${need_apt[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

CS=.e2e/node_modules/code-server
if [ -f "$CS/.installed-$CS_VERSION" ]; then
  echo "e2e-setup: code-server $CS_VERSION already installed"
  exit 0
fi
mkdir -p .e2e
[ -f .e2e/package.json ] || echo '{"private":true}' > .e2e/package.json
export npm_config_unsafe_perm=true npm_config_yes=true
# code-server's own postinstall would download ripgrep; do its steps by hand instead.
(cd .e2e && npm install --no-audit --no-fund --ignore-scripts "code-server@$CS_VERSION" >/dev/null && npm rebuild argon2 >/dev/null)
(
  cd "$CS/lib/vscode"
  npm install --omit=dev --ignore-scripts --no-audit --no-fund >/dev/null
  # Debian's ripgrep where @vscode/ripgrep expects its downloaded binary (its postinstall then skips).
  mkdir -p node_modules/@vscode/ripgrep/bin
  cp "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
  # Native modules (install scripts and implicit node-gyp builds, skipped by --ignore-scripts).
  npm rebuild kerberos node-pty @parcel/watcher @vscode/spdlog @vscode/deviceid native-watchdog >/dev/null
  ln -sfn node_modules node_modules.asar
  (cd bin/remote-cli && ln -sfn code-linux.sh code-server)
  (cd bin/helpers && ln -sfn browser-linux.sh browser.sh)
  (cd extensions && npm install --omit=dev --ignore-scripts --no-audit --no-fund >/dev/null)
)
touch "$CS/.installed-$CS_VERSION"
echo "e2e-setup: code-server $CS_VERSION installed"
