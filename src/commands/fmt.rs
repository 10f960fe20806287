//! `deckc fmt`: rewrite notes into the canonical syntax.

use std::io::Write;

use super::{read_sources, ExitStatus};
use crate::cli::FmtArgs;
use crate::error::Result;
use crate::parse::canonical;
use crate::{output, Options};

pub fn run(args: &FmtArgs) -> Result<ExitStatus> {
    let sources = read_sources(&args.source)?;
    let mut status = ExitStatus::Success;
    let opts = Options {
        syntax: args.source.syntax.map(Into::into),
        deck_name: args.source.deck.clone(),
        ..Options::default()
    };
    for source in sources {
        let (_, deck, _) = crate::parse_source(&source, &opts);
        let formatted = canonical::format(&deck);
        if args.stdout {
            std::io::stdout().write_all(formatted.as_bytes())?;
        } else if args.check {
            if formatted != source.text {
                eprintln!(
                    "{} is not in canonical form; run `deckc fmt {}`",
                    source.name(),
                    source.name()
                );
                status = ExitStatus::Failure;
            }
        } else if formatted != source.text {
            output::write_atomic(&source.path, |w| Ok(w.write_all(formatted.as_bytes())?))?;
            eprintln!("formatted {}", source.name());
        }
    }
    Ok(status)
}
