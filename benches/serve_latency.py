#!/usr/bin/env python3
"""Time from saving a sheet to `ducha serve` serving the new page, over several edits.

    benches/serve_latency.py DUCHA ROOT [TRIES] [GAP]

ROOT is a campaign (e.g. from examples/corpus.rs); its first sheet's summary is changed on
each save, GAP seconds (default 0.3) after the last change was served. Prints each time, then
the median, the 95th percentile and the largest, in milliseconds, and the server's peak
resident memory (Linux).
"""
import os, re, statistics, subprocess, sys, time, urllib.request

ducha, root = sys.argv[1], sys.argv[2]
tries = int(sys.argv[3]) if len(sys.argv) > 3 else 9
gap = float(sys.argv[4]) if len(sys.argv) > 4 else 0.3
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
        time.sleep(gap)
        started = time.monotonic()
        with open(sheet, "w", encoding="utf-8") as f:
            f.write(text)
        while marker not in page():
            time.sleep(0.005)
        times.append((time.monotonic() - started) * 1000)
    print(" ".join(f"{t:.0f}" for t in times))
    ordered = sorted(times)
    p95 = ordered[max(0, -(-len(ordered) * 95 // 100) - 1)]
    peak = ""
    try:
        with open(f"/proc/{server.pid}/status") as status:
            kb = next(int(l.split()[1]) for l in status if l.startswith("VmHWM:"))
            peak = f", peak {kb // 1024} MiB"
    except (OSError, StopIteration):
        pass
    print(f"median {statistics.median(times):.0f} ms, p95 {p95:.0f} ms, max {ordered[-1]:.0f} ms"
          f" over {tries} saves {gap} s apart{peak}")
finally:
    with open(sheet, "w", encoding="utf-8") as f:
        f.write(original)
    server.send_signal(2)
    # The server writes its last site before it stops: minutes at 40,000 towns.
    server.wait(timeout=600)
