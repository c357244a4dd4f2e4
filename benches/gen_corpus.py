#!/usr/bin/env python3
"""Seeded generator of a realistic mixed corpus (logs, CSV, NDJSON) for throughput runs.

About 0.5% of the bytes are synthetic personal data (reserved e-mail domains, fictional phone
ranges, issuer test cards, documentation IP ranges); the rest is the noise real files carry:
timestamps, durations, ids, versions, hashes, UUIDs, URLs.

usage: gen_corpus.py OUT_DIR TOTAL_MB [SEED]
"""
import os
import random
import sys

out_dir, total_mb = sys.argv[1], int(sys.argv[2])
seed = int(sys.argv[3]) if len(sys.argv) > 3 else 42
rng = random.Random(seed)
os.makedirs(out_dir, exist_ok=True)

CARDS = ["4111111111111111", "5500005555555559", "4012888888881881", "378282246310005", "6011111111111117"]
IBANS = ["GB82WEST12345698765432", "DE89370400440532013000", "FR1420041010050500013M02606"]
SSNS = ["078-05-1120", "219-09-9999"]
WORDS = "alpha beta gamma delta order cart checkout session cache worker queue retry payload render request response upstream timeout"
WORDS = WORDS.split()


def email():
    return f"user{rng.randrange(10**6)}@example.{rng.choice(['com', 'org', 'net'])}"


def phone():
    return rng.choice([f"+44 20 7946 0{rng.randrange(1000):03d}", f"+1 201-555-01{rng.randrange(100):02d}", "+49 30 901820"])


def ip():
    return f"{rng.choice(['203.0.113', '198.51.100', '192.0.2'])}.{rng.randrange(1, 255)}"


def pii():
    k = rng.randrange(6)
    return [email, phone, lambda: rng.choice(CARDS), lambda: rng.choice(IBANS), lambda: rng.choice(SSNS), ip][k]()


def noise_token():
    k = rng.randrange(9)
    if k == 0:
        return f"took={rng.randrange(2000)}ms"
    if k == 1:
        return f"id={rng.randrange(10**9)}"
    if k == 2:
        return f"v{rng.randrange(10)}.{rng.randrange(30)}.{rng.randrange(100)}"
    if k == 3:
        return "%032x" % rng.getrandbits(128)
    if k == 4:
        return f"/api/v1/{rng.choice(WORDS)}/{rng.randrange(10**5)}?page={rng.randrange(50)}"
    if k == 5:
        return f"status={rng.choice([200, 201, 204, 301, 404, 500])}"
    return rng.choice(WORDS)


def ts():
    return f"2026-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}T{rng.randrange(24):02d}:{rng.randrange(60):02d}:{rng.randrange(60):02d}.{rng.randrange(1000):03d}Z"


def log_line():
    toks = [noise_token() for _ in range(rng.randrange(6, 14))]
    if rng.random() < 0.035:
        toks.insert(rng.randrange(len(toks)), pii())
    return f"{ts()} {rng.choice(['INFO', 'WARN', 'DEBUG', 'ERROR'])} [{rng.choice(WORDS)}] " + " ".join(toks)


def csv_line():
    cols = [str(rng.randrange(10**6)), rng.choice(WORDS), f"{rng.random() * 1000:.2f}", ts(), rng.choice(WORDS)]
    if rng.random() < 0.05:
        cols[rng.randrange(len(cols))] = pii()
    return ",".join(cols)


def json_line():
    d = f'{{"ts":"{ts()}","event":"{rng.choice(WORDS)}","latency_ms":{rng.randrange(3000)},"req":"{"%016x" % rng.getrandbits(64)}","path":"/{rng.choice(WORDS)}/{rng.randrange(999)}"'
    if rng.random() < 0.04:
        d += f',"contact":"{pii()}"'
    return d + "}"


kinds = [("app.log", log_line), ("export.csv", csv_line), ("events.ndjson", json_line)]
target = total_mb * 1024 * 1024
per_file = 64 * 1024 * 1024
written = 0
n = 0
while written < target:
    name, make = kinds[n % len(kinds)]
    path = os.path.join(out_dir, f"{n:03d}-{name}")
    size = min(per_file, target - written)
    with open(path, "w") as f:
        got = 0
        buf = []
        while got < size:
            line = make() + "\n"
            buf.append(line)
            got += len(line)
            if len(buf) >= 4096:
                f.write("".join(buf))
                buf = []
        f.write("".join(buf))
    written += got
    n += 1
print(f"wrote {written / 1e6:.0f} MB in {n} files to {out_dir}")
