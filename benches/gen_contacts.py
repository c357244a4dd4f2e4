#!/usr/bin/env python3
"""A seeded, synthetic contacts export: every row is one made-up person with a name, an
e-mail address, a phone number (+44, +1 or +49), a street address, a card number (Luhn-valid,
test range), an IBAN, an IP address and a date of birth. The densest input a scanner meets
(about eight findings per row). Nothing in it belongs to a real person.

usage: gen_contacts.py OUT.csv ROWS [SEED]
"""
import random
import sys

FIRST = ["Anna", "John", "Maria", "Peter", "Laura", "James", "Sofia", "Lukas", "Emma", "Noah",
         "Olivia", "Liam"]
LAST = ["Smith", "Müller", "Garcia", "Rossi", "Dubois", "Jansen", "Novak", "Silva", "Brown",
        "Schmidt"]
STREETS = ["Main Street", "Baker Street", "Hauptstraße", "Rue de Rivoli", "Calle Mayor",
           "Church Road"]


def luhn_ok(digits):
    total = 0
    for i, d in enumerate(reversed(digits)):
        d = int(d)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def main():
    out, rows = sys.argv[1], int(sys.argv[2])
    r = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 7)

    def card():
        while True:
            n = "4" + "".join(str(r.randrange(10)) for _ in range(15))
            if luhn_ok(n):
                return n

    def phone():
        k = r.random()
        if k < 0.4:
            return "+44 20 %04d %04d" % (r.randrange(10000), r.randrange(10000))
        if k < 0.7:
            return "+1 %03d-555-%04d" % (r.choice([201, 212, 415, 312, 617]), r.randrange(10000))
        return "+49 30 %d" % r.randrange(1000000, 99999999)

    with open(out, "w", encoding="utf-8") as f:
        f.write("id,first_name,last_name,email,phone,street,city,card,iban,ip,dob\n")
        for i in range(rows):
            fn, ln = r.choice(FIRST), r.choice(LAST)
            f.write(
                f"{i},{fn},{ln},{fn.lower()}.{ln.lower()}{r.randrange(100000)}@example-mail.com,"
                f"{phone()},{r.randrange(1, 300)} {r.choice(STREETS)},Springfield,{card()},"
                f"DE89370400440532013000,10.{r.randrange(256)}.{r.randrange(256)}."
                f"{r.randrange(256)},19{r.randrange(40, 99)}-0{r.randrange(1, 9)}-"
                f"1{r.randrange(0, 9)}\n"
            )


if __name__ == "__main__":
    main()
