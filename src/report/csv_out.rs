//! CSV: one row per finding, a fixed header, RFC 4180 quoting.

use crate::finding::Finding;
use crate::scan::{Sink, Stats};
use std::io::{self, Write};

pub struct CsvSink {
    w: csv::Writer<Box<dyn Write + Send>>,
    header: bool,
}

impl CsvSink {
    pub fn new(out: Box<dyn Write + Send>) -> CsvSink {
        CsvSink {
            w: csv::Writer::from_writer(out),
            header: false,
        }
    }
    fn ensure_header(&mut self) -> io::Result<()> {
        if !self.header {
            self.header = true;
            self.w
                .write_record([
                    "path",
                    "line",
                    "column",
                    "start",
                    "end",
                    "detector",
                    "category",
                    "sensitivity",
                    "confidence",
                    "masked",
                    "value",
                ])
                .map_err(io::Error::other)?;
        }
        Ok(())
    }
}

impl Sink for CsvSink {
    fn finding(&mut self, f: &Finding) -> io::Result<()> {
        self.ensure_header()?;
        self.w
            .write_record([
                f.path.as_str(),
                &f.line.to_string(),
                &f.column.to_string(),
                &f.start.to_string(),
                &f.end.to_string(),
                &f.detector,
                &f.category,
                f.sensitivity.as_str(),
                f.confidence.as_str(),
                &f.masked,
                f.value.as_deref().unwrap_or(""),
            ])
            .map_err(io::Error::other)
    }
    fn finish(&mut self, _stats: &Stats) -> io::Result<()> {
        self.ensure_header()?;
        self.w.flush()
    }
}
