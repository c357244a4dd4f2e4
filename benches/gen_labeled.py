#!/usr/bin/env python3
"""Seeded generator of a labelled corpus for `piiscan eval`: a log, a CSV export, NDJSON events,
a pg_dump-style SQL dump and support tickets in English, German, French and Spanish, with every
personal value's byte span written to labels.jsonl, and hard negatives (look-alike numbers,
names of products and places, special-category words not said of anyone) left unlabelled.

All values are synthetic: reserved e-mail domains, fictional phone ranges, issuer test card
numbers, documentation IP ranges, names from a fixed pool.

usage: gen_labeled.py OUT_DIR [SEED] [RECORDS]
"""
import json
import os
import random
import sys

out = sys.argv[1]
rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 7)
records = int(sys.argv[3]) if len(sys.argv) > 3 else 400
os.makedirs(out, exist_ok=True)

GIVEN = ["Jane", "Maria", "Lukas", "Priya", "Emma", "Carlos", "Sophie", "Ahmed", "Julia", "Thomas",
         "Elena", "Olga", "Pedro", "Nadia", "Robert", "Anna", "Hannah", "Mateo", "Chloe", "Daniel"]
SURNAMES = ["Doe", "Schneider", "Gonçalves", "Patel", "Dupont", "García", "Müller", "Johnson",
            "Rossi", "Nowak", "Jansen", "Fischer", "Moreau", "Fernández", "Walker", "Kowalski"]
STREETS = ["12 Main Street", "Theodor-Heuss-Straße 34", "4, Rue Milton", "Calle Lira, 198",
           "221 Baker Street", "Via Roma 15", "Kerkstraat 8", "350 Fifth Avenue"]
POSTAL = ["95014", "70174", "75009", "28015", "SW1V 3EN", "H2G 1A7", "1016 AB", "00-358"]
CARDS = ["4111111111111111", "5500005555555559", "4012888888881881", "378282246310005"]
IBANS = ["GB82WEST12345698765432", "DE89370400440532013000", "FR1420041010050500013M02606"]
SSNS = ["078-05-1120", "219-09-9999", "536-22-8726", "401-12-5678"]
HEALTH = ["asthma", "epilepsy", "diabetes", "hepatitis C", "schizophrenia"]
RELIGION = ["Muslim", "Catholic", "Buddhist", "Sikh"]
UNIONS = ["UNISON", "IG Metall", "CFDT", "Teamsters"]
OFFENCES = ["burglary", "fraud", "shoplifting", "assault"]


def email(g, s):
    return f"{g.lower()}.{s.lower().encode('ascii', 'ignore').decode()}{rng.randrange(100)}@example.org"


def phone():
    return rng.choice([f"+44 20 7946 0{rng.randrange(1000):03d}", f"+1 201-555-01{rng.randrange(100):02d}",
                       f"+49 30 9018{rng.randrange(100):02d}"])


def ip():
    return f"{rng.choice(['203.0.113', '198.51.100', '192.0.2'])}.{rng.randrange(1, 255)}"


def dob():
    return f"{rng.randrange(1940, 2004)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"


class Writer:
    """Builds a file from pieces; labelled pieces record their byte span."""

    def __init__(self, name):
        self.name, self.buf, self.labels = name, bytearray(), []

    def text(self, s):
        self.buf += s.encode()

    def pii(self, s, detector):
        start = len(self.buf)
        self.buf += s.encode()
        self.labels.append({"path": self.name, "start": start, "end": len(self.buf), "detector": detector})

    def save(self, all_labels):
        with open(os.path.join(out, self.name), "wb") as f:
            f.write(self.buf)
        all_labels.extend(self.labels)


labels = []

# A log: identifiers among look-alike noise.
w = Writer("app.log")
for i in range(records):
    w.text(f"2026-10-{rng.randrange(1, 29):02d}T{rng.randrange(24):02d}:{rng.randrange(60):02d}:00Z ")
    k = rng.randrange(7)
    if k == 0 and i % 3 == 0:
        w.text("INFO password changed by "); w.pii(f"{rng.choice(GIVEN)} {rng.choice(SURNAMES)}", "person_name")
    elif k == 0:
        w.text("INFO login ok user="); w.pii(email(rng.choice(GIVEN), rng.choice(SURNAMES)), "email")
    elif k == 1:
        w.text("INFO callback requested phone="); w.pii(phone(), "phone")
    elif k == 2:
        w.text("WARN payment declined card="); w.pii(rng.choice(CARDS), "credit_card")
    elif k == 3:
        w.text("INFO request from "); w.pii(ip(), "ipv4")
    elif k == 4:
        w.text("INFO payout to iban="); w.pii(rng.choice(IBANS), "iban")
    elif k == 5:
        w.text("INFO kyc check ssn="); w.pii(rng.choice(SSNS), "us_ssn")
    else:  # hard negatives
        w.text(rng.choice([f"DEBUG order={rng.randrange(10**12)} took={rng.randrange(900)}ms",
                           f"INFO build v{rng.randrange(9)}.{rng.randrange(30)}.{rng.randrange(99)} deployed",
                           f"DEBUG trace={rng.getrandbits(64):016x} span={rng.randrange(10**9)}",
                           f"INFO invoice total={rng.randrange(10**6)}.{rng.randrange(100):02d} EUR"]))
    w.text("\n")
