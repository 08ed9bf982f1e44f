#!/usr/bin/env bash
# The office documents at scale: `data/ranking.xlsx` written alone (time, size, the memory it
# adds at its peak) for synthetic campaigns of 21, 1,600 and 40,000 towns, and `export xlsx`
# of every town's form at 1,600 towns.
#
#     benches/office.sh [TOWNS…]          (default: 21 1600 40000)
#
# Corpora go to $BENCH_DIR (default /tmp/ducha-bench).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${BENCH_DIR:-/tmp/ducha-bench}
mkdir -p "$dir"
cargo build --release --quiet --bin ducha --example corpus --example workbook
corpus=$PWD/target/release/examples/corpus
workbook=$PWD/target/release/examples/workbook
ducha=$PWD/target/release/ducha
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(21 1600 40000)
for n in "${sizes[@]}"; do
  [ -d "$dir/c$n" ] || "$corpus" --towns "$n" --out "$dir/c$n" 2>/dev/null
  for run in 1 2; do
    echo "c$n run $run: $("$workbook" "$dir/c$n")"
  done
done
if [ -d "$dir/c1600" ]; then
  out=$(mktemp -d)
  start=$(date +%s.%N)
  "$ducha" --root "$dir/c1600" export xlsx --out "$out" >/dev/null
  end=$(date +%s.%N)
  echo "export xlsx, 1600 towns: $(echo "$end - $start" | bc) s, $(du -sm "$out" | cut -f1) MB"
  rm -rf "$out"
fi
