#!/usr/bin/env bash
# Dense personal data: a synthetic contacts export (about eight findings per row) scanned from
# a file and from stdin, at two sizes. Prints seconds, MB/s, findings and peak resident set:
# memory must not grow with the file (findings reach the output batch by batch).
# Needs GNU time (/usr/bin/time, Debian package `time`) for the peak resident set.
#
# usage: benches/dense.sh [ROWS=200000] [DIR=bench-dense]
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-200000}
dir=${2:-bench-dense}
mkdir -p "$dir"
[ -f "$dir/contacts-$rows.csv" ] || python3 benches/gen_contacts.py "$dir/contacts-$rows.csv" "$rows"
big="$dir/contacts-${rows}x4.csv"
[ -f "$big" ] || { cat "$dir/contacts-$rows.csv"; for _ in 1 2 3; do tail -n +2 "$dir/contacts-$rows.csv"; done; } > "$big"
cargo build --release -q
bin=target/release/piiscan
printf '%-28s %8s %8s %10s %10s\n' input seconds MB/s findings "peak MB"
run() {
  local label=$1 file=$2; shift 2
  local out
  # piiscan exits 1 when it finds something: not a failure here.
  out=$( { /usr/bin/time -f '%e %M' "$@" > /dev/null; } 2>&1 | tail -1 || true)
  local secs=${out% *} kb=${out#* }
  local mb=$(( $(stat -c %s "$file") / 1000000 ))
  local n
  n=$( ("$bin" scan --no-progress --format jsonl "$file" 2>/dev/null || true) | wc -l)
  printf '%-28s %8.2f %8.1f %10d %10d\n' "$label" "$secs" "$(echo "$mb / $secs" | bc -l)" "$n" $(( kb / 1024 ))
}
for f in "$dir/contacts-$rows.csv" "$big"; do
  run "$(basename "$f") -j1" "$f" "$bin" scan -q --no-progress -j1 "$f"
  run "$(basename "$f")" "$f" "$bin" scan -q --no-progress "$f"
  run "$(basename "$f") stdin" "$f" sh -c "'$bin' scan -q --no-progress - < '$f'"
done
