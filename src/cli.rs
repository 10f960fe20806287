//! Command-line interface: clap definitions, and the raw flags turned into
//! validated settings before any work starts.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::diagnostic::{Level, LevelConfig};
use crate::emit::{Compression, Format, Package};
use crate::error::{Error, Result};
use crate::model::Syntax;
use crate::normalize::QuoteStyle;

/// deckc compiles plain-text notes into validated flashcard decks.
#[derive(Debug, Parser)]
#[command(name = "deckc", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Compile notes into a deck (.apkg, Anki text, CSV, Quizlet or JSON).
    Build(BuildArgs),
    /// Check notes and report problems without writing a deck.
    Check(CheckArgs),
    /// Rewrite notes into the canonical syntax.
    Fmt(FmtArgs),
    /// Explain a lint rule (or list them all).
    Explain(ExplainArgs),
    /// List the decks, note types and notes inside an Anki package.
    Inspect(InspectArgs),
    /// Write an HTML preview of the cards with the findings on them.
    Preview(PreviewArgs),
    /// Write a commented starter deckc.toml and an example notes file.
    Init(InitArgs),
    /// Print a shell completion script to standard output.
    Completions(CompletionsArgs),
    /// Print the manual page (roff) to standard output.
    Man,
}

/// Source syntaxes accepted by `--syntax`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SyntaxArg {
    Notes,
    Qa,
    Blocks,
    Delimited,
    Markdown,
    Canonical,
}

impl From<SyntaxArg> for Syntax {
    fn from(s: SyntaxArg) -> Syntax {
        match s {
            SyntaxArg::Notes => Syntax::Notes,
            SyntaxArg::Qa => Syntax::Qa,
            SyntaxArg::Blocks => Syntax::Blocks,
            SyntaxArg::Delimited => Syntax::Delimited,
            SyntaxArg::Markdown => Syntax::Markdown,
            SyntaxArg::Canonical => Syntax::Canonical,
        }
    }
}

/// How diagnostics are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum MessageFormat {
    /// rustc-style, with source excerpts.
    #[default]
    Human,
    /// One JSON object per line.
    Json,
    /// GitHub Actions workflow commands.
    Github,
}

/// When to use colors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

/// Flags shared by every command that reads notes.
#[derive(Debug, Args, Clone)]
pub struct SourceArgs {
    /// Notes files to read.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// Source syntax (default: detected from the text).
    #[arg(long, value_enum)]
    pub syntax: Option<SyntaxArg>,
    /// Deck name (default: the title line, else the file name).
    #[arg(long, value_name = "NAME")]
    pub deck: Option<String>,
}

/// Lint level flags, as in rustc and clippy.
#[derive(Debug, Args, Clone, Default)]
pub struct LintArgs {
    /// Allow (silence) a lint rule.
    #[arg(short = 'A', long = "allow", value_name = "CODE")]
    pub allow: Vec<String>,
    /// Report a lint rule as a warning.
    #[arg(short = 'W', long = "warn", value_name = "CODE")]
    pub warn: Vec<String>,
    /// Make a lint rule an error; `-D warnings` makes every warning one.
    #[arg(short = 'D', long = "deny", value_name = "CODE")]
    pub deny: Vec<String>,
    /// How diagnostics are printed.
    #[arg(long, value_enum, default_value_t)]
    pub message_format: MessageFormat,
    /// When to color the output (`NO_COLOR` is honoured under `auto`).
    #[arg(long, value_enum, default_value_t)]
    pub color: ColorChoice,
}

