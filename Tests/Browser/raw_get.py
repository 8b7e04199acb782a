#!/usr/bin/env python3
"""GETs paths on 127.0.0.1:PORT exactly as written (no normalisation of `..` or of percent
escapes, as a browser or curl would do) and prints a JSON list of the status codes.

    python3 raw_get.py PORT PATH [PATH ...]
"""
import http.client
import json
import sys


def main():
    port = int(sys.argv[1])
    statuses = []
    for path in sys.argv[2:]:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.putrequest("GET", path, skip_accept_encoding=True)
        connection.endheaders()
        response = connection.getresponse()
        response.read()
        statuses.append(response.status)
        connection.close()
    print(json.dumps(statuses))


if __name__ == "__main__":
    main()
