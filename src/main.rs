//! The `piiscan` binary: parse arguments, run the command, map the outcome to an exit code.

// Findings are small allocations by the million on dense inputs (a contacts export): glibc's
// allocator spent a third of such a scan; mimalloc (bundled C source, built by `cc`) half that.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
