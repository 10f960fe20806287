//! Realistic notes as teachers and students paste them (fixtures in
//! `tests/fixtures/realworld/`), one module per source shape: unmarked
//! notes and alternating lists ([`notes`]), one-card-per-line exports and
//! tables ([`delimited`]), and marked or structured files — Q/A sheets,
//! blank-line blocks, markdown ([`structured`]). For each file: the detected
//! syntax, the deck name, the exact number of cards, a handful of exact
//! cards (first, last, tricky ones), and exactly which lines belong to no
//! card.

mod delimited;
mod notes;
mod structured;

use serde_json::Value;

use crate::common::*;

/// What one realistic file must parse to.
pub struct Case {
    pub file: &'static str,
    pub syntax: &'static str,
    pub deck: &'static str,
    pub cards: usize,
    /// (card index, question, answer as JSON joins it).
    pub samples: &'static [(usize, &'static str, &'static str)],
    /// Source lines diagnosed as belonging to no card (subtitles, page
    /// furniture), each intended.
    pub diagnosed: &'static [usize],
}

/// `check --explain` output: the syntax from the header, then
/// `(line, role, rule)` of every line.
pub fn explain(file: &str) -> (String, Vec<(usize, String, String)>) {
    let path = fixture(&format!("realworld/{file}"));
    let o = run(&["check", path.to_str().unwrap(), "--explain"]);
    let out = stdout(&o);
    let mut lines = out.lines();
    let header = lines.next().unwrap_or_default();
    let syntax = header
        .split_once(": syntax ")
        .and_then(|(_, rest)| rest.split(' ').next())
        .unwrap_or_else(|| panic!("no syntax in {header:?}"))
        .to_string();
    let roles = lines
        .filter_map(|l| {
            let mut words = l.split_whitespace();
            let n = words.next()?.parse().ok()?;
            let role = words.next()?.to_string();
            let rule = if role == "question" || role == "answer" {
                words.nth(1)?
            } else {
                words.next()?
            };
            Some((n, role, rule.to_string()))
        })
        .collect();
    (syntax, roles)
}

pub fn rule_of(roles: &[(usize, String, String)], line: usize) -> &str {
    roles
        .iter()
        .find(|(n, ..)| *n == line)
        .map(|(_, _, rule)| rule.as_str())
        .unwrap_or_else(|| panic!("line {line} not explained"))
}

pub fn check(case: &Case) -> (Value, Vec<(usize, String, String)>) {
    let (syntax, roles) = explain(case.file);
    assert_eq!(syntax, case.syntax, "{}: syntax", case.file);
    let diagnosed: Vec<usize> = roles
        .iter()
        .filter(|(_, role, _)| role == "diagnosed")
        .map(|(n, ..)| *n)
        .collect();
    assert_eq!(diagnosed, case.diagnosed, "{}: lines in no card", case.file);
    let doc = build_json(&fixture(&format!("realworld/{}", case.file)), &[]);
    assert_eq!(doc["deck"], case.deck, "{}: deck", case.file);
    let cards = doc["cards"].as_array().unwrap();
    assert_eq!(cards.len(), case.cards, "{}: number of cards", case.file);
    for &(i, question, answer) in case.samples {
        assert_eq!(cards[i]["question"], question, "{}: card {i}", case.file);
        assert_eq!(cards[i]["answer"], answer, "{}: answer {i}", case.file);
    }
    (doc, roles)
}

pub fn tags(doc: &Value, card: usize) -> Vec<&str> {
    doc["cards"][card]["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect()
}
