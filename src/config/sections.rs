//! The `[deck]` and `[build]` sections of `deckc.toml`: what the deck is
//! called and where it goes, and which outputs a plain `deckc build` makes.
//!
//! ```toml
//! [deck]
//! name = "Sino-Soviet Relations"   # default: the title line, else the file name
//! parent = "History"               # cards go to `History::<name>`
//! tags = ["cold-war", "year-12"]   # added to every card
//! quotes = "curly"                 # keep | straight | curly
//! note-type = "reversed"           # basic (one card) | reversed (two cards)
//!
//! [build]
//! formats = ["apkg", "csv"]        # one output per format
//! out-dir = "dist"                 # relative to the deckc.toml
//! compression = "fast"             # .apkg: fast | default | best
//! package = "legacy"               # .apkg: latest | legacy
//! ```

use std::ops::Range;
use std::path::{Path, PathBuf};

use clap::ValueEnum;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

use crate::emit::{ApkgSettings, Compression, Format, Package};
use crate::model::Deck;
use crate::normalize::QuoteStyle;
use crate::notetype::NoteTypeChoice;

/// A problem at a byte range of the file.
pub(super) type Problem = (Range<usize>, String);

/// `[deck]`: naming, placement and tags.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DeckSettings {
    /// Deck name (the `--deck` flag wins).
    pub name: Option<String>,
    /// Parent deck path: cards go to `parent::name`.
    pub parent: Option<String>,
    /// Tags added to every card, after the card's own.
    pub tags: Vec<String>,
    /// Quote style (the `--quotes` flag wins).
    pub quotes: Option<QuoteStyle>,
    /// Note type of the cards without a cloze (`--reverse` wins).
    pub note_type: Option<NoteTypeChoice>,
}

impl DeckSettings {
    /// Puts the deck under its parent and adds the extra tags. The name
    /// itself is applied earlier, through `Options::deck_name`, so that the
    /// lints and identities see it.
    pub fn apply(&self, deck: &mut Deck) {
        if let Some(parent) = &self.parent {
            deck.name = format!("{parent}::{}", deck.name);
        }
        add_tags(deck, &self.tags);
    }
}

/// Adds `tags` to every card, keeping order and skipping ones it has.
pub fn add_tags(deck: &mut Deck, tags: &[String]) {
    for card in &mut deck.cards {
        for tag in tags {
            if !card.tags.contains(tag) {
                card.tags.push(tag.clone());
            }
        }
    }
}

/// `[build]`: defaults for `deckc build` without `-o`/`--format`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BuildSettings {
    /// Formats to write, one output each (empty: apkg).
    pub formats: Vec<Format>,
    /// Output directory, already resolved against the config's directory.
    pub out_dir: Option<PathBuf>,
    /// `.apkg` compression (`--compression` wins).
    pub compression: Option<Compression>,
    /// Which kind of `.apkg` (`--package` wins).
    pub package: Option<Package>,
}

impl BuildSettings {
    /// The `.apkg` settings.
    pub fn apkg(&self) -> ApkgSettings {
        ApkgSettings {
            compression: self.compression,
            package: self.package,
        }
    }
}

fn table<'a, 'i>(value: &'a Spanned<DeValue<'i>>, what: &str) -> Result<&'a DeTable<'i>, Problem> {
    value
        .get_ref()
        .as_table()
        .ok_or_else(|| (value.span(), format!("`{what}` must be a table")))
}

fn string<'a>(value: &'a Spanned<DeValue<'_>>, key: &str) -> Result<&'a str, Problem> {
    let s = value
        .get_ref()
        .as_str()
        .ok_or_else(|| (value.span(), format!("`{key}` must be a string")))?;
    if s.trim().is_empty() {
        return Err((value.span(), format!("`{key}` must not be empty")));
    }
    Ok(s)
}

/// A list of strings, each checked by `check` (which says what is wrong).
/// One of a command-line choice's names (`"fast"`, `"default"`, …); the
/// error lists them.
fn one_of<T: ValueEnum>(value: &Spanned<DeValue<'_>>, key: &str) -> Result<T, Problem> {
    let name = string(value, key)?;
    T::from_str(name, false).map_err(|_| {
        let names: Vec<String> = T::value_variants()
            .iter()
            .filter_map(ValueEnum::to_possible_value)
            .map(|p| format!("\"{}\"", p.get_name()))
            .collect();
        let list = match names.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
            _ => names.concat(),
        };
        (value.span(), format!("`{key}` must be {list}"))
    })
}

fn strings(
    value: &Spanned<DeValue<'_>>,
    key: &str,
    check: impl Fn(&str) -> Option<String>,
) -> Result<Vec<String>, Problem> {
    let list = value
        .get_ref()
        .as_array()
        .ok_or_else(|| (value.span(), format!("`{key}` must be a list of strings")))?;
    let mut out = Vec::new();
    for item in list {
        let s = item
            .get_ref()
            .as_str()
            .ok_or_else(|| (item.span(), format!("`{key}` must be a list of strings")))?;
        if let Some(problem) = check(s) {
            return Err((item.span(), problem));
        }
        out.push(s.to_string());
    }
    Ok(out)
}

