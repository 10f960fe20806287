//! `--bundle`: many notes files in one deck. Each file becomes a subdeck
//! named by its folders and its own deck name, so `notes/history/cold-war.txt`
//! titled "Sino-Soviet Relations" lands in
//! `Notes::history::Sino-Soviet Relations`. The package writer turns the
//! `::` paths into Anki's nested decks.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::model::Deck;

/// Moves one file's deck under the bundle: its name and folders become the
/// cards' subdeck path (in front of any subdeck the source gave).
pub fn place(deck: &mut Deck, folders: &[String], bundle_name: &str) {
    let mut prefix: Vec<&str> = folders.iter().map(String::as_str).collect();
    prefix.push(&deck.name);
    let prefix = prefix.join("::");
    for card in &mut deck.cards {
        card.subdeck = Some(match card.subdeck.take().filter(|s| !s.is_empty()) {
            Some(sub) => format!("{prefix}::{sub}").into(),
            None => prefix.as_str().into(),
        });
    }
    deck.name = bundle_name.to_string();
}

/// Two cards of different files that share a GUID: Anki would import them
/// as one note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clash {
    pub guid: String,
    pub first: (PathBuf, usize),
    pub second: (PathBuf, usize),
}

/// Joins the placed decks, in input order, into one.
pub fn merge(name: &str, pieces: Vec<(PathBuf, Deck)>) -> (Deck, Vec<Clash>) {
    let mut deck = Deck {
        name: name.to_string(),
        ..Deck::default()
    };
    let mut seen: BTreeMap<String, (PathBuf, usize)> = BTreeMap::new();
    let mut clashes = Vec::new();
    for (path, piece) in pieces {
        let offset = deck.sections.len();
        deck.sections.extend(piece.sections);
        for mut card in piece.cards {
            card.section = card
                .section_index()
                .map(|s| crate::model::small(s + offset));
            match seen.get(&*card.guid) {
                // Within one file the identity lint already reports it.
                Some(first) if first.0 != path => clashes.push(Clash {
                    guid: card.guid.to_string(),
                    first: first.clone(),
                    second: (path.clone(), card.line_number()),
                }),
                Some(_) => {}
                None => {
                    seen.insert(card.guid.to_string(), (path.clone(), card.line_number()));
                }
            }
            deck.cards.push(card);
        }
    }
    (deck, clashes)
}

/// "a.txt:3" for messages.
pub fn at(place: &(PathBuf, usize)) -> String {
    format!("{}:{}", Path::display(&place.0), place.1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Card, Section};
    use crate::Span;

    fn deck(name: &str, questions: &[(&str, &str)]) -> Deck {
        Deck {
            name: name.into(),
            cards: questions
                .iter()
                .enumerate()
                .map(|(i, (q, guid))| Card {
                    question: (*q).into(),
                    guid: (*guid).into(),
                    line: crate::model::small(i + 1),
                    section: Some(0),
                    ..Card::default()
                })
                .collect(),
            sections: vec![Section {
                name: "S".into(),
                span: Span::default(),
            }],
            ..Deck::default()
        }
    }

    #[test]
    fn place_nests_folders_and_deck_name_under_the_bundle() {
        let mut d = deck("Cold War", &[("A?", "g1"), ("B?", "g2")]);
        d.cards[1].subdeck = Some("Extra".into());
        place(&mut d, &["history".into(), "y12".into()], "School::Notes");
        assert_eq!(d.name, "School::Notes");
        assert_eq!(
            d.cards[0].deck_path(&d.name),
            "School::Notes::history::y12::Cold War"
        );
        assert_eq!(
            d.cards[1].deck_path(&d.name),
            "School::Notes::history::y12::Cold War::Extra"
        );
    }

    #[test]
    fn merge_keeps_order_shifts_sections_and_reports_clashes_across_files() {
        let a = deck("A", &[("A?", "g1"), ("B?", "g2")]);
        let b = deck("B", &[("C?", "g3"), ("A?", "g1")]);
        let (merged, clashes) = merge("All", vec![("a.txt".into(), a), ("b.txt".into(), b)]);
        let qs: Vec<&str> = merged.cards.iter().map(|c| &*c.question).collect();
        assert_eq!(qs, ["A?", "B?", "C?", "A?"]);
        assert_eq!(merged.sections.len(), 2);
        assert_eq!(merged.cards[2].section, Some(1));
        assert_eq!(
            clashes,
            [Clash {
                guid: "g1".into(),
                first: ("a.txt".into(), 1),
                second: ("b.txt".into(), 2),
            }]
        );
        assert_eq!(at(&clashes[0].second), "b.txt:2");
    }
}
