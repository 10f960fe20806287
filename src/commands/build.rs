//! `deckc build`: compile notes and write a deck.

use std::path::{Path, PathBuf};
use std::time::Instant;

use super::{counts_phrase, options, read_sources, report, ExitStatus};
use crate::cli::BuildArgs;
use crate::diagnostic::Counts;
use crate::emit::{self, EmitOptions, Format};
use crate::error::{Error, Result};
use crate::output;

pub fn run(args: &BuildArgs) -> Result<ExitStatus> {
    let started = Instant::now();
    if args.output.is_some() && args.source.inputs.len() > 1 {
        return Err(Error::Usage(
            "-o names one output but several inputs were given; use --out-dir DIR".into(),
        ));
    }
    let sources = read_sources(&args.source)?;
    let mut status = ExitStatus::Success;
    for source in &sources {
        let (out_path, format) = destination(args, &source.path)?;
        let opts = crate::Options {
            quotes: args.quotes,
            ..options(&args.source, &args.lints, &source.path)?
        };
        let compiled = crate::compile(source, &opts);
        report(&args.lints, source, &compiled.diagnostics)?;
        let counts = Counts::of(&compiled.diagnostics);
        if compiled.has_errors() {
            eprintln!(
                "error: not writing `{}`: {}",
                out_path.display(),
                counts_phrase(counts)
            );
            status = ExitStatus::Failure;
            continue;
        }
        let emit_options = EmitOptions {
            html: args.html,
            media_dir: source.path.parent().map(Path::to_path_buf),
            quizlet_term_separator: args.term_separator.clone(),
            quizlet_card_separator: args.card_separator.clone(),
        };
        let emitter = emit::emitter(format, &emit_options);
        output::write_atomic(&out_path, |w| emitter.emit(&compiled.deck, w))?;
        if out_path.as_os_str() != "-" {
            let phrase = counts_phrase(counts);
            eprintln!(
                "built {}: {} card{}{}{} in {} ms",
                out_path.display(),
                compiled.deck.cards.len(),
                if compiled.deck.cards.len() == 1 {
                    ""
                } else {
                    "s"
                },
                if phrase.is_empty() { "" } else { ", " },
                phrase,
                started.elapsed().as_millis()
            );
        }
    }
    Ok(status)
}

/// Where one input's output goes, and in which format. Refuses to write
/// over the input itself.
fn destination(args: &BuildArgs, input: &Path) -> Result<(PathBuf, Format)> {
    let stem = input
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "deck".into());
    let (path, format) = match (&args.output, &args.out_dir) {
        (Some(o), _) if o.as_os_str() == "-" => (o.clone(), args.format.unwrap_or(Format::Json)),
        (Some(o), _) => {
            let format = match args.format {
                Some(f) => f,
                None => Format::from_path(o)?,
            };
            (o.clone(), format)
        }
        (None, dir) => {
            let format = args.format.unwrap_or(Format::Apkg);
            let name = format!("{stem}.{}", format.extension());
            let path = match dir {
                Some(d) => d.join(name),
                None => PathBuf::from(name),
            };
            (path, format)
        }
    };
    if path.as_os_str() != "-" && same_file(&path, input) {
        return Err(Error::Usage(format!(
            "refusing to write the output over the input `{}`; choose another -o",
            input.display()
        )));
    }
    Ok((path, format))
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}
