#!/usr/bin/env bash
# Kills release builds of a synthetic campaign at random moments and at each rename, checks
# after every kill that the output folder is a complete site (byte for byte an uninterrupted
# build), and after the next build that nothing is left beside it; prints the figures.
#
#     benches/kill.sh [TOWNS] [KILLS]          (default: 2000 towns, 100 random kills)
#
# The kills at each rename need strace (Debian: apt-get install strace); without it they are
# skipped, and the test says so. This is tests/kill.rs at full size.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "machine: $(nproc) cores; $(uname -r); $(df -T "${TMPDIR:-/tmp}" | awk 'NR == 2 {print $2}') under ${TMPDIR:-/tmp}"
DUCHA_KILL_TOWNS=${1:-2000} DUCHA_KILL_RANDOM=${2:-100} \
  cargo test --release --quiet --test kill -- --nocapture
