#!/usr/bin/env bash
# Installs the Debian packages Arbor builds with, if any is missing. Safe to run repeatedly.
set -euo pipefail
packages=(g++ cmake make pkg-config libgtest-dev libgmock-dev libbenchmark-dev libsqlite3-dev
          nlohmann-json3-dev libcli11-dev libeigen3-dev coinor-libclp-dev coinor-libipopt-dev
          libcairo2-dev libpango1.0-dev poppler-utils)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
