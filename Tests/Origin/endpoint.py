#!/usr/bin/env python3
"""GET one URL on the local daemon without any proxy; print the status, then the body.

With --prometheus the body is parsed by prometheus_client's text parser (the reference
parser, from PyPI) and a JSON list of {name, type, samples} is printed instead: a body the
parser rejects makes this exit 3.
"""
import json
import sys
import urllib.error
import urllib.request


def main():
    url = sys.argv[1]
    prometheus = "--prometheus" in sys.argv[2:]
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=5) as response:
            status, body = response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        status, body = error.code, error.read().decode("utf-8")
    except OSError as error:
        print(f"000 {error}")
        return 2
    print(status)
    if not prometheus:
        sys.stdout.write(body)
        return 0
    from prometheus_client.parser import text_string_to_metric_families

    try:
        families = [
            {
                "name": family.name,
                "type": family.type,
                "samples": [[s.name, s.labels, s.value] for s in family.samples],
            }
            for family in text_string_to_metric_families(body)
        ]
    except Exception as error:  # the parser's verdict is the point
        print(f"unparseable: {error}")
        return 3
    print(json.dumps(families))
    return 0


if __name__ == "__main__":
    sys.exit(main())
