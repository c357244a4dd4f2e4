//! The `piiscan` binary: parse arguments, run the command, map the outcome to an exit code.

fn main() {
    let code = match piiscan_cli::run() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("piiscan: {e:#}");
            2
        }
    };
    std::process::exit(code);
}

#[path = "cli/mod.rs"]
mod piiscan_cli;
