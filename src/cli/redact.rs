//! `piiscan redact`: stream stdin to stdout, mirror inputs into `--out DIR`, or rewrite them
//! `--in-place` atomically; a JSON manifest (`--report`) with counts, never values.

use super::common::{load_key, prepare, CommonArgs, Prepared};
use anyhow::{Context, Result};
use clap::Args;
use piiscan::redact::{
    redact_stream, Operator, RedactCounts, Redactor, RedactorKey, StreamOptions,
};
use piiscan::retention::AgeFilter;
use piiscan::scan::Scanner;
use piiscan::source::{compress, sniff, Encoding, Input, Sniffed};
use rayon::prelude::*;
use std::collections::HashMap;
use std::fs::{self, File};
use std::io::{self, BufWriter, Read, Write};
use std::path::{Component, Path, PathBuf};

#[derive(Args, Debug)]
pub struct RedactArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Mirror every input into DIR, redacted (inputs are never touched).
    #[arg(long, conflicts_with = "in_place")]
    pub out: Option<PathBuf>,
    /// Rewrite inputs atomically (temp file in the same folder, fsync, rename).
    #[arg(long)]
    pub in_place: bool,
    /// With --in-place: keep the original as PATH+SUFFIX.
    #[arg(long, requires = "in_place")]
    pub backup: Option<String>,
    /// Operator per detector id or category: `email=hash`, `financial=partial` (repeatable).
    #[arg(long = "operator", value_name = "DETECTOR=OP")]
    pub operators: Vec<String>,
    /// Operator for everything else: mask, tag, partial, hash, fpe, drop.
    #[arg(long, default_value = "mask")]
    pub default_operator: String,
    /// Key for `hash` pseudonyms (else PIISCAN_KEY).
    #[arg(long)]
    pub key_file: Option<PathBuf>,
    /// Hash with a random key that is not kept (tokens differ from run to run).
    #[arg(long)]
    pub ephemeral_key: bool,
    /// Report what would change; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Write a JSON manifest: per file, counts per detector and operator, bytes in and out.
    #[arg(long)]
    pub report: Option<PathBuf>,
    /// Remember what was processed (path, size, mtime, content hash) in FILE; later runs skip
    /// files that did not change, including rotated copies of processed files.
    #[arg(long)]
    pub state: Option<PathBuf>,
    /// No summary on stderr.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Only redact records past their retention: `13mo`, or per detector / family /
    /// category: `credit_card=13mo`, `default=1y` (repeatable). Records of unknown age are
    /// redacted; data without a limit is kept.
    #[arg(long, value_name = "AGE")]
    pub older_than: Vec<String>,
    #[command(flatten)]
    pub dating: super::retention::DatingArgs,
}

#[derive(serde::Serialize)]
struct FileReport {
    path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    output: Option<String>,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
    #[serde(flatten)]
    counts: RedactCounts,
}

fn build_redactor(args: &RedactArgs) -> Result<Redactor> {
    let default: Operator = args.default_operator.parse().map_err(anyhow::Error::msg)?;
    let mut overrides = HashMap::new();
    for o in &args.operators {
        let (k, v) = o
            .split_once('=')
            .with_context(|| format!("--operator {o}: expected DETECTOR=OP"))?;
        overrides.insert(
            k.trim().to_string(),
            v.trim().parse::<Operator>().map_err(anyhow::Error::msg)?,
        );
    }
    let key = match load_key(args.key_file.as_deref())? {
        Some(k) => Some(RedactorKey(k)),
        None if args.ephemeral_key => Some(RedactorKey(
            piiscan::filter::random_key().context("no randomness for --ephemeral-key")?,
        )),
        None => None,
    };
    let r = Redactor::new(default, overrides, key);
    anyhow::ensure!(
        !r.needs_key() || r.has_key(),
        "the hash and fpe operators need a key: --key-file FILE, PIISCAN_KEY, or --ephemeral-key"
    );
    Ok(r)
}

