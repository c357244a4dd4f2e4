//! Text out of documents, so personal data in them is scanned like any other text: PDF (the
//! text its pages draw, via `pdf-extract`), Word `.docx` (paragraphs, tables, headers, footers,
//! footnotes, comments), PowerPoint `.pptx` (slide and notes text) and Excel `.xlsx` (each sheet
//! as CSV, its first row the column names, so cells get `column` and `row` like a CSV export).
//! Offsets of findings in documents are in the extracted text. Legacy binary Office files
//! (OLE) are recognised and reported as unsupported, or encrypted when they are.

use std::collections::HashMap;
use std::io::{Read, Seek};

/// Why a document's text could not be read.
#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    #[error("encrypted ({0})")]
    Encrypted(&'static str),
    #[error("unsupported ({0})")]
    Unsupported(&'static str),
    #[error("unreadable {kind}: {reason}")]
    Unreadable { kind: &'static str, reason: String },
    #[error("{kind} text over {limit} bytes: limit hit")]
    TooLarge { kind: &'static str, limit: u64 },
}

/// The text of a document: running text, or sheets as CSV.
#[derive(Debug)]
pub enum Document {
    Text(String),
    Sheets(Vec<Sheet>),
}

#[derive(Debug)]
pub struct Sheet {
    pub name: String,
    pub csv: Vec<u8>,
}

/// An Office Open XML package, told apart by its parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ooxml {
    Word,
    Excel,
    PowerPoint,
}

impl Ooxml {
    pub fn as_str(self) -> &'static str {
        match self {
            Ooxml::Word => "docx",
            Ooxml::Excel => "xlsx",
            Ooxml::PowerPoint => "pptx",
        }
    }
}

/// Which Office document a zip archive is, if any.
pub fn ooxml_kind<R: Read + Seek>(zip: &zip::ZipArchive<R>) -> Option<Ooxml> {
    let has = |name: &str| zip.index_for_name(name).is_some();
    if !has("[Content_Types].xml") {
        return None;
    }
    if has("word/document.xml") {
        Some(Ooxml::Word)
    } else if has("xl/workbook.xml") {
        Some(Ooxml::Excel)
    } else if has("ppt/presentation.xml") {
        Some(Ooxml::PowerPoint)
    } else {
        None
    }
}

const OLE_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// A legacy Office file (OLE compound document): an encrypted OOXML package or a .doc/.xls/.ppt,
/// neither of which is read; the reason says which.
pub fn ole_reason(head: &[u8], whole: &[u8]) -> Option<DocumentError> {
    if !head.starts_with(OLE_MAGIC) {
        return None;
    }
    // Stream names are UTF-16 in the directory.
    let utf16 = |s: &str| -> Vec<u8> { s.encode_utf16().flat_map(u16::to_le_bytes).collect() };
    let name = utf16("EncryptedPackage");
    if memchr::memmem::find(whole, &name).is_some() {
        return Some(DocumentError::Encrypted(
            "password-protected Office document",
        ));
    }
    Some(DocumentError::Unsupported(
        "legacy binary Office format (.doc/.xls/.ppt)",
    ))
}

/// The text a PDF's pages draw. pdf-extract can panic on malformed files; that is caught and
/// reported as unreadable, quietly.
pub fn pdf_text(bytes: &[u8], limit: u64) -> Result<Document, DocumentError> {
    let encrypted = memchr::memmem::find(bytes, b"/Encrypt").is_some();
    let result = quiet_catch(|| pdf_extract::extract_text_from_mem(bytes));
    let text = match result {
        Some(Ok(t)) => t,
        Some(Err(_)) | None if encrypted => {
            return Err(DocumentError::Encrypted("PDF with a password"))
        }
        Some(Err(e)) => {
            return Err(DocumentError::Unreadable {
                kind: "PDF",
                reason: one_line(&e.to_string()),
            })
        }
        None => {
            return Err(DocumentError::Unreadable {
                kind: "PDF",
                reason: "the PDF reader failed on its structure".into(),
            })
        }
    };
    if text.len() as u64 > limit {
        return Err(DocumentError::TooLarge { kind: "PDF", limit });
    }
    Ok(Document::Text(text))
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

thread_local! {
    static QUIET: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f`, turning a panic into `None` without printing it (other threads' panics still print).
fn quiet_catch<T>(f: impl FnOnce() -> T) -> Option<T> {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(|q| q.get()) {
                previous(info);
            }
        }));
    });
    QUIET.with(|q| q.set(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).ok();
    QUIET.with(|q| q.set(false));
    result
}

/// Reads one part of the package, within what is left of `budget` (expanded bytes).
fn part<R: Read + Seek>(
    zip: &mut zip::ZipArchive<R>,
    name: &str,
    budget: &mut u64,
    kind: Ooxml,
) -> Result<Option<Vec<u8>>, DocumentError> {
    let mut file = match zip.by_name(name) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => {
            return Err(DocumentError::Unreadable {
                kind: kind.as_str(),
                reason: format!("{name}: {e}"),
            })
        }
    };
    if file.encrypted() {
        return Err(DocumentError::Encrypted("encrypted zip entries"));
    }
    let mut out = Vec::new();
    let read = (&mut file).take(*budget + 1).read_to_end(&mut out);
    if let Err(e) = read {
        return Err(DocumentError::Unreadable {
            kind: kind.as_str(),
            reason: format!("{name}: {e}"),
        });
    }
    if out.len() as u64 > *budget {
        return Err(DocumentError::TooLarge {
            kind: kind.as_str(),
            limit: *budget,
        });
    }
    *budget -= out.len() as u64;
    Ok(Some(out))
}

/// The XML text of elements named `text_tags` (local names), with a line break after each
/// element named in `breaks` and a tab for `tabs`. Entities are resolved.
fn xml_text(xml: &[u8], text_tags: &[&[u8]], breaks: &[&[u8]], tabs: &[&[u8]]) -> String {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut out = String::new();
    let mut depth_in_text = 0usize;
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) if text_tags.contains(&e.local_name().as_ref()) => {
                depth_in_text += 1;
            }
            Ok(Event::Empty(e)) => {
                let name = e.local_name();
                if tabs.contains(&name.as_ref()) {
                    out.push('\t');
                } else if breaks.contains(&name.as_ref()) {
                    out.push('\n');
                }
            }
            Ok(Event::End(e)) => {
                let name = e.local_name();
                if text_tags.contains(&name.as_ref()) {
                    depth_in_text = depth_in_text.saturating_sub(1);
                }
                if breaks.contains(&name.as_ref()) {
                    out.push('\n');
                }
            }
            Ok(Event::Text(t)) if depth_in_text > 0 => {
                if let Ok(s) = t.unescape() {
                    out.push_str(&s);
                }
            }
            Ok(Event::CData(t)) if depth_in_text > 0 => {
                out.push_str(&String::from_utf8_lossy(&t));
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
        buf.clear();
    }
    out
}

/// The parts of the package whose names start with `prefix` and end with `.xml`, in natural
/// order (`slide2` before `slide10`).
fn parts_under<R: Read + Seek>(zip: &zip::ZipArchive<R>, prefix: &str) -> Vec<String> {
    let mut names: Vec<String> = zip
        .file_names()
        .filter(|n| {
            n.starts_with(prefix) && n.ends_with(".xml") && !n[prefix.len()..].contains('/')
        })
        .map(str::to_string)
        .collect();
    let number = |n: &str| -> u64 {
        let digits: String = n.chars().filter(char::is_ascii_digit).collect();
        digits.parse().unwrap_or(0)
    };
    names.sort_by_key(|n| (number(n), n.clone()));
    names
}

/// The text of a Word, PowerPoint or Excel package; `budget` bounds the expanded bytes read.
pub fn ooxml_text<R: Read + Seek>(
    zip: &mut zip::ZipArchive<R>,
    kind: Ooxml,
    budget: &mut u64,
) -> Result<Document, DocumentError> {
    match kind {
        Ooxml::Word => {
            let mut names = vec!["word/document.xml".to_string()];
            for prefix in ["word/header", "word/footer"] {
                names.extend(
                    parts_under(zip, "word/")
                        .into_iter()
                        .filter(|n| n.starts_with(prefix)),
                );
            }
            names.extend(["word/footnotes.xml".into(), "word/endnotes.xml".into()]);
            names.push("word/comments.xml".into());
            let mut text = String::new();
            for name in names {
                if let Some(xml) = part(zip, &name, budget, kind)? {
                    text.push_str(&xml_text(&xml, &[b"t"], &[b"p", b"br", b"cr"], &[b"tab"]));
                }
            }
            Ok(Document::Text(text))
        }
        Ooxml::PowerPoint => {
            let mut text = String::new();
            for prefix in ["ppt/slides/", "ppt/notesSlides/"] {
                for name in parts_under(zip, prefix) {
                    if let Some(xml) = part(zip, &name, budget, kind)? {
                        text.push_str(&xml_text(&xml, &[b"t"], &[b"p", b"br"], &[]));
                        text.push('\n');
                    }
                }
            }
            Ok(Document::Text(text))
        }
        Ooxml::Excel => Ok(Document::Sheets(xlsx_sheets(zip, budget)?)),
    }
}

/// Shared strings: `<si>` items, each the concatenation of its `<t>` runs.
fn shared_strings(xml: &[u8]) -> Vec<String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    let mut in_t = false;
    let mut in_phonetic = false;
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) => match e.local_name().as_ref() {
                b"si" => current = Some(String::new()),
                b"t" => in_t = true,
                b"rPh" => in_phonetic = true,
                _ => {}
            },
            Ok(Event::Empty(e)) if e.local_name().as_ref() == b"si" => out.push(String::new()),
            Ok(Event::End(e)) => match e.local_name().as_ref() {
                b"si" => out.push(current.take().unwrap_or_default()),
                b"t" => in_t = false,
                b"rPh" => in_phonetic = false,
                _ => {}
            },
            Ok(Event::Text(t)) if in_t && !in_phonetic => {
                if let (Some(c), Ok(s)) = (current.as_mut(), t.unescape()) {
                    c.push_str(&s);
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
        buf.clear();
    }
    out
}

/// `B12` → column 1 (0-based).
fn column_of(reference: &[u8]) -> Option<usize> {
    let letters: Vec<u8> = reference
        .iter()
        .take_while(|b| b.is_ascii_alphabetic())
        .map(u8::to_ascii_uppercase)
        .collect();
    if letters.is_empty() || letters.len() > 3 {
        return None;
    }
    Some(
        letters
            .iter()
            .fold(0usize, |acc, &b| acc * 26 + usize::from(b - b'A' + 1))
            - 1,
    )
}

fn attr(e: &quick_xml::events::BytesStart<'_>, name: &[u8]) -> Option<Vec<u8>> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .map(|a| a.value.into_owned())
}

/// One worksheet as rows of cell strings (shared strings resolved, inline strings, numbers as
/// written; empty cells filled so columns line up).
fn sheet_rows(xml: &[u8], shared: &[String]) -> Vec<Vec<String>> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut row: Vec<String> = Vec::new();
    let mut cell_col = 0usize;
    let mut cell_type: Vec<u8> = Vec::new();
    let mut value = String::new();
    let mut in_value = false;
    let mut in_cell = false;
    let mut row_number: Option<usize> = None;
    let max_columns = 16_384; // Excel's own limit
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) => match e.local_name().as_ref() {
                b"row" => {
                    row.clear();
                    row_number = attr(&e, b"r")
                        .and_then(|r| String::from_utf8_lossy(&r).parse::<usize>().ok());
                }
                b"c" => {
                    in_cell = true;
                    cell_col = attr(&e, b"r")
                        .and_then(|r| column_of(&r))
                        .unwrap_or(row.len())
                        .min(max_columns);
                    cell_type = attr(&e, b"t").unwrap_or_default();
                    value.clear();
                }
                b"v" | b"t" if in_cell => in_value = true,
                _ => {}
            },
            Ok(Event::End(e)) => match e.local_name().as_ref() {
                b"v" | b"t" => in_value = false,
                b"c" => {
                    in_cell = false;
                    let text = if cell_type == b"s" {
                        value
                            .trim()
                            .parse::<usize>()
                            .ok()
                            .and_then(|i| shared.get(i).cloned())
                            .unwrap_or_default()
                    } else {
                        std::mem::take(&mut value)
                    };
                    if row.len() <= cell_col {
                        row.resize(cell_col + 1, String::new());
                    }
                    row[cell_col] = text;
                }
                b"row" => {
                    // Skipped row numbers become empty rows, so row numbers stay the sheet's.
                    if let Some(r) = row_number {
                        while rows.len() + 1 < r && rows.len() < 1_048_576 {
                            rows.push(Vec::new());
                        }
                    }
                    rows.push(std::mem::take(&mut row));
                }
                _ => {}
            },
            Ok(Event::Text(t)) if in_value => {
                if let Ok(s) = t.unescape() {
                    value.push_str(&s);
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
        buf.clear();
    }
    rows
}

/// Rows as CSV (RFC 4180 quoting), every row as wide as the widest.
fn to_csv(rows: &[Vec<String>]) -> Vec<u8> {
    let width = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut out = Vec::new();
    for row in rows {
        for c in 0..width {
            if c > 0 {
                out.push(b',');
            }
            let v = row.get(c).map_or("", String::as_str);
            if v.contains([',', '"', '\n', '\r']) {
                out.push(b'"');
                out.extend_from_slice(v.replace('"', "\"\"").as_bytes());
                out.push(b'"');
            } else {
                out.extend_from_slice(v.as_bytes());
            }
        }
        out.push(b'\n');
    }
    out
}

/// The workbook's sheets in order, by name, each as CSV.
fn xlsx_sheets<R: Read + Seek>(
    zip: &mut zip::ZipArchive<R>,
    budget: &mut u64,
) -> Result<Vec<Sheet>, DocumentError> {
    use quick_xml::events::Event;
    let kind = Ooxml::Excel;
    let shared = part(zip, "xl/sharedStrings.xml", budget, kind)?
        .map(|x| shared_strings(&x))
        .unwrap_or_default();
    // Relationship id → part name.
    let mut targets: HashMap<Vec<u8>, String> = HashMap::new();
    if let Some(rels) = part(zip, "xl/_rels/workbook.xml.rels", budget, kind)? {
        let mut reader = quick_xml::Reader::from_reader(&rels[..]);
        let mut buf = Vec::new();
        loop {
            match reader.read_event_into(&mut buf) {
                Ok(Event::Empty(e) | Event::Start(e))
                    if e.local_name().as_ref() == b"Relationship" =>
                {
                    if let (Some(id), Some(target)) = (attr(&e, b"Id"), attr(&e, b"Target")) {
                        let t = String::from_utf8_lossy(&target).into_owned();
                        let t = match t.strip_prefix('/') {
                            Some(abs) => abs.to_string(),
                            None => format!("xl/{t}"),
                        };
                        targets.insert(id, t);
                    }
                }
                Ok(Event::Eof) | Err(_) => break,
                _ => {}
            }
            buf.clear();
        }
    }
    let mut sheets: Vec<(String, String)> = Vec::new();
    if let Some(book) = part(zip, "xl/workbook.xml", budget, kind)? {
        let mut reader = quick_xml::Reader::from_reader(&book[..]);
        let mut buf = Vec::new();
        loop {
            match reader.read_event_into(&mut buf) {
                Ok(Event::Empty(e) | Event::Start(e)) if e.local_name().as_ref() == b"sheet" => {
                    let name = attr(&e, b"name")
                        .map(|n| {
                            quick_xml::escape::unescape(&String::from_utf8_lossy(&n))
                                .map(|c| c.into_owned())
                                .unwrap_or_else(|_| String::from_utf8_lossy(&n).into_owned())
                        })
                        .unwrap_or_else(|| format!("Sheet{}", sheets.len() + 1));
                    let target = attr(&e, b"id").and_then(|id| targets.get(&id).cloned());
                    let target = target
                        .unwrap_or_else(|| format!("xl/worksheets/sheet{}.xml", sheets.len() + 1));
                    sheets.push((name, target));
                }
                Ok(Event::Eof) | Err(_) => break,
                _ => {}
            }
            buf.clear();
        }
    }
    let mut out = Vec::new();
    for (name, target) in sheets {
        if let Some(xml) = part(zip, &target, budget, kind)? {
            out.push(Sheet {
                name,
                csv: to_csv(&sheet_rows(&xml, &shared)),
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters() {
        let table: &[(&[u8], Option<usize>)] = &[
            (b"A1", Some(0)),
            (b"Z9", Some(25)),
            (b"AA10", Some(26)),
            (b"XFD1", Some(16383)),
            (b"12", None),
        ];
        for (r, want) in table {
            assert_eq!(column_of(r), *want, "{}", String::from_utf8_lossy(r));
        }
    }

    #[test]
    fn word_text_keeps_runs_together_and_resolves_entities() {
        let xml = br#"<w:document xmlns:w="x"><w:body><w:p><w:r><w:t>jane.</w:t></w:r><w:r><w:t>doe@example.com</w:t></w:r></w:p><w:p><w:r><w:t>A &amp; B</w:t><w:tab/><w:t>&#x41;</w:t></w:r></w:p></w:body></w:document>"#;
        let text = xml_text(xml, &[b"t"], &[b"p", b"br"], &[b"tab"]);
        assert_eq!(text, "jane.doe@example.com\nA & B\tA\n");
    }

    #[test]
    fn sheet_cells_line_up_by_reference() {
        let shared = vec!["email".to_string(), "a@example.com".to_string()];
        let xml = br#"<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="inlineStr"><is><t>note, "x"</t></is></c></row><row r="3"><c r="A3" t="s"><v>1</v></c><c r="B3"><v>42</v></c></row></sheetData></worksheet>"#;
        let rows = sheet_rows(xml, &shared);
        assert_eq!(
            String::from_utf8(to_csv(&rows)).unwrap(),
            "email,,\"note, \"\"x\"\"\"\n,,\na@example.com,42,\n"
        );
    }
}