impl LintArgs {
    /// Validates the codes and builds the level configuration. Precedence:
    /// `-A`, then `-W`, then `-D` (the strictest flag given for a code wins).
    pub fn levels(&self) -> Result<LevelConfig> {
        let mut cfg = LevelConfig::default();
        for (codes, level) in [
            (&self.allow, Level::Allow),
            (&self.warn, Level::Warning),
            (&self.deny, Level::Error),
        ] {
            for code in codes {
                if code == "warnings" {
                    if level == Level::Error {
                        cfg.deny_warnings = true;
                        continue;
                    }
                    return Err(Error::Usage(
                        "`warnings` only goes with -D (`-D warnings` turns every warning into an error)".into(),
                    ));
                }
                if crate::lint::rule(code).is_none() {
                    return Err(Error::Usage(format!(
                        "unknown lint `{code}`; `deckc explain` lists them all"
                    )));
                }
                cfg.overrides.insert(code.clone(), level);
            }
        }
        Ok(cfg)
    }
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    /// Output file (`-` for standard output).
    #[arg(short, long, value_name = "OUT", conflicts_with = "out_dir")]
    pub output: Option<PathBuf>,
    /// Directory to write one output per input into.
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
    /// Output format (default: from the output's extension, else apkg).
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Treat the notes as HTML (default: text is escaped).
    #[arg(long)]
    pub html: bool,
    /// Make every note ask both ways: Anki's "Basic (and reversed card)",
    /// two cards per note (default: `note-type` in deckc.toml, else one
    /// card). Questions with `{{c1::…}}` are always cloze notes.
    #[arg(long)]
    pub reverse: bool,
    /// Quote style in the output (default: `quotes` in deckc.toml, else keep).
    #[arg(long, value_enum)]
    pub quotes: Option<QuoteStyle>,
    /// How hard to compress an .apkg (default: `compression` in deckc.toml,
    /// else default).
    #[arg(long, value_enum)]
    pub compression: Option<Compression>,
    /// Which Anki package an .apkg is: latest (zstd, Anki 2.1.50 or later)
    /// or legacy (every Anki version) (default: `package` in deckc.toml,
    /// else latest).
    #[arg(long, value_enum)]
    pub package: Option<Package>,
    /// Quizlet: text between term and definition (default: a tab).
    #[arg(long, value_name = "SEP")]
    pub term_separator: Option<String>,
    /// Quizlet: text between cards (default: a newline).
    #[arg(long, value_name = "SEP")]
    pub card_separator: Option<String>,
    /// Fail if the lock file would change (for CI).
    #[arg(long)]
    pub locked: bool,
    /// Ignore the lock file: neither read nor write `<notes>.lock`.
    #[arg(long, conflicts_with = "locked")]
    pub no_lock: bool,
    /// Build every input into one package, with a subdeck per file
    /// (folders become `Parent::Child`).
    #[arg(long)]
    pub bundle: bool,
    /// Files built at once (default: one per core); with cores to spare, a
    /// file's `.apkg` is also written beside its lints (for notes under
    /// 8 MiB). `--jobs 1` is sequential; the output is the same either way.
    #[arg(short, long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
    /// Rebuild whenever a notes file or deckc.toml changes (Ctrl-C stops).
    #[arg(long, conflicts_with = "locked")]
    pub watch: bool,
    #[command(flatten)]
    pub terminal: TerminalArgs,
    /// Print how long each stage took to standard error.
    #[arg(long)]
    pub timings: bool,
    #[command(flatten)]
    pub lints: LintArgs,
}

/// How chatty the terminal output is.
#[derive(Debug, Args, Clone, Copy, Default)]
pub struct TerminalArgs {
    /// Print only errors (no summary, warnings or notes).
    #[arg(short, long, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Also say which config, syntax and lock each file used.
    #[arg(short, long)]
    pub verbose: bool,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Directory to set up (created if missing; default: the current one).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    /// Print every line with its role and the rule that decided it.
    #[arg(long)]
    pub explain: bool,
    /// Apply safe fixes to the source files in place.
    #[arg(long)]
    pub fix: bool,
    /// Print how long each stage took to standard error.
    #[arg(long)]
    pub timings: bool,
    #[command(flatten)]
    pub lints: LintArgs,
}

#[derive(Debug, Args)]
pub struct FmtArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    /// Do not write; exit 1 if any file is not already formatted.
    #[arg(long)]
    pub check: bool,
    /// Write the formatted text to standard output instead of in place.
    #[arg(long)]
    pub stdout: bool,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// Rule code (omit to list every rule).
    pub code: Option<String>,
    /// Print every rule's doc as Markdown (the source of `docs/lints.md`).
    #[arg(long, conflicts_with = "code")]
    pub markdown: bool,
}

/// How `deckc inspect` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum InspectFormat {
    /// A human-readable table.
    #[default]
    Table,
    /// One JSON document.
    Json,
}

#[derive(Debug, Args)]
pub struct InspectArgs {
    /// The package to read (`.apkg`).
    #[arg(value_name = "DECK.apkg")]
    pub package: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: InspectFormat,
}

#[derive(Debug, Args)]
pub struct PreviewArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    /// Output file (default: `<notes>.preview.html` next to the notes;
    /// `-` for standard output).
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,
    /// Treat the notes as HTML (default: text is escaped), as for `build`.
    #[arg(long)]
    pub html: bool,
    /// Quote style on the cards, as for `build`.
    #[arg(long, value_enum, default_value_t)]
    pub quotes: QuoteStyle,
    #[command(flatten)]
    pub lints: LintArgs,
}
