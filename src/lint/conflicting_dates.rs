//! `conflicting-dates`: the same event is given two different dates.
//!
//! Statements and subjects come from [`super::facts`]; this file decides
//! what to say. `1968` and `(1968)`, `1920s-1949` and `1920s until 1949`,
//! a year inside a range or a decade are all consistent; two different
//! years, or two different ranges, for one event are not.

use super::facts;
use super::{Context, Rule};
use crate::diagnostic::{Diagnostic, Level};

pub struct ConflictingDates;

const DOC: &str = "\
## What it does
Finds an event that two cards date differently: `Border disputes heightened
from 1967-1970` in one answer, `1967-1979` as the answer to `When did the
border disputes heighten?` in another.

Two statements are about the same event when their subject words (the
answer sentence's words, or the question's when the answer is little more
than a date) mostly coincide, giving little weight to words found all
over the deck. What counts is each sentence's own subject: the other
card's question can help cover it, at half weight (in full when that
card's answer says `it`, `he`, `she` or `they` for what its question
names), but a card's own question never does, so two cards that ask
about the same person do not make their answer lines one event. To stay
quiet on statements that merely look alike, at least one shared word must
be specific to a few cards (`created` and `released` in every card of a
deck say nothing); parallel questions that differ in one word each (`Who
created Java?` / `Who created JavaScript?`) ask about two things; and
questions with different numbers in them (`the 100 m record` / `the 200 m
record`) too. Statements whose sentences each name someone or something
the other sentence does not (`the Treaty of Jorvan` / `the Treaty of
Corvel`, `Germany invaded Poland` / `Germany invaded the USSR`) are about
two things, even when a question names the other one; a name spelt two
ways (`Krushchev`/`Khrushchev`) counts as one, unless both spellings are
common in the deck (`Tarsk`/`Marsk` are two places). Words that only
say who claims a date (`by some accounts`, `according to`, `reportedly`)
are no part of the subject. Dates written differently but meaning the
same (`1920s-1949`, `1920s until 1949`, `from 1920s to 1949`,
`1939-45`), a year inside a stated range, and a year inside a stated
decade are not conflicts.

Limitation: statements are paired through their subject words, and a
word found in more than 64 statements (a name or place the whole deck is
about) pairs nothing. A statement all of whose subject words are that
common is never compared, so in a large deck that keeps returning to the
same people and places a conflict written only in such words can go
unreported.

## Why it matters
A student who learns both cards learns a contradiction, and the exam marks
one of them wrong. Dates are the facts most often mistyped in notes.

## Example
```text
Explain the 'National Interests' factor
Border disputes heightened from 1967-1970
When did the border disputes heighten?
1967-1979
```

## Fix
Look the date up and make both cards agree. There is no automatic fix:
only the teacher knows which of the two dates is the typo.
";

