#!/usr/bin/env bash
# The main job: install what is missing, build (Release), and run the demo on the embedded
# SQLite database with the real data in ../shared/data.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DARBOR_BUILD_TESTS=OFF -DARBOR_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build build -j"$(nproc)" --target arbor
build/arbor demo --out arbor-demo.db "$@"
