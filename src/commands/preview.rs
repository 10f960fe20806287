//! `deckc preview`: compile notes and write the HTML preview of their cards
//! (see [`crate::preview`]). The preview is written even when the notes
//! have errors, since seeing them is the point; the exit code still says
//! whether the lints failed, as `deckc check` does.

use std::path::{Path, PathBuf};

use super::{build, counts_phrase, options, report, ExitStatus};
use crate::cli::PreviewArgs;
use crate::diagnostic::Counts;
use crate::error::{Error, Result};
use crate::output;
use crate::source::SourceFile;

pub fn run(args: &PreviewArgs) -> Result<ExitStatus> {
    let inputs = input_files(&args.source.inputs)?;
    let targets = plan(args.output.as_deref(), &inputs)?;
    let mut status = ExitStatus::Success;
    for (path, target) in inputs.iter().zip(&targets) {
        let source = &SourceFile::read(path)?;
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

/// The notes files to preview: the files given, and the notes files in
/// the folders given (as `check` reads them).
fn input_files(given: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut paths = Vec::new();
    for p in given {
        if p.is_dir() {
            paths.extend(build::notes_files(p)?);
        } else {
            paths.push(p.clone());
        }
    }
    Ok(paths)
}

/// Every input's preview path, checked before any input is read.
fn plan(output: Option<&Path>, inputs: &[PathBuf]) -> Result<Vec<PathBuf>> {
    if output.is_some() && inputs.len() > 1 {
        return Err(Error::Usage(format!(
            "-o names one output but there are {} notes files; leave -o out to write \
             `<notes>.preview.html` next to each",
            inputs.len()
        )));
    }
    let mut targets: Vec<PathBuf> = Vec::with_capacity(inputs.len());
    for input in inputs {
        let target = match output {
            Some(o) => o.to_path_buf(),
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
