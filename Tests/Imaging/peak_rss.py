#!/usr/bin/env python3
"""Runs a command and prints {"status": exit status, "max_rss_kb": its peak resident set} as JSON.

usage: peak_rss.py COMMAND [ARGUMENT...]
"""
import json
import resource
import subprocess
import sys

completed = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"status": completed.returncode, "max_rss_kb": usage.ru_maxrss}))
