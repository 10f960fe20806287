//! `deckc.toml`: project settings read from the input's directory or the
//! nearest parent that has one (stopping at the repository root).
//!
//! ```toml
//! [deck]
//! name = "Sino-Soviet Relations"  # see `sections.rs` for `[deck]` and `[build]`
//!
//! [lints]
//! conflicting-dates = "deny"     # allow | note | warn | deny
//! warnings = "deny"              # like `-D warnings`
//!
//! [lints.preferred]
//! spellings = ["defence"]        # the variant rules suggest these
//! ```
//!
//! Unknown keys and bad values are errors naming the file, line and column:
//! a typo in a config file must not silently switch a check off. Command
//! line flags override the file. `docs/config.md` is the user's reference.
//! `[deck]` and `[build]` live in `config/sections.rs`.

mod sections;

pub use sections::{add_tags, BuildSettings, DeckSettings};

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use crate::diagnostic::{Level, LevelConfig};
use crate::error::{Error, Result};
use crate::lint::LintConfig;
use crate::source::SourceFile;

/// The config file's name.
pub const FILE_NAME: &str = "deckc.toml";

/// Settings from a `deckc.toml`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Config {
    /// The file they came from (`None`: no file, all defaults).
    pub path: Option<PathBuf>,
    /// Lint levels by code.
    pub levels: BTreeMap<String, Level>,
    /// `warnings = "deny"`.
    pub deny_warnings: bool,
    /// Settings the rules read.
    pub lint: LintConfig,
    /// `[deck]`: name, parent, tags, quotes.
    pub deck: DeckSettings,
    /// `[build]`: default formats and output directory.
    pub build: BuildSettings,
}

impl Config {
    /// The levels from this file with the command line's on top: a code
    /// given on the command line wins, and `-D warnings` from either holds.
    pub fn levels_with(&self, cli: LevelConfig) -> LevelConfig {
        let mut overrides = self.levels.clone();
        overrides.extend(cli.overrides);
        LevelConfig {
            overrides,
            deny_warnings: self.deny_warnings || cli.deny_warnings,
        }
    }
}

/// The `deckc.toml` that applies to `input`: in its directory, else in the
/// nearest parent, up to the first directory holding `.git`.
pub fn find(input: &Path) -> Option<PathBuf> {
    let absolute = std::path::absolute(input).ok()?;
    for dir in absolute.ancestors().skip(1) {
        let candidate = dir.join(FILE_NAME);
        if candidate.is_file() {
            return Some(candidate);
        }
        if dir.join(".git").exists() {
            break;
        }
    }
    None
}

/// Loads the config that applies to `input` (defaults when there is none).
pub fn load(input: &Path) -> Result<Config> {
    let Some(path) = find(input) else {
        return Ok(Config::default());
    };
    let text = std::fs::read_to_string(&path).map_err(|source| Error::Read {
        path: path.clone(),
        source,
    })?;
    parse(&path, &text)
}

/// Parses the text of a config file read from `path`.
pub fn parse(path: &Path, text: &str) -> Result<Config> {
    let at = |span: Option<Range<usize>>, message: &str| {
        let src = SourceFile::new(path, text);
        let (line, col) = src.line_col(span.map_or(0, |s| s.start));
        Error::Usage(format!("{}:{line}:{col}: {message}", path.display()))
    };
    let root = DeTable::parse(text).map_err(|e| at(e.span(), e.message()))?;
    let mut config = Config {
        path: Some(path.to_path_buf()),
        ..Config::default()
    };
    for (key, value) in root.get_ref() {
        match key.get_ref().as_ref() {
            "lints" => parse_lints(value, &mut config).map_err(|(s, m)| at(Some(s), &m))?,
            "deck" => {
                config.deck = sections::parse_deck(value).map_err(|(s, m)| at(Some(s), &m))?
            }
            "build" => {
                let dir = path.parent().unwrap_or(Path::new(""));
                config.build =
                    sections::parse_build(value, dir).map_err(|(s, m)| at(Some(s), &m))?
            }
            other => {
                return Err(at(
                    Some(key.span()),
                    &format!("unknown section `{other}` (known: `deck`, `build`, `lints`)"),
                ))
            }
        }
    }
    Ok(config)
}

