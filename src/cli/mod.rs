//! Command-line definitions (clap) and the glue from flags to the library. One file per
//! subcommand.

/// `println!` that returns the write error instead of panicking: a reader that goes away
/// (`piiscan patterns list | head`) ends the command quietly (see [`run`]).
macro_rules! outln {
    () => {
        std::io::Write::write_all(&mut std::io::stdout().lock(), b"\n")
    };
    ($($arg:tt)*) => {
        std::io::Write::write_fmt(&mut std::io::stdout().lock(), format_args!("{}\n", format_args!($($arg)*)))
    };
}

mod common;
mod eval;
mod inventory;
mod patterns;
mod redact;
mod retention;
mod scan;
mod subject;
mod unredact;

use anyhow::Result;
use clap::{Parser, Subcommand};

#[derive(Parser, Debug)]
#[command(name = "piiscan", version, about = "Find personal data in dumps, exports, logs and file stores", long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Scan files, folders or stdin ('-') and report personal data found.
    Scan(Box<scan::ScanArgs>),
    /// Aggregate personal data per store (table column, CSV column, key path, file).
    Inventory(Box<inventory::InventoryArgs>),
    /// Write redacted copies: '-' filters stdin to stdout; --out DIR mirrors; --in-place rewrites.
    Redact(Box<redact::RedactArgs>),
    /// Personal data kept longer than its retention limit (--max-age 13mo, credit_card=13mo).
    Retention(Box<retention::RetentionArgs>),
    /// Data-subject requests: find one person everywhere, verify erasure, hash a subject file.
    Subject {
        #[command(subcommand)]
        action: Box<subject::SubjectCmd>,
    },
    /// Reverse the fpe operator with the key: files by their redaction manifest, or values.
    Unredact(Box<unredact::UnredactArgs>),
    /// Accuracy against labelled data: precision, recall and F1 per detector and family.
    Eval(Box<eval::EvalArgs>),
    /// List the detector catalogue or check a pattern pack's examples.
    Patterns {
        #[command(subcommand)]
        action: patterns::PatternsCmd,
    },
}

/// Runs the command line; returns the process exit code.
pub fn run() -> Result<i32> {
    let cli = Cli::parse();
    // A closed stdout ends a listing quietly (`piiscan patterns list | head`), as in ripgrep;
    // redaction's output going away loses data, so that stays an error.
    let quiet_on_broken_pipe = !matches!(cli.command, Command::Redact(_));
    let result = match cli.command {
        Command::Scan(args) => scan::run(*args),
        Command::Redact(args) => redact::run(*args),
        Command::Inventory(args) => inventory::run(*args),
        Command::Retention(args) => retention::run(*args),
        Command::Patterns { action } => patterns::run(action),
        Command::Eval(args) => eval::run(*args),
        Command::Unredact(args) => unredact::run(*args),
        Command::Subject { action } => subject::run(*action),
    };
    match result {
        Err(e) if quiet_on_broken_pipe && is_broken_pipe(&e) => Ok(0),
        r => r,
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
