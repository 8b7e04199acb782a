#!/usr/bin/env python3
"""The benchmark harness: mediamirror beside its anchor tools, in one run, on one core.

    python3 Benchmarks/run.py scan [--rounds N]
    python3 Benchmarks/run.py noop [--rounds N] [--posts N]
    python3 Benchmarks/run.py health [--rounds N]

scan: the post scanner over every post in ../shared/samples (replicated to about 64 MB), beside
`grep -o` and `rg -o` of the regex data-original="[^"]*" over the same bytes concatenated.
The regex is the raw-speed anchor, not a correct scanner. Tools take turns round by round so
the noise of a shared machine hits all of them alike; each is pinned to one core (taskset).
Reports the median MB/s over the rounds, min and max, and each tool's ratio to the regex.

noop: a blog of generated posts shaped like the samples (front matter with proxy-wrapped
headimg/thumbnail, lazy data-original images with proxy-wrapped src, about 6 KB of text each),
whose images a local origin serves; one first sync, then the wall time of the release binary's
no-op syncs (nothing changed), process start-up included, median over the rounds.

health: `mediamirror daemon` on a copy of ../shared/samples whose every http image URL a local
origin answers with one of the real photos in ../shared/images/photos (each URL its own bytes),
so the first pass downloads, probes and thumbnails hundreds of multi-megapixel JPEGs; while it
runs, wrk hammers /healthz for 10 s. Reports wrk's latency percentiles per round (the pass must
still be running when wrk ends, or the round does not count) and their medians.
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


def build(product="mediamirror-bench"):
    subprocess.run(["swift", "build", "-c", "release", "--product", product], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    bin_path = subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT, check=True,
                              capture_output=True, text=True).stdout.strip()
    return os.path.join(bin_path, product)


def png(width, height, seed):
    import struct
    import zlib
    raw = bytearray()
    for y in range(height):
        raw.append(0)
        for x in range(width):
            raw += bytes(((x * 255) // width, (y * 255) // height, (seed * 40) % 256))
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(bytes(raw))) + chunk(b"IEND", b""))


def post_text(index, images):
    wrap = "https://cors.zfour.workers.dev/?"
    head = images[index % len(images)]
    body = []
    for n in range(3):
        url = images[(index + n) % len(images)]
        body.append(f'<p></p><div class="img_box" id="id_imagebox_{n}" onclick><img class="lazy opacity_0 " '
                    f'id="img_{n}" data-original="{url}" data-height="48" data-width="64" src="{wrap}{url}" '
                    f'referrerpolicy="no-referrer"></div>' + "<p>" + ("Lorem ipsum dolor sit amet. " * 60) + "</p>")
    return (f"\n---\ntitle: 'Generated post {index}'\ncategories: \n - bench\nheadimg: '{wrap}{head}'\n"
            f"author: bench\ncomments: false\ndate: 2021-12-07 04:14:00\nthumbnail: '{wrap}{head}'\n---\n\n<div>   \n"
            + "".join(body) + "\n</div>")


# Runs a command and prints its peak resident set size (KiB, from getrusage) on stderr's last line.
PEAK_RSS = """
import resource, subprocess, sys
status = subprocess.run(sys.argv[1:]).returncode
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)
sys.exit(status)
"""


def noop(rounds, posts):
    binary = build("mediamirror")
    workdir = tempfile.mkdtemp(prefix="mediamirror-noop-")
    try:
        origin_root = os.path.join(workdir, "origin", "img.test")
        os.makedirs(origin_root)
        images = []
        for n in range(20):
            with open(os.path.join(origin_root, f"{n}.png"), "wb") as handle:
                handle.write(png(64, 48, n))
            images.append(f"http://img.test/{n}.png")
        posts_dir = os.path.join(workdir, "site", "source", "_posts")
        os.makedirs(posts_dir)
        total = 0
        for index in range(posts):
            text = post_text(index, images).encode()
            total += len(text)
            with open(os.path.join(posts_dir, f"post-{index:05d}.md"), "wb") as handle:
                handle.write(text)
        config = os.path.join(workdir, "site", "mediamirror.yaml")
        with open(config, "w") as handle:
            handle.write("thumbnails:\n  widths: [32]\n")
        origin = subprocess.Popen([sys.executable, os.path.join(ROOT, "Tests", "Origin", "origin.py"), "--root",
                                   os.path.join(workdir, "origin")], stdout=subprocess.PIPE, text=True)
        port = int(origin.stdout.readline().split()[1])
        env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
        env["http_proxy"] = env["https_proxy"] = f"http://127.0.0.1:{port}"
        try:
            start = time.perf_counter()
            first = subprocess.run(["/usr/bin/env", "python3", "-c", PEAK_RSS, binary, "sync", "--json", "--config",
                                    config], env=env, capture_output=True, text=True)
            first_seconds = time.perf_counter() - start
            first_rss = int(first.stderr.strip().splitlines()[-1])
            summary = json.loads(first.stdout)
            assert summary["posts_rewritten"] == posts, summary
            walls = []
            noop_rss = []
            for _ in range(rounds):
                start = time.perf_counter()
                result = subprocess.run(pinned([binary, "sync", "--json", "--config", config]), env=env,
                                        capture_output=True, text=True, check=True)
                walls.append(time.perf_counter() - start)
                rss = subprocess.run(["/usr/bin/env", "python3", "-c", PEAK_RSS, binary, "sync", "--json", "--config",
                                      config], env=env, capture_output=True, text=True)
                noop_rss.append(int(rss.stderr.strip().splitlines()[-1]))
                summary = json.loads(result.stdout)
                assert summary["posts_skipped"] == posts and summary["urls_fetched"] == 0, summary
        finally:
            origin.kill()
        print(f"noop: {posts} generated posts ({total / 1e6:.1f} MB, {posts * 8} references, 20 images), "
              f"{rounds} rounds, one core")
        print()
        print("| run | wall seconds (median) | min–max | peak RSS |")
        print("|---|---|---|---|")
        print(f"| first sync (fetch 20 images, rewrite every post) | {first_seconds:.2f} | one run | "
              f"{first_rss / 1024:.0f} MB |")
        print(f"| no-op sync | {statistics.median(walls):.3f} | {min(walls):.3f}–{max(walls):.3f} | "
              f"{statistics.median(noop_rss) / 1024:.0f} MB |")
    finally:
        shutil.rmtree(workdir)


def free_port():
    import socket
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url):
    import urllib.request
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=2) as response:
            return response.status, response.read().decode()
    except Exception:
        return 0, ""


def wrk_latency(output):
    """wrk --latency's percentiles in milliseconds, and requests/s."""
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    result = {}
    for line in output.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] in ("50%", "75%", "90%", "99%"):
            number = parts[1].rstrip("usm")
            unit = parts[1][len(number):]
            result[parts[0]] = float(number) * scale[unit]
        if line.startswith("Requests/sec:"):
            result["rps"] = float(line.split()[1])
    return result