use sections::Problem;

fn table<'a, 'i>(value: &'a Spanned<DeValue<'i>>, what: &str) -> Result<&'a DeTable<'i>, Problem> {
    value
        .get_ref()
        .as_table()
        .ok_or_else(|| (value.span(), format!("`{what}` must be a table")))
}

/// `[lints]`: `code = "level"`, `warnings = "deny"`, `[lints.preferred]`.
fn parse_lints(value: &Spanned<DeValue<'_>>, config: &mut Config) -> Result<(), Problem> {
    for (key, value) in table(value, "lints")? {
        let code = key.get_ref().as_ref();
        if code == "preferred" {
            parse_preferred(value, &mut config.lint)?;
            continue;
        }
        let level = value
            .get_ref()
            .as_str()
            .and_then(Level::parse)
            .ok_or_else(|| {
                (
                    value.span(),
                    format!(
                        "the level of `{code}` must be \"allow\", \"note\", \"warn\" or \"deny\""
                    ),
                )
            })?;
        if code == "warnings" {
            if level != Level::Error {
                return Err((
                    value.span(),
                    "`warnings` can only be \"deny\" (every warning becomes an error)".into(),
                ));
            }
            config.deny_warnings = true;
        } else if crate::lint::rule(code).is_some() {
            config.levels.insert(code.to_string(), level);
        } else {
            return Err((
                key.span(),
                format!("unknown lint `{code}`; `deckc explain` lists them all"),
            ));
        }
    }
    Ok(())
}

