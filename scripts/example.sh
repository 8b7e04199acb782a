#!/usr/bin/env bash
# One-shot sync of the bundled example site (example/site) against a local image origin on
# 127.0.0.1, so it needs no internet. Installs the system packages, builds, copies the site to
# .build/example-run/, syncs it and prints the summary, then syncs again (a no-op) and prints
# the report.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup-debian.sh
swift build --product mediamirror
binary="$(swift build --show-bin-path)/mediamirror"

run=.build/example-run
rm -rf "$run"
mkdir -p "$run"
cp -R example/site "$run/site"

python3 Tests/Origin/origin.py --root example/origin --log "$run/origin.log" > "$run/origin.port" &
origin=$!
trap 'kill $origin 2>/dev/null || true' EXIT
for _ in $(seq 50); do grep -q PORT "$run/origin.port" 2>/dev/null && break; sleep 0.1; done
port=$(awk '/PORT/ {print $2}' "$run/origin.port")

echo "== mediamirror sync (origin on 127.0.0.1:$port via http_proxy)"
status=0
env -u https_proxy -u HTTPS_PROXY -u all_proxy -u ALL_PROXY -u no_proxy -u NO_PROXY \
    http_proxy="http://127.0.0.1:$port" "$binary" sync --config "$run/site/mediamirror.yaml" || status=$?
echo
echo "== what changed in the posts"
diff -r example/site/source/_posts "$run/site/source/_posts" | grep '^[<>]' | cut -c1-160 || true
echo
echo "== stored under $run/site/source/images/mirror"
(cd "$run/site/source/images/mirror" && find . -type f | sort)
echo
echo "sync exit status: $status (1 means some references failed; the example has one deleted image on purpose)"
echo
echo "== a second sync: the finished post is not even read; the failed URL waits for its retry time"
env -u https_proxy -u HTTPS_PROXY -u all_proxy -u ALL_PROXY -u no_proxy -u NO_PROXY \
    http_proxy="http://127.0.0.1:$port" "$binary" sync --config "$run/site/mediamirror.yaml" || true
echo
echo "== mediamirror report"
"$binary" report --config "$run/site/mediamirror.yaml" || true
