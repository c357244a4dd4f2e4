//! Human output. On a terminal, ripgrep-style: the path as a heading, then
//! `line:column  detector  confidence  masked`, colored. Piped, one greppable line per finding:
//! `path:line:column:detector:confidence:masked`. A live database's findings name the table
//! column and row instead of a line: `postgres://…/db:customer.email:customer_id=5:email:…`.

use crate::finding::{Confidence, Finding};
use crate::scan::{Sink, Stats};
use std::io::{self, Write};

pub struct TextSink {
    out: Box<dyn Write + Send>,
    color: bool,
    current: Option<String>,
}

impl TextSink {
    pub fn new(out: Box<dyn Write + Send>, color: bool) -> TextSink {
        TextSink {
            out,
            color,
            current: None,
        }
    }

    fn paint(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
}

impl Sink for TextSink {
    fn finding(&mut self, f: &Finding) -> io::Result<()> {
        let value = f.value.as_deref().unwrap_or(&f.masked);
        let place = (f.location.kind == "database").then(|| {
            let row = f
                .location
                .key
                .clone()
                .unwrap_or_else(|| format!("row {}", f.line));
            format!(
                "{}.{}:{row}",
                f.location.table.as_deref().unwrap_or(""),
                f.location.column.as_deref().unwrap_or("")
            )
        });
        if let (Some(place), false) = (&place, self.color) {
            return writeln!(
                self.out,
                "{}:{place}:{}:{}:{value}",
                f.path, f.detector, f.confidence
            );
        }
        if !self.color {
            return writeln!(
                self.out,
                "{}:{}:{}:{}:{}:{}",
                f.path, f.line, f.column, f.detector, f.confidence, value
            );
        }
        if self.current.as_deref() != Some(f.path.as_str()) {
            if self.current.is_some() {
                writeln!(self.out)?;
            }
            let heading = self.paint("35", &f.path);
            writeln!(self.out, "{heading}")?;
            self.current = Some(f.path.to_string());
        }
        let conf_color = match f.confidence {
            Confidence::High => "1;31",
            Confidence::Medium => "33",
            Confidence::Low => "2",
        };
        let pos = self.paint(
            "32",
            &place.unwrap_or_else(|| format!("{}:{}", f.line, f.column)),
        );
        let det = self.paint("1", &format!("{:<16}", f.detector));
        let conf = self.paint(conf_color, &format!("{:<6}", f.confidence));
        writeln!(self.out, "{pos:<10} {det} {conf} {value}")
    }

    fn finish(&mut self, _stats: &Stats) -> io::Result<()> {
        self.out.flush()
    }
}
