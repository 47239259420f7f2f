#!/usr/bin/env bash
# Installs redis-server for the plugins-redis tests, which start a real server on 127.0.0.1
# (without one on PATH they fall back to the Redis 6.2 binary inside the embedded-redis test jar).
# Idempotent: does nothing when redis-server is already on PATH. CI runs it as root on Debian.
set -euo pipefail

if command -v redis-server >/dev/null 2>&1; then
  echo "redis-server already installed: $(redis-server --version)"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends redis-server

# The package may start a system service; the tests start their own server on a free port,
# so a running service is harmless, but stop it where possible to keep the machine quiet.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet redis-server 2>/dev/null; then
  $SUDO systemctl stop redis-server || true
fi

echo "installed: $(redis-server --version)"
