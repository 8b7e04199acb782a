#!/usr/bin/env python3
"""A local image origin for tests and the bundled example, bound to 127.0.0.1 only.

Serves <root>/<host>/<path> for a request to http://<host>/<path>, whether the request comes
in origin form (Host header) or in proxy form (absolute URI, as curl sends it to an
http_proxy). So real-looking URLs such as http://zkres1.myzaker.com/... are served locally by
pointing http_proxy at this server. Prints "PORT <n>" on stdout once listening and logs one line
per request ("GET <url> <status>") to --log, and the same line after the time it was answered
(seconds since the epoch) to <log>.times, for retry-spacing checks.

Paths under /__/ behave on purpose, for fetch tests:
  /__/status/<code>            answers <code> with a small HTML body
  /__/redirect?to=<url>        302 to <url>
  /__/bytes/<n>                200 with <n> bytes (streamed)
  /__/flaky/<key>/<n>?then=<p> 503 (Retry-After: 0) for the first <n> requests of <key>, then serves <p>
  /__/slow/<ms>?then=<p>       logs "START <url>", waits <ms> ms, then serves <p>; in-flight peaks are counted
  /__/stats                    JSON: {"peak": highest number of /__/slow requests in flight at once,
                               "connections_peak": most TCP connections open at once,
                               "connections_total": connections accepted}
  /__/referer?then=<p>         403 when the request carries a Referer, else serves <p>
  /__/hotlink?allow=<r>&then=<p>[&placeholder=<q>]  serves <p> when the Referer is <r>, else
                               403 (or, with placeholder, <q> with 200: a "not available" picture)
  /__/ratelimit/<key>/<n>?then=<p>  429 with Retry-After: 1 for the first <n> requests of <key>, then <p>
  /__/ratelimit-date/<key>/<n>?then=<p>  the same with Retry-After as an HTTP-date 2 s ahead
  /__/fail/<key>/<n>/<code>?then=<p>  <code> without Retry-After for the first <n> requests of <key>, then <p>
  /__/stream/<n>               200 with <n> bytes, no Content-Length (the body ends when the connection closes)
  /__/reset?then=<p>           announces <p>'s full length, sends half of it, then resets the connection
  /__/truncated?then=<p>       announces twice <p>'s length, sends <p>, then closes (a lying Content-Length)
  /__/html                     200 text/html: a hotlink-protection page instead of an image
  /__/loop/<n>                 302 to /__/loop/<n+1>, for ever
  /__/trickle/<bytes-per-s>?then=<p>  sends <p> at that rate
  /__/bomb.png                 a valid PNG whose header says 100000x100000 pixels
  /__/stall?then=<p>           sends headers, then nothing for 60 s
  /__/gif                      a valid 1x1 GIF served as image/jpeg

A request for http://<wrapper>/?<url> (a proxy wrapper) serves <root>/<wrapper>/<host>/<path> of <url>.

--tls CERT KEY answers CONNECT (an https_proxy's tunnel) by speaking TLS inside it with that
certificate, then serves https://<host>/<path> like http:// (the test names every host in the
certificate and trusts it with fetch.ca_bundle).

--log-headers logs "HEADERS <url> <headers as JSON, names in lower case>" for every request.
--faults SEED makes a seeded choice per plain file URL: about a third get one of the faults
above (404, 410, 403, 503 then success, 429 then success, reset, truncated, HTML, slow first
byte, trickle, redirect loop, a 100000x100000 PNG, a 2 GB body, a redirect to file:// and to a
private address, a GIF as .jpg), the same one for the same URL and seed on every request. --fallback DIR serves a JPEG
from DIR for any URL without a file.
"""
import email.utils
import json
import ssl
import time
import argparse
import http.server
import os
import signal
import socket
import socketserver
import struct
import sys
import threading
import urllib.parse
import zlib

TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".gif": "image/gif", ".webp": "image/webp"}


