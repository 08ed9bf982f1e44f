#!/usr/bin/env python3
"""Time from saving a sheet to `ducha serve` serving the new page, over several edits.

    benches/serve_latency.py DUCHA ROOT [TRIES]

ROOT is a campaign (e.g. from examples/corpus.rs); its first sheet's first `score:` value is
changed back and forth. Prints each time and the median, in milliseconds.
"""
import os, re, statistics, subprocess, sys, time, urllib.request

ducha, root = sys.argv[1], sys.argv[2]
tries = int(sys.argv[3]) if len(sys.argv) > 3 else 9
sheets = sorted(f for f in os.listdir(os.path.join(root, "content/sheets")) if f.endswith(".yaml"))
sheet = os.path.join(root, "content/sheets", sheets[0])
slug = sheets[0][:-5]
original = open(sheet, encoding="utf-8").read()
server = subprocess.Popen([ducha, "--root", root, "serve", "--port", "0"],
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
try:
    line = server.stdout.readline()
    port = re.search(r"http://127\.0\.0\.1:(\d+)/", line).group(1)
    url = f"http://127.0.0.1:{port}/towns/{slug}/index.html"

    def page():
        with urllib.request.urlopen(url) as r:
            return r.read().decode("utf-8")

    times = []
    for i in range(tries):
        before = page()
        # Alternate between two different notes so that every save changes the page.
        marker = f"ducha-bench-{i}"
        text = re.sub(r"summary: \|\n  ", f"summary: |\n  {marker} ", original, count=1)
        if text == original:
            text = original + f"# {marker}\n"
        time.sleep(0.3)
        started = time.monotonic()
        with open(sheet, "w", encoding="utf-8") as f:
            f.write(text)
        while marker not in page():
            time.sleep(0.005)
        times.append((time.monotonic() - started) * 1000)
    print(" ".join(f"{t:.0f}" for t in times))
    print(f"median {statistics.median(times):.0f} ms over {tries} saves")
finally:
    with open(sheet, "w", encoding="utf-8") as f:
        f.write(original)
    server.send_signal(2)
    server.wait(timeout=30)