impl Rule for ConflictingDates {
    fn code(&self) -> &'static str {
        "conflicting-dates"
    }

    fn default_level(&self) -> Level {
        Level::Warning
    }

    fn summary(&self) -> &'static str {
        "the same event is given two different dates"
    }

    fn doc(&self) -> &'static str {
        DOC
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let keys = cx.fact_keys();
        let stmts = facts::statements_with::<facts::Dates>(cx.deck, cx.source, &keys);
        for c in facts::conflicts(cx.deck, &stmts) {
            let line = cx.source.line_of(c.first.0.start);
            let message = format!(
                "`{}` is dated {} on line {line} but {} here",
                c.subject, c.first.1, c.then.1
            );
            out.push(
                Diagnostic::new(self.code(), self.default_level(), c.then.0, message)
                    .with_label(format!("conflicts with {} on line {line}", c.first.1))
                    .with_related(c.first.0, "first stated here")
                    .with_help(
                        "one of the two dates is wrong: check which, and make both cards agree",
                    ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::LintConfig;
    use crate::source::Span;

    use crate::lint::facts::tests::question_deck as deck;

    fn check(text: &str) -> Vec<(usize, usize, String)> {
        let (src, deck) = deck(text);
        let config = LintConfig::default();
        let cx = Context::new(&deck, &src, &config);
        let mut out = Vec::new();
        ConflictingDates.check(&cx, &mut out);
        out.iter()
            .map(|d| {
                let related = d.related.first().map_or(Span::default(), |r| r.span);
                (
                    src.line_of(d.span.start),
                    src.line_of(related.start),
                    d.message.clone(),
                )
            })
            .collect()
    }

    #[test]
    fn border_disputes() {
        let got = check(
            "Explain the national interests factor?\n\
             Border disputes heightened from 1967-1970\n\
             When did the border disputes heighten?\n\
             1967-1979\n",
        );
        assert_eq!(
            got,
            [(
                4,
                2,
                "`border disputes heightened` is dated 1967-1970 on line 2 but 1967-1979 here"
                    .to_string()
            )]
        );
    }

    #[test]
    fn same_date_written_differently_is_fine() {
        assert!(check(
            "Origins?\nBegan from the 1920s-1949 when the CCP took over China\n\
             What were the origins of the relations?\nBegan from 1920s until 1949 when the CCP took over China\n\
             Context?\nThe Czech invasion of 1968 shocked China\n\
             What shocked China?\nCzech invasion, 1968\n"
        )
        .is_empty());
    }

    #[test]
    fn different_events_sharing_a_word_are_not_paired() {
        assert!(check(
            "Treaty?\nThe Treaty of Friendship was signed in 1950\n\
             Speech?\nKhrushchev gave the Destalinisation speech in 1956\n\
             When did the First World War start?\n1914\n\
             When did the First World War end?\n1918\n"
        )
        .is_empty());
    }

    #[test]
    fn answers_about_other_things_in_alike_cards_are_not_paired() {
        // Bench corpus near misses: the names that tell two treaties or
        // two places apart are in the sentences; a question naming the
        // other one, or the same person in both questions, does not make
        // them one subject.
        let got = check(
            "What did the Ostrava Accord promise Upper Corvel in return?\n\
             > Janos Yevlitto signed the Treaty of Jorvan in 1956, promising $350million in aid\n\
             What did Janos Yevlitto negotiate for Kemal Yevnunu?\n\
             Janos Yevlitto signed the Treaty of Corvel in 1919, promising $250million in aid\n\
             Why did Boris Bortskvin oppose the Morvia Accord in East Quarro?\n\
             > Viktor Ansta signed the Yarrow Accord in 1977, promising $650million in aid\n\
             When did Viktor Ansta sign the Norvel Protocol with East Lumenia?\n\
             - support for military advisers fell sharply from 1961-1963 across Yarrow\n\
             What was the significance of the Morvia railway dispute for Anton Masla?\n\
             > Lower Telmar saw heavy industry as a threat to its own nuclear sharing after 1925\n\
             Why did Anton Masla oppose the Treaty of Ulmar in Lower Lumenia?\n\
             > North Morvia saw regional influence as a threat to its own heavy industry after 1909\n\
             What was Viktor Anbel's role in the Isdera oil agreement?\n\
             > Viktor Anbel signed the Amsel Protocol in 1979, promising $600million in aid\n\
             What did the Drava Protocol promise East Quarro?\n\
             - Viktor Anbel signed the Borin Protocol in 1952, promising $1000million in aid\n",
        );
        assert!(got.is_empty(), "{got:?}");
    }

    #[test]
    fn restated_facts_are_still_paired() {
        // The same names in both sentences, a short answer read with its
        // question, and `it` standing for what the question names.
        let got = check(
            "What did the Zelk student protests lead to?\n\
             - the Zelk student protests lasted 1904-1912, ending only after talks\n\
             How long did the Zelk student protests last?\n\
             - the Zelk student protests lasted 1904-1922, ending only after talks\n\
             When was Linux first released?\n\
             1991, by Linus Torvalds\n\
             Who wrote the first Linux kernel?\n\
             Linus Torvalds released it in 1992 as a student in Helsinki\n\
             When was the Treaty of Friendship signed?\n\
             1950\n\
             What did Mao and Stalin sign?\n\
             Mao and Stalin signed the Treaty of Friendship in 1949\n",
        );
        let lines: Vec<_> = got.iter().map(|d| (d.0, d.1)).collect();
        assert_eq!(lines, [(4, 2), (8, 6), (12, 10)], "{got:?}");
    }

    #[test]
    fn a_hedged_date_is_paired_with_the_one_it_disputes() {
        // `by some accounts` says who claims the date, not what it dates:
        // the rare word `accounts` must not outweigh the event's words.
        // (The bench corpus plants exactly this line.)
        let got = check(
            "Significance of the Zelk student protests for Jozef Nekkazen?\n\
             - the Zelk student protests lasted 1904-1912, ending only after talks in North Kaldera\n\
             When did Clara Durovvin sign the Ulmar Accord with Lower Yarrow?\n\
             In 1949, Feliks Kanekov argued that state propaganda reshaped East Halvik\n\
             - the Zelk student protests lasted 1904-1922 by some accounts\n\
             What did the Telmar Protocol promise Rosk?\n\
             - Borin's border crisis lasted 1950-1953, according to the notes\n\
             Why did the Borin border crisis matter?\n\
             - the Borin border crisis reportedly lasted 1950-1957\n",
        );
        let lines: Vec<_> = got.iter().map(|d| (d.0, d.1)).collect();
        assert_eq!(lines, [(5, 2), (9, 7)], "{got:?}");
    }

    #[test]
    fn fixtures() {
        let pos = check(include_str!(
            "../../tests/fixtures/lints/conflicting-dates/positive.txt"
        ));
        assert_eq!(
            pos.iter().map(|d| (d.0, d.1)).collect::<Vec<_>>(),
            [(6, 3), (8, 4)]
        );
        let neg = check(include_str!(
            "../../tests/fixtures/lints/conflicting-dates/negative.txt"
        ));
        assert!(neg.is_empty(), "{neg:?}");
    }
}
