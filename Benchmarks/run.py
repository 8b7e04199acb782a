#!/usr/bin/env python3
"""The benchmark harness: mediamirror beside its anchor tools, in one run, on one core.

    python3 Benchmarks/run.py scan [--rounds N]

scan: the post scanner over every post in ../shared/samples (replicated to about 64 MB), beside
`grep -o` and `rg -o` of the regex data-original="[^"]*" over the same bytes concatenated.
The regex is the raw-speed anchor, not a correct scanner. Tools take turns round by round so
the noise of a shared machine hits all of them alike; each is pinned to one core (taskset).
Reports the median MB/s over the rounds, min and max, and each tool's ratio to the regex.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAMPLES = os.path.join(os.path.dirname(ROOT), "shared", "samples")
REGEX = 'data-original="[^"]*"'


def pinned(command):
    return (["taskset", "-c", "0"] if shutil.which("taskset") else []) + command


def build():
    subprocess.run(["swift", "build", "-c", "release", "--product", "mediamirror-bench"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    bin_path = subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT, check=True,
                              capture_output=True, text=True).stdout.strip()
    return os.path.join(bin_path, "mediamirror-bench")


def posts():
    found = []
    for root, _, names in os.walk(SAMPLES):
        for name in sorted(names):
            if name.rsplit(".", 1)[-1].lower() in ("md", "markdown", "html", "htm"):
                found.append(os.path.join(root, name))
    return sorted(found)


def timed(command, output):
    # Output goes to a real file: GNU grep stops at the first match when stdout is /dev/null.
    with open(output, "wb") as sink:
        start = time.perf_counter()
        subprocess.run(pinned(command), check=True, stdout=sink)
        return time.perf_counter() - start


def scan(rounds):
    binary = build()
    files = posts()
    corpus_bytes = sum(os.path.getsize(path) for path in files)
    copies = max(1, (64 << 20) // corpus_bytes)
    workdir = tempfile.mkdtemp(prefix="mediamirror-bench-")
    concatenated = os.path.join(workdir, "corpus.txt")
    with open(concatenated, "wb") as out:
        for _ in range(copies):
            for path in files:
                with open(path, "rb") as handle:
                    out.write(handle.read())
    total = corpus_bytes * copies
    tools = {"mediamirror scan": None, "grep -o (regex anchor)": ["grep", "-o", "-E", REGEX, concatenated]}
    if shutil.which("rg"):
        tools["rg -o (regex anchor)"] = ["rg", "-o", "--no-unicode", REGEX, concatenated]
    seconds = {name: [] for name in tools}
    matches = {}
    for _ in range(rounds):
        for name, command in tools.items():
            if command is None:
                result = subprocess.run(pinned([binary, "scan", SAMPLES, str(copies)]), check=True,
                                        capture_output=True, text=True)
                measured = json.loads(result.stdout)
                assert measured["bytes"] == total, (measured["bytes"], total)
                seconds[name].append(measured["seconds"])
                matches[name] = measured["references"]
            else:
                seconds[name].append(timed(command, os.path.join(workdir, "matches.txt")))
    for name, command in tools.items():
        if command is not None:
            matches[name] = int(subprocess.run(command, capture_output=True, text=True).stdout.count("\n"))
    shutil.rmtree(workdir)
    anchor = statistics.median(seconds["grep -o (regex anchor)"])
    if "rg -o (regex anchor)" in seconds:
        anchor = min(anchor, statistics.median(seconds["rg -o (regex anchor)"]))
    print(f"scan: {len(files)} posts × {copies} = {total / 1e6:.1f} MB, {rounds} rounds, one core "
          f"({os.cpu_count()} cores on the machine)")
    print()
    print("| tool | median MB/s | min–max MB/s | ×fastest regex (time) | matches |")
    print("|---|---|---|---|---|")
    for name in tools:
        values = seconds[name]
        median = statistics.median(values)
        print(f"| {name} | {total / median / 1e6:.0f} | {total / max(values) / 1e6:.0f}–{total / min(values) / 1e6:.0f} "
              f"| {median / anchor:.2f} | {matches[name]} |")
    print()
    print("mediamirror's matches are every image reference (all attributes, front matter, Markdown); "
          "the regex finds data-original attributes only.")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("benchmark", choices=["scan"])
    parser.add_argument("--rounds", type=int, default=11)
    options = parser.parse_args()
    if options.benchmark == "scan":
        scan(options.rounds)


if __name__ == "__main__":
    sys.exit(main())