fn unknown(key: &Spanned<std::borrow::Cow<'_, str>>, section: &str, known: &str) -> Problem {
    (
        key.span(),
        format!(
            "unknown key `{}` in `[{section}]` (known: {known})",
            key.get_ref()
        ),
    )
}

/// Parses `[deck]`.
pub(super) fn parse_deck(value: &Spanned<DeValue<'_>>) -> Result<DeckSettings, Problem> {
    let mut deck = DeckSettings::default();
    for (key, value) in table(value, "deck")? {
        match key.get_ref().as_ref() {
            "name" => deck.name = Some(string(value, "name")?.to_string()),
            "parent" => {
                let parent = string(value, "parent")?;
                if parent.split("::").any(|part| part.trim().is_empty()) {
                    return Err((
                        value.span(),
                        "`parent` is a deck path like \"History\" or \"School::History\"; \
                         no part may be empty"
                            .into(),
                    ));
                }
                deck.parent = Some(parent.to_string());
            }
            "tags" => {
                deck.tags = strings(value, "tags", |t| {
                    if t.is_empty() || t.chars().any(char::is_whitespace) {
                        Some(format!(
                            "tag `{t}` is empty or has a space; Anki tags are single words \
                             (use `-` or `_`, e.g. \"cold-war\")"
                        ))
                    } else {
                        None
                    }
                })?
            }
            "quotes" => deck.quotes = Some(one_of(value, "quotes")?),
            "note-type" => {
                let name = string(value, "note-type")?;
                let choice = NoteTypeChoice::parse(name).ok_or_else(|| {
                    (
                        value.span(),
                        "`note-type` must be \"basic\" or \"reversed\" (cloze notes need no \
                         setting: a question with `{{c1::…}}` is one)"
                            .to_string(),
                    )
                })?;
                deck.note_type = Some(choice);
            }
            _ => {
                return Err(unknown(
                    key,
                    "deck",
                    "`name`, `parent`, `tags`, `quotes`, `note-type`",
                ))
            }
        }
    }
    Ok(deck)
}

/// Parses `[build]`; `out-dir` is resolved against `config_dir`.
pub(super) fn parse_build(
    value: &Spanned<DeValue<'_>>,
    config_dir: &Path,
) -> Result<BuildSettings, Problem> {
    let mut build = BuildSettings::default();
    for (key, value) in table(value, "build")? {
        match key.get_ref().as_ref() {
            "formats" => {
                let names = strings(value, "formats", |name| {
                    Format::from_str(name, false).err().map(|_| {
                        format!("unknown format `{name}` (known: apkg, anki, csv, quizlet, json)")
                    })
                })?;
                if names.is_empty() {
                    return Err((value.span(), "`formats` must name at least one".into()));
                }
                for name in names {
                    let format = Format::from_str(&name, false)
                        .map_err(|e| (value.span(), e.to_string()))?;
                    if build.formats.contains(&format) {
                        return Err((value.span(), format!("format `{name}` is listed twice")));
                    }
                    build.formats.push(format);
                }
            }
            "out-dir" => build.out_dir = Some(config_dir.join(string(value, "out-dir")?)),
            "compression" => build.compression = Some(one_of(value, "compression")?),
            "package" => build.package = Some(one_of(value, "package")?),
            _ => {
                return Err(unknown(
                    key,
                    "build",
                    "`formats`, `out-dir`, `compression`, `package`",
                ))
            }
        }
    }
    Ok(build)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Card;

    fn deck_with(tags: &[&str]) -> Deck {
        Deck {
            name: "Cold War".into(),
            cards: vec![Card {
                question: "Q?".into(),
                tags: tags.iter().map(|t| t.to_string()).collect(),
                ..Card::default()
            }],
            ..Deck::default()
        }
    }

    #[test]
    fn apply_nests_under_the_parent_and_adds_tags_once() {
        let settings = DeckSettings {
            parent: Some("School::History".into()),
            tags: vec!["year-12".into(), "Context".into()],
            ..DeckSettings::default()
        };
        let mut deck = deck_with(&["Context"]);
        settings.apply(&mut deck);
        assert_eq!(deck.name, "School::History::Cold War");
        assert_eq!(deck.cards[0].tags, ["Context", "year-12"]);
    }

    #[test]
    fn without_settings_the_deck_is_unchanged() {
        let mut deck = deck_with(&["a"]);
        DeckSettings::default().apply(&mut deck);
        assert_eq!(deck.name, "Cold War");
        assert_eq!(deck.cards[0].tags, ["a"]);
    }
}
