//! `deckc inspect`: list what an Anki package holds.

use std::io::Write;

use super::ExitStatus;
use crate::cli::{InspectArgs, InspectFormat};
use crate::error::Result;
use crate::inspect;

pub fn run(args: &InspectArgs) -> Result<ExitStatus> {
    let package = inspect::inspect(&args.package)?;
    let text = match args.format {
        InspectFormat::Table => inspect::render_table(&args.package, &package),
        InspectFormat::Json => {
            let mut s = serde_json::to_string_pretty(&package)?;
            s.push('\n');
            s
        }
    };
    std::io::stdout().write_all(text.as_bytes())?;
    Ok(ExitStatus::Success)
}
