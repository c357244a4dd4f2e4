//! Redacted copies of archives: a zip or tar (plain or compressed) is rewritten member by
//! member into a new archive of the same format, each text member redacted with its structure
//! (`exports/users.csv` as CSV), never extracted to disk — so no member path is ever written
//! outside the output. Members that cannot be redacted (binary, nested archives, documents,
//! encrypted, over the size or expansion limits) are left out of the copy and listed with the
//! reason: a redacted copy never carries data piiscan could not check.

use super::operator::Redactor;
use super::stream::{redact_named, RedactCounts, StreamOptions};
use crate::scan::Scanner;
use crate::source::{sniff, Sniffed};
use std::io::{self, Read, Seek, Write};

use crate::source::compress::read_member;

/// Why a member is not copied, when it is not a member piiscan can redact.
fn unredactable(data_head: &[u8], binary_ok: bool) -> Option<&'static str> {
    if data_head.starts_with(b"PK\x03\x04")
        || crate::source::compress::detect(data_head).is_some()
        || (data_head.len() > 262 && &data_head[257..262] == b"ustar")
    {
        return Some("nested archive or compressed member: not redacted, not copied");
    }
    if data_head.starts_with(b"%PDF-") {
        return Some("PDF or Office document: not redacted, not copied");
    }
    match sniff(data_head) {
        Sniffed::Binary if !binary_ok => Some("binary: not redacted, not copied"),
        Sniffed::Text(crate::source::Encoding::Utf16Le | crate::source::Encoding::Utf16Be) => {
            Some("UTF-16 member: not redacted, not copied")
        }
        _ => None,
    }
}

/// Redacts one member's bytes (named by its path inside the archive).
fn redact_member(
    scanner: &Scanner,
    redactor: &Redactor,
    name: &str,
    data: &[u8],
    mtime: Option<i64>,
    options: &StreamOptions,
) -> io::Result<(Vec<u8>, RedactCounts)> {
    let mut out = Vec::with_capacity(data.len());
    let opts = StreamOptions {
        mtime: mtime.or(options.mtime),
        json: super::is_json_name(std::path::Path::new(name)),
        flush_lines: false,
        ..options.clone()
    };
    let head = &data[..data.len().min(8192)];
    let counts = redact_named(
        scanner,
        redactor,
        name,
        head,
        &mut &data[head.len()..],
        &mut out,
        opts,
    )?;
    Ok((out, counts))
}

fn left_out(counts: &mut RedactCounts, path: String, reason: impl Into<String>) {
    counts.not_copied.push(super::stream::NotCopied {
        path,
        reason: reason.into(),
    });
}

/// Rewrites a zip archive into `out` with every member redacted.
pub fn redact_zip<R: Read + Seek>(
    scanner: &Scanner,
    redactor: &Redactor,
    input: R,
    out: &mut dyn Write,
    options: &StreamOptions,
) -> io::Result<RedactCounts> {
    let mut zip = zip::ZipArchive::new(input).map_err(|e| io::Error::other(e.to_string()))?;
    let mut writer = zip::ZipWriter::new_stream(out);
    let mut budget = crate::source::compress::Limits::default().max_expanded;
    let mut total = RedactCounts::default();
    for i in 0..zip.len() {
        let mut member = match zip.by_index(i) {
            Ok(m) => m,
            Err(e) => {
                left_out(
                    &mut total,
                    format!("#{i}"),
                    format!("unreadable member: {e}"),
                );
                continue;
            }
        };
        let name = member.name().to_string();
        let mut options_for = zip::write::SimpleFileOptions::default()
            .compression_method(match member.compression() {
                zip::CompressionMethod::Stored => zip::CompressionMethod::Stored,
                _ => zip::CompressionMethod::Deflated,
            })
            .large_file(member.size() > u32::MAX as u64);
        if let Some(t) = member.last_modified() {
            options_for = options_for.last_modified_time(t);
        }
        if let Some(mode) = member.unix_mode() {
            options_for = options_for.unix_permissions(mode);
        }
        if member.is_dir() {
            writer
                .add_directory(name.as_str(), options_for)
                .map_err(|e| io::Error::other(e.to_string()))?;
            continue;
        }
        if !member.is_file() {
            left_out(&mut total, name, "not a regular file: not copied");
            continue;
        }
        if member.encrypted() {
            left_out(&mut total, name, "encrypted: not redacted, not copied");
            continue;
        }
        let mtime = member
            .last_modified()
            .and_then(crate::source::compress::zip_time);
        let size = member.size();
        let data = match read_member(&mut member, size, &mut budget) {
            Ok(d) => d,
            Err(e) => {
                left_out(&mut total, name, e.reason("not redacted, not copied"));
                continue;
            }
        };
        drop(member);
        if let Some(reason) = unredactable(&data[..data.len().min(8192)], scanner.options().binary)
        {
            left_out(&mut total, name, reason);
            continue;
        }
        let (redacted, counts) = redact_member(scanner, redactor, &name, &data, mtime, options)?;
        writer
            .start_file(name.as_str(), options_for)
            .map_err(|e| io::Error::other(e.to_string()))?;
        writer.write_all(&redacted)?;
        total.add(&counts);
    }
    writer
        .finish()
        .map_err(|e| io::Error::other(e.to_string()))?;
    Ok(total)
}

/// Rewrites a tar stream (already decompressed) into `out` with every member redacted;
/// directories and links are copied as they are.
pub fn redact_tar(
    scanner: &Scanner,
    redactor: &Redactor,
    input: &mut dyn Read,
    out: &mut dyn Write,
    options: &StreamOptions,
) -> io::Result<RedactCounts> {
    let mut archive = tar::Archive::new(input);
    let mut builder = tar::Builder::new(out);
    let mut budget = crate::source::compress::Limits::default().max_expanded;
    let mut total = RedactCounts::default();
    for entry in archive.entries()? {
        let mut entry = entry?;
        let name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let mut header = entry.header().clone();
        let kind = header.entry_type();
        if kind.is_dir() || kind.is_symlink() || kind.is_hard_link() {
            builder.append(&header, io::empty())?;
            continue;
        }
        if !(kind.is_file() || kind == tar::EntryType::Continuous) {
            left_out(&mut total, name, "not a regular file: not copied");
            continue;
        }
        let mtime = header.mtime().ok().and_then(|t| i64::try_from(t).ok());
        let size = entry.size();
        let data = match read_member(&mut entry, size, &mut budget) {
            Ok(d) => d,
            Err(e) => {
                left_out(&mut total, name, e.reason("not redacted, not copied"));
                continue;
            }
        };
        if let Some(reason) = unredactable(&data[..data.len().min(8192)], scanner.options().binary)
        {
            left_out(&mut total, name, reason);
            continue;
        }
        let (redacted, counts) = redact_member(scanner, redactor, &name, &data, mtime, options)?;
        header.set_size(redacted.len() as u64);
        header.set_cksum();
        builder.append_data(&mut header, name.as_str(), &redacted[..])?;
        total.add(&counts);
    }
    builder.into_inner()?.flush()?;
    Ok(total)
}
