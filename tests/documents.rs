//! Office documents and PDFs are scanned by their text: Word and PowerPoint as running text,
//! Excel sheets as CSV with the first row as column names, PDF page text; legacy and encrypted
//! Office files and broken PDFs are listed with the reason, and the run goes on.

mod common;
use common::{jsonl, piiscan};
use std::io::Write;
use std::path::Path;

/// A zip package with the given parts (deflated).
fn package(path: &Path, parts: &[(&str, String)]) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, body) in parts {
        zip.start_file(*name, opts).unwrap();
        zip.write_all(body.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#;

/// A Word document whose e-mail address is split over two runs, and whose footer holds a phone.
fn docx(path: &Path) {
    let body = r#"<?xml version="1.0" encoding="UTF-8"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>
<w:p><w:r><w:t xml:space="preserve">Dear customer, write to </w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>grace.hopper</w:t></w:r><w:r><w:t>@example.com</w:t></w:r></w:p>
<w:tbl><w:tr><w:tc><w:p><w:r><w:t>IBAN</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>DE89 3704 0044 0532 0130 00</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
<w:p><w:r><w:t>Tom &amp; Jerry Ltd</w:t></w:r></w:p>
</w:body></w:document>"#;
    let footer = r#"<w:ftr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:p><w:r><w:t>Call +44 20 7946 0958</w:t></w:r></w:p></w:ftr>"#;
    package(
        path,
        &[
            ("[Content_Types].xml", CONTENT_TYPES.into()),
            ("word/document.xml", body.into()),
            ("word/footer1.xml", footer.into()),
        ],
    );
}

/// A workbook with two sheets: `Customers` (header row, shared and inline strings) and `Notes`.
fn xlsx(path: &Path) {
    let shared = r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>id</t></si><si><t>contact</t></si><si><t>card</t></si><si><t>ada@example.org</t></si><si><r><t>alan</t></r><r><t>@example.net</t></r></si></sst>"#;
    let sheet1 = r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>
<row r="2"><c r="A2"><v>1</v></c><c r="B2" t="s"><v>3</v></c><c r="C2" t="inlineStr"><is><t>4111 1111 1111 1111</t></is></c></row>
<row r="3"><c r="A3"><v>2</v></c><c r="B3" t="s"><v>4</v></c></row>
</sheetData></worksheet>"#;
    let sheet2 = r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>note</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>nothing personal here</t></is></c></row></sheetData></worksheet>"#;
    let book = r#"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Customers" sheetId="1" r:id="rId1"/><sheet name="Notes" sheetId="2" r:id="rId2"/></sheets></workbook>"#;
    let rels = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId2" Type="worksheet" Target="worksheets/sheet2.xml"/><Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#;
    package(
        path,
        &[
            ("[Content_Types].xml", CONTENT_TYPES.into()),
            ("xl/workbook.xml", book.into()),
            ("xl/_rels/workbook.xml.rels", rels.into()),
            ("xl/sharedStrings.xml", shared.into()),
            ("xl/worksheets/sheet1.xml", sheet1.into()),
            ("xl/worksheets/sheet2.xml", sheet2.into()),
        ],
    );
}

fn pptx(path: &Path) {
    let slide = r#"<p:sld xmlns:p="p" xmlns:a="a"><p:cSld><p:spTree><p:sp><p:txBody><a:p><a:r><a:t>Speaker: </a:t></a:r><a:r><a:t>linus@example.com</a:t></a:r></a:p></p:txBody></p:sp></p:spTree></p:cSld></p:sld>"#;
    package(
        path,
        &[
            ("[Content_Types].xml", CONTENT_TYPES.into()),
            (
                "ppt/presentation.xml",
                "<p:presentation xmlns:p=\"p\"/>".into(),
            ),
            ("ppt/slides/slide1.xml", slide.into()),
        ],
    );
}

/// A one-page PDF whose text is drawn from a deflated content stream, with a correct xref.
fn pdf(path: &Path, lines: &[&str]) {
    let mut content = String::from("BT /F1 12 Tf 72 720 Td 14 TL\n");
    for l in lines {
        content.push_str(&format!(
            "({}) Tj T*\n",
            l.replace('\\', "\\\\")
                .replace('(', "\\(")
                .replace(')', "\\)")
        ));
    }
    content.push_str("ET\n");
    let mut enc = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(content.as_bytes()).unwrap();
    let stream = enc.finish().unwrap();
    let mut objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_vec(),
    ];
    let mut s = format!(
        "<< /Length {} /Filter /FlateDecode >>\nstream\n",
        stream.len()
    )
    .into_bytes();
    s.extend_from_slice(&stream);
    s.extend_from_slice(b"\nendstream");
    objects.push(s);
    objects.push(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
            .to_vec(),
    );
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(o);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    std::fs::write(path, out).unwrap();
}

/// An OLE compound file header followed by a directory naming `stream` in UTF-16.
fn ole(path: &Path, stream: &str) {
    let mut b = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
    b.resize(512, 0);
    b.extend(stream.encode_utf16().flat_map(u16::to_le_bytes));
    b.resize(2048, 0);
    std::fs::write(path, b).unwrap();
}

fn findings_for<'a>(all: &'a [serde_json::Value], path_end: &str) -> Vec<&'a serde_json::Value> {
    all.iter()
        .filter(|f| f["path"].as_str().is_some_and(|p| p.ends_with(path_end)))
        .collect()
}

