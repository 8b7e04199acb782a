#!/usr/bin/env python3
"""A local image origin for tests and the bundled example, bound to 127.0.0.1 only.

Serves <root>/<host>/<path> for a request to http://<host>/<path>, whether the request comes
in origin form (Host header) or in proxy form (absolute URI, as curl sends it to an
http_proxy). So real-looking URLs such as http://zkres1.myzaker.com/... are served locally by
pointing http_proxy at this server. Prints "PORT <n>" on stdout once listening and logs one line
per request ("GET <url> <status>") to --log.
"""
import argparse
import http.server
import os
import signal
import socketserver
import sys
import threading
import urllib.parse

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

    def do_GET(self):
        if self.path.startswith("http://") or self.path.startswith("https://"):
            parts = urllib.parse.urlsplit(self.path)
            host, path = parts.hostname or "", parts.path
            url = self.path
        else:
            host = (self.headers.get("Host") or "").split(":")[0]
            path = urllib.parse.urlsplit(self.path).path
            url = "http://%s%s" % (host, self.path)
        local = os.path.normpath(os.path.join(self.root, host, urllib.parse.unquote(path).lstrip("/")))
        inside = local.startswith(os.path.abspath(self.root) + os.sep)
        if not inside or not os.path.isfile(local):
            self.answer(404, b"<html><body>not found</body></html>", "text/html", url)
            return
        with open(local, "rb") as handle:
            body = handle.read()
        self.answer(200, body, TYPES.get(os.path.splitext(local)[1].lower(), "application/octet-stream"), url)

    def answer(self, status, body, content_type, url):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        if Handler.log_path:
            with Handler.log_lock, open(Handler.log_path, "a") as log:
                log.write("GET %s %d\n" % (url, status))

    def log_message(self, format, *args):
        pass


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--root", required=True, help="directory holding <host>/<path> files")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--log", help="append one line per request here")
    options = parser.parse_args()
    # A parent that spawns us from a thread with signals blocked (Foundation's Process under
    # libdispatch does) passes its mask on; without this SIGTERM would never reach us.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM, signal.SIGINT])
    Handler.root = os.path.abspath(options.root)
    Handler.log_path = options.log
    server = Server(("127.0.0.1", options.port), Handler)
    print("PORT %d" % server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
