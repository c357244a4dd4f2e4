//! Flags shared by the commands that read inputs (`scan`, `redact`), and turning them plus
//! `piiscan.toml` into an engine, scan options and the list of inputs.

use anyhow::{Context, Result};
use clap::Args;
use piiscan::config::{parse_size, Config};
use piiscan::detect::{Catalog, Engine, EngineOptions};
use piiscan::filter::Allowlist;
use piiscan::scan::ScanOptions;
use piiscan::source::{walk_inputs, Input, WalkOptions};
use piiscan::Confidence;
use std::io::{self, IsTerminal};
use std::path::{Path, PathBuf};

#[derive(Args, Debug)]
pub struct CommonArgs {
    /// Files or folders; '-' reads stdin. Default: stdin when piped, else '.'.
    pub paths: Vec<String>,
    /// Extra pattern packs (file or directory of *.toml).
    #[arg(long)]
    pub patterns: Vec<PathBuf>,
    /// Only these detector ids or categories (comma-separated or repeated).
    #[arg(long, value_delimiter = ',')]
    pub only: Vec<String>,
    /// Skip these detector ids or categories.
    #[arg(long, value_delimiter = ',')]
    pub skip: Vec<String>,
    /// Lowest confidence reported (and counted for the exit code).
    #[arg(long, value_parser = parse_confidence)]
    pub min_confidence: Option<Confidence>,
    /// Only files matching these globs.
    #[arg(long, short = 'g')]
    pub include: Vec<String>,
    /// Leave out files matching these globs.
    #[arg(long)]
    pub exclude: Vec<String>,
    /// Skip files larger than this (e.g. 100MB).
    #[arg(long)]
    pub max_filesize: Option<String>,
    /// Worker threads (default: one per core).
    #[arg(long, short = 'j')]
    pub threads: Option<usize>,
    /// Config file (default: ./piiscan.toml when present).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Scan files that look binary instead of skipping them.
    #[arg(long)]
    pub binary: bool,
    /// Follow symbolic links inside folders.
    #[arg(long, short = 'L')]
    pub follow: bool,
    /// Read CSV, JSON and SQL dumps as plain text (no columns, key paths or column hints).
    #[arg(long)]
    pub no_structure: bool,
    /// Bytes per chunk for large files and stdin blocks (tests use small chunks).
    #[arg(long, hide = true)]
    pub chunk_size: Option<String>,
    /// Databases: rows read per table (a sample; TABLESAMPLE where the server has it).
    #[arg(
        long,
        value_name = "ROWS",
        default_value_t = 10_000,
        help_heading = "Databases"
    )]
    pub sample: u64,
    /// Databases: read every row (server-side cursor, bounded memory).
    #[arg(long, conflicts_with = "sample", help_heading = "Databases")]
    pub full: bool,
    /// Databases: connections scanning tables in parallel.
    #[arg(
        long,
        value_name = "N",
        default_value_t = 4,
        help_heading = "Databases"
    )]
    pub connections: usize,
    /// Databases: read every column cast to text, not only text-like and personal-named ones.
    #[arg(long, help_heading = "Databases")]
    pub all_columns: bool,
    /// Databases: longest one statement may run, in seconds.
    #[arg(
        long,
        value_name = "SECS",
        default_value_t = 300,
        help_heading = "Databases"
    )]
    pub statement_timeout: u64,
}

fn parse_confidence(s: &str) -> Result<Confidence, String> {
    s.parse()
}

/// Reads a key: `--key-file`, else `PIISCAN_KEY`.
pub fn load_key(key_file: Option<&Path>) -> Result<Option<Vec<u8>>> {
    if let Some(p) = key_file {
        let k = std::fs::read(p).with_context(|| format!("key file {}", p.display()))?;
        let trimmed = String::from_utf8_lossy(&k).trim().as_bytes().to_vec();
        anyhow::ensure!(!trimmed.is_empty(), "key file {} is empty", p.display());
        return Ok(Some(trimmed));
    }
    Ok(std::env::var("PIISCAN_KEY")
        .ok()
        .filter(|k| !k.is_empty())
        .map(String::into_bytes))
}

