//! `conflicting-numbers`: the same subject is given two different amounts.
//!
//! Amounts come from [`super::facts::amounts`] (money, percentages, counts
//! with a unit), subjects from [`super::facts`]. Only amounts in the same
//! unit are compared; `$300million` and `$300 million` are one amount, and a
//! hedged amount (`about 6 million`) gets some leeway.

use super::facts;
use super::{Context, Rule};
use crate::diagnostic::{Diagnostic, Level};

pub struct ConflictingNumbers;

const DOC: &str = "\
## What it does
Finds a subject that two cards give different amounts for: money
(`$300million` vs `$200 million`), percentages (`40%` vs `45 per cent`),
counts with a unit (`20,000 troops` vs `25,000 troops`) or measurements
with a unit symbol (`340 m/s` vs `430 m/s`, `100 °C`, `3.0 × 10^8 m/s`,
`6.02×10²³`, `3e8`).

Statements are about the same subject when their words mostly coincide
(see `conflicting-dates`). The unit is part of the subject (`32 bits` and
`64 bits long` are both about bits), but a shared unit alone never pairs
two statements; the word a question uses for the measured quantity (`the
speed of`, `How long`) is left out, since the unit says the same; and a
word in two forms (`German`/`Germany`) counts as shared. Spellings of one
amount are normalized first (`$300million`, `$300 million`, `$300m`,
`300,000,000 dollars`), amounts in different units are never compared
(`km/h` and `m/s` neither), and a hedged amount (`about`, `over`,
`nearly`, `c.`) covers 20% around itself. Numbers without a unit, ordinals
(`20th`), years and labels (`Phase 2`, `page 12`) are not amounts.

## Why it matters
A student who learns both cards learns a contradiction; the exam accepts
only one of the two numbers.

## Example
```text
What did the Treaty of Friendship provide?
Economic aid of $300million, mostly spent on the defence industry
How much economic aid did the treaty provide?
Economic aid of $200 million, mostly spent on the defence industry
```

## Fix
Check the figure and make both cards agree. There is no automatic fix:
only the teacher knows which number is right.
";

