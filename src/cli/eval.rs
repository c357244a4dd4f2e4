//! `piiscan eval --labels labels.jsonl PATHS...`: scans labelled inputs and prints precision,
//! recall and F1 per detector, per family and overall. A label is `{"path", "start", "end",
//! "detector"}` (byte span in the file; the path relative to any input folder); a finding
//! counts when it overlaps a label of its detector in the same file.

use super::common::{prepare, CommonArgs, Prepared};
use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use piiscan::scan::{Scanner, Stats, VecSink};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum EvalFormat {
    Text,
    Json,
}

#[derive(Args, Debug)]
pub struct EvalArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Ground truth: JSON Lines of {"path", "start", "end", "detector"}.
    #[arg(long)]
    pub labels: PathBuf,
    #[arg(long, value_enum, default_value = "text")]
    pub format: EvalFormat,
}

#[derive(Debug, Deserialize)]
struct Label {
    path: String,
    start: u64,
    end: u64,
    detector: String,
}

#[derive(Debug, Default, Clone, Serialize)]
struct Score {
    labels: u64,
    findings: u64,
    /// Labels found / findings that hit a label.
    found: u64,
    correct: u64,
    precision: f64,
    recall: f64,
    f1: f64,
}

impl Score {
    fn add(&mut self, o: &Score) {
        self.labels += o.labels;
        self.findings += o.findings;
        self.found += o.found;
        self.correct += o.correct;
    }
    fn finish(mut self) -> Score {
        self.precision = if self.findings == 0 {
            1.0
        } else {
            self.correct as f64 / self.findings as f64
        };
        self.recall = if self.labels == 0 {
            1.0
        } else {
            self.found as f64 / self.labels as f64
        };
        self.f1 = if self.precision + self.recall == 0.0 {
            0.0
        } else {
            2.0 * self.precision * self.recall / (self.precision + self.recall)
        };
        self
    }
}

/// The family a detector's accuracy is judged in (README table, test floors).
fn family(detector: &str, category: &str) -> &'static str {
    match detector {
        "person_name" => "names",
        "street_address" | "postal_code" => "addresses",
        "date_of_birth" => "dates of birth",
        _ if category == "special_category" => "special categories",
        _ => "validated identifiers",
    }
}

fn same_file(finding: &str, label: &str) -> bool {
    Path::new(finding).ends_with(label)
}

pub fn run(args: EvalArgs) -> Result<i32> {
    let text = std::fs::read_to_string(&args.labels)
        .with_context(|| format!("cannot read labels {}", args.labels.display()))?;
    let labels: Vec<Label> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .map(|(i, l)| {
            serde_json::from_str(l)
                .with_context(|| format!("{} line {}: not a label", args.labels.display(), i + 1))
        })
        .collect::<Result<_>>()?;
    let Prepared {
        engine,
        opts,
        inputs,
        walk_errors,
        ..
    } = prepare(&args.common)?;
    let categories: BTreeMap<String, String> = engine
        .specs()
        .map(|s| (s.id.clone(), s.category.clone()))
        .collect();
    let scanner = Scanner::new(engine, opts);
    let mut sink = VecSink::default();
    scanner.run(&inputs, &mut sink, &Stats::default())?;
    for (p, r) in walk_errors
        .iter()
        .map(|e| (&e.path, &e.reason))
        .chain(sink.errors.iter().map(|(p, r)| (p, r)))
    {
        eprintln!("piiscan: {p}: {r}");
    }
    let overlaps = |f: &piiscan::Finding, l: &Label| {
        same_file(&f.path, &l.path) && f.start < l.end && l.start < f.end
    };
    // Compared within a detector only, so the cost is per detector, not labels × findings.
    let mut labels_of: BTreeMap<&str, Vec<&Label>> = BTreeMap::new();
    for l in &labels {
        labels_of.entry(&l.detector).or_default().push(l);
    }
    let mut findings_of: BTreeMap<&str, Vec<&piiscan::Finding>> = BTreeMap::new();
    for f in &sink.findings {
        findings_of.entry(&f.detector).or_default().push(f);
    }
    let mut per: BTreeMap<String, Score> = BTreeMap::new();
    for (d, ls) in &labels_of {
        let fs = findings_of.get(d).map(Vec::as_slice).unwrap_or_default();
        let s = per.entry(d.to_string()).or_default();
        s.labels = ls.len() as u64;
        s.found = ls
            .iter()
            .filter(|l| fs.iter().any(|f| overlaps(f, l)))
            .count() as u64;
    }
    for (d, fs) in &findings_of {
        let ls = labels_of.get(d).map(Vec::as_slice).unwrap_or_default();
        let s = per.entry(d.to_string()).or_default();
        s.findings = fs.len() as u64;
        s.correct = fs
            .iter()
            .filter(|f| ls.iter().any(|l| overlaps(f, l)))
            .count() as u64;
    }
    let mut families: BTreeMap<&str, Score> = BTreeMap::new();
    let mut overall = Score::default();
    for (d, s) in &per {
        let cat = categories.get(d).map(String::as_str).unwrap_or("");
        families.entry(family(d, cat)).or_default().add(s);
        overall.add(s);
    }
    let per: BTreeMap<String, Score> = per.into_iter().map(|(d, s)| (d, s.finish())).collect();
    let families: BTreeMap<&str, Score> =
        families.into_iter().map(|(f, s)| (f, s.finish())).collect();
    let overall = overall.finish();
    match args.format {
        EvalFormat::Json => outln!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({
                "schema": "piiscan.eval/1",
                "detectors": per,
                "families": families,
                "overall": overall,
            }))?
        )?,
        EvalFormat::Text => {
            outln!(
                "{:<24} {:>7} {:>8} {:>9} {:>7} {:>6}",
                "detector",
                "labels",
                "findings",
                "precision",
                "recall",
                "F1"
            )?;
            let row = |name: &str, s: &Score| {
                outln!(
                    "{:<24} {:>7} {:>8} {:>9.3} {:>7.3} {:>6.3}",
                    name,
                    s.labels,
                    s.findings,
                    s.precision,
                    s.recall,
                    s.f1
                )
            };
            for (d, s) in &per {
                row(d, s)?;
            }
            outln!()?;
            for (f, s) in &families {
                row(f, s)?;
            }
            row("overall", &overall)?;
        }
    }
    Ok(0)
}
