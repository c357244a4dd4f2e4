//! SARIF 2.1.0, as GitHub code scanning reads it: one rule per detector, one result per
//! finding with a region (line, column, byte offsets) and a partial fingerprint.

use crate::detect::DetectorSpec;
use crate::finding::{Confidence, Finding};
use crate::scan::{Sink, Stats};
use serde_json::json;
use std::io::{self, Write};

pub struct SarifSink {
    out: Box<dyn Write + Send>,
    rules: Vec<DetectorSpec>,
    results: Vec<serde_json::Value>,
}

impl SarifSink {
    pub fn new(out: Box<dyn Write + Send>, mut rules: Vec<DetectorSpec>) -> SarifSink {
        rules.dedup_by(|a, b| a.id == b.id);
        SarifSink {
            out,
            rules,
            results: Vec::new(),
        }
    }
}

fn uri(path: &str) -> String {
    path.replace('\\', "/").replace(' ', "%20")
}

impl Sink for SarifSink {
    fn finding(&mut self, f: &Finding) -> io::Result<()> {
        let index = self.rules.iter().position(|r| f.detector == r.id);
        let level = match f.confidence {
            Confidence::High => "error",
            Confidence::Medium => "warning",
            Confidence::Low => "note",
        };
        let mut result = json!({
            "ruleId": f.detector,
            "level": level,
            "message": {"text": format!("{} ({}, {} confidence): {}", f.detector, f.sensitivity, f.confidence, f.masked)},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": uri(&f.path)},
                "region": {
                    "startLine": f.line,
                    "startColumn": f.column,
                    "byteOffset": f.start,
                    "byteLength": f.end - f.start
                }
            }}],
            "properties": {"category": f.category, "sensitivity": f.sensitivity, "confidence": f.confidence}
        });
        if let Some(i) = index {
            result["ruleIndex"] = json!(i);
        }
        if let Some(fp) = &f.fingerprint {
            result["partialFingerprints"] = json!({"piiscan/v1": fp});
        }
        self.results.push(result);
        Ok(())
    }

    fn finish(&mut self, _stats: &Stats) -> io::Result<()> {
        let rules: Vec<_> = self
            .rules
            .iter()
            .map(|r| {
                json!({
                    "id": r.id,
                    "name": r.id.replace('.', "_"),
                    "shortDescription": {"text": if r.name.is_empty() { r.id.clone() } else { r.name.clone() }},
                    "defaultConfiguration": {"level": match r.confidence { Confidence::High => "error", Confidence::Medium => "warning", Confidence::Low => "note" }},
                    "properties": {"category": r.category, "sensitivity": r.sensitivity, "tags": ["privacy", r.category.as_str()]}
                })
            })
            .collect();
        let doc = json!({
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [{
                "tool": {"driver": {
                    "name": "piiscan",
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": "https://github.com/piiscan/piiscan",
                    "rules": rules
                }},
                "results": self.results
            }]
        });
        serde_json::to_writer_pretty(&mut self.out, &doc)?;
        self.out.write_all(b"\n")?;
        self.out.flush()
    }
}