class Server(http.server.ThreadingHTTPServer):
    # http.server's default backlog of 5 serialises concurrent clients.
    request_queue_size = 256
    daemon_threads = True
    allow_reuse_address = True


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    root = "."
    log_lock = threading.Lock()
    log_path = None
    fallback = []
    fault_seed = None
    log_headers = False
    tls_context = None

    counters = {}
    in_flight = 0
    peak = 0
    connections_open = 0
    connections_peak = 0
    connections_total = 0
    state_lock = threading.Lock()

    def setup(self):
        super().setup()
        # Headers and body go out in separate writes: without this, Nagle's algorithm holds the
        # body until the client's delayed ACK of the headers (~40 ms a request on loopback).
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with Handler.state_lock:
            Handler.connections_open += 1
            Handler.connections_total += 1
            Handler.connections_peak = max(Handler.connections_peak, Handler.connections_open)

    def finish(self):
        try:
            super().finish()
        finally:
            with Handler.state_lock:
                Handler.connections_open -= 1

    def do_CONNECT(self):
        """An https_proxy tunnel: 200, then TLS as the host inside it, then requests as usual."""
        if Handler.tls_context is None:
            # As without this method: not logged as a request (tests count logged requests).
            self.send_error(501, "Unsupported method ('CONNECT')")
            return
        self.send_response(200, "Connection Established")
        self.end_headers()
        self.wfile.flush()
        try:
            self.connection = Handler.tls_context.wrap_socket(self.connection, server_side=True)
        except (ssl.SSLError, OSError):
            self.close_connection = True
            return
        self.rfile = self.connection.makefile("rb", self.rbufsize)
        self.wfile = socketserver._SocketWriter(self.connection)
        self.tunnel = True

    def do_GET(self):
        if getattr(self, "tunnel", False) and not self.path.startswith(("http://", "https://")):
            self.path = "https://%s%s" % ((self.headers.get("Host") or "").split(":")[0], self.path)
        if self.path.startswith("http://") or self.path.startswith("https://"):
            parts = urllib.parse.urlsplit(self.path)
            host, path, query = parts.hostname or "", parts.path, parts.query
            url = self.path
        else:
            host = (self.headers.get("Host") or "").split(":")[0]
            parts = urllib.parse.urlsplit(self.path)
            path, query = parts.path, parts.query
            url = "http://%s%s" % (host, self.path)
        if Handler.log_headers and Handler.log_path:
            with Handler.log_lock, open(Handler.log_path, "a") as log:
                log.write("HEADERS %s %s\n" % (url, json.dumps({k.lower(): v for k, v in self.headers.items()})))
        if path.startswith("/__/"):
            self.behave(host, path, urllib.parse.parse_qs(query), url)
            return
        if path == "/" and query.startswith(("http://", "https://")):
            # A proxy wrapper (http://<wrapper>/?<url>): serves <root>/<wrapper>/<host>/<path>.
            inner = urllib.parse.urlsplit(query)
            self.serve_file(host, "/%s%s" % (inner.hostname or "", inner.path), url)
            return
        fault = Handler.fault_for(url)
        if fault:
            kind, argument = fault
            if kind == "status":
                self.answer(argument, b"<html><body>gone</body></html>", "text/html", url)
                return
            if kind in ("flaky", "ratelimit"):
                key = "fault:" + url
                self.behave(host, "/__/%s/%s/1" % (kind, key.replace("/", "_")), {"then": [path]}, url)
                return
            if kind == "slow":
                self.behave(host, "/__/slow/%d" % argument, {"then": [path]}, url)
                return
            if kind == "trickle":
                self.behave(host, "/__/trickle/%d" % argument, {"then": [path]}, url)
                return
            if kind == "loop":
                self.behave(host, "/__/loop/0", {}, url)
                return
            if kind == "bytes":
                self.behave(host, "/__/bytes/%d" % argument, {}, url)
                return
            if kind == "redirect":
                self.behave(host, "/__/redirect", {"to": [argument]}, url)
                return
            self.behave(host, "/__/" + kind, {"then": [path]}, url)
            return
        self.serve_file(host, path, url)

    def behave(self, host, path, query, url):
        parts = path.split("/")[2:]
        then = query.get("then", [None])[0]
        if parts[0] == "status":
            self.answer(int(parts[1]), b"<html><body>status</body></html>", "text/html", url)
        elif parts[0] == "redirect":
            self.send_response(302)
            self.send_header("Location", query["to"][0])
            self.send_header("Content-Length", "0")
            self.end_headers()
            self.log_request_line(url, 302)
        elif parts[0] in ("bytes", "stream"):
            # "stream" sends no Content-Length: the body ends when the connection closes.
            count = int(parts[1])
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            if parts[0] == "bytes":
                self.send_header("Content-Length", str(count))
            else:
                self.send_header("Connection", "close")
                self.close_connection = True
            self.end_headers()
            chunk = b"\xff" * 65536
            sent = 0
            try:
                while sent < count:
                    piece = chunk[: min(len(chunk), count - sent)]
                    self.wfile.write(piece)
                    sent += len(piece)
            except (BrokenPipeError, ConnectionResetError):
                pass
            self.log_request_line(url, 200)
        elif parts[0] == "flaky":
            with Handler.state_lock:
                seen = Handler.counters.get(parts[1], 0)
                Handler.counters[parts[1]] = seen + 1
            if seen < int(parts[2]):
                self.send_response(503)
                self.send_header("Retry-After", "0")
                self.send_header("Content-Length", "0")
                self.end_headers()
                self.log_request_line(url, 503)
            else:
                self.serve_file(host, then, url)
        elif parts[0] == "slow":
            with Handler.state_lock:
                Handler.in_flight += 1
                Handler.peak = max(Handler.peak, Handler.in_flight)
            if Handler.log_path:
                with Handler.log_lock, open(Handler.log_path, "a") as log:
                    log.write("START %s\n" % url)
            time.sleep(int(parts[1]) / 1000.0)
            with Handler.state_lock:
                Handler.in_flight -= 1
            self.serve_file(host, then, url)
        elif parts[0] == "referer":
            if self.headers.get("Referer"):
                self.answer(403, b"<html><body>hotlinking forbidden</body></html>", "text/html", url)
            else:
                self.serve_file(host, then, url)
        elif parts[0] == "hotlink":
            if self.headers.get("Referer") == query.get("allow", [None])[0]:
                self.serve_file(host, then, url)
            elif "placeholder" in query:
                self.serve_file(host, query["placeholder"][0], url)
            else:
                self.answer(403, b"<html><body>hotlinking forbidden</body></html>", "text/html", url)
        elif parts[0] == "fail":
            with Handler.state_lock:
                seen = Handler.counters.get(parts[1], 0)
                Handler.counters[parts[1]] = seen + 1
            if seen < int(parts[2]):
                self.answer(int(parts[3]), b"<html><body>failing</body></html>", "text/html", url)
            else:
                self.serve_file(host, then, url)
        elif parts[0] in ("ratelimit", "ratelimit-date"):
            with Handler.state_lock:
                seen = Handler.counters.get(parts[1], 0)
                Handler.counters[parts[1]] = seen + 1
            if seen < int(parts[2]):
                self.send_response(429)
                if parts[0] == "ratelimit":
                    self.send_header("Retry-After", "1")
                else:
                    self.send_header("Retry-After", email.utils.formatdate(time.time() + 2, usegmt=True))
                self.send_header("Content-Length", "0")
                self.end_headers()
                self.log_request_line(url, 429)
            else:
                self.serve_file(host, then, url)
        elif parts[0] in ("reset", "truncated"):
            body = self.file_bytes(host, then)
            if body is None:
                self.answer(404, b"<html><body>no file</body></html>", "text/html", url)
                return
            self.send_response(200)
            self.send_header("Content-Type", "image/jpeg")
            self.send_header("Content-Length", str(len(body) * (2 if parts[0] == "truncated" else 1)))
            self.end_headers()
            self.wfile.write(body if parts[0] == "truncated" else body[: len(body) // 2])
            self.wfile.flush()
            self.log_request_line(url, 200)
            if parts[0] == "reset":
                # SO_LINGER with a zero timeout turns close() into a TCP reset.
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            self.connection.close()
        elif parts[0] == "html":
            self.answer(200, b"<!doctype html><html><body>Forbidden: no hotlinking</body></html>", "text/html", url)
        elif parts[0] == "loop":
            self.send_response(302)
            self.send_header("Location", "/__/loop/%d" % (int(parts[1]) + 1))
            self.send_header("Content-Length", "0")
            self.end_headers()
            self.log_request_line(url, 302)
        elif parts[0] == "trickle":
            body = self.file_bytes(host, then) or b""
            rate = max(1, int(parts[1]))
            self.send_response(200)
            self.send_header("Content-Type", "image/jpeg")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                step = max(1, rate // 10)
                for start in range(0, len(body), step):
                    self.wfile.write(body[start : start + step])
                    self.wfile.flush()
                    time.sleep(0.1)
            except (BrokenPipeError, ConnectionResetError):
                pass
            self.log_request_line(url, 200)
        elif parts[0] == "gif":
            # A valid 1x1 GIF, whatever the URL's extension says.
            self.answer(200, b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00"
                        b"\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;", "image/jpeg", url)
        elif parts[0] == "bomb.png":
            self.answer(200, bomb_png(), "image/png", url)
        elif parts[0] == "stall":
            self.send_response(200)
            self.send_header("Content-Type", "image/jpeg")
            self.send_header("Content-Length", "100000")
            self.end_headers()
            self.wfile.flush()
            time.sleep(60)
            self.close_connection = True
        elif parts[0] == "stats":
            with Handler.state_lock:
                body = json.dumps({"peak": Handler.peak, "connections_peak": Handler.connections_peak,
                                   "connections_total": Handler.connections_total}).encode()
            self.answer(200, body, "application/json", url)
        else:
            self.answer(404, b"<html><body>unknown behaviour</body></html>", "text/html", url)

    def file_bytes(self, host, path):
        if not path:
            return None
        local = os.path.normpath(os.path.join(self.root, host, urllib.parse.unquote(path).lstrip("/")))
        if not local.startswith(os.path.abspath(self.root) + os.sep) or not os.path.isfile(local):
            return None
        with open(local, "rb") as handle:
            return handle.read()

    def serve_file(self, host, path, url):
        if not path:
            self.answer(404, b"<html><body>no file</body></html>", "text/html", url)
            return
        local = os.path.normpath(os.path.join(self.root, host, urllib.parse.unquote(path).lstrip("/")))
        inside = local.startswith(os.path.abspath(self.root) + os.sep)
        if not inside or not os.path.isfile(local):
            if Handler.fallback:
                self.serve_fallback(url)
                return
            self.answer(404, b"<html><body>not found</body></html>", "text/html", url)
            return
        with open(local, "rb") as handle:
            body = handle.read()
        # Files carry an ETag (their CRC) and answer If-None-Match with 304, as real servers do.
        etag = '"%08x"' % (zlib.crc32(body) & 0xFFFFFFFF)
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            self.log_request_line(url, 304)
            return
        self.answer(200, body, TYPES.get(os.path.splitext(local)[1].lower(), "application/octet-stream"), url,
                    [("ETag", etag)])

    def serve_fallback(self, url):
        """Any URL without a file gets one of the fallback JPEGs, picked by the URL, with the URL
        appended after the end-of-image marker: decoders ignore it, and every URL has its own
        bytes (its own hash), as on the real web."""
        choice = Handler.fallback[zlib.crc32(url.encode()) % len(Handler.fallback)]
        with open(choice, "rb") as handle:
            body = handle.read() + url.encode()
        self.answer(200, body, "image/jpeg", url)

    FAULTS = [("status", 404), ("status", 410), ("status", 403), ("flaky", 0), ("ratelimit", 0), ("reset", 0),
              ("truncated", 0), ("html", 0), ("slow", 1500), ("trickle", 20000), ("loop", 0), ("bomb.png", 0),
              ("bytes", 2_000_000_000), ("redirect", "file:///etc/passwd"), ("redirect", "http://10.0.0.1/x.jpg"),
              ("gif", 0)]

    @staticmethod
    def fault_for(url):
        if Handler.fault_seed is None:
            return None
        pick = zlib.crc32(("%s|%s" % (Handler.fault_seed, url)).encode())
        if pick % 3 != 0:
            return None
        return Handler.FAULTS[(pick // 3) % len(Handler.FAULTS)]

    def answer(self, status, body, content_type, url, headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        self.log_request_line(url, status)

    def log_request_line(self, url, status):
        if Handler.log_path:
            with Handler.log_lock:
                with open(Handler.log_path, "a") as log:
                    log.write("GET %s %d\n" % (url, status))
                with open(Handler.log_path + ".times", "a") as log:
                    log.write("%.6f GET %s %d\n" % (time.time(), url, status))

    def log_message(self, format, *args):
        pass


def bomb_png():
    """A complete, valid PNG whose IHDR declares 100000x100000 RGB pixels: a decompression bomb
    for anything that allocates from the header."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    header = struct.pack(">IIBBBBB", 100000, 100000, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 1024)) + chunk(b"IEND", b"")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--root", required=True, help="directory holding <host>/<path> files")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--log", help="append one line per request here")
    parser.add_argument("--log-headers", action="store_true", help="log each request's headers as JSON")
    parser.add_argument("--faults", type=int, help="seed: inject a fault into about a third of plain file URLs")
    parser.add_argument("--fallback", help="directory of JPEGs served (one per URL) for any URL without a file")
    parser.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"), help="answer CONNECT with TLS (see above)")
    options = parser.parse_args()
    if options.tls:
        Handler.tls_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        Handler.tls_context.load_cert_chain(*options.tls)
    # A parent that spawns us from a thread with signals blocked (Foundation's Process under
    # libdispatch does) passes its mask on; without this SIGTERM would never reach us.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM, signal.SIGINT])
    Handler.root = os.path.abspath(options.root)
    Handler.log_path = options.log
    Handler.fault_seed = options.faults
    Handler.log_headers = options.log_headers
    if options.fallback:
        Handler.fallback = sorted(
            os.path.join(directory, name)
            for directory, _, names in os.walk(options.fallback)
            for name in names
            if name.lower().endswith((".jpg", ".jpeg")))
    server = Server(("127.0.0.1", options.port), Handler)
    print("PORT %d" % server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
