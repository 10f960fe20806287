//! `deckc completions SHELL` and `deckc man`: shell integration generated
//! from the clap definitions, so they never drift from the real flags.

use std::io::Write;

use clap::CommandFactory;
use clap_complete::Shell;

use super::ExitStatus;
use crate::cli::Cli;
use crate::error::Result;

/// Prints the completion script for `shell` to standard output.
pub fn completions(shell: Shell) -> Result<ExitStatus> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "deckc", &mut out);
    std::io::stdout().write_all(&out)?;
    Ok(ExitStatus::Success)
}

/// Prints the man page (roff) to standard output.
pub fn man() -> Result<ExitStatus> {
    let mut out = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut out)?;
    std::io::stdout().write_all(&out)?;
    Ok(ExitStatus::Success)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shell_gets_a_script_naming_the_subcommands() {
        for shell in [Shell::Bash, Shell::Zsh, Shell::Fish, Shell::PowerShell] {
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "deckc", &mut out);
            let text = String::from_utf8(out).unwrap();
            for sub in ["build", "check", "fmt", "explain", "init", "completions"] {
                assert!(text.contains(sub), "{shell}: {sub}");
            }
        }
    }
}
