//! Sinks that print findings: human text (ripgrep-like), JSON, JSON Lines, CSV and SARIF.

mod csv_out;
pub mod html;
pub mod inventory;
mod json;
mod sarif;
mod text;

pub use csv_out::CsvSink;
pub use json::{JsonSink, JsonlSink};
pub use sarif::SarifSink;
pub use text::TextSink;

use crate::detect::DetectorSpec;
use std::io::Write;

/// Output formats of `scan`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
    Jsonl,
    Sarif,
    Csv,
}

/// Builds the sink for a format. `detectors` describe the rules (SARIF lists them).
pub fn sink_for(
    format: Format,
    out: Box<dyn Write + Send>,
    color: bool,
    detectors: Vec<DetectorSpec>,
) -> Box<dyn crate::scan::Sink + Send> {
    match format {
        Format::Text => Box::new(TextSink::new(out, color)),
        Format::Json => Box::new(JsonSink::new(out)),
        Format::Jsonl => Box::new(JsonlSink::new(out)),
        Format::Csv => Box::new(CsvSink::new(out)),
        Format::Sarif => Box::new(SarifSink::new(out, detectors)),
    }
}

/// A byte count for people: `512 B`, `1.5 KB`, `2.0 GB` (binary multiples).
pub fn human_bytes(b: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KB", "MB", "GB", "TB"];
    let mut v = b as f64;
    let mut u = 0;
    while v >= 1024.0 && u < UNITS.len() - 1 {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{b} B")
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}