fn redact_file_contents(
    scanner: &Scanner,
    redactor: &Redactor,
    path: &Path,
    input: &mut File,
    out: &mut dyn Write,
    base: &StreamOptions,
) -> io::Result<RedactCounts> {
    let meta = input.metadata()?;
    let options = StreamOptions {
        mtime: meta
            .modified()
            .ok()
            .and_then(piiscan::retention::time::unix_seconds),
        json: piiscan::redact::is_json_name(path),
        ..base.clone()
    };
    let name = path.to_string_lossy();
    let mut head = [0u8; 4096];
    let n = input.read(&mut head)?;
    if let Sniffed::Text(enc @ (Encoding::Utf16Le | Encoding::Utf16Be)) = sniff(&head[..n]) {
        return redact_utf16(scanner, redactor, path, enc, out, options);
    }
    match archive_kind(path, &head[..n]) {
        Some(ArchiveKind::Zip) => {
            return piiscan::redact::archive::redact_zip(
                scanner,
                redactor,
                File::open(path)?,
                out,
                &options,
            )
        }
        Some(ArchiveKind::Tar) => {
            return piiscan::redact::archive::redact_tar(
                scanner,
                redactor,
                &mut File::open(path)?,
                out,
                &options,
            )
        }
        _ => {}
    }
    if let Some(c) = compress::detect(&head[..n]) {
        // Compressed files stay compressed in the same format.
        let inner = c.inner_name(&name);
        let mut decoded = compress::decode(c, File::open(path)?, compress::Limits::default())?;
        let mut encoder = compress::Encoder::new(c, out)?;
        if inner.to_ascii_lowercase().ends_with(".tar")
            || name.to_ascii_lowercase().ends_with(".tgz")
        {
            let counts = piiscan::redact::archive::redact_tar(
                scanner,
                redactor,
                &mut decoded,
                &mut encoder,
                &options,
            )?;
            encoder.finish()?;
            return Ok(counts);
        }
        // Offsets inside compressed content are not offsets in the file: unredact works on
        // plain files only, so no spans are kept.
        let mut counts = piiscan::redact::redact_named(
            scanner,
            redactor,
            &inner,
            &[],
            &mut decoded,
            &mut encoder,
            options,
        )?;
        encoder.finish()?;
        counts.fpe_spans.clear();
        return Ok(counts);
    }
    piiscan::redact::redact_named(scanner, redactor, &name, &head[..n], input, out, options)
}

/// A UTF-16 file: decoded, redacted as text (with its structure), written back in the same
/// byte order, with its BOM if it had one. Malformed UTF-16 is refused, not mangled.
fn redact_utf16(
    scanner: &Scanner,
    redactor: &Redactor,
    path: &Path,
    enc: Encoding,
    out: &mut dyn Write,
    options: StreamOptions,
) -> io::Result<RedactCounts> {
    let bytes = fs::read(path)?;
    let bom: &[u8] = match enc {
        Encoding::Utf16Be => &[0xFE, 0xFF],
        _ => &[0xFF, 0xFE],
    };
    let has_bom = bytes.starts_with(bom);
    let body = &bytes[if has_bom { 2 } else { 0 }..];
    let text = piiscan::source::decode::utf16_to_string(body, enc).ok_or_else(|| {
        io::Error::other("malformed UTF-16 (odd length or unpaired surrogate): not written")
    })?;
    let mut redacted = Vec::with_capacity(text.len());
    let name = path.to_string_lossy();
    let head_len = text.len().min(8192);
    let head_len = (0..=head_len)
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0);
    let (head, rest) = text.as_bytes().split_at(head_len);
    let mut counts = piiscan::redact::redact_named(
        scanner,
        redactor,
        &name,
        head,
        &mut &rest[..],
        &mut redacted,
        options,
    )?;
    let redacted = String::from_utf8(redacted)
        .map_err(|_| io::Error::other("redaction produced invalid text: not written"))?;
    if has_bom {
        out.write_all(bom)?;
    }
    let encoded = piiscan::source::decode::string_to_utf16(&redacted, enc);
    out.write_all(&encoded)?;
    // Counts in the file's own bytes; spans would be UTF-8 offsets, so none are kept.
    counts.fpe_spans.clear();
    counts.bytes_in = bytes.len() as u64;
    counts.bytes_out = (encoded.len() + if has_bom { 2 } else { 0 }) as u64;
    Ok(counts)
}

