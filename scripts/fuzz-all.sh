#!/usr/bin/env bash
# The fuzzing long run: each part of the post pipeline and each image format's probe and
# decoder under libFuzzer with AddressSanitizer, seeded from ../shared. Usage:
#   bash scripts/fuzz-all.sh [SECONDS_PER_TARGET] [TARGET…]   (default 600, all targets)
# Targets: posts-tokenizer posts-frontmatter posts-url posts-pipeline posts-templates posts-toml
# posts-style probe-jpeg probe-png
# probe-gif probe-webp probe-bmp probe-avif probe-svg probe-any reduce-jpeg.
# The C shims are instrumented too (coverage and ASan), the libraries they call are not.
# Builds into .build-fuzz; findings (crash-*, leak-*, timeout-*) land in .build-fuzz/findings/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-600}"
shift || true
selected=" $* "
wanted() { [[ "$selected" == "  " || "$selected" == *" $1 "* ]]; }
build() {
    MEDIAMIRROR_FUZZ=1 swift build -c release --product "$1" --scratch-path .build-fuzz \
        -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld \
        -Xcc -fsanitize=fuzzer-no-link,address >/dev/null
}
build FuzzPosts
build FuzzProbes
mkdir -p .build-fuzz/findings
run() { # name binary max_len seeds… (environment set by the caller)
    local name="$1" binary="$2" max_len="$3"
    shift 3
    wanted "$name" || return 0
    local corpus=".build-fuzz/corpus-$name"
    mkdir -p "$corpus"
    local log=".build-fuzz/findings/$name.log"
    SWIFT_BACKTRACE=enable=no ".build-fuzz/release/$binary" -max_total_time="$seconds" -max_len="$max_len" \
        -timeout=10 -rss_limit_mb=2048 -artifact_prefix=".build-fuzz/findings/$name-" -print_final_stats=1 \
        "$corpus" "$@" >"$log" 2>&1 || true
    local runs
    runs=$(grep -E "^stat::number_of_executed_units" "$log" | awk '{print $2}')
    local verdict="clean"
    grep -qE "ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|Fatal error|SUMMARY: " "$log" && verdict="FINDING (see $log)"
    echo "$name: ${runs:-?} runs in ${seconds} s: $verdict"
}
for part in tokenizer frontmatter url pipeline; do
    FUZZ_PART=$part run "posts-$part" FuzzPosts 65536 ../shared/samples
done
for part in templates toml style; do
    FUZZ_PART=$part run "posts-$part" FuzzPosts 65536 ../shared/generator-samples
done
for format in jpeg png gif webp bmp avif svg; do
    FUZZ_FORMAT=$format run "probe-$format" FuzzProbes 262144 ../shared/images
done
run "probe-any" FuzzProbes 262144 ../shared/images
# The 1/8 rewrite of progressive JPEGs, differentially against libjpeg, seeded with every JPEG.
seeds=.build-fuzz/seeds-jpeg
mkdir -p "$seeds"
find ../shared/images -type f \( -iname '*.jpg' -o -iname '*.jpeg' \) -size -256k -exec cp -t "$seeds" {} + 2>/dev/null || true
FUZZ_PART=reduce run "reduce-jpeg" FuzzProbes 262144 "$seeds"