impl Rule for ConflictingNumbers {
    fn code(&self) -> &'static str {
        "conflicting-numbers"
    }

    fn default_level(&self) -> Level {
        Level::Warning
    }

    fn summary(&self) -> &'static str {
        "the same subject is given two different amounts"
    }

    fn doc(&self) -> &'static str {
        DOC
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let keys = cx.fact_keys();
        let stmts = facts::statements_with::<facts::Amounts>(cx.deck, cx.source, &keys);
        for c in facts::conflicts(cx.deck, &stmts) {
            let line = cx.source.line_of(c.first.0.start);
            let message = format!(
                "`{}` is given as {} on line {line} but {} here",
                c.subject, c.first.1, c.then.1
            );
            out.push(
                Diagnostic::new(self.code(), self.default_level(), c.then.0, message)
                    .with_label(format!("conflicts with {} on line {line}", c.first.1))
                    .with_related(c.first.0, "first stated here")
                    .with_help(
                        "one of the two amounts is wrong: check which, and make both cards agree",
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

    fn check(text: &str) -> Vec<(usize, usize, String)> {
        let (src, deck) = crate::lint::facts::tests::question_deck(text);
        let config = LintConfig::default();
        let cx = Context::new(&deck, &src, &config);
        let mut out = Vec::new();
        ConflictingNumbers.check(&cx, &mut out);
        out.iter()
            .map(|d| {
                let related = d.related.first().map_or(Span::default(), |r| r.span);
                (
                    src.line_of(d.span.start),
                    src.line_of(related.start),
                    src.slice(d.span).to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn different_money_for_one_subject() {
        let got = check(
            "What did the treaty provide?\n\
             Economic aid of $300million, mostly spent on the defence industry\n\
             How much aid?\n\
             Economic aid of $200 million, mostly spent on the defence industry\n",
        );
        assert_eq!(got, [(4, 2, "$200 million".to_string())]);
    }

    #[test]
    fn same_amount_spelled_differently_is_fine() {
        assert!(check(
            "Treaty?\nEconomic aid ($300million - mostly spent on defence industry)\n\
             Aid?\nEconomic aid of $300million- mostly spent on defence industry\n\
             Aid again?\nEconomic aid of 300,000,000 dollars mostly spent on defence industry\n\
             Loss?\nAbout 20,000 troops were lost at the river crossing\n\
             Losses?\n22,000 troops were lost at the river crossing\n"
        )
        .is_empty());
    }

    #[test]
    fn different_units_or_subjects_are_not_compared() {
        assert!(check(
            "Treaty?\nEconomic aid of $300million was promised by the treaty\n\
             Share?\nEconomic aid of 40% was promised by the treaty\n\
             Army?\nThe Red Army had 300 tanks near the border\n\
             Navy?\nThe Pacific Fleet had 200 ships near the border\n"
        )
        .is_empty());
    }

    #[test]
    fn measurements_units_and_word_forms() {
        let got = check(
            "What is the speed of sound in air?\nAbout 340 m/s\n\
             How fast does sound travel in air?\nSound travels at 430 m/s in air\n\
             How many bits are in an IPv4 address?\n32 bits\n\
             How many bits are in an IPv6 address?\n128 bits\n\
             How long is an IPv4 address?\nAn IPv4 address is 64 bits long\n\
             Why was Stalingrad a turning point?\nThe Sixth Army surrendered; about 91,000 prisoners were taken and Germany never recovered\n\
             How many German prisoners were taken at Stalingrad?\n110,000 prisoners\n",
        );
        let lines: Vec<_> = got.iter().map(|d| (d.0, d.1)).collect();
        assert_eq!(lines, [(4, 2), (10, 6), (14, 12)]);
        assert_eq!(got[0].2, "430 m/s");
    }

    #[test]
    fn a_shared_unit_alone_is_no_shared_subject() {
        assert!(check(
            "What is 1/8 as a percentage?\n12.5%\nWhat is 2/5 as a percentage?\n40%\n\
             What is the speed of light?\n3.0 × 10^8 m/s\n\
             What is the speed of sound in air?\n340 m/s\n\
             What is the boiling point of water?\n100 °C\n\
             What is the melting point of ice?\n0 °C\n"
        )
        .is_empty());
    }

    #[test]
    fn parallel_questions_years_and_question_numbers_are_other_subjects() {
        assert!(check(
            "What is the usual adult dose of paracetamol?\n500 mg to 1 g every 4-6 hours\n\
             What is the usual adult dose of ibuprofen?\n200 mg to 400 mg every 6-8 hours\n\
             What is bradycardia?\nA resting heart rate below 60 beats per minute\n\
             What is tachycardia?\nA resting heart rate above 100 beats per minute\n\
             What is the standard rate of VAT in Germany?\n19%\n\
             What is the UK standard rate of VAT?\n20%\n\
             What was the UK unemployment rate in 2023?\nAbout 4.2%\n\
             What was the UK unemployment rate in 1984?\nAbout 11.9%\n\
             What is the men's 100 m world record?\n9.58 s, set by Usain Bolt in Berlin\n\
             What is the men's 200 m world record?\n19.19 s, set by Usain Bolt in Berlin\n\
             Who created C?\nDennis Ritchie; released in 1972 with 20 keywords\n\
             Who created Go?\nRobert Griesemer; released in 2009 with 25 keywords\n"
        )
        .is_empty());
    }

    #[test]
    fn fixtures() {
        let pos = check(include_str!(
            "../../tests/fixtures/lints/conflicting-numbers/positive.txt"
        ));
        assert_eq!(
            pos.iter().map(|d| (d.0, d.1)).collect::<Vec<_>>(),
            [(5, 3), (9, 7)]
        );
        let neg = check(include_str!(
            "../../tests/fixtures/lints/conflicting-numbers/negative.txt"
        ));
        assert!(neg.is_empty(), "{neg:?}");
    }
}
