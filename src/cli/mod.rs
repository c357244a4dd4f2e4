//! Command-line definitions (clap) and the glue from flags to the library. One file per
//! subcommand.

mod patterns;
mod scan;

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
    /// List the detector catalogue or check a pattern pack's examples.
    Patterns {
        #[command(subcommand)]
        action: patterns::PatternsCmd,
    },
}

/// Runs the command line; returns the process exit code.
pub fn run() -> Result<i32> {
    let cli = Cli::parse();
    match cli.command {
        Command::Scan(args) => scan::run(*args),
        Command::Patterns { action } => patterns::run(action),
    }
}
