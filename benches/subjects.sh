#!/usr/bin/env bash
# Batch erasure verification: 10,000 subjects against the throughput corpus, next to a plain
# scan of the same files with the detectors verification uses (email, phone) and with the
# whole catalogue. Prints seconds and the ratio verify / plain scan.
#
# usage: benches/subjects.sh [SIZE_MB=256] [CORPUS_DIR=bench-corpus-256] [SUBJECTS=10000]
set -euo pipefail
cd "$(dirname "$0")/.."
size_mb=${1:-256}
corpus=${2:-bench-corpus-256}
n=${3:-10000}
if [ ! -f "$corpus/.done-$size_mb" ]; then
  rm -rf "$corpus"
  python3 benches/gen_corpus.py "$corpus" "$size_mb" 42
  touch "$corpus/.done-$size_mb"
fi
cargo build --release -q
bin=target/release/piiscan
subjects=$(mktemp)
python3 - "$n" > "$subjects" <<'PY'
import json, sys
n = int(sys.argv[1])
print(json.dumps([{"email": f"user{i * 97}@example.com", "phone": f"+44 20 7946 0{i % 1000:03d}"} for i in range(n)]))
PY
cat "$corpus"/* > /dev/null
t() { local s e; s=$(date +%s.%N); "$@" > /dev/null 2>&1 || true; e=$(date +%s.%N); echo "$e - $s" | bc -l; }
plain=$(t "$bin" scan -q --no-progress --only email,phone "$corpus")
full=$(t "$bin" scan -q --no-progress "$corpus")
verify=$(t "$bin" subject verify --subject "$subjects" "$corpus")
rm -f "$subjects"
printf 'corpus %s, %s subjects, %s cores\n' "$corpus" "$n" "$(nproc)"
printf '%-34s %8.3f s\n' "scan --only email,phone" "$plain" "scan (whole catalogue)" "$full" "subject verify ($n subjects)" "$verify"
printf 'verify / scan(email,phone) = %.2fx; verify / scan(all) = %.2fx\n' "$(echo "$verify / $plain" | bc -l)" "$(echo "$verify / $full" | bc -l)"