fn detectors(fs: &[&serde_json::Value]) -> Vec<String> {
    let mut d: Vec<String> = fs
        .iter()
        .map(|f| f["detector"].as_str().unwrap().to_string())
        .collect();
    d.sort();
    d.dedup();
    d
}

#[test]
fn office_documents_and_pdfs_are_scanned_by_their_text() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    docx(&d.join("letter.docx"));
    xlsx(&d.join("customers.xlsx"));
    pptx(&d.join("talk.pptx"));
    pdf(
        &d.join("invoice.pdf"),
        &[
            "Invoice for Ada (ada.l@example.org)",
            "Paid with 5500 0055 5555 5559",
        ],
    );
    let out = piiscan()
        .args(["scan", "--format", "jsonl", "--no-progress"])
        .arg(d)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let all = jsonl(&out.stdout);

    // Word: the address split over runs is one finding; table cells and footers are read.
    let word = findings_for(&all, "letter.docx");
    assert!(word.iter().all(|f| f["container"] == "docx"));
    assert_eq!(detectors(&word), ["email", "iban", "phone"]);
    let email = word.iter().find(|f| f["detector"] == "email").unwrap();
    assert_eq!(
        email["masked"].as_str().unwrap().len(),
        "grace.hopper@example.com".len()
    );

    // Excel: one store per sheet, cells with their column names and row numbers.
    let sheet = findings_for(&all, "customers.xlsx!/Customers");
    let mails: Vec<_> = sheet.iter().filter(|f| f["detector"] == "email").collect();
    assert_eq!(mails.len(), 2);
    assert!(mails.iter().all(|f| f["location"]["column"] == "contact"));
    let rows: Vec<u64> = mails
        .iter()
        .map(|f| f["location"]["row"].as_u64().unwrap())
        .collect();
    assert_eq!(rows, [1, 2]);
    let card = sheet
        .iter()
        .find(|f| f["detector"] == "credit_card")
        .unwrap();
    assert_eq!(card["location"]["column"], "card");
    assert!(findings_for(&all, "customers.xlsx!/Notes").is_empty());

    // PowerPoint and PDF text.
    assert_eq!(detectors(&findings_for(&all, "talk.pptx")), ["email"]);
    let pdf_findings = findings_for(&all, "invoice.pdf");
    assert_eq!(detectors(&pdf_findings), ["credit_card", "email"]);
    assert!(pdf_findings.iter().all(|f| f["container"] == "pdf"));
}

#[test]
fn unreadable_documents_are_listed_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ole(&d.join("secret.docx"), "EncryptedPackage");
    ole(&d.join("old.doc"), "WordDocument");
    std::fs::write(
        d.join("broken.pdf"),
        b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog",
    )
    .unwrap();
    pdf(&d.join("fine.pdf"), &["Contact: fine@example.com"]);
    // A document inside an archive is read too.
    let mut docx_bytes = Vec::new();
    {
        let p = d.join("inner.docx");
        docx(&p);
        docx_bytes.extend(std::fs::read(&p).unwrap());
        std::fs::remove_file(p).unwrap();
    }
    let mut zip = zip::ZipWriter::new(std::fs::File::create(d.join("bundle.zip")).unwrap());
    zip.start_file("docs/inner.docx", zip::write::SimpleFileOptions::default())
        .unwrap();
    zip.write_all(&docx_bytes).unwrap();
    zip.finish().unwrap();

    let out = piiscan()
        .args(["inventory", "--format", "json"])
        .arg(d)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let inv: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let coverage = inv["coverage"].to_string();
    assert!(coverage.contains("secret.docx"), "{coverage}");
    assert!(
        coverage.contains("encrypted (password-protected Office document)"),
        "{coverage}"
    );
    assert!(
        coverage.contains("legacy binary Office format"),
        "{coverage}"
    );
    assert!(
        coverage.contains("broken.pdf") || stderr.contains("broken.pdf"),
        "{coverage} {stderr}"
    );
    // One line for the broken PDF, naming it and the reason.
    let pdf_lines: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("broken.pdf"))
        .collect();
    assert_eq!(pdf_lines.len(), 1, "{stderr}");
    assert!(pdf_lines[0].contains("unreadable PDF"), "{stderr}");
    // The good files were still scanned.
    let stores = inv["stores"].to_string();
    assert!(stores.contains("fine.pdf"), "{stores}");
    assert!(stores.contains("bundle.zip!/docs/inner.docx"), "{stores}");
}
