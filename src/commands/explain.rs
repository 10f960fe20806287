//! `deckc explain [CODE]`: print a rule's doc, or list every rule.

use super::ExitStatus;
use crate::cli::ExplainArgs;
use crate::error::{Error, Result};
use crate::lint;

pub fn run(args: &ExplainArgs) -> Result<ExitStatus> {
    match &args.code {
        Some(code) => {
            let rule = lint::rule(code).ok_or_else(|| {
                Error::Usage(format!(
                    "unknown lint `{code}`; run `deckc explain` to list them all"
                ))
            })?;
            println!("{} (default: {})\n", rule.code(), rule.default_level());
            println!("{}", rule.doc().trim_end());
        }
        None => {
            for rule in lint::RULES {
                println!(
                    "{:<24} {:<8} {}",
                    rule.code(),
                    rule.default_level(),
                    rule.summary()
                );
            }
        }
    }
    Ok(ExitStatus::Success)
}
