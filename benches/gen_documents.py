#!/usr/bin/env python3
"""Writes the sample documents in samples/documents/: a workbook (two sheets), a Word letter
and a PDF invoice, all with synthetic personal data (reserved domains, fictional numbers,
issuers' test cards). Deterministic: the same bytes every run (fixed zip timestamps).

usage: gen_documents.py [OUT_DIR=samples/documents]
"""
import os
import sys
import zipfile
import zlib

out = sys.argv[1] if len(sys.argv) > 1 else "samples/documents"
os.makedirs(out, exist_ok=True)
TYPES = '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'


def package(path, parts):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in parts:
            info = zipfile.ZipInfo(name, date_time=(2026, 11, 1, 9, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, body)


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


rows = [
    ["customer_id", "full_name", "email", "phone", "date_of_birth", "plan"],
    ["1001", "Ada Example", "ada.example@example.com", "+44 20 7946 0018", "1985-04-12", "basic"],
    ["1002", "Grace Sample", "grace.sample@example.org", "+1 201-555-0142", "2014-09-30", "family"],
    ["1003", "Alan Test", "alan.test@example.net", "+49 30 901820", "1979-01-23", "pro"],
]
cells = []
for r, row in enumerate(rows, 1):
    cs = "".join(f'<c r="{chr(65 + c)}{r}" t="inlineStr"><is><t>{esc(v)}</t></is></c>' for c, v in enumerate(row))
    cells.append(f'<row r="{r}">{cs}</row>')
sheet1 = f'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{"".join(cells)}</sheetData></worksheet>'
sheet2 = '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>product</t></is></c><c r="B1" t="inlineStr"><is><t>price</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>Family plan</t></is></c><c r="B2"><v>12.5</v></c></row></sheetData></worksheet>'
book = '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Customers" sheetId="1" r:id="rId1"/><sheet name="Products" sheetId="2" r:id="rId2"/></sheets></workbook>'
rels = '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="worksheet" Target="worksheets/sheet2.xml"/></Relationships>'
package(os.path.join(out, "customers.xlsx"), [
    ("[Content_Types].xml", TYPES), ("xl/workbook.xml", book), ("xl/_rels/workbook.xml.rels", rels),
    ("xl/worksheets/sheet1.xml", sheet1), ("xl/worksheets/sheet2.xml", sheet2)])

paras = [
    "Dear Ms Sample,",
    "thank you for your letter. We refunded the payment to IBAN GB82 WEST 1234 5698 7654 32.",
    "Your daughter's account (born 30 September 2014) now uses grace.sample@example.org.",
    "Kind regards, Customer Care",
]
body = "".join(f"<w:p><w:r><w:t xml:space=\"preserve\">{esc(p)}</w:t></w:r></w:p>" for p in paras)
doc = f'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>'
package(os.path.join(out, "letter.docx"), [("[Content_Types].xml", TYPES), ("word/document.xml", doc)])

lines = ["INVOICE 2026-0042", "Bill to: Alan Test, 221B Baker Street, London NW1 6XE",
         "Contact: alan.test@example.net", "Paid by card 4111 1111 1111 1111"]
content = "BT /F1 11 Tf 72 740 Td 15 TL\n" + "".join(
    "(" + l.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") Tj T*\n" for l in lines) + "ET\n"
stream = zlib.compress(content.encode("latin-1"), 9)
objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"]
pdf = b"%PDF-1.4\n"
offsets = []
for i, o in enumerate(objs):
    offsets.append(len(pdf))
    pdf += b"%d 0 obj\n" % (i + 1) + o + b"\nendobj\n"
xref = len(pdf)
pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets)
pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
with open(os.path.join(out, "invoice.pdf"), "wb") as f:
    f.write(pdf)
print(f"wrote customers.xlsx, letter.docx, invoice.pdf to {out}")
