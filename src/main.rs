//! The `deckc` binary: parse arguments, run, map the outcome to an exit code
//! (0 success, 1 lint failure, 2 could not run).

use std::process::ExitCode;

use clap::Parser;
use deckc::cli::Cli;
use deckc::commands::{self, ExitStatus};

/// mimalloc: the parser and the lints allocate many small strings, and
/// glibc's malloc spent a fifth of a large check consolidating them
/// (measured: 13-17 % less CPU for `check` at 100k and 1M cards, 11 % less
/// peak memory at 1M; see docs/performance.md). Built with `no_thp`:
/// mimalloc otherwise asks Linux for transparent huge pages for its whole
/// arena, and the kernel then zeroes 2 MiB at every first touch; on the
/// benchmark machine that was up to 40 % of a parse-only run's samples, and
/// peak memory was 20-35 MB higher at 100,000 cards.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    deckc::memory::return_freed_memory_promptly();
    let cli = Cli::parse();
    match commands::run(cli) {
        Ok(ExitStatus::Success) => ExitCode::SUCCESS,
        Ok(ExitStatus::Failure) => ExitCode::from(1),
        Err(deckc::Error::Io(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(err) => {
            // Every variant's message already names its cause, so the
            // chain is not printed again (`{:#}` would repeat it).
            let err = anyhow::Error::from(err);
            eprintln!("error: {err}");
            ExitCode::from(2)
        }
    }
}
