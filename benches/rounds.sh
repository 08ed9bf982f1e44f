#!/usr/bin/env bash
# A round of 40,000 towns with three earlier rounds against the same round alone: `check` and
# `build` (into a tmpfs, so that the disk's writeback does not swamp the comparison), wall
# time, user CPU and peak memory, two runs each, alternating.
#
#     benches/rounds.sh [TOWNS]          (default: 40000)
#
# The campaign is committed four times, each commit tagged r1…r4 and naming the tag before
# it as `previous:`. Corpora go to $BENCH_DIR (default /tmp/ducha-bench).
set -euo pipefail
cd "$(dirname "$0")/.."
towns=${1:-40000}
dir=${BENCH_DIR:-/tmp/ducha-bench}
out=${OUT_DIR:-/dev/shm/ducha-rounds-site}
mkdir -p "$dir"
cargo build --release --quiet --bin ducha --example corpus
ducha=$PWD/target/release/ducha
repo=$dir/r$towns
if [ ! -d "$repo/.git" ]; then
  rm -rf "$repo"
  target/release/examples/corpus --towns "$towns" --out "$repo" 2>/dev/null
  git -C "$repo" init -q
  for n in 1 2 3 4; do
    if [ "$n" -gt 1 ]; then
      sed -i '/^previous:/d' "$repo/content/campaign.yaml"
      echo "previous: r$((n - 1))" >>"$repo/content/campaign.yaml"
    fi
    git -C "$repo" add -A
    git -C "$repo" -c user.name=Bench -c user.email=bench@example.org commit -qm "r$n"
    git -C "$repo" tag "r$n"
  done
fi
cd "$repo"
run() {
  local label=$1; shift
  rm -rf "$out"
  /usr/bin/time -f "$label: %e s, %U s user, %M KB" "$@" >/dev/null 2>"$dir/rounds-time.txt" || true
  tail -1 "$dir/rounds-time.txt"
}
alone() { sed -i 's/^previous:/#previous:/' content/campaign.yaml; }
again() { sed -i 's/^#previous:/previous:/' content/campaign.yaml; }
for _ in 1 2; do
  run "check, three earlier rounds" "$ducha" check
  alone; run "check, this round alone" "$ducha" check; again
done
for _ in 1 2; do
  run "build, three earlier rounds" "$ducha" build --out "$out"
  alone; run "build, this round alone" "$ducha" build --out "$out"; again
done
rm -rf "$out"
