#!/usr/bin/env bash
# Benchmarks of ducha on synthetic campaigns: whole-process time and peak memory of check and
# build at 21, 1,600 and 40,000 towns; history and build on 1,000 and 50,000 commits; serve
# from a saved edit to the new page; and Hugo building the same pages from the same YAML.
#
#     benches/run.sh [SIZES...]          (default: 21 1600 40000)
#
# Needs /usr/bin/time; uses hyperfine and hugo when they are installed (Debian: apt-get
# install hyperfine hugo). Corpora go to $BENCH_DIR (default /tmp/ducha-bench).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${BENCH_DIR:-/tmp/ducha-bench}
sizes=("${@:-21 1600 40000}")
sizes=(${sizes[@]})
mkdir -p "$dir"
cargo build --release --quiet --bin ducha --example corpus
ducha=$PWD/target/release/ducha
corpus=$PWD/target/release/examples/corpus
runs=${RUNS:-5}

# Median wall time in seconds and peak memory in MiB of a command, over $runs runs; with
# `--before CMD`, CMD runs untimed before each run.
measure() {
  local times=() mem=0 report before=true
  if [ "$1" = --before ]; then before=$2; shift 2; fi
  report=$(mktemp)
  for _ in $(seq "$runs"); do
    local out
    sh -c "$before"
    /usr/bin/time -o "$report" -f "%e %M" "$@" >/dev/null 2>&1 || true
    out=$(tail -1 "$report")
    times+=("${out% *}")
    local m=${out#* }
    (( m > mem )) && mem=$m
  done
  local median
  median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  rm -f "$report"
  echo "$median s, $((mem / 1024)) MiB"
}

echo "machine: $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB; $(uname -r)"
echo
echo "| towns | check | build (fresh) | build (over the last site) | cp -r of the site (the floor) |"
echo "| ---: | --- | --- | --- | --- |"
for n in "${sizes[@]}"; do
  [ -d "$dir/c$n" ] || "$corpus" --towns "$n" --out "$dir/c$n" 2>/dev/null
  check=$(measure "$ducha" --root "$dir/c$n" check)
  fresh=$(measure --before "rm -rf '$dir/c$n/site'; sleep 2" "$ducha" --root "$dir/c$n" build)
  # The last build's site is removed by a process of its own: each run waits for it first.
  again=$(measure --before "while ls -a '$dir/c$n' | grep -q '^\.site\.'; do sleep 0.2; done" \
    "$ducha" --root "$dir/c$n" build)
  copy=$(measure --before "rm -rf '$dir/copy$n'; sync" cp -r "$dir/c$n/site" "$dir/copy$n")
  rm -rf "$dir/copy$n"
  echo "| $n | $check | $fresh | $again | $copy |"
done

echo
echo "| commits (21 towns) | history | build |"
echo "| ---: | --- | --- |"
for commits in 1000 50000; do
  [ -d "$dir/h$commits" ] || "$corpus" --towns 21 --commits "$commits" --out "$dir/h$commits" 2>/dev/null
  history=$(measure "$ducha" --root "$dir/h$commits" history)
  build=$(measure "$ducha" --root "$dir/h$commits" build)
  echo "| $commits | $history | $build |"
done

echo
echo "serve, from saving a sheet to the new page over HTTP (20 saves, 0.3 s after each was shown):"
for n in "${sizes[@]}"; do
  [ -d "$dir/c$n" ] || "$corpus" --towns "$n" --out "$dir/c$n" 2>/dev/null
  echo "  $n towns: $(python3 benches/serve_latency.py "$ducha" "$dir/c$n" 20 | tail -1)"
done
# A repository of 300 commits, its index refreshed as `git status` leaves it.
[ -d "$dir/g1600" ] || "$corpus" --towns 1600 --commits 300 --out "$dir/g1600" 2>/dev/null
git -C "$dir/g1600" status --short >/dev/null
echo "  1600 towns, 300 commits: $(python3 benches/serve_latency.py "$ducha" "$dir/g1600" 20 | tail -1)"

if command -v hugo >/dev/null; then
  echo
  echo "| towns | ducha build (fresh) | hugo (same pages from the same YAML, fresh) | ratio |"
  echo "| ---: | --- | --- | --- |"
  for n in "${sizes[@]}"; do
    [ -d "$dir/hugo$n" ] || "$corpus" --towns "$n" --out "$dir/hh$n" --hugo "$dir/hugo$n" 2>/dev/null
    d=$(measure --before "rm -rf '$dir/c$n/site'" "$ducha" --root "$dir/c$n" build)
    h=$(measure --before "rm -rf '$dir/hugo-out$n'" hugo --quiet -s "$dir/hugo$n" -d "$dir/hugo-out$n")
    ratio=$(awk -v a="${d%% s*}" -v b="${h%% s*}" 'BEGIN {printf "%.2f×", b / a}')
    echo "| $n | $d | $h | hugo takes $ratio as long |"
  done
fi
