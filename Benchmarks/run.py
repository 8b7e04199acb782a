#!/usr/bin/env python3
"""The benchmark harness: mediamirror beside its anchor tools, in one run, on one core.

    python3 Benchmarks/run.py scan [--rounds N]
    python3 Benchmarks/run.py noop [--rounds N] [--posts N]
    python3 Benchmarks/run.py health [--rounds N]
    python3 Benchmarks/run.py firstsync [--rounds N]
    python3 Benchmarks/run.py fetch [--rounds N]

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

firstsync: the first sync of a copy of ../shared/samples against nginx on 127.0.0.1 (used as the
http_proxy, so the posts' real URLs are served: every http image URL the posts name gets a photo
from ../shared/images/photos with the URL appended, so each URL has its own bytes), thumbnails at
320 and 640 px; beside the anchor: `curl --parallel --parallel-max 16` downloading the same http
URLs through the same nginx, plus `vipsthumbnail` making the same two widths of the downloaded
files (one call per width, all files in it). Rounds alternate the two, each from a clean state.
Reports wall-time medians, mediamirror's breakdown (scan, settle = downloads + images + rewrites
overlapped, image-thread seconds, rewrite seconds) and the ratio to the anchors' sum.

fetch: the fetch engine alone. nginx on 127.0.0.1 serves ../shared/images/photos six times over
(hard links, each copy its own URL) plus 1,100 small generated PNGs, 2,078 files in all, in a
shuffled list; `mediamirror-bench fetch` (the sync's CurlMultiClient: one multi handle,
concurrency 16, bodies streamed to a temporary file and hashed, renamed when complete, a window
of 32 in flight) and `curl --parallel --parallel-max 16` (one output file per URL) download the
list in turns, the order swapped every round, each into an empty directory. Reports files/s and
MB/s medians with min–max, the ratio mediamirror / curl per round, and each process's peak RSS
(wait4's ru_maxrss).
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


def copy_samples(posts_dir):
    """A writable copy of the sample posts (the fixtures are read-only)."""
    shutil.copytree(SAMPLES, posts_dir)
    for directory, _, files in os.walk(posts_dir):
        os.chmod(directory, 0o755)
        for name in files:
            os.chmod(os.path.join(directory, name), 0o644)


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
            copy_samples(os.path.join(workdir, "site", "source", "_posts"))
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


NGINX_CONF = """
worker_processes 1;
daemon off;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    sendfile on;
    keepalive_requests 100000;
    client_body_temp_path {work}/tmp-body;
    proxy_temp_path {work}/tmp-proxy;
    fastcgi_temp_path {work}/tmp-fastcgi;
    uwsgi_temp_path {work}/tmp-uwsgi;
    scgi_temp_path {work}/tmp-scgi;
    types {{ image/jpeg jpg jpeg; }}
    default_type image/jpeg;
    server {{
        listen 127.0.0.1:{port};
        root {work}/root/$host;
    }}
}}
"""


def install_missing(tools):
    """Installs the Debian package of each (command, package) whose command is not there."""
    for tool, package in tools:
        if not shutil.which(tool) and not os.path.exists("/usr/sbin/" + tool):
            subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", package], check=True,
                           stdout=subprocess.DEVNULL)


def start_nginx(work, port):
    """nginx serving work/root/<host>/ on 127.0.0.1:port (NGINX_CONF), its temp dirs in work."""
    for name in ("tmp-body", "tmp-proxy", "tmp-fastcgi", "tmp-uwsgi", "tmp-scgi"):
        os.makedirs(os.path.join(work, name), exist_ok=True)
    with open(os.path.join(work, "nginx.conf"), "w") as handle:
        handle.write(NGINX_CONF.format(work=work, port=port))
    nginx_binary = shutil.which("nginx") or "/usr/sbin/nginx"
    return subprocess.Popen([nginx_binary, "-c", os.path.join(work, "nginx.conf")])


def firstsync(rounds):
    install_missing((("nginx", "nginx"), ("vipsthumbnail", "libvips-tools"), ("curl", "curl")))
    binary = build("mediamirror")
    bench = build("mediamirror-bench")
    photos = os.path.join(os.path.dirname(ROOT), "shared", "images", "photos")
    pictures = sorted(os.path.join(d, n) for d, _, names in os.walk(photos) for n in names
                      if n.lower().endswith((".jpg", ".jpeg")))
    import zlib
    work = tempfile.mkdtemp(prefix="mediamirror-firstsync-")
    os.chmod(work, 0o755)  # nginx's workers run as another user
    try:
        urls = [u for u in subprocess.run([bench, "urls", SAMPLES], capture_output=True, text=True,
                                          check=True).stdout.split() if u.startswith("http://")]
        import urllib.parse
        total_bytes = 0
        for url in urls:
            parts = urllib.parse.urlsplit(url)
            local = os.path.join(work, "root", parts.hostname, urllib.parse.unquote(parts.path).lstrip("/"))
            os.makedirs(os.path.dirname(local), exist_ok=True)
            with open(pictures[zlib.crc32(url.encode()) % len(pictures)], "rb") as source:
                body = source.read() + url.encode()
            with open(local, "wb") as handle:
                handle.write(body)
            total_bytes += len(body)
        port = free_port()
        nginx = start_nginx(work, port)
        proxy = f"http://127.0.0.1:{port}"
        env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
        env["http_proxy"] = env["https_proxy"] = proxy
        for _ in range(100):
            if get_via(proxy, urls[0]) == 200:
                break
            time.sleep(0.05)
        ours, theirs, breakdowns = [], [], []
        try:
            for round_number in range(rounds):
                # mediamirror, from nothing.
                site = os.path.join(work, "site")
                shutil.rmtree(site, ignore_errors=True)
                copy_samples(os.path.join(site, "source", "_posts"))
                config = os.path.join(site, "mediamirror.yaml")
                with open(config, "w") as handle:
                    handle.write("scan:\n  unwrap: ['https://cors.zfour.workers.dev/?']\nfetch:\n  concurrency: 16\n"
                                 "  per_host: 16\n  attempts: 1\nthumbnails:\n  widths: [320, 640]\n")
                start = time.perf_counter()
                result = subprocess.run([binary, "sync", "--json", "--config", config], env=env, capture_output=True,
                                        text=True)
                ours.append(time.perf_counter() - start)
                summary = json.loads(result.stdout)
                assert summary["urls_fetched"] >= len(urls) * 0.95, (summary["urls_fetched"], len(urls))
                breakdowns.append(summary["timings"])
                # The anchors: curl --parallel, then vipsthumbnail for each width.
                out = os.path.join(work, "curl-out")
                shutil.rmtree(out, ignore_errors=True)
                os.makedirs(out)
                listing = os.path.join(work, "curl.config")
                with open(listing, "w") as handle:
                    for index, url in enumerate(urls):
                        handle.write(f'url = "{url}"\noutput = "{out}/{index}.jpg"\n')
                start = time.perf_counter()
                subprocess.run(["curl", "--silent", "--no-progress-meter", "--parallel", "--parallel-max", "16",
                                "--proxy", proxy, "--config", listing], check=True)
                curl_seconds = time.perf_counter() - start
                files = sorted(os.path.join(out, n) for n in os.listdir(out))
                vips_seconds = 0.0
                for width in (320, 640):
                    thumbs = os.path.join(work, f"vips-{width}")
                    shutil.rmtree(thumbs, ignore_errors=True)
                    os.makedirs(thumbs)
                    start = time.perf_counter()
                    # vipsthumbnail goes on past a file it cannot read and exits 1 at the end.
                    subprocess.run(["vipsthumbnail", "--size", f"{width}x", "-o",
                                    os.path.join(thumbs, "%s.jpg[Q=82,strip]")] + files,
                                   stderr=subprocess.DEVNULL)
                    vips_seconds += time.perf_counter() - start
                theirs.append((curl_seconds, vips_seconds))
                print(f"round {round_number + 1}: mediamirror {ours[-1]:.2f} s "
                      f"(settle {summary['timings']['settle']:.2f}); curl {curl_seconds:.2f} s + vipsthumbnail "
                      f"{vips_seconds:.2f} s", file=sys.stderr)
        finally:
            nginx.terminate()
            nginx.wait(timeout=10)
        anchor = [c + v for c, v in theirs]
        print(f"firstsync: {len(urls)} http image URLs ({total_bytes / 1e6:.0f} MB) in 418 sample posts via nginx on "
              f"127.0.0.1, thumbnails at 320 and 640 px, {rounds} rounds")
        print()
        print("| run | wall seconds (median) | min–max |")
        print("|---|---|---|")
        print(f"| mediamirror sync (everything) | {statistics.median(ours):.2f} | {min(ours):.2f}–{max(ours):.2f} |")
        for key in ("scan", "settle", "images", "rewrite"):
            values = [b[key] for b in breakdowns]
            print(f"| … {key} | {statistics.median(values):.2f} | {min(values):.2f}–{max(values):.2f} |")
        curls = [c for c, _ in theirs]
        vipses = [v for _, v in theirs]
        print(f"| curl --parallel --parallel-max 16 | {statistics.median(curls):.2f} | {min(curls):.2f}–{max(curls):.2f} |")
        print(f"| vipsthumbnail 320 + 640 | {statistics.median(vipses):.2f} | {min(vipses):.2f}–{max(vipses):.2f} |")
        print(f"| curl + vipsthumbnail | {statistics.median(anchor):.2f} | {min(anchor):.2f}–{max(anchor):.2f} |")
        ratios = [o / a for o, a in zip(ours, anchor)]
        print()
        print(f"ratio mediamirror / (curl + vipsthumbnail): {statistics.median(ratios):.2f} median "
              f"({min(ratios):.2f}–{max(ratios):.2f}); target ≤ 1.0")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run_measured(command, env=None):
    """Runs a command; returns (wall seconds, peak RSS in MB, stdout, CPU seconds)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"{command[0]} exited {process.returncode}")
    return seconds, usage.ru_maxrss / 1024, output.decode(), usage.ru_utime + usage.ru_stime


