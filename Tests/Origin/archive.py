#!/usr/bin/env python3
"""A local web archive for rescue tests, bound to 127.0.0.1 only.

Captures live in --root as <root>/<timestamp>/<host>/<path> (timestamp YYYYMMDDhhmmss): the
capture of http(s)://<host>/<path> at that time. A sidecar <file>.type sets its Content-Type
(default image/jpeg); a sidecar <file>.location makes the capture a 302 to that location.

  /wayback/available?url=U&timestamp=T  the Wayback availability API: the capture of U closest
                                        to T, as {"archived_snapshots": {"closest": {...}}}
  /web/<ts>id_/<U>                      the capture's raw bytes
  /web/<ts>/<U>                         the capture inside an HTML page (as the Wayback Machine
                                        shows it): what a client that forgets id_ would store
  /timegate/<U>                         a Memento TimeGate (RFC 7089): 302 to the memento
                                        closest to Accept-Datetime, Vary: accept-datetime
  /memento/<ts>/<U>                     the raw capture with Memento-Datetime
  /__/stats                             {"peak": most requests in flight at once, "requests": n}

Every request waits --delay ms while counted in flight, so a client's concurrency shows. The
first --first-429 requests are answered 429 with Retry-After: 1. Prints "PORT <n>" once
listening; logs "IN-FLIGHT <n>" as each request starts (n counting it) and "GET <path> <status>"
as it is answered to --log.
"""
import argparse
import calendar
import email.utils
import http.server
import json
import os
import signal
import threading
import time
import urllib.parse


class Server(http.server.ThreadingHTTPServer):
    request_queue_size = 64
    daemon_threads = True
    allow_reuse_address = True


def stamp_seconds(stamp):
    return calendar.timegm(time.strptime(stamp, "%Y%m%d%H%M%S"))


class Archive(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    root = "."
    log_path = None
    delay = 0.0
    first_429 = 0
    lock = threading.Lock()
    in_flight = 0
    peak = 0
    requests = 0

    def do_GET(self):
        with Archive.lock:
            Archive.in_flight += 1
            Archive.peak = max(Archive.peak, Archive.in_flight)
            Archive.requests += 1
            number = Archive.requests
            if Archive.log_path:
                with open(Archive.log_path, "a") as log:
                    log.write("IN-FLIGHT %d\n" % Archive.in_flight)
        try:
            if self.path.startswith("/__/stats"):
                with Archive.lock:
                    body = json.dumps({"peak": Archive.peak, "requests": Archive.requests}).encode()
                self.answer(200, body, "application/json")
                return
            time.sleep(Archive.delay)
            if number <= Archive.first_429:
                self.answer(429, b"slow down", "text/plain", [("Retry-After", "1")])
                return
            self.route()
        finally:
            with Archive.lock:
                Archive.in_flight -= 1

    def route(self):
        parts = urllib.parse.urlsplit(self.path)
        if parts.path == "/wayback/available":
            query = urllib.parse.parse_qs(parts.query)
            url = query.get("url", [""])[0]
            wanted = query.get("timestamp", ["20000101000000"])[0].ljust(14, "0")
            stamp = self.closest(url, stamp_seconds(wanted))
            if stamp is None:
                answer = {"url": url, "archived_snapshots": {}}
            else:
                host = self.headers.get("Host")
                answer = {"url": url, "archived_snapshots": {"closest": {
                    "status": "200", "available": True, "timestamp": stamp,
                    "url": "http://%s/web/%s/%s" % (host, stamp, url)}}}
            self.answer(200, json.dumps(answer).encode(), "application/json")
        elif parts.path.startswith("/web/"):
            stamp, _, url = self.path[len("/web/"):].partition("/")
            raw = stamp.endswith("id_")
            stamp = stamp[:-3] if raw else stamp
            if raw:
                self.serve_capture(stamp, url, [])
            elif self.capture_file(stamp, url):
                page = b"<!doctype html><html><body><div id=wm-banner>Archive</div><img src='x'></body></html>"
                self.answer(200, page, "text/html")
            else:
                self.answer(404, b"no capture", "text/plain")
        elif parts.path.startswith("/timegate/"):
            url = self.path[len("/timegate/"):]
            wanted = email.utils.parsedate_to_datetime(self.headers.get("Accept-Datetime")).timestamp() \
                if self.headers.get("Accept-Datetime") else time.time()
            stamp = self.closest(url, wanted)
            if stamp is None:
                self.answer(404, b"no memento", "text/plain")
            else:
                self.answer(302, b"", "text/plain",
                            [("Location", "/memento/%s/%s" % (stamp, url)), ("Vary", "accept-datetime")])
        elif parts.path.startswith("/memento/"):
            stamp, _, url = self.path[len("/memento/"):].partition("/")
            date = email.utils.formatdate(stamp_seconds(stamp), usegmt=True)
            self.serve_capture(stamp, url, [("Memento-Datetime", date)])
        else:
            self.answer(404, b"unknown", "text/plain")

    def capture_file(self, stamp, url):
        inner = urllib.parse.urlsplit(url)
        if not stamp.isdigit() or not inner.hostname:
            return None
        local = os.path.normpath(os.path.join(Archive.root, stamp, inner.hostname, inner.path.lstrip("/")))
        if not local.startswith(os.path.abspath(Archive.root) + os.sep) or not os.path.isfile(local):
            return None
        return local

    def closest(self, url, wanted):
        stamps = [s for s in os.listdir(Archive.root) if self.capture_file(s, url)]
        if not stamps:
            return None
        return min(stamps, key=lambda s: abs(stamp_seconds(s) - wanted))

    def serve_capture(self, stamp, url, headers):
        local = self.capture_file(stamp, url)
        if local is None:
            self.answer(404, b"no capture", "text/plain")
            return
        if os.path.exists(local + ".location"):
            with open(local + ".location") as handle:
                self.answer(302, b"", "text/plain", headers + [("Location", handle.read().strip())])
            return
        content_type = "image/jpeg"
        if os.path.exists(local + ".type"):
            with open(local + ".type") as handle:
                content_type = handle.read().strip()
        with open(local, "rb") as handle:
            self.answer(200, handle.read(), content_type, headers)

    def answer(self, status, body, content_type, headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        if Archive.log_path:
            with Archive.lock, open(Archive.log_path, "a") as log:
                log.write("GET %s %d\n" % (self.path, status))

    def log_message(self, format, *args):
        pass


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", required=True)
    parser.add_argument("--log")
    parser.add_argument("--delay", type=int, default=0, help="milliseconds each request waits")
    parser.add_argument("--first-429", type=int, default=0)
    options = parser.parse_args()
    signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM, signal.SIGINT])
    Archive.root = os.path.abspath(options.root)
    Archive.log_path = options.log
    Archive.delay = options.delay / 1000.0
    Archive.first_429 = options.first_429
    server = Server(("127.0.0.1", 0), Archive)
    print("PORT %d" % server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
