//! `piiscan inventory`: aggregate a scan into a data inventory (json, csv, markdown, html), or
//! compare two JSON inventories (`--diff OLD NEW`).

use super::common::{prepare, CommonArgs, Prepared};
use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use piiscan::report::inventory::{diff, to_csv, to_markdown, Inventory, InventorySink};
use piiscan::scan::{ScanOptions, Scanner, Stats};
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum InventoryFormat {
    Json,
    Csv,
    Markdown,
    /// One self-contained page (summary, heatmap, chart, sortable tables, coverage).
    Html,
}

#[derive(Args, Debug)]
pub struct InventoryArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    #[arg(long, value_enum, default_value = "json")]
    pub format: InventoryFormat,
    /// Write the inventory to FILE instead of stdout.
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
    /// Compare two JSON inventories (OLD NEW): list stores and detectors that are new; exit 1
    /// when there are any.
    #[arg(long, num_args = 2, value_names = ["OLD", "NEW"])]
    pub diff: Option<Vec<PathBuf>>,
    /// How records are dated for each store's age range (oldest and newest record).
    #[command(flatten)]
    pub dating: super::retention::DatingArgs,
}

fn load(path: &PathBuf) -> Result<Inventory> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    serde_json::from_str(&text)
        .with_context(|| format!("{} is not a piiscan JSON inventory", path.display()))
}

pub fn run(args: InventoryArgs) -> Result<i32> {
    if let Some(pair) = &args.diff {
        let (old, new) = (load(&pair[0])?, load(&pair[1])?);
        let changes = diff(&old, &new);
        for c in &changes {
            outln!("{c}")?;
        }
        return Ok(if changes.is_empty() { 0 } else { 1 });
    }
    let Prepared {
        engine,
        opts,
        inputs,
        walk_errors,
        config,
    } = prepare(&args.common)?;
    let dater = args.dating.dater(&config)?;
    let key = piiscan::filter::random_key().context("no randomness for distinct counts")?;
    let scanner = Scanner::new(
        engine,
        ScanOptions {
            digest_key: Some(key),
            dater: Some(std::sync::Arc::new(dater)),
            ..opts
        },
    );
    let mut sink = InventorySink::new();
    for e in &walk_errors {
        piiscan::scan::Sink::error(&mut sink, &e.path, &e.reason)?;
    }
    scanner.run(&inputs, &mut sink, &Stats::default())?;
    let inv = sink.inventory();
    for e in &inv.coverage.errors {
        eprintln!("piiscan: {}: {}", e.path, e.reason);
    }
    let bytes = match args.format {
        InventoryFormat::Json => {
            let mut v = serde_json::to_vec_pretty(&inv)?;
            v.push(b'\n');
            v
        }
        InventoryFormat::Csv => to_csv(&inv)?,
        InventoryFormat::Markdown => to_markdown(&inv).into_bytes(),
        InventoryFormat::Html => piiscan::report::html::to_html(&inv).into_bytes(),
    };
    match &args.output {
        Some(p) => {
            std::fs::write(p, bytes).with_context(|| format!("cannot write {}", p.display()))?
        }
        None => std::io::stdout().write_all(&bytes)?,
    }
    Ok(if !inv.coverage.errors.is_empty() {
        2
    } else if inv.stores.is_empty() {
        0
    } else {
        1
    })
}