w.save(labels)

# A CSV export and the same rows as a pg_dump COPY block.
rows = []
for i in range(records // 2):
    g, s = rng.choice(GIVEN), rng.choice(SURNAMES)
    rows.append((i + 1, g, s, email(g, s), phone(), rng.choice(STREETS), rng.choice(POSTAL), dob(),
                 rng.choice(["VIP", "newsletter", "returning", "wholesale"])))
w = Writer("customers.csv")
w.text("id,first_name,last_name,email,phone,street_address,postal_code,date_of_birth,segment\n")
for r in rows:
    w.text(f"{r[0]},")
    for v, det in zip(r[1:8], ["person_name", "person_name", "email", "phone", "street_address", "postal_code",
                               "date_of_birth"]):
        if "," in v:
            w.text('"'); w.pii(v, det); w.text('"')
        else:
            w.pii(v, det)
        w.text(",")
    w.text(f"{r[8]}\n")
w.save(labels)

w = Writer("shop.sql")
w.text("--\n-- PostgreSQL database dump\n--\n\nCREATE TABLE public.customer (\n    customer_id integer NOT NULL,\n"
       "    first_name text,\n    last_name text,\n    email text,\n    phone text,\n    address text,\n"
       "    postal_code text,\n    birth_date date,\n    segment text\n);\n\n"
       "COPY public.customer (customer_id, first_name, last_name, email, phone, address, postal_code, birth_date, segment) FROM stdin;\n")
for r in rows:
    w.text(f"{r[0]}\t")
    for v, det in zip(r[1:8], ["person_name", "person_name", "email", "phone", "street_address", "postal_code",
                               "date_of_birth"]):
        w.pii(v, det); w.text("\t")
    w.text(f"{r[8]}\n")
w.text("\\.\n")
w.save(labels)

# NDJSON events.
w = Writer("events.ndjson")
for i in range(records // 2):
    g, s = rng.choice(GIVEN), rng.choice(SURNAMES)
    w.text('{"event":"checkout","user":{"email":"'); w.pii(email(g, s), "email")
    w.text('","phone":"'); w.pii(phone(), "phone")
    w.text('"},"client_ip":"'); w.pii(ip(), "ipv4")
    w.text(f'","order_id":{rng.randrange(10**9)},"sku":"SKU-{rng.randrange(10**5)}"}}\n')
w.save(labels)

# Support tickets in four languages: names, special categories said of a person, and the same
# words about things (hard negatives).
w = Writer("tickets.txt")
for i in range(records):
    g, s = rng.choice(GIVEN), rng.choice(SURNAMES)
    k = rng.randrange(8)
    if k == 0:
        w.text("Ticket opened by "); w.pii(f"{g} {s}", "person_name"); w.text(": the parcel never arrived.\n")
    elif k == 1:
        w.text("Customer says she was diagnosed with "); w.pii(rng.choice(HEALTH), "health")
        w.text(" and needs to cancel.\n")
    elif k == 2:
        w.text("Die Kundin leidet an "); w.pii(rng.choice(["Asthma", "Epilepsie", "Depressionen"]), "health")
        w.text(" und bittet um Rückruf.\n")
    elif k == 3:
        w.text("Profil: religion "); w.pii(rng.choice(RELIGION), "religion"); w.text(", menu halal/vegetarian.\n")
    elif k == 4:
        w.text("Payroll note: union dues for "); w.pii(rng.choice(UNIONS), "trade_union"); w.text(" membership.\n")
    elif k == 5:
        w.text("Tenant screening: convicted of "); w.pii(rng.choice(OFFENCES), "criminal_record")
        w.text(" in 2016.\n")
    elif k == 6 and i % 2 == 1:
        # A single given name where someone is addressed.
        w.text("Dear "); w.pii(g, "person_name"); w.text(", your refund was approved.\n")
    elif k == 6:
        w.text("Estimada Sra. "); w.pii(s, "person_name"); w.text(", le escribimos sobre su pedido.\n")
    elif k == 7 and i % 2 == 0:
        # Addresses and birth dates in prose: the address is labelled though piiscan does not
        # look for street addresses in free text yet (the table shows it).
        w.text("Please ship to "); w.pii(rng.choice(STREETS), "street_address")
        w.text(f" before Friday; customer born ")
        w.pii(f"{rng.choice(['March', 'June', 'October'])} {rng.randrange(1, 28)}, {rng.randrange(1950, 2000)}",
              "date_of_birth")
        w.text(".\n")
    else:  # hard negatives
        w.text(rng.choice(["Our asthma awareness walk starts at 10am.\n",
                           "Grant Application forms are due on 2026-12-01.\n",
                           "Order shipped 2026-03-05 via the Santa Clara hub.\n",
                           "Fraud detection rules were updated in release 4.2.\n",
                           "The European Union published new shipping rules.\n",
                           "Catholic University shuttle timetable attached.\n",
                           "Mark Complete on each task when done.\n",
                           "Santa Monica store opening hours changed.\n",
                           "Diabetes research fund report for Q3.\n"]))
w.save(labels)

with open(os.path.join(out, "labels.jsonl"), "w") as f:
    for l in labels:
        f.write(json.dumps(l, ensure_ascii=False) + "\n")
print(f"{len(labels)} labelled spans in {out}")
