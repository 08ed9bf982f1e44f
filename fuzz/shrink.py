#!/usr/bin/env python3
"""Keeps the N inputs of the corpus that cover the most code, so that `cargo test` replays the
committed corpus in seconds in a debug build. Run after `cargo fuzz build` (same flags as the
runs) and `cargo fuzz cmin`:

    python3 shrink.py 150                  # from fuzz/: shrinks corpus/campaign in place

Greedy set cover over the coverage edges libFuzzer reports for each input (its merge control
file): each step keeps the input that adds the most edges not yet covered, the smaller on a tie.
"""

import os
import subprocess
import sys
import tempfile

CORPUS = "corpus/campaign"
TARGET = "target/x86_64-unknown-linux-gnu/release/campaign"


def edges_per_input(corpus):
    with tempfile.TemporaryDirectory() as scratch:
        control = os.path.join(scratch, "control")
        os.mkdir(os.path.join(scratch, "out"))
        subprocess.run(
            [TARGET, "-merge=1", "-use_counters=0", f"-merge_control_file={control}",
             os.path.join(scratch, "out"), corpus],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        lines = open(control).read().split("\n")
    count = int(lines[0])
    files = lines[2:2 + count]
    edges = {}
    for line in lines[2 + count:]:
        parts = line.split()
        if parts and parts[0] == "COV":
            edges[files[int(parts[1])]] = set(map(int, parts[2:]))
    return edges


def main():
    keep = int(sys.argv[1])
    edges = edges_per_input(CORPUS)
    everything = set().union(*edges.values())
    left, chosen = set(everything), []
    while left and len(chosen) < keep:
        best = max(edges, key=lambda f: (len(edges[f] & left), -os.path.getsize(f)))
        if not edges[best] & left:
            break
        chosen.append(best)
        left -= edges[best]
    for name in os.listdir(CORPUS):
        path = os.path.join(CORPUS, name)
        if path not in chosen:
            os.remove(path)
    covered = len(everything) - len(left)
    print(f"kept {len(chosen)} of {len(edges)} inputs: {covered} of {len(everything)} edges "
          f"({100 * covered / len(everything):.1f}%)")


if __name__ == "__main__":
    main()