def health(rounds):
    if not shutil.which("wrk"):
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, stdout=subprocess.DEVNULL)
    binary = build("mediamirror")
    photos = os.path.join(os.path.dirname(ROOT), "shared", "images", "photos")
    rows = []
    for round_number in range(rounds):
        workdir = tempfile.mkdtemp(prefix="mediamirror-health-")
        try:
            posts_dir = os.path.join(workdir, "site", "source", "_posts")
            shutil.copytree(SAMPLES, posts_dir)
            for directory, names, files in os.walk(posts_dir):
                os.chmod(directory, 0o755)
                for name in files:
                    os.chmod(os.path.join(directory, name), 0o644)
            os.makedirs(os.path.join(workdir, "origin"))
            port = free_port()
            config = os.path.join(workdir, "site", "mediamirror.yaml")
            with open(config, "w") as handle:
                handle.write(f"scan:\n  unwrap: ['https://cors.zfour.workers.dev/?']\nhealth:\n  listen: 127.0.0.1:{port}\n")
            origin = subprocess.Popen([sys.executable, os.path.join(ROOT, "Tests", "Origin", "origin.py"), "--root",
                                       os.path.join(workdir, "origin"), "--fallback", photos],
                                      stdout=subprocess.PIPE, text=True)
            origin_port = int(origin.stdout.readline().split()[1])
            env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
            env["http_proxy"] = env["https_proxy"] = f"http://127.0.0.1:{origin_port}"
            daemon = subprocess.Popen([binary, "daemon", "--config", config], env=env, stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL)
            try:
                base = f"http://127.0.0.1:{port}"
                for _ in range(200):
                    if get(base + "/healthz")[0] == 200:
                        break
                    time.sleep(0.05)
                wrk = subprocess.run(["wrk", "-t1", "-c4", "-d10s", "--latency", base + "/healthz"],
                                     capture_output=True, text=True, check=True)
                status = json.loads(get(base + "/status")[1] or "{}")
                progress = status.get("progress") or {}
                latency = wrk_latency(wrk.stdout)
                latency["busy"] = bool(status.get("syncing"))
                latency["settled"] = f"{progress.get('urls_settled', '?')}/{progress.get('urls', '?')}"
                rows.append(latency)
                print(f"round {round_number + 1}: p50 {latency['50%']:.2f} ms, p99 {latency['99%']:.2f} ms, "
                      f"{latency['rps']:.0f} req/s, pass still running: {latency['busy']} "
                      f"(URLs settled {latency['settled']})", file=sys.stderr)
            finally:
                daemon.terminate()
                daemon.wait(timeout=30)
                origin.kill()
        finally:
            shutil.rmtree(workdir)
    counted = [row for row in rows if row["busy"]]
    print(f"health: /healthz under wrk -t1 -c4 -d10s while the daemon's first pass over ../shared/samples runs "
          f"(photos from ../shared/images/photos); {len(counted)} of {rounds} rounds had the pass running throughout")
    print()
    print("| percentile | median over rounds (ms) | min–max (ms) |")
    print("|---|---|---|")
    for key in ("50%", "90%", "99%"):
        values = [row[key] for row in counted]
        if values:
            print(f"| p{key[:-1]} | {statistics.median(values):.2f} | {min(values):.2f}–{max(values):.2f} |")
    if counted:
        print(f"| requests/s | {statistics.median(row['rps'] for row in counted):.0f} | |")


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
    parser.add_argument("benchmark", choices=["scan", "noop", "health"])
    parser.add_argument("--rounds", type=int, default=11)
    parser.add_argument("--posts", type=int, default=10000)
    options = parser.parse_args()
    if options.benchmark == "scan":
        scan(options.rounds)
    elif options.benchmark == "health":
        health(options.rounds)
    else:
        noop(options.rounds, options.posts)


if __name__ == "__main__":
    sys.exit(main())
