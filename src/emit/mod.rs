//! Emitters: one file per output format behind a tiny trait.

pub mod anki_text;
pub mod apkg;
pub mod card_style;
pub mod csv;
pub mod html;
pub mod json;
pub mod quizlet;
#[cfg(test)]
mod test_deck;

use std::io::Write;
use std::path::Path;

use crate::error::{Error, Result};
use crate::model::Deck;

/// An output format writer.
pub trait Emitter {
    /// Format name, as given to `--format`.
    fn name(&self) -> &'static str;
    /// Writes the whole deck to `out`.
    fn emit(&self, deck: &Deck, out: &mut dyn Write) -> Result<()>;
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, clap::ValueEnum)]
pub enum Format {
    /// Anki package (`.apkg`).
    Apkg,
    /// Anki text import file (`.txt`).
    Anki,
    /// RFC 4180 CSV with a header row.
    Csv,
    /// Quizlet import text (`.tsv`/`.quizlet`).
    Quizlet,
    /// The deck model as JSON.
    Json,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Apkg => "apkg",
            Format::Anki => "anki",
            Format::Csv => "csv",
            Format::Quizlet => "quizlet",
            Format::Json => "json",
        }
    }

    /// Usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Apkg => "apkg",
            Format::Anki => "txt",
            Format::Csv => "csv",
            Format::Quizlet => "tsv",
            Format::Json => "json",
        }
    }

    /// Infers the format from an output path's extension.
    pub fn from_path(path: &Path) -> Result<Format> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("apkg") => Ok(Format::Apkg),
            Some("txt") => Ok(Format::Anki),
            Some("csv") => Ok(Format::Csv),
            Some("tsv") | Some("quizlet") => Ok(Format::Quizlet),
            Some("json") => Ok(Format::Json),
            _ => Err(Error::Format(format!(
                "cannot tell the output format from `{}`; pass --format apkg|anki|csv|quizlet|json \
                 or use an extension .apkg, .txt (Anki text), .csv, .tsv (Quizlet) or .json",
                path.display()
            ))),
        }
    }
}

/// How hard the `.apkg` is compressed (`--compression`, `compression` in
/// deckc.toml's `[build]`). The codec follows the [`Package`]: zstd in the
/// newer package, Deflate in the legacy one. Sizes and times are in
/// docs/apkg.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Compression {
    /// zstd level 1 (Deflate level 1): the quickest.
    Fast,
    /// zstd level 3, zstd's own default and Anki's (Deflate level 3: half
    /// of level 6's time, for a package 7 % larger).
    #[default]
    Default,
    /// zstd level 9 (Deflate level 9): smaller, slower.
    Best,
}

impl Compression {
    /// The Deflate level.
    pub fn level(self) -> u32 {
        match self {
            Compression::Fast => 1,
            Compression::Default => 3,
            Compression::Best => 9,
        }
    }

    /// The zstd level.
    pub fn zstd_level(self) -> i32 {
        match self {
            Compression::Fast => 1,
            Compression::Default => 3,
            Compression::Best => 9,
        }
    }
}

/// Which kind of Anki package an `.apkg` is (`--package`, `package` in
/// deckc.toml's `[build]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Package {
    /// `collection.anki21b`, zstd-compressed, as Anki 2.1.50 (2022) and
    /// later export by default: quicker to write and smaller. Older
    /// versions of Anki cannot import it.
    #[default]
    Latest,
    /// `collection.anki2`, Deflate: for every Anki version.
    Legacy,
}

/// The `.apkg` settings a deckc.toml's `[build]` may give (the command
/// line's win).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ApkgSettings {
    pub compression: Option<Compression>,
    pub package: Option<Package>,
}

/// Settings that shape the output.
#[derive(Debug, Clone, Default)]
pub struct EmitOptions {
    /// The source text is HTML: do not escape it.
    pub html: bool,
    /// Directory media references are resolved against.
    pub media_dir: Option<std::path::PathBuf>,
    /// Quizlet: separator between term and definition (default tab).
    pub quizlet_term_separator: Option<String>,
    /// Quizlet: separator between cards (default newline).
    pub quizlet_card_separator: Option<String>,
    /// `.apkg` compression.
    pub compression: Compression,
    /// Which kind of `.apkg`.
    pub package: Package,
    /// The file the output goes to (`None` for standard output): the
    /// `.apkg` writer keeps its scratch collection beside it.
    pub output: Option<std::path::PathBuf>,
    /// Where `--timings` charges the `.apkg`'s compression.
    pub timings: crate::timings::Timings,
}

/// The emitter for `format`.
pub fn emitter(format: Format, options: &EmitOptions) -> Box<dyn Emitter> {
    match format {
        Format::Apkg => Box::new(apkg::Apkg::new(options)),
        Format::Anki => Box::new(anki_text::AnkiText::new(options)),
        Format::Csv => Box::new(csv::Csv),
        Format::Quizlet => Box::new(quizlet::Quizlet::new(options)),
        Format::Json => Box::new(json::Json),
    }
}

#[cfg(test)]
mod tests {
    /// The benchmark's floor program runs at the default level, which the
    /// harness names: the two must not drift apart.
    #[test]
    fn the_benchmark_floor_runs_at_the_default_level() {
        let run = include_str!("../../benches/run.py");
        let default = super::Compression::Default;
        // The newer package's zstd level and the legacy package's Deflate one.
        for want in [
            format!("\nDEFAULT_ZSTD_LEVEL = {}\n", default.zstd_level()),
            format!("\nDEFAULT_LEVEL = {}\n", default.level()),
        ] {
            assert!(run.contains(&want), "benches/run.py lacks {want:?}");
        }
    }
}
