#!/usr/bin/env python3
"""Every file under ../shared/images through `mediamirror probe` and `mediamirror thumbnail`,
and each GIF, WebP and AVIF also through the animated WebP and the AVIF encoder paths
(`thumbnail --format webp --animated`, `thumbnail --format avif`), one process per file and
command, each with a 5 s limit.

    python3 scripts/hostile-inputs.py BINARY [--images DIR]...

Use an AddressSanitizer build for the long run (RELIABILITY.md):
    swift build -c release --product mediamirror --scratch-path .build-asan \\
        -Xswiftc -sanitize=address -Xcc -fsanitize=address
    python3 scripts/hostile-inputs.py .build-asan/release/mediamirror

A result is `ok` (exit 0), `refused` (exit 1: a clean error, reported), or a failure:
`crash` (a signal, or any other exit code), `hang` (over 5 s) or `sanitizer` (an
AddressSanitizer or LeakSanitizer report). Exits 1 if there was any failure.
"""
import argparse
import collections
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def classify(command):
    env = dict(os.environ, ASAN_OPTIONS="detect_leaks=1:abort_on_error=0", SWIFT_BACKTRACE="enable=no")
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=5, env=env, errors="replace")
    except subprocess.TimeoutExpired:
        return "hang", ""
    if "Sanitizer" in result.stderr:
        return "sanitizer", result.stderr[-2000:]
    if result.returncode == 0:
        return "ok", ""
    if result.returncode == 1:
        return "refused", ""
    return "crash", f"exit {result.returncode}: {result.stderr[-2000:]}"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("binary")
    parser.add_argument("--images", action="append", help="a directory to walk (default: ../shared/images)")
    options = parser.parse_args()
    roots = options.images or [os.path.join(os.path.dirname(ROOT), "shared", "images")]
    files = sorted(os.path.join(d, n) for root in roots for d, _, names in os.walk(root) for n in names)
    counts = collections.Counter()
    failures = []
    with tempfile.TemporaryDirectory() as out:
        for path in files:
            commands = [
                ("probe", [options.binary, "probe", "--json", path]),
                ("thumbnail", [options.binary, "thumbnail", "--width", "320", "--out", out, path]),
            ]
            if path.lower().endswith((".gif", ".webp", ".avif")):
                commands += [
                    ("animated", [options.binary, "thumbnail", "--format", "webp", "--animated", "--width", "64",
                                  "--out", out, path]),
                    ("avif", [options.binary, "thumbnail", "--format", "avif", "--width", "64", "--out", out, path]),
                ]
            for name, command in commands:
                verdict, detail = classify(command)
                counts[(name, verdict)] += 1
                if verdict not in ("ok", "refused"):
                    failures.append((name, path, verdict, detail))
                    print(f"{verdict}: {name} {path}\n{detail}", file=sys.stderr)
    print(f"{len(files)} files under {', '.join(roots)}")
    for name in ("probe", "thumbnail", "animated", "avif"):
        if not any(counts[(name, verdict)] for verdict in ("ok", "refused", "crash", "hang", "sanitizer")):
            continue
        parts = ", ".join(f"{verdict} {counts[(name, verdict)]}" for verdict in
                          ("ok", "refused", "crash", "hang", "sanitizer"))
        print(f"  {name}: {parts}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
