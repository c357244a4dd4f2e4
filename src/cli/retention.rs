//! `piiscan retention`: personal data kept longer than its retention limit, per store and
//! detector; and the dating flags `redact --older-than` shares.

use super::common::{prepare, CommonArgs, Prepared};
use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use piiscan::config::Config;
use piiscan::retention::{time, DateOrder, Dater, Limits, RetentionSink};
use piiscan::scan::{ScanOptions, Scanner, Sink, Stats};
use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

/// How records are dated.
#[derive(Args, Debug, Clone, Default)]
pub struct DatingArgs {
    /// "Today" for ages: YYYY-MM-DD or RFC 3339 (default: the clock), for reproducible runs.
    #[arg(long, value_name = "DATE")]
    pub now: Option<String>,
    /// Reading of ambiguous numeric dates such as 01/02/2023: dmy, mdy, or oldest (the older
    /// of the two readings; the default). A field above 12 and a dotted date decide alone.
    #[arg(long, value_name = "ORDER")]
    pub date_order: Option<String>,
    /// The date column or key that gives a record's age (repeatable; default: picked by name,
    /// e.g. updated_at, created_at, invoice_date, ts).
    #[arg(long, value_name = "NAME", value_delimiter = ',')]
    pub date_field: Vec<String>,
}

impl DatingArgs {
    pub fn dater(&self, config: &Config) -> Result<Dater> {
        let now = match &self.now {
            Some(s) => time::parse_user_date(s)
                .with_context(|| format!("--now {s}: expected YYYY-MM-DD or RFC 3339"))?,
            None => time::unix_seconds(std::time::SystemTime::now()).unwrap_or(0),
        };
        let order: DateOrder = match self
            .date_order
            .as_ref()
            .or(config.retention.date_order.as_ref())
        {
            Some(s) => s.parse().map_err(anyhow::Error::msg)?,
            None => DateOrder::default(),
        };
        let fields = if self.date_field.is_empty() {
            &config.retention.date_fields
        } else {
            &self.date_field
        };
        Ok(Dater::new(now, order, fields))
    }
}

/// The `[retention]` limits of the config, then `flag` values over them.
pub fn limits(args: &[String], config: &Config, flag: &str) -> Result<Limits> {
    let mut limits = Limits::default();
    for (sel, age) in &config.retention.limits {
        limits
            .add(&format!("{sel}={age}"))
            .map_err(anyhow::Error::msg)
            .context("config [retention]")?;
    }
    for a in args {
        limits
            .add(a)
            .map_err(anyhow::Error::msg)
            .with_context(|| format!("{flag} {a}"))?;
    }
    Ok(limits)
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum RetentionFormat {
    Text,
    Json,
}

#[derive(Args, Debug)]
pub struct RetentionArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Maximum age: `13mo`, `1y`, `60d`, or per detector / family / category:
    /// `credit_card=13mo`, `default=1y` (repeatable; over `[retention]` in piiscan.toml).
    #[arg(long, value_name = "AGE")]
    pub max_age: Vec<String>,
    #[command(flatten)]
    pub dating: DatingArgs,
    #[arg(long, value_enum, default_value = "text")]
    pub format: RetentionFormat,
    /// Write the report to FILE instead of stdout.
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
}

/// Exit 0: nothing over its limit; 1: something is; 2: an input could not be read.
pub fn run(args: RetentionArgs) -> Result<i32> {
    let Prepared {
        engine,
        opts,
        inputs,
        walk_errors,
        config,
    } = prepare(&args.common)?;
    let limits = limits(&args.max_age, &config, "--max-age")?;
    anyhow::ensure!(
        !limits.is_empty(),
        "no retention limit: give --max-age (e.g. 13mo) or a [retention] table in piiscan.toml"
    );
    let dater = args.dating.dater(&config)?;
    let (now, order) = (dater.now, dater.order);
    let scanner = Scanner::new(
        engine,
        ScanOptions {
            dater: Some(Arc::new(dater)),
            ..opts
        },
    );
    let mut sink = RetentionSink::new(limits, now, order);
    let mut errors = walk_errors.len();
    for e in &walk_errors {
        sink.error(&e.path, &e.reason)?;
    }
    let mut printing = ErrorPrinter {
        inner: &mut sink,
        errors: 0,
    };
    scanner.run(&inputs, &mut printing, &Stats::default())?;
    errors += printing.errors;
    let report = sink.report();
    let bytes = match args.format {
        RetentionFormat::Text => piiscan::retention::to_text(&report).into_bytes(),
        RetentionFormat::Json => {
            let mut v = serde_json::to_vec_pretty(&report)?;
            v.push(b'\n');
            v
        }
    };
    match &args.output {
        Some(p) => {
            std::fs::write(p, bytes).with_context(|| format!("cannot write {}", p.display()))?
        }
        None => std::io::stdout().write_all(&bytes)?,
    }
    Ok(if errors > 0 {
        2
    } else if report.totals.records_over > 0 {
        1
    } else {
        0
    })
}

/// Prints each unreadable input as one line on stderr while passing everything on.
struct ErrorPrinter<'a> {
    inner: &'a mut dyn Sink,
    errors: usize,
}

impl Sink for ErrorPrinter<'_> {
    fn finding(&mut self, f: &piiscan::Finding) -> std::io::Result<()> {
        self.inner.finding(f)
    }
    fn skipped(&mut self, path: &str, reason: &str) -> std::io::Result<()> {
        self.inner.skipped(path, reason)
    }
    fn error(&mut self, path: &str, reason: &str) -> std::io::Result<()> {
        self.errors += 1;
        eprintln!("piiscan: {path}: {reason}");
        self.inner.error(path, reason)
    }
    fn scanned(
        &mut self,
        path: &str,
        bytes: u64,
        structure: Option<&piiscan::scan::StructureSummary>,
    ) -> std::io::Result<()> {
        self.inner.scanned(path, bytes, structure)
    }
    fn finish(&mut self, stats: &Stats) -> std::io::Result<()> {
        self.inner.finish(stats)
    }
}
