//! The `piiscan` binary: parse arguments, run the command, map the outcome to an exit code.

// Findings are small allocations by the million on dense inputs (a contacts export): glibc's
// allocator spent a third of such a scan; mimalloc (bundled C source, built by `cc`) half that.
// Built without asking for transparent huge pages (`no_thp`): a scan made once spent up to a
// third of its time in the kernel zeroing 2 MiB pages (docs/PERFORMANCE.md, session 11).
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
