#!/usr/bin/env bash
# Builds the same campaigns with two ducha binaries and compares the sites byte for byte: the
# example (this repository at HEAD, with its history), a synthetic campaign of 1,600 towns
# with 300 commits of history, and one of 40,000 towns without. For a change that must not
# change what users see:
#
#     git stash; cargo build --release; cp target/release/ducha /tmp/ducha-before; git stash pop
#     benches/identical.sh /tmp/ducha-before [target/release/ducha]
#
# Prints each campaign with `identical` or the differing files, and exits 1 on a difference.
set -euo pipefail
cd "$(dirname "$0")/.."
before=${1:?usage: benches/identical.sh BEFORE [AFTER]}
after=${2:-target/release/ducha}
dir=${BENCH_DIR:-/tmp/ducha-bench}
mkdir -p "$dir"
cargo build --release --quiet --example corpus
corpus=target/release/examples/corpus
[ -d "$dir/g1600" ] || "$corpus" --towns 1600 --commits 300 --out "$dir/g1600" 2>/dev/null
[ -d "$dir/c40000" ] || "$corpus" --towns 40000 --out "$dir/c40000" 2>/dev/null
status=0
compare() {
  local name=$1 root=$2 out
  out=$(mktemp -d)
  "$before" --root "$root" build --out "$out/before" >/dev/null 2>&1 || true
  "$after" --root "$root" build --out "$out/after" >/dev/null 2>&1 || true
  if [ ! -d "$out/before" ] || [ ! -d "$out/after" ]; then
    echo "$name: a build failed"; status=1
  elif diff -rq "$out/before" "$out/after" >"$out/diff"; then
    echo "$name: identical ($(find "$out/after" -type f | wc -l) files)"
  else
    echo "$name: differs"; head -20 "$out/diff"; status=1
  fi
  rm -rf "$out"
}
compare example .
compare "1,600 towns, 300 commits" "$dir/g1600"
compare "40,000 towns" "$dir/c40000"
exit $status
