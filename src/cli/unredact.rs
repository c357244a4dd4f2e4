//! `piiscan unredact`: reverses the `fpe` operator with the key. On files, exactly the spans a
//! redaction manifest (`redact --report`) recorded for that output are decrypted, after its
//! SHA-256 shows the file is the one written; on values (`--detector ID --reveal VALUE…`), each
//! value is decrypted and printed.

use super::common::load_key;
use anyhow::{bail, Context, Result};
use clap::Args;
use piiscan::redact::fpe::Fpe;
use piiscan::redact::FpeSpan;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Args, Debug)]
pub struct UnredactArgs {
    /// Redacted files, or with --detector the encrypted values themselves.
    pub inputs: Vec<String>,
    /// The manifest `redact --report` wrote with the files.
    #[arg(long, value_name = "FILE")]
    pub manifest: Option<PathBuf>,
    /// Write the restored files under DIR (paths as given).
    #[arg(long, value_name = "DIR", conflicts_with = "in_place")]
    pub out: Option<PathBuf>,
    /// Rewrite the files atomically.
    #[arg(long)]
    pub in_place: bool,
    /// The redaction key (else PIISCAN_KEY).
    #[arg(long, value_name = "FILE")]
    pub key_file: Option<PathBuf>,
    /// Decrypt values given on the command line, found by this detector.
    #[arg(long, value_name = "ID", requires = "reveal")]
    pub detector: Option<String>,
    /// Print restored values (the only thing value mode prints).
    #[arg(long)]
    pub reveal: bool,
}

#[derive(serde::Deserialize)]
struct ManifestFile {
    path: String,
    #[serde(default)]
    fpe_spans: Vec<FpeSpan>,
    #[serde(default)]
    output_sha256: Option<String>,
}

#[derive(serde::Deserialize)]
struct Manifest {
    files: Vec<ManifestFile>,
    #[serde(default)]
    fpe_key_check: Option<String>,
}

pub fn run(args: UnredactArgs) -> Result<i32> {
    let key = load_key(args.key_file.as_deref())?
        .context("unredact needs the redaction key: --key-file FILE or PIISCAN_KEY")?;
    let fpe = Fpe::new(&key).context("unusable key")?;
    if let Some(detector) = &args.detector {
        let mut out = std::io::stdout().lock();
        let mut failed = 0;
        for v in &args.inputs {
            match fpe.decrypt(detector, v.as_bytes()) {
                Some(p) => {
                    out.write_all(&p)?;
                    out.write_all(b"\n")?;
                }
                None => {
                    failed += 1;
                    eprintln!("piiscan: a value cannot be decrypted as {detector}");
                }
            }
        }
        return Ok(if failed > 0 { 2 } else { 0 });
    }
    let manifest_path = args
        .manifest
        .as_ref()
        .context("give the redaction manifest (--manifest FILE), or --detector for values")?;
    if args.out.is_none() && !args.in_place {
        bail!("give --out DIR or --in-place");
    }
    let text = std::fs::read_to_string(manifest_path)
        .with_context(|| format!("cannot read {}", manifest_path.display()))?;
    let manifest: Manifest = serde_json::from_str(&text).with_context(|| {
        format!(
            "{} is not a piiscan redaction manifest",
            manifest_path.display()
        )
    })?;
    if let Some(check) = &manifest.fpe_key_check {
        anyhow::ensure!(
            check == fpe.key_check(),
            "this is not the key the files were redacted with"
        );
    }
    let mut errors = 0;
    let mut restored = 0u64;
    for input in &args.inputs {
        match restore(&fpe, &manifest, Path::new(input), &args) {
            Ok(n) => restored += n,
            Err(e) => {
                errors += 1;
                eprintln!("piiscan: {input}: {e:#}");
            }
        }
    }
    eprintln!(
        "{restored} value{} restored in {} file{}; {errors} error{}",
        if restored == 1 { "" } else { "s" },
        args.inputs.len() - errors,
        if args.inputs.len() - errors == 1 {
            ""
        } else {
            "s"
        },
        if errors == 1 { "" } else { "s" }
    );
    Ok(if errors > 0 { 2 } else { 0 })
}

/// Restores one file; returns how many values were decrypted.
fn restore(fpe: &Fpe, manifest: &Manifest, input: &Path, args: &UnredactArgs) -> Result<u64> {
    let sha = super::redact::sha256_file(input).context("cannot read")?;
    let entry = manifest
        .files
        .iter()
        .find(|f| f.output_sha256.as_deref() == Some(sha.as_str()))
        .context(
            "not in the manifest as written (changed since redaction, or redacted without fpe)",
        )?;
    let mut bytes = std::fs::read(input).context("cannot read")?;
    for span in &entry.fpe_spans {
        let (s, e) = (span.start as usize, span.end as usize);
        anyhow::ensure!(e <= bytes.len() && s <= e, "a span lies outside the file");
        let plain = fpe.decrypt(&span.detector, &bytes[s..e]).with_context(|| {
            format!(
                "the value at bytes {s}..{e} (redacted from {}) cannot be decrypted",
                entry.path
            )
        })?;
        anyhow::ensure!(plain.len() == e - s, "a decrypted value changed length");
        bytes[s..e].copy_from_slice(&plain);
    }
    let dest = match &args.out {
        Some(dir) => {
            super::redact::mirrored(dir, &input.to_string_lossy()).map_err(anyhow::Error::msg)?
        }
        None => input.to_path_buf(),
    };
    write_atomically(&dest, &bytes).with_context(|| format!("cannot write {}", dest.display()))?;
    Ok(entry.fpe_spans.len() as u64)
}

/// Temp file in the destination's folder, fsync, rename.
fn write_atomically(dest: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = dest
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".piiscan-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    if let Ok(meta) = std::fs::metadata(dest) {
        std::fs::set_permissions(tmp.path(), meta.permissions())?;
    }
    tmp.persist(dest).map_err(|e| e.error)?;
    Ok(())
}
