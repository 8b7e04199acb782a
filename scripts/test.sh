#!/usr/bin/env bash
# Runs every test: installs the system packages, builds, and runs the unit and end-to-end tests
# (which start their own HTTP origin on 127.0.0.1 and use ../shared as read-only fixtures).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup-debian.sh
swift build --build-tests
swift test --skip-build
