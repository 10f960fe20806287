//! `deckc preview`: compile notes and write the HTML preview of their cards
//! (see [`crate::preview`]). The preview is written even when the notes
//! have errors, since seeing them is the point; the exit code still says
//! whether the lints failed, as `deckc check` does.

use std::path::{Path, PathBuf};

use super::{counts_phrase, options, read_sources, report, ExitStatus};
use crate::cli::PreviewArgs;
use crate::diagnostic::Counts;
use crate::error::{Error, Result};
use crate::output;

pub fn run(args: &PreviewArgs) -> Result<ExitStatus> {
    let targets = plan(args)?;
    let sources = read_sources(&args.source)?;
    let mut status = ExitStatus::Success;
    for (source, target) in sources.iter().zip(&targets) {
        let opts = crate::Options {
            quotes: args.quotes,
            ..options(&args.source, &args.lints, &source.path)?
        };
        let compiled = crate::compile(source, &opts);
        report(&args.lints, source, &compiled.diagnostics)?;
        let page = crate::preview::render(source, &compiled, args.html);
        output::write_atomic(target, |w| Ok(w.write_all(page.as_bytes())?))?;
        if compiled.has_errors() {
            status = ExitStatus::Failure;
        }
        if !output::is_stdout(target) {
            let cards = compiled.deck.cards.len();
            let phrase = counts_phrase(Counts::of(&compiled.diagnostics));
            eprintln!(
                "wrote {}: {cards} card{}{}{phrase}; open it in a browser",
                target.display(),
                if cards == 1 { "" } else { "s" },
                if phrase.is_empty() { "" } else { ", " },
            );
        }
    }
    Ok(status)
}

/// Every input's preview path, checked before any input is read.
fn plan(args: &PreviewArgs) -> Result<Vec<PathBuf>> {
    let inputs = &args.source.inputs;
    if args.output.is_some() && inputs.len() > 1 {
        return Err(Error::Usage(
            "-o names one output but several inputs were given; leave -o out to write \
             `<notes>.preview.html` next to each"
                .into(),
        ));
    }
    let mut targets: Vec<PathBuf> = Vec::with_capacity(inputs.len());
    for input in inputs {
        let target = match &args.output {
            Some(o) => o.clone(),
            None => default_path(input),
        };
        if inputs.iter().any(|i| same_file(&target, i)) {
            return Err(Error::Usage(format!(
                "refusing to write the preview over the notes `{}`; choose another -o",
                target.display()
            )));
        }
        if targets.contains(&target) {
            return Err(Error::Usage(format!(
                "two inputs would both be previewed in `{}`; preview them separately with -o",
                target.display()
            )));
        }
        targets.push(target);
    }
    Ok(targets)
}

/// `notes/deck.txt` → `notes/deck.preview.html`.
fn default_path(input: &Path) -> PathBuf {
    let stem = input
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "deck".into());
    input.with_file_name(format!("{stem}.preview.html"))
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_path_sits_next_to_the_notes() {
        assert_eq!(
            default_path(Path::new("notes/deck.txt")),
            PathBuf::from("notes/deck.preview.html")
        );
        assert_eq!(
            default_path(Path::new("deck")),
            PathBuf::from("deck.preview.html")
        );
    }
}
