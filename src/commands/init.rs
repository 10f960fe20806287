//! `deckc init [DIR]`: a commented starter `deckc.toml` and an example notes
//! file, so a new user has something that builds on the first try. Existing
//! files are never overwritten: if either exists, nothing is written.

use std::path::Path;

use super::ExitStatus;
use crate::cli::InitArgs;
use crate::error::{Error, Result};

/// The notes file `init` writes.
pub const NOTES_NAME: &str = "notes.txt";

/// The starter config: every setting, commented out at its default, so a
/// teacher can switch one on by deleting a `#`.
pub const STARTER_CONFIG: &str = r#"# deckc.toml: settings for the notes in this folder and the folders below.
# Reference: docs/config.md. Command-line flags override everything here.

[deck]
# Deck name. Default: the notes' title line, else the file name.
# name = "Sino-Soviet Relations"
# Put the deck inside another one: cards go to "History::<name>".
# parent = "History"
# Tags added to every card (single words; use - or _ instead of spaces).
# tags = ["year-12", "cold-war"]
# Quote style in the output: "keep" (as written), "straight" or "curly".
# quotes = "keep"

[build]
# What a plain `deckc build` writes, one file per format:
# apkg (Anki package), anki (Anki text), csv, quizlet, json.
formats = ["apkg"]
# Where outputs go, relative to this file (created when missing).
# out-dir = "dist"

[lints]
# Lint levels: "allow", "note", "warn" or "deny". `deckc explain` lists them.
# placeholder = "deny"
# Make every warning an error (like `-D warnings`), e.g. in CI:
# warnings = "deny"

[lints.preferred]
# Spellings the variant checks suggest when a word is spelt two ways.
# spellings = ["defence", "colour"]
"#;

/// The example notes: the unmarked "notes" syntax, one question per line
/// and the answer on the lines below it.
pub const EXAMPLE_NOTES: &str = "\
Cold War Flashcards
Define the Cold War
> A state of political hostility between the USA and the USSR, 1947-1991
> Fought through proxies, propaganda and an arms race rather than direct war
(Key events)
When was the Berlin Wall built?
1961
What was the Cuban Missile Crisis?
A 13-day confrontation in October 1962 over Soviet missiles in Cuba
Explain the policy of containment
- The USA aimed to stop the spread of communism
- Set out in the Truman Doctrine of 1947
";

pub fn run(args: &InitArgs) -> Result<ExitStatus> {
    let dir = &args.dir;
    let files = [
        (crate::config::FILE_NAME, STARTER_CONFIG),
        (NOTES_NAME, EXAMPLE_NOTES),
    ];
    let existing: Vec<String> = files
        .iter()
        .map(|(name, _)| dir.join(name))
        .filter(|p| p.exists())
        .map(|p| format!("`{}`", p.display()))
        .collect();
    if !existing.is_empty() {
        return Err(Error::Usage(format!(
            "not overwriting {}; remove {} first, or run `deckc init` in another directory",
            existing.join(" and "),
            if existing.len() == 1 { "it" } else { "them" }
        )));
    }
    std::fs::create_dir_all(dir).map_err(|source| Error::Write {
        path: dir.clone(),
        source,
    })?;
    for (name, text) in files {
        write_new(&dir.join(name), text)?;
    }
    let notes = dir.join(NOTES_NAME);
    eprintln!(
        "created `{}` and `{}`\nnext: edit the notes, then run `deckc build {}`",
        dir.join(crate::config::FILE_NAME).display(),
        notes.display(),
        notes.display()
    );
    Ok(ExitStatus::Success)
}

/// Creates `path`, failing if it appeared meanwhile (never truncates).
fn write_new(path: &Path, text: &str) -> Result<()> {
    use std::io::Write;
    let err = |source| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    let mut file = std::fs::File::options()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(err)?;
    file.write_all(text.as_bytes()).map_err(err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_starter_config_is_valid() {
        let c = crate::config::parse(Path::new("deckc.toml"), STARTER_CONFIG).unwrap();
        assert_eq!(c.build.formats, [crate::emit::Format::Apkg]);
        assert_eq!(c.deck, crate::config::DeckSettings::default());
    }

    #[test]
    fn the_example_notes_compile_to_four_clean_cards() {
        let source = crate::SourceFile::new("notes.txt", EXAMPLE_NOTES);
        let compiled = crate::compile(&source, &crate::Options::default());
        let questions: Vec<&str> = compiled.deck.cards.iter().map(|c| &*c.question).collect();
        assert_eq!(
            questions,
            [
                "Define the Cold War",
                "When was the Berlin Wall built?",
                "What was the Cuban Missile Crisis?",
                "Explain the policy of containment"
            ]
        );
        assert_eq!(compiled.deck.name, "Cold War");
        let serious: Vec<_> = compiled
            .diagnostics
            .iter()
            .filter(|d| d.level >= crate::Level::Warning)
            .collect();
        assert!(serious.is_empty(), "{serious:?}");
    }
}
