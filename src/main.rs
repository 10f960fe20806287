//! The `deckc` binary: parse arguments, run, map the outcome to an exit code
//! (0 success, 1 lint failure, 2 could not run).

use std::process::ExitCode;

use clap::Parser;
use deckc::cli::Cli;
use deckc::commands::{self, ExitStatus};

fn main() -> ExitCode {
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