/// Hex SHA-256 of a file's bytes.
pub(crate) fn sha256_file(path: &Path) -> io::Result<String> {
    use sha2::Digest;
    let mut hasher = sha2::Sha256::new();
    io::copy(&mut File::open(path)?, &mut hasher)?;
    Ok(hex::encode(hasher.finalize()))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ArchiveKind {
    Zip,
    Tar,
    /// An Office package or PDF: scanned, never rewritten.
    Document,
}

/// Zip and plain tar archives by their bytes (compressed tars are found as compressed files);
/// zips that are Office packages, and PDFs, are documents.
fn archive_kind(path: &Path, head: &[u8]) -> Option<ArchiveKind> {
    if head.starts_with(b"%PDF-") {
        return Some(ArchiveKind::Document);
    }
    if head.starts_with(b"PK\x03\x04") {
        let office = File::open(path)
            .ok()
            .and_then(|f| zip::ZipArchive::new(f).ok())
            .is_some_and(|z| piiscan::source::document::ooxml_kind(&z).is_some());
        return Some(if office {
            ArchiveKind::Document
        } else {
            ArchiveKind::Zip
        });
    }
    (head.len() > 262 && &head[257..262] == b"ustar").then_some(ArchiveKind::Tar)
}

/// `DIR/<input as given>`, normalised lexically so it cannot climb out of DIR: `a/../b` is
/// `b`, and leading `..` components are dropped (`../data/x.log` lands at `DIR/data/x.log`).
pub(crate) fn mirrored(out: &Path, display: &str) -> Result<PathBuf, String> {
    let mut parts: Vec<&std::ffi::OsStr> = Vec::new();
    for c in Path::new(display).components() {
        match c {
            Component::Normal(p) => parts.push(p),
            Component::ParentDir => {
                parts.pop();
            }
            Component::CurDir | Component::RootDir | Component::Prefix(_) => {}
        }
    }
    if parts.is_empty() {
        return Err("no file name to write under the output folder".into());
    }
    Ok(parts.iter().fold(out.to_path_buf(), |d, p| d.join(p)))
}

/// Redacts `src` into a temporary file next to `dest`, then renames it over `dest`: readers
/// of `dest` see the old file or the new one, never a part.
fn redact_file_atomically(
    scanner: &Scanner,
    redactor: &Redactor,
    src: &Path,
    dest: &Path,
    backup: Option<&str>,
    base: &StreamOptions,
) -> io::Result<RedactCounts> {
    let dir = dest
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let meta = fs::metadata(src)?;
    let mut input = File::open(src)?;
    let tmp = tempfile::Builder::new()
        .prefix(".piiscan-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    let counts = {
        let mut w = BufWriter::with_capacity(1 << 20, tmp.as_file());
        let c = redact_file_contents(scanner, redactor, src, &mut input, &mut w, base)?;
        w.flush()?;
        c
    };
    tmp.as_file().sync_all()?;
    let mut counts = counts;
    if !counts.fpe_spans.is_empty() {
        counts.output_sha256 = Some(sha256_file(tmp.path())?);
    }
    fs::set_permissions(tmp.path(), meta.permissions())?;
    if let Ok(mtime) = meta.modified() {
        let _ = tmp.as_file().set_modified(mtime);
    }
    if let Some(suffix) = backup {
        let mut b = dest.as_os_str().to_owned();
        b.push(suffix);
        fs::copy(dest, PathBuf::from(b))?;
    }
    tmp.persist(dest).map_err(|e| e.error)?;
    Ok(counts)
}

fn redact_one(
    scanner: &Scanner,
    redactor: &Redactor,
    args: &RedactArgs,
    base: &StreamOptions,
    input: &Input,
) -> FileReport {
    let (path, display) = match input {
        Input::File { path, display } => (path, display),
        Input::Database(t) => {
            return FileReport {
                path: t.display(),
                output: None,
                status: "error",
                reason: Some("live databases are never written: redact a dump instead".into()),
                counts: RedactCounts::default(),
            }
        }
        Input::Stdin => unreachable!("stdin is handled by the caller"),
    };
    let report = |status, output: Option<String>, reason: Option<String>, counts| FileReport {
        path: display.clone(),
        output,
        status,
        reason,
        counts,
    };
    let mut head = [0u8; 8192];
    let n = match File::open(path).and_then(|mut f| f.read(&mut head)) {
        Ok(n) => n,
        Err(e) => {
            return report(
                "error",
                None,
                Some(piiscan::error::io_reason(&e)),
                RedactCounts::default(),
            )
        }
    };
    let compressed = compress::detect(&head[..n]).is_some();
    let archive = archive_kind(path, &head[..n]);
    if archive == Some(ArchiveKind::Document) {
        return report(
            "skipped",
            None,
            Some("PDF or Office document: scanned, but not redacted and not copied".into()),
            RedactCounts::default(),
        );
    }
    match sniff(&head[..n]) {
        _ if archive.is_some() => {}
        Sniffed::Binary if !scanner.options().binary && !compressed => {
            let lower = display.to_ascii_lowercase();
            let document = head[..n].starts_with(b"%PDF-")
                || [".docx", ".xlsx", ".pptx", ".doc", ".xls", ".ppt"]
                    .iter()
                    .any(|e| lower.ends_with(e));
            let reason = if document {
                "PDF or Office document: scanned, but not redacted and not copied"
            } else {
                "binary: not redacted, not copied"
            };
            return report(
                "skipped",
                None,
                Some(reason.into()),
                RedactCounts::default(),
            );
        }
        _ => {}
    }
    if args.dry_run {
        let mut sink = io::sink();
        return match File::open(path).and_then(|mut f| {
            redact_file_contents(scanner, redactor, path, &mut f, &mut sink, base)
        }) {
            Ok(c) => report(
                if c.redacted > 0 {
                    "would_redact"
                } else {
                    "unchanged"
                },
                None,
                None,
                c,
            ),
            Err(e) => report(
                "error",
                None,
                Some(piiscan::error::io_reason(&e)),
                RedactCounts::default(),
            ),
        };
    }
    let dest = if args.in_place {
        path.clone()
    } else if let Some(out) = &args.out {
        match mirrored(out, display) {
            Ok(d) => d,
            Err(reason) => return report("error", None, Some(reason), RedactCounts::default()),
        }
    } else {
        return report(
            "error",
            None,
            Some("no --out DIR or --in-place given".into()),
            RedactCounts::default(),
        );
    };
    match redact_file_atomically(scanner, redactor, path, &dest, args.backup.as_deref(), base) {
        Ok(c) => report(
            if c.redacted > 0 {
                "redacted"
            } else {
                "unchanged"
            },
            Some(dest.display().to_string()),
            None,
            c,
        ),
        Err(e) => report(
            "error",
            Some(dest.display().to_string()),
            Some(piiscan::error::io_reason(&e)),
            RedactCounts::default(),
        ),
    }
}

pub fn run(args: RedactArgs) -> Result<i32> {
    let redactor = build_redactor(&args)?;
    let Prepared {
        engine,
        opts,
        inputs,
        walk_errors,
        config,
    } = prepare(&args.common)?;
    let base = StreamOptions {
        older_than: if args.older_than.is_empty() {
            None
        } else {
            Some(std::sync::Arc::new(AgeFilter {
                dater: args.dating.dater(&config)?,
                limits: super::retention::limits(&args.older_than, &config, "--older-than")?,
            }))
        },
        ..Default::default()
    };
    let scanner = Scanner::new(engine, opts);
    let stdin_only = inputs.contains(&Input::Stdin);
    if stdin_only {
        anyhow::ensure!(
            inputs.len() == 1,
            "'-' (stdin to stdout) cannot be mixed with other inputs"
        );
        let stdout = io::stdout();
        let mut out = BufWriter::new(stdout.lock());
        let counts = redact_stream(
            &scanner,
            &redactor,
            &mut io::stdin().lock(),
            &mut out,
            StreamOptions {
                flush_lines: true,
                ..base.clone()
            },
        )
        .context("redacting stdin")?;
        let mut counts = counts;
        counts.fpe_spans.clear();
        if let Some(p) = &args.report {
            write_manifest(
                p,
                &[FileReport {
                    path: "-".into(),
                    output: Some("-".into()),
                    status: "redacted",
                    reason: None,
                    counts,
                }],
                // Stdout has no file to check against: no spans, no key check.
                None,
            )?;
        }
        return Ok(0);
    }
    anyhow::ensure!(
        args.out.is_some() || args.in_place || args.dry_run,
        "give --out DIR, --in-place or --dry-run (or '-' to filter stdin)"
    );
    if let Some(out) = &args.out {
        // An output folder inside an input folder would be read back as input by the next run.
        let out_abs = fs::canonicalize(out).or_else(|_| {
            std::env::current_dir()
                .and_then(fs::canonicalize)
                .map(|cwd| cwd.join(out))
        });
        for p in &args.common.paths {
            if let (Ok(a), Ok(b)) = (&out_abs, fs::canonicalize(p)) {
                anyhow::ensure!(
                    !(b.is_dir() && a.starts_with(&b)),
                    "the output folder {} is inside the input {p}",
                    out.display()
                );
            }
        }
    }
    let mut state = match &args.state {
        Some(p) => Some(piiscan::redact::state::State::load(p).map_err(anyhow::Error::msg)?),
        None => None,
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(scanner.options().threads)
        .build()?;
    let reports: Vec<FileReport> = pool.install(|| {
        inputs
            .par_iter()
            .map(|i| match (i, &state) {
                // With --older-than an unchanged file still ages: it is checked again.
                (Input::File { path, display }, Some(st))
                    if base.older_than.is_none() && st.already_done(display, path) =>
                {
                    FileReport {
                        path: display.clone(),
                        output: None,
                        status: "already_processed",
                        reason: None,
                        counts: RedactCounts::default(),
                    }
                }
                _ => redact_one(&scanner, &redactor, &args, &base, i),
            })
            .collect()
    });
    if let (Some(st), Some(p), false) = (state.as_mut(), &args.state, args.dry_run) {
        for (r, i) in reports.iter().zip(&inputs) {
            if let (Input::File { path, display }, "redacted" | "unchanged") = (i, r.status) {
                // In place, the file now on disk is the redacted one; with --out the input
                // is unchanged. Either way that is what the next run will see.
                st.record(display, path)
                    .with_context(|| format!("recording {display} in the state"))?;
            }
        }
        st.save(p)
            .with_context(|| format!("cannot write state {}", p.display()))?;
    }
    let mut total = RedactCounts::default();
    let mut errors = walk_errors.len();
    for r in &reports {
        total.add(&r.counts);
        if !args.quiet {
            for m in &r.counts.not_copied {
                eprintln!("piiscan: {}!/{}: {}", r.path, m.path, m.reason);
            }
        }
        if r.status == "error" {
            errors += 1;
            eprintln!(
                "piiscan: {}: {}",
                r.path,
                r.reason.as_deref().unwrap_or("error")
            );
        }
    }
    if let Some(p) = &args.report {
        write_manifest(p, &reports, redactor.fpe_key_check())?;
    }
    if !args.quiet {
        let changed = reports
            .iter()
            .filter(|r| r.status == "redacted" || r.status == "would_redact")
            .count();
        eprintln!(
            "{} value{} {}redacted in {changed} of {} file{}; {} error{}",
            total.redacted,
            if total.redacted == 1 { "" } else { "s" },
            if args.dry_run { "would be " } else { "" },
            reports.len(),
            if reports.len() == 1 { "" } else { "s" },
            errors,
            if errors == 1 { "" } else { "s" }
        );
    }
    Ok(if errors > 0 { 2 } else { 0 })
}

fn write_manifest(path: &Path, files: &[FileReport], fpe_key_check: Option<&str>) -> Result<()> {
    let mut total = RedactCounts::default();
    for f in files {
        total.add(&f.counts);
    }
    let mut doc = serde_json::json!({"schema": 1, "files": files, "totals": total});
    if let Some(check) =
        fpe_key_check.filter(|_| files.iter().any(|f| !f.counts.fpe_spans.is_empty()))
    {
        doc["fpe_key_check"] = serde_json::Value::from(check);
    }
    fs::write(path, serde_json::to_string_pretty(&doc)?)
        .with_context(|| format!("cannot write report {}", path.display()))
}