def fetch(rounds):
    import random
    install_missing((("nginx", "nginx"), ("curl", "curl")))
    bench = build("mediamirror-bench")
    photos = os.path.join(os.path.dirname(ROOT), "shared", "images", "photos")
    pictures = sorted(os.path.join(d, n) for d, _, names in os.walk(photos) for n in names)
    work = tempfile.mkdtemp(prefix="mediamirror-fetchbench-")
    os.chmod(work, 0o755)  # nginx's workers run as another user
    try:
        port = free_port()
        root = os.path.join(work, "root", "127.0.0.1")
        paths = []
        for copy in range(6):
            for index, picture in enumerate(pictures):
                relative = f"p/{copy}/{index}-{os.path.basename(picture).replace(' ', '_')}"
                os.makedirs(os.path.dirname(os.path.join(root, relative)), exist_ok=True)
                os.link(picture, os.path.join(root, relative))
                paths.append(relative)
        generator = random.Random(1)
        for index in range(1100):
            relative = f"s/{index}.png"
            os.makedirs(os.path.dirname(os.path.join(root, relative)), exist_ok=True)
            with open(os.path.join(root, relative), "wb") as handle:
                handle.write(png(generator.randint(16, 96), generator.randint(16, 96), index))
            paths.append(relative)
        generator.shuffle(paths)
        total_bytes = sum(os.path.getsize(os.path.join(root, p)) for p in paths)
        nginx = start_nginx(work, port)
        urls = [f"http://127.0.0.1:{port}/{p}" for p in paths]
        listing = os.path.join(work, "urls.txt")
        with open(listing, "w") as handle:
            handle.write("\n".join(urls) + "\n")
        out = os.path.join(work, "out")
        curl_config = os.path.join(work, "curl.config")
        with open(curl_config, "w") as handle:
            for index, url in enumerate(urls):
                handle.write(f'url = "{url}"\noutput = "{out}/{index}"\n')
        env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
        for _ in range(100):
            if get(urls[0])[0] == 200:
                break
            time.sleep(0.05)
        results = {"mediamirror": [], "curl": []}

        def ours():
            seconds, rss, output, cpu = run_measured([bench, "fetch", listing, out, "16"], env=env)
            summary = json.loads(output)
            assert summary["files"] == len(urls) and summary["bytes"] == total_bytes, summary
            return seconds, rss, cpu

        def curl():
            seconds, rss, _, cpu = run_measured(["curl", "--silent", "--no-progress-meter", "--parallel",
                                                 "--parallel-max", "16", "--config", curl_config], env=env)
            assert len(os.listdir(out)) == len(urls)
            return seconds, rss, cpu

        try:
            for round_number in range(rounds):
                order = [("mediamirror", ours), ("curl", curl)]
                if round_number % 2:
                    order.reverse()
                for name, runner in order:
                    shutil.rmtree(out, ignore_errors=True)
                    os.makedirs(out)
                    results[name].append(runner())
                print(f"round {round_number + 1}: " + "; ".join(
                    f"{name} {values[-1][0]:.2f} s, {values[-1][1]:.0f} MB, CPU {values[-1][2]:.2f} s"
                    for name, values in results.items()), file=sys.stderr)
        finally:
            nginx.terminate()
            nginx.wait(timeout=10)
        print(f"fetch: {len(urls)} files ({total_bytes / 1e6:.0f} MB: the photos 6 times over and 1,100 small PNGs) "
              f"from nginx on 127.0.0.1, concurrency 16, {rounds} rounds")
        print()
        print("| tool | files/s (median) | min–max | MB/s (median) | CPU s (median) | peak RSS MB (median, max) |")
        print("|---|---|---|---|---|---|")
        for name, label in (("mediamirror", "mediamirror-bench fetch (CurlMultiClient)"),
                            ("curl", "curl --parallel --parallel-max 16")):
            rates = [len(urls) / s for s, _, _ in results[name]]
            megabytes = [total_bytes / 1e6 / s for s, _, _ in results[name]]
            rss = [r for _, r, _ in results[name]]
            cpu = [c for _, _, c in results[name]]
            print(f"| {label} | {statistics.median(rates):.0f} | {min(rates):.0f}–{max(rates):.0f} | "
                  f"{statistics.median(megabytes):.0f} | {statistics.median(cpu):.2f} | "
                  f"{statistics.median(rss):.0f}, {max(rss):.0f} |")
        ratios = [c[0] / o[0] for o, c in zip(results["mediamirror"], results["curl"])]
        of_medians = (statistics.median(s for s, _, _ in results["curl"])
                      / statistics.median(s for s, _, _ in results["mediamirror"]))
        print()
        print(f"ratio mediamirror / curl, files/s: {of_medians:.2f} of the medians; per round "
              f"{statistics.median(ratios):.2f} median ({min(ratios):.2f}–{max(ratios):.2f}); target ≥ 1.0; "
              f"RSS target ≤ 64 MB")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def get_via(proxy, url):
    import urllib.request
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({"http": proxy}))
    try:
        with opener.open(url, timeout=2) as response:
            return response.status
    except Exception:
        return 0


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
    parser.add_argument("benchmark", choices=["scan", "noop", "health", "firstsync", "fetch"])
    parser.add_argument("--rounds", type=int, default=11)
    parser.add_argument("--posts", type=int, default=10000)
    options = parser.parse_args()
    if options.benchmark == "scan":
        scan(options.rounds)
    elif options.benchmark == "health":
        health(options.rounds)
    elif options.benchmark == "firstsync":
        firstsync(options.rounds)
    elif options.benchmark == "fetch":
        fetch(options.rounds)
    else:
        noop(options.rounds, options.posts)


if __name__ == "__main__":
    sys.exit(main())