/// `[lints.preferred] spellings = ["defence", …]`.
fn parse_preferred(value: &Spanned<DeValue<'_>>, lint: &mut LintConfig) -> Result<(), Problem> {
    for (key, value) in table(value, "lints.preferred")? {
        match key.get_ref().as_ref() {
            "spellings" => {
                let bad = || {
                    (
                        value.span(),
                        "`spellings` must be a list of words".to_string(),
                    )
                };
                let list = value.get_ref().as_array().ok_or_else(bad)?;
                for item in list {
                    let word = item.get_ref().as_str().ok_or_else(|| {
                        (
                            item.span(),
                            "`spellings` must be a list of words".to_string(),
                        )
                    })?;
                    lint.preferred.push(word.to_string());
                }
            }
            other => {
                return Err((
                    key.span(),
                    format!("unknown key `{other}` in `[lints.preferred]` (known: `spellings`)"),
                ))
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::Format;

    fn parse_str(text: &str) -> Result<Config> {
        parse(Path::new("dir/deckc.toml"), text)
    }

    fn error(text: &str) -> String {
        match parse_str(text) {
            Err(e) => e.to_string(),
            Ok(c) => panic!("expected an error, got {c:?}"),
        }
    }

    #[test]
    fn reads_levels_warnings_and_preferred_spellings() {
        let c = parse_str(
            "[lints]\nconflicting-dates = \"deny\"\nplaceholder = \"allow\"\n\
             repeated-answer = \"warn\"\nstray-token = \"note\"\nwarnings = \"deny\"\n\
             [lints.preferred]\nspellings = [\"defence\", \"centre\"]\n",
        )
        .unwrap();
        assert_eq!(c.levels["conflicting-dates"], Level::Error);
        assert_eq!(c.levels["placeholder"], Level::Allow);
        assert_eq!(c.levels["repeated-answer"], Level::Warning);
        assert_eq!(c.levels["stray-token"], Level::Note);
        assert!(c.deny_warnings);
        assert_eq!(c.lint.preferred, ["defence", "centre"]);
    }

    #[test]
    fn errors_name_file_line_and_column() {
        assert_eq!(
            error("[lints]\nconflicting-dates = \"deny\"\n  no-such-rule = \"warn\"\n"),
            "dir/deckc.toml:3:3: unknown lint `no-such-rule`; `deckc explain` lists them all"
        );
        assert!(error("[lints]\nplaceholder = \"loud\"\n").starts_with("dir/deckc.toml:2:15: "));
        assert!(error("[decks]\nname = \"x\"\n").starts_with("dir/deckc.toml:1:2: unknown section"));
        assert!(error("[lints.preferred]\nspelling = []\n").contains("2:1: unknown key `spelling`"));
        assert!(error("[lints.preferred]\nspellings = [1]\n").contains("2:14: "));
        assert!(error("[lints]\nwarnings = \"warn\"\n").contains("2:12: "));
        // A TOML syntax error also carries its place.
        assert!(error("[lints\n").starts_with("dir/deckc.toml:1:"));
    }

    #[test]
    fn reads_deck_and_build_sections() {
        let c = parse_str(
            "[deck]\nname = \"Cold War\"\nparent = \"School::History\"\n\
             tags = [\"year-12\", \"cold-war\"]\nquotes = \"curly\"\n\
             [build]\nformats = [\"csv\", \"json\"]\nout-dir = \"dist\"\n",
        )
        .unwrap();
        assert_eq!(c.deck.name.as_deref(), Some("Cold War"));
        assert_eq!(c.deck.parent.as_deref(), Some("School::History"));
        assert_eq!(c.deck.tags, ["year-12", "cold-war"]);
        assert_eq!(c.deck.quotes, Some(crate::normalize::QuoteStyle::Curly));
        assert_eq!(c.build.formats, [Format::Csv, Format::Json]);
        assert_eq!(c.build.out_dir, Some(PathBuf::from("dir/dist")));
    }

    #[test]
    fn deck_and_build_errors_point_at_the_value() {
        assert!(error("[deck]\ntags = [\"a b\"]\n").starts_with("dir/deckc.toml:2:9: tag `a b`"));
        assert!(error("[deck]\nquotes = \"fancy\"\n").starts_with(
            "dir/deckc.toml:2:10: `quotes` must be \"keep\", \"straight\" or \"curly\""
        ));
        assert!(error("[build]\ncompression = \"max\"\n")
            .contains("2:15: `compression` must be \"fast\", \"default\" or \"best\""));
        assert!(error("[build]\npackage = \"new\"\n")
            .contains("2:11: `package` must be \"latest\" or \"legacy\""));
        assert!(error("[deck]\nparent = \"A::\"\n").starts_with("dir/deckc.toml:2:10: "));
        assert!(error("[deck]\nname = \"\"\n").contains("2:8: `name` must not be empty"));
        assert!(error("[deck]\ntitle = \"x\"\n").contains("2:1: unknown key `title` in `[deck]`"));
        assert!(error("[build]\nformats = [\"json\", \"pdf\"]\n")
            .starts_with("dir/deckc.toml:2:20: unknown format `pdf`"));
        assert!(error("[build]\nformats = []\n").contains("2:11: "));
        assert!(error("[build]\nformats = [\"csv\", \"csv\"]\n").contains("listed twice"));
        assert!(error("[build]\nout-dir = 3\n").contains("2:11: `out-dir` must be a string"));
    }

    #[test]
    fn command_line_overrides_the_file() {
        let file =
            parse_str("[lints]\nplaceholder = \"deny\"\nempty-answer = \"allow\"\n").unwrap();
        let mut cli = LevelConfig::default();
        cli.overrides.insert("placeholder".into(), Level::Allow);
        let merged = file.levels_with(cli);
        assert_eq!(merged.overrides["placeholder"], Level::Allow);
        assert_eq!(merged.overrides["empty-answer"], Level::Allow);
        assert!(!merged.deny_warnings);
    }

    #[test]
    fn found_in_a_parent_directory_and_stops_at_the_repository() {
        let dir = tempfile::tempdir().unwrap();
        let notes = dir.path().join("a/b");
        std::fs::create_dir_all(&notes).unwrap();
        std::fs::create_dir(dir.path().join(".git")).unwrap();
        let input = notes.join("n.txt");
        assert_eq!(find(&input), None);
        std::fs::write(dir.path().join("a/deckc.toml"), "[lints]\n").unwrap();
        assert_eq!(find(&input), Some(dir.path().join("a/deckc.toml")));
        std::fs::write(notes.join("deckc.toml"), "").unwrap();
        assert_eq!(find(&input), Some(notes.join("deckc.toml")));
    }
}
