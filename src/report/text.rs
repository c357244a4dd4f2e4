//! Human output. On a terminal, ripgrep-style: the path as a heading, then
//! `line:column  detector  confidence  masked`, colored. Piped, one greppable line per finding:
//! `path:line:column:detector:confidence:masked`.

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
            self.current = Some(f.path.clone());
        }
        let conf_color = match f.confidence {
            Confidence::High => "1;31",
            Confidence::Medium => "33",
            Confidence::Low => "2",
        };
        let pos = self.paint("32", &format!("{}:{}", f.line, f.column));
        let det = self.paint("1", &format!("{:<16}", f.detector));
        let conf = self.paint(conf_color, &format!("{:<6}", f.confidence));
        writeln!(self.out, "{pos:<10} {det} {conf} {value}")
    }

    fn finish(&mut self, _stats: &Stats) -> io::Result<()> {
        self.out.flush()
    }
}
