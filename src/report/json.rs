//! JSON (one document with schema version, findings, skipped inputs, errors and totals) and
//! JSON Lines (one finding object per line, streamed).

use crate::finding::{Finding, SCHEMA_VERSION};
use crate::scan::{Sink, Stats};
use serde_json::json;
use std::io::{self, Write};

pub struct JsonlSink {
    out: Box<dyn Write + Send>,
}

impl JsonlSink {
    pub fn new(out: Box<dyn Write + Send>) -> JsonlSink {
        JsonlSink { out }
    }
}

impl Sink for JsonlSink {
    fn finding(&mut self, f: &Finding) -> io::Result<()> {
        serde_json::to_writer(&mut self.out, f)?;
        self.out.write_all(b"\n")
    }
    fn finish(&mut self, _stats: &Stats) -> io::Result<()> {
        self.out.flush()
    }
}

pub struct JsonSink {
    out: Box<dyn Write + Send>,
    findings: Vec<Finding>,
    skipped: Vec<serde_json::Value>,
    errors: Vec<serde_json::Value>,
}

impl JsonSink {
    pub fn new(out: Box<dyn Write + Send>) -> JsonSink {
        JsonSink {
            out,
            findings: Vec::new(),
            skipped: Vec::new(),
            errors: Vec::new(),
        }
    }
}

impl Sink for JsonSink {
    fn finding(&mut self, f: &Finding) -> io::Result<()> {
        self.findings.push(f.clone());
        Ok(())
    }
    fn skipped(&mut self, path: &str, reason: &str) -> io::Result<()> {
        self.skipped.push(json!({"path": path, "reason": reason}));
        Ok(())
    }
    fn error(&mut self, path: &str, reason: &str) -> io::Result<()> {
        self.errors.push(json!({"path": path, "reason": reason}));
        Ok(())
    }
    fn finish(&mut self, stats: &Stats) -> io::Result<()> {
        let doc = json!({
            "schema": SCHEMA_VERSION,
            "tool": {"name": "piiscan", "version": env!("CARGO_PKG_VERSION")},
            "findings": self.findings,
            "skipped": self.skipped,
            "errors": self.errors,
            "summary": {
                "files": Stats::get(&stats.files),
                "bytes": Stats::get(&stats.bytes),
                "findings": self.findings.len(),
                "skipped": self.skipped.len(),
                "errors": self.errors.len(),
            }
        });
        serde_json::to_writer_pretty(&mut self.out, &doc)?;
        self.out.write_all(b"\n")?;
        self.out.flush()
    }
}