pub struct Prepared {
    pub engine: Engine,
    pub opts: ScanOptions,
    pub inputs: Vec<Input>,
    pub walk_errors: Vec<piiscan::source::walk::WalkError>,
    /// The loaded `piiscan.toml` (or defaults), for command-specific sections.
    pub config: Config,
}

/// Loads config and packs, builds the engine and options, and walks the inputs (printing
/// walk errors as they are one line each).
pub fn prepare(args: &CommonArgs) -> Result<Prepared> {
    prepare_with(args, None)
}

/// [`prepare`] with a catalogue of the caller's instead of the configured packs (subject
/// search runs its own detectors; compiling the whole catalogue would be wasted).
pub fn prepare_with(args: &CommonArgs, own_catalog: Option<Catalog>) -> Result<Prepared> {
    let config = match &args.config {
        Some(p) => Config::load(p)?,
        None if Path::new("piiscan.toml").is_file() => Config::load(Path::new("piiscan.toml"))?,
        None => Config::default(),
    };
    let catalog = match own_catalog {
        Some(c) => c,
        None => {
            let mut catalog = Catalog::builtin()?;
            for p in config
                .scan
                .patterns
                .iter()
                .map(PathBuf::from)
                .chain(args.patterns.iter().cloned())
            {
                catalog.add_path(&p)?;
            }
            catalog
        }
    };
    let engine_opts = EngineOptions {
        only: if args.only.is_empty() {
            config.scan.only.clone()
        } else {
            args.only.clone()
        },
        skip: config.scan.skip.iter().chain(&args.skip).cloned().collect(),
    };
    let engine = Engine::new(&catalog, &engine_opts)?;
    anyhow::ensure!(!engine.is_empty(), "no detector left after --only/--skip");
    let min_confidence = match (args.min_confidence, &config.scan.min_confidence) {
        (Some(c), _) => c,
        (None, Some(s)) => s
            .parse()
            .map_err(anyhow::Error::msg)
            .context("config min_confidence")?,
        (None, None) => Confidence::Medium,
    };
    let size = |s: &String| parse_size(s).map_err(anyhow::Error::msg);
    let max_filesize = args
        .max_filesize
        .as_ref()
        .or(config.scan.max_filesize.as_ref())
        .map(size)
        .transpose()?;
    let defaults = ScanOptions::default();
    let opts = ScanOptions {
        min_confidence,
        binary: args.binary,
        max_filesize,
        threads: args.threads.or(config.scan.threads).unwrap_or(0),
        allowlist: Allowlist::new(&config.allowlist.values, &config.allowlist.regexes)?,
        chunk_size: args
            .chunk_size
            .as_ref()
            .map(size)
            .transpose()?
            .map_or(defaults.chunk_size, |c| c as usize),
        structure: !args.no_structure,
        db: piiscan::db::DbOptions {
            sample: (!args.full).then_some(args.sample),
            connections: args.connections.max(1),
            all_columns: args.all_columns,
            statement_timeout: args.statement_timeout.max(1),
            ..defaults.db.clone()
        },
        ..defaults
    };
    let paths = if args.paths.is_empty() {
        vec![if io::stdin().is_terminal() { "." } else { "-" }.to_string()]
    } else {
        args.paths.clone()
    };
    let walk_opts = WalkOptions {
        include: config
            .scan
            .include
            .iter()
            .chain(&args.include)
            .cloned()
            .collect(),
        exclude: config
            .scan
            .exclude
            .iter()
            .chain(&args.exclude)
            .cloned()
            .collect(),
        follow_links: args.follow,
    };
    let (inputs, walk_errors) = walk_inputs(&paths, &walk_opts).map_err(anyhow::Error::msg)?;
    for e in &walk_errors {
        eprintln!("piiscan: {}: {}", e.path, e.reason);
    }
    Ok(Prepared {
        engine,
        opts,
        inputs,
        walk_errors,
        config,
    })
}
