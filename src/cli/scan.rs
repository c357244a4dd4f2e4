//! `piiscan scan`: flags, config merge, progress, summary and exit code.

use super::common::{load_key, prepare, CommonArgs, Prepared};
use anyhow::{Context, Result};
use clap::Args;
use piiscan::filter::Baseline;
use piiscan::report::{sink_for, Format};
use piiscan::scan::{ScanOptions, Scanner, Sink, Stats};
use piiscan::Finding;
use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

#[derive(Args, Debug)]
pub struct ScanArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Write the report to FILE instead of stdout.
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
    /// Print raw values (reports are masked otherwise).
    #[arg(long)]
    pub reveal: bool,
    /// Suppress findings recorded in this baseline file.
    #[arg(long)]
    pub baseline: Option<PathBuf>,
    /// Record every finding of this run into a baseline file (fingerprints, never values).
    #[arg(long)]
    pub write_baseline: Option<PathBuf>,
    /// Key for baseline fingerprints (else PIISCAN_KEY, else a random salt kept in the file).
    #[arg(long)]
    pub key_file: Option<PathBuf>,
    /// Color: auto, always or never.
    #[arg(long, default_value = "auto")]
    pub color: String,
    #[arg(long)]
    pub no_progress: bool,
    /// Print no findings and no summary: the exit code tells (errors still go to stderr).
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

/// Forwards to the report sink, prints errors on stderr, and records fingerprints.
struct CliSink {
    inner: Option<Box<dyn Sink + Send>>,
    by_confidence: [u64; 3],
    skipped: Vec<(String, String)>,
    errors: u64,
    fingerprints: Vec<String>,
}

impl Sink for CliSink {
    fn finding(&mut self, f: &Finding) -> io::Result<()> {
        self.by_confidence[f.confidence as usize] += 1;
        if let Some(fp) = &f.fingerprint {
            self.fingerprints.push(fp.clone());
        }
        match &mut self.inner {
            Some(s) => s.finding(f),
            None => Ok(()),
        }
    }
    fn skipped(&mut self, path: &str, reason: &str) -> io::Result<()> {
        self.skipped.push((path.into(), reason.into()));
        match &mut self.inner {
            Some(s) => s.skipped(path, reason),
            None => Ok(()),
        }
    }
    fn error(&mut self, path: &str, reason: &str) -> io::Result<()> {
        self.errors += 1;
        eprintln!("piiscan: {path}: {reason}");
        match &mut self.inner {
            Some(s) => s.error(path, reason),
            None => Ok(()),
        }
    }
    fn finish(&mut self, stats: &Stats) -> io::Result<()> {
        match &mut self.inner {
            Some(s) => s.finish(stats),
            None => Ok(()),
        }
    }
}

