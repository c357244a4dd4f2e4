//! `piiscan patterns list|check`.

use anyhow::{Context, Result};
use clap::Subcommand;
use piiscan::detect::{check::check_examples, Catalog};
use std::path::PathBuf;

#[derive(Subcommand, Debug)]
pub enum PatternsCmd {
    /// List detectors: id, category, sensitivity, trigger, validator, example counts.
    List {
        /// Extra pattern packs (file or directory) to include.
        #[arg(long)]
        patterns: Vec<PathBuf>,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Compile pattern packs and run every example and negative example; exit 1 on a failure.
    /// Without FILE, checks the built-in packs.
    Check {
        /// Pack files or directories to check instead of the built-in packs.
        files: Vec<PathBuf>,
    },
}

pub fn run(cmd: PatternsCmd) -> Result<i32> {
    match cmd {
        PatternsCmd::List { patterns, json } => {
            let mut catalog = Catalog::builtin()?;
            for p in &patterns {
                catalog.add_path(p)?;
            }
            if json {
                let rows: Vec<_> = catalog
                    .detectors
                    .iter()
                    .map(|d| {
                        serde_json::json!({
                            "id": d.id, "variant": d.variant, "name": d.name, "category": d.category,
                            "sensitivity": d.sensitivity, "confidence": d.confidence,
                            "validator": d.validator, "trigger": format!("{:?}", d.trigger).to_lowercase(),
                            "examples": d.examples.len(), "negative_examples": d.negative_examples.len(),
                            "pack": d.pack,
                        })
                    })
                    .collect();
                outln!("{}", serde_json::to_string_pretty(&rows)?)?;
                return Ok(0);
            }
            outln!(
                "{:<24} {:<12} {:<14} {:<7} {:<20} {:>4} {:>4}",
                "ID",
                "CATEGORY",
                "SENSITIVITY",
                "CONF",
                "VALIDATOR",
                "EX",
                "NEG"
            )?;
            for d in &catalog.detectors {
                let id = match &d.variant {
                    Some(v) => format!("{} ({v})", d.id),
                    None => d.id.clone(),
                };
                outln!(
                    "{:<24} {:<12} {:<14} {:<7} {:<20} {:>4} {:>4}",
                    id,
                    d.category,
                    d.sensitivity.as_str(),
                    d.confidence.as_str(),
                    d.validator.as_deref().unwrap_or("-"),
                    d.examples.len(),
                    d.negative_examples.len()
                )?;
            }
            Ok(0)
        }
        PatternsCmd::Check { files } => {
            let catalog = if files.is_empty() {
                Catalog::builtin()?
            } else {
                let mut c = Catalog::default();
                for f in &files {
                    c.add_path(f)
                        .with_context(|| format!("loading {}", f.display()))?;
                }
                c
            };
            let (failures, count) = check_examples(&catalog)?;
            for f in &failures {
                eprintln!("FAIL {f}");
            }
            if failures.is_empty() {
                outln!(
                    "ok: {} detectors, {count} examples",
                    catalog.detectors.len()
                )?;
                Ok(0)
            } else {
                outln!("{} of {count} examples failed", failures.len())?;
                Ok(1)
            }
        }
    }
}
