#!/usr/bin/env bash
# Installs what mediamirror needs to build and test on Debian 12, as root (or via sudo).
# The Swift toolchain (6.2 or newer) is not packaged by Debian: it must already be on PATH
# (swift.org tarball, e.g. under /opt/swift).
set -euo pipefail

packages=(libcurl4-openssl-dev libpng-dev libjpeg-dev libwebp-dev libgif-dev libavif-dev libsqlite3-dev pkg-config python3
    ca-certificates)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if ! command -v swift >/dev/null 2>&1; then
    for candidate in /opt/swift/usr/bin /usr/share/swift/usr/bin; do
        [ -x "$candidate/swift" ] && export PATH="$candidate:$PATH"
    done
fi
command -v swift >/dev/null 2>&1 || { echo "setup: no Swift toolchain on PATH (need Swift 6.2+)" >&2; exit 1; }