pub fn run(args: ScanArgs) -> Result<i32> {
    let key = load_key(args.key_file.as_deref())?;
    let baseline = match (&args.write_baseline, &args.baseline) {
        (Some(_), _) => Some(Baseline::new(key.as_deref())),
        (None, Some(p)) => Some(Baseline::load(p, key.as_deref())?),
        (None, None) => None,
    };
    let Prepared {
        engine,
        opts,
        inputs,
        walk_errors,
        ..
    } = prepare(&args.common)?;
    let opts = ScanOptions {
        reveal: args.reveal,
        write_baseline: args.write_baseline.is_some(),
        baseline,
        ..opts
    };

    let to_terminal = args.output.is_none() && io::stdout().is_terminal();
    let color = match args.color.as_str() {
        "always" => true,
        "never" => false,
        _ => to_terminal && std::env::var_os("NO_COLOR").is_none(),
    };
    let out: Box<dyn Write + Send> = match &args.output {
        Some(p) => Box::new(io::BufWriter::new(
            std::fs::File::create(p).with_context(|| format!("cannot write {}", p.display()))?,
        )),
        None => Box::new(io::BufWriter::new(io::stdout())),
    };
    let scanner = Scanner::new(engine, opts);
    let inner = (!args.quiet).then(|| {
        sink_for(
            args.format,
            out,
            color,
            scanner.engine().specs().cloned().collect(),
        )
    });
    let mut sink = CliSink {
        inner,
        by_confidence: [0; 3],
        skipped: Vec::new(),
        errors: 0,
        fingerprints: Vec::new(),
    };
    let stats = Stats::default();
    let started = Instant::now();
    let show_progress = !args.quiet && !args.no_progress && io::stderr().is_terminal();
    let done = AtomicBool::new(false);
    let total_bytes: u64 = inputs
        .iter()
        .filter_map(|i| match i {
            piiscan::source::Input::File { path, .. } => {
                std::fs::metadata(path).ok().map(|m| m.len())
            }
            _ => None,
        })
        .sum();
    let result = std::thread::scope(|scope| {
        if show_progress {
            scope.spawn(|| progress_loop(&stats, &done, total_bytes, inputs.len() as u64));
        }
        let r = scanner.run(&inputs, &mut sink, &stats);
        done.store(true, Ordering::Relaxed);
        r
    });
    // The reader went away (`piiscan scan … | head`): stop quietly like ripgrep, with the exit
    // code of what was found so far. A baseline would be partial, so that case stays an error.
    let reader_gone =
        matches!(&result, Err(piiscan::Error::Output(e)) if e.kind() == io::ErrorKind::BrokenPipe);
    if !reader_gone || args.write_baseline.is_some() {
        result?;
    }

    if let Some(p) = &args.write_baseline {
        let mut b = scanner
            .options()
            .baseline
            .clone()
            .unwrap_or_else(|| Baseline::new(None));
        for fp in sink.fingerprints.drain(..) {
            b.insert(fp);
        }
        let text = serde_json::to_string_pretty(&b)?;
        std::fs::write(p, text)
            .with_context(|| format!("cannot write baseline {}", p.display()))?;
    }
    let errors = sink.errors + walk_errors.len() as u64;
    let found: u64 = sink.by_confidence.iter().sum();
    if !args.quiet && !reader_gone {
        let secs = started.elapsed().as_secs_f64();
        let bytes = Stats::get(&stats.bytes);
        let mut line = format!(
            "{found} finding{} ({} high, {} medium, {} low) in {} file{}, {} scanned in {:.2}s",
            if found == 1 { "" } else { "s" },
            sink.by_confidence[2],
            sink.by_confidence[1],
            sink.by_confidence[0],
            Stats::get(&stats.files),
            if Stats::get(&stats.files) == 1 {
                ""
            } else {
                "s"
            },
            piiscan::report::human_bytes(bytes),
            secs
        );
        if !sink.skipped.is_empty() {
            let binary = sink.skipped.iter().filter(|(_, r)| r == "binary").count();
            line.push_str(&format!(
                "; {} skipped ({binary} binary)",
                sink.skipped.len()
            ));
        }
        if errors > 0 {
            line.push_str(&format!(
                "; {errors} error{}",
                if errors == 1 { "" } else { "s" }
            ));
        }
        eprintln!("{line}");
    }
    Ok(if errors > 0 {
        2
    } else if found > 0 && args.write_baseline.is_none() {
        1
    } else {
        0
    })
}

/// Draws a progress bar on stderr, but only once a run has lasted a second.
fn progress_loop(stats: &Stats, done: &AtomicBool, total_bytes: u64, total_files: u64) {
    let start = Instant::now();
    let mut bar: Option<indicatif::ProgressBar> = None;
    while !done.load(Ordering::Relaxed) {
        std::thread::sleep(Duration::from_millis(100));
        if start.elapsed() < Duration::from_secs(1) {
            continue;
        }
        let pb = bar.get_or_insert_with(|| {
            let pb = indicatif::ProgressBar::new(total_bytes.max(1));
            pb.set_style(
                indicatif::ProgressStyle::with_template(
                    "{bar:30} {bytes}/{total_bytes} {binary_bytes_per_sec} {msg}",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            pb
        });
        pb.set_position(Stats::get(&stats.bytes));
        let current = stats.current.lock().map(|c| c.clone()).unwrap_or_default();
        pb.set_message(format!(
            "{}/{} files, {} findings {current}",
            Stats::get(&stats.files),
            total_files,
            Stats::get(&stats.findings)
        ));
    }
    if let Some(pb) = bar {
        pb.finish_and_clear();
    }
}
