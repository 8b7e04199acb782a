#!/usr/bin/env python3
"""A fault-injecting proxy in front of an S3 server, for the bucket tests.

Forwards every request to --upstream unchanged (the Host header too, so signatures still
verify), and can answer some requests itself with S3's `503 SlowDown` first. It also checks
what no S3 test server checks for us: that a PUT's `x-amz-content-sha256` header is the SHA-256
of the body that arrived (a mismatch is logged as `PAYLOAD-MISMATCH` and refused with 400, as
AWS does). Logs one line per request: `METHOD PATH STATUS`.

    s3faults.py --upstream http://127.0.0.1:8333 --log FILE [--slowdown N] [--slowdown-every K]

Prints "PORT <n>" once it listens.
"""
import argparse
import hashlib
import http.client
import http.server
import socketserver
import sys
import threading
import urllib.parse

SLOWDOWN = (b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SlowDown</Code>'
            b'<Message>Please reduce your request rate.</Message></Error>')


class State:
    def __init__(self, slowdown, every):
        self.lock = threading.Lock()
        self.remaining = slowdown
        self.every = every
        self.count = 0

    def should_slow_down(self):
        with self.lock:
            self.count += 1
            if self.remaining > 0:
                self.remaining -= 1
                return True
            return self.every > 0 and self.count % self.every == 0


def make_handler(upstream, state, log_path):
    target = urllib.parse.urlsplit(upstream)
    log_lock = threading.Lock()

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def note(self, status, extra=""):
            with log_lock, open(log_path, "a") as log:
                log.write(f"{self.command} {self.path} {status}{extra}\n")

        def answer(self, status, body, headers=()):
            self.send_response(status)
            for name, value in headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def forward(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            if self.command == "PUT":
                declared = self.headers.get("x-amz-content-sha256", "")
                if declared != "UNSIGNED-PAYLOAD" and declared != hashlib.sha256(body).hexdigest():
                    self.note(400, " PAYLOAD-MISMATCH")
                    return self.answer(400, b"<Error><Code>XAmzContentSHA256Mismatch</Code></Error>")
            if state.should_slow_down():
                self.note(503, " SLOWDOWN")
                return self.answer(503, SLOWDOWN, [("Content-Type", "application/xml")])
            connection = http.client.HTTPConnection(target.hostname, target.port, timeout=60)
            headers = {name: value for name, value in self.headers.items()}
            connection.request(self.command, self.path, body=body if length else None, headers=headers)
            response = connection.getresponse()
            data = response.read()
            self.note(response.status)
            self.send_response(response.status)
            for name, value in response.getheaders():
                if name.lower() not in ("transfer-encoding", "connection", "content-length"):
                    self.send_header(name, value)
            self.send_header("Content-Length", response.getheader("Content-Length") or str(len(data)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)
            connection.close()

        do_GET = do_PUT = do_HEAD = do_DELETE = do_POST = forward

    return Handler


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--upstream", required=True)
    parser.add_argument("--log", required=True)
    parser.add_argument("--root", default="")  # accepted for OriginServer's conventions
    parser.add_argument("--slowdown", type=int, default=0, help="answer the first N requests with 503 SlowDown")
    parser.add_argument("--slowdown-every", type=int, default=0, help="and every K-th request after")
    parser.add_argument("--port", type=int, default=0)
    options = parser.parse_args()
    state = State(options.slowdown, options.slowdown_every)
    server = Server(("127.0.0.1", options.port), make_handler(options.upstream, state, options.log))
    print(f"PORT {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
