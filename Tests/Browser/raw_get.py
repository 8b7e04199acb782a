#!/usr/bin/env python3
"""GETs paths on 127.0.0.1:PORT exactly as written (no normalisation of `..` or of percent
escapes, as a browser or curl would do) and prints a JSON list with, per request, its status,
Location and Set-Cookie. A PATH may carry request headers after `|`:
`/status|Authorization: Bearer x|Cookie: a=b`.

    python3 raw_get.py PORT PATH [PATH ...]
"""
import http.client
import json
import sys


def main():
    port = int(sys.argv[1])
    answers = []
    for argument in sys.argv[2:]:
        path, *headers = argument.split("|")
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.putrequest("GET", path, skip_accept_encoding=True)
        for header in headers:
            name, value = header.split(":", 1)
            connection.putheader(name.strip(), value.strip())
        connection.endheaders()
        response = connection.getresponse()
        response.read()
        answers.append({"status": response.status, "location": response.getheader("Location"),
                        "set_cookie": response.getheader("Set-Cookie")})
        connection.close()
    print(json.dumps(answers))


if __name__ == "__main__":
    main()
