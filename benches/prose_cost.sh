#!/usr/bin/env bash
# Cost of the lexicon detectors (person names, street addresses, postal codes, special
# categories) on prose, against the core catalogue, same binary, same run, one thread:
#  - "neutral": English prose from this machine (Python's pydoc topics and the licence texts in
#    /usr/share/common-licenses), repeated to ~46 MB;
#  - "about personal data": this project's README and docs ×1000 (~60 MB), text that names the
#    very fields the detectors key on (name, address, email) on every line — the worst case.
#    (×150, 9 MB, until 2026-11-24: too small, process start-up — compiling the lexicons —
#    weighed on the ratio.)
# Prints the best of 3 wall-clock seconds and the ratio.
#
# usage: benches/prose_cost.sh [OUT_DIR=/tmp/prose-cost]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-/tmp/prose-cost}
mkdir -p "$out/neutral" "$out/docs"
python3 - "$out/neutral/prose.txt" <<'PY'
import glob, sys
import pydoc_data.topics as t
parts = list(t.topics.values())
for f in sorted(glob.glob('/usr/share/common-licenses/*')):
    try:
        parts.append(open(f, encoding='utf-8', errors='replace').read())
    except IsADirectoryError:
        pass
open(sys.argv[1], 'w').write('\n'.join(parts) * 60)
PY
for _ in $(seq 1 1000); do cat README.md docs/*.md; done > "$out/docs/prose.md"
cargo build --release -q
bin=target/release/piiscan
core=(--skip special_category,street_address,postal_code,person_name)
. benches/timing.sh
printf '%-22s %10s %10s %7s\n' corpus "all (s)" "core (s)" ratio
for c in neutral docs; do
  all=$(best "$bin" scan -q --no-progress -j1 "$out/$c")
  cor=$(best "$bin" scan -q --no-progress -j1 "${core[@]}" "$out/$c")
  printf '%-22s %10.3f %10.3f %6.2fx\n' "$c ($(du -m "$out/$c" | cut -f1) MB)" "$all" "$cor" "$(echo "$all / $cor" | bc -l)"
done
