//! `name-variant`: a capitalized name spelled two ways (`Krushchev` once,
//! `Khrushchev` seven times).
//!
//! Candidates come from a symmetric-delete index over capitalized spellings
//! ([`words::near_pairs`]); each candidate pair is then held to a strict
//! typo profile, because real look-alike names (Henan/Hunan, Iran/Iraq,
//! Prussia/Russia) are common and a false alarm costs the linter its users.

use super::words::{self, EditKind, WordIndex};
use super::{Context, Rule};
use crate::diagnostic::{Diagnostic, Edit, Level};
use crate::source::Span;

pub struct NameVariant;

/// Shortest name compared: shorter names differ by one letter too often
/// (Mali/Bali, Iran/Iraq).
const MIN_LEN: usize = 5;
/// How many places of the majority spelling a finding points at.
const MAX_RELATED: usize = 3;

const DOC: &str = "\
**What it does**

Finds a capitalized name written with two spellings one typo apart, where one
spelling is rare (once or twice) and the other is used clearly more often —
e.g. `Krushchev` once and `Khrushchev` seven times. A possessive `’s` is
ignored when comparing.

To stay quiet on real look-alike names, a pair is reported only when:
- both are capitalized words of at least 5 letters, not all-caps acronyms
  (`USSR`/`USA`), and not ordinary words capitalized at a sentence start;
- they are one insertion, deletion, substitution or swap of neighbouring
  letters apart, and the edit is neither on the first nor on the last letter
  (a swap of the last two letters, `Mendle`/`Mendel`, is a typo)
  (`Prussia`/`Russia`, `Korea`/`Korean`, `Soviet`/`Soviets` are different
  words or inflections);
- a substitution or swap needs a name of at least 6 letters and a majority
  spelling used at least 3 times (`Henan`/`Hunan` are two provinces); an
  inserted or dropped letter needs the majority at least twice;
- the letters differ by more than an accent (`Bruder`/`Brüder`);
- the rare spelling is not itself the term a card asks about (a question
  of one or two words, `die Schüssel`): in German every noun is
  capitalized, and `Schlüssel`/`Schüssel` are two words.
Equal counts are never reported: neither spelling is the odd one out.

**Why it matters**

Students memorize what the card says. A name spelled two ways makes them
doubt which one is right, and search and sorting in Anki treat the two
spellings as different people.

**Example**

```text
Mao regarded Khrushchev’s reconciliation with Tito as revisionism
Mao was heavily critical of Krushchev’s pursuit of improved relations
Khrushchev was highly critical of Mao’s Great Leap Forward
```

**Fix**

Use one spelling everywhere. `deckc check --fix` replaces the rare spelling
with the majority one. If the rare spelling is the one you want, add it to
`preferred` in `deckc.toml` and the rule leaves it alone.
";

impl Rule for NameVariant {
    fn code(&self) -> &'static str {
        "name-variant"
    }

    fn default_level(&self) -> Level {
        Level::Warning
    }

    fn summary(&self) -> &'static str {
        "a name is spelled two ways"
    }

    fn doc(&self) -> &'static str {
        DOC
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let words = cx.words();
        let index = &*words;
        // Per distinct spelling, never per occurrence.
        let names: Vec<&str> = index
            .spellings()
            .iter()
            .copied()
            .filter(|w| {
                words::is_capitalized(w)
                    && words::is_alphabetic(w)
                    && w.chars().count() >= MIN_LEN
                    && looks_like_name(index, w)
            })
            .collect();
        // Pairs that fit the typo profile but for where they are written;
        // the places of all their spellings are then found in one pass.
        let pairs: Vec<(usize, usize)> = words::near_pairs(&names, 64)
            .into_iter()
            .filter_map(|(a, b)| {
                let (a, b) = (index.id(a)?, index.id(b)?);
                let (rare, common) = if index.count_id(a) < index.count_id(b) {
                    (a, b)
                } else {
                    (b, a)
                };
                is_typo_pair(index, rare, common).then_some((rare, common))
            })
            .collect();
        if pairs.is_empty() {
            return;
        }
        let mut ids: Vec<usize> = pairs.iter().flat_map(|&(r, c)| [r, c]).collect();
        ids.sort_unstable();
        ids.dedup();
        let places = index.places(&ids);
        let places_of = |id: usize| {
            ids.binary_search(&id)
                .ok()
                .and_then(|k| places.get(k))
                .map(Vec::as_slice)
        };
        let mut headwords = None;
        for &(rare, common) in &pairs {
            let (Some(rare_at), Some(common_at)) = (places_of(rare), places_of(common)) else {
                continue;
            };
            let mid = |at: &[u32]| {
                at.iter()
                    .filter_map(|&i| index.word(i as usize))
                    .any(|w| !w.initial())
            };
            let rare_text = index.spelling(rare);
            if !(mid(rare_at) || mid(common_at))
                || cx.config.preferred.iter().any(|p| p == rare_text)
                || headwords
                    .get_or_insert_with(|| headwords_of(cx))
                    .contains(rare_text)
            {
                continue;
            }
            report(index, (rare, rare_at), (common, common_at), out);
        }
    }
}

/// Words of questions that are only a term (`die Schüssel`, `Schlüssel`):
/// a word a card is about is written on purpose. In languages that
/// capitalize nouns (German), two such terms one letter apart are two words
/// (`Schlüssel` key, `Schüssel` bowl), not a name and its misspelling.
fn headwords_of<'a>(cx: &Context<'a>) -> words::FxHashSet<&'a str> {
    let mut out = words::FxHashSet::default();
    for card in &cx.deck.cards {
        if has_three_ascii_terms(card.question.as_bytes()) {
            continue;
        }
        let mut terms = card
            .question
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty());
        let (a, b) = (terms.next(), terms.next());
        if terms.next().is_none() {
            out.extend(a.into_iter().chain(b));
        }
    }
    out
}

/// Whether `question` has a third term, found without decoding: three
/// runs of ASCII letters and digits, with only ASCII bytes up to the
/// third (where `char::is_alphanumeric` is `u8::is_ascii_alphanumeric`).
/// Most questions are sentences, not a term, and are done here; a `false`
/// says nothing, and [`headwords_of`] splits the question.
fn has_three_ascii_terms(question: &[u8]) -> bool {
    let mut runs = 0;
    let mut in_run = false;
    for &b in question {
        if !b.is_ascii() {
            return false;
        }
        let alnum = b.is_ascii_alphanumeric();
        if alnum && !in_run {
            runs += 1;
            if runs == 3 {
                return true;
            }
        }
        in_run = alnum;
    }
    false
}

/// A capitalized spelling is a name candidate unless the same word also
/// occurs in lowercase: then it is an ordinary word that starts a sentence.
fn looks_like_name(index: &WordIndex<'_>, word: &str) -> bool {
    index.count(&word.to_lowercase()) == 0
}

/// The strict typo profile described in the rule's doc, but for a capital
/// mid-sentence (which needs the pair's places).
fn is_typo_pair(index: &WordIndex<'_>, rare_id: usize, common_id: usize) -> bool {
    let (n_rare, n_common) = (index.count_id(rare_id), index.count_id(common_id));
    if n_rare == 0 || n_rare > 2 || n_common <= n_rare {
        return false;
    }
    let (rare, common) = (index.spelling(rare_id), index.spelling(common_id));
    let Some((kind, pos)) = words::single_edit(rare, common) else {
        return false;
    };
    let longer = rare.chars().count().max(common.chars().count());
    let shorter = rare.chars().count().min(common.chars().count());
    // Not on the first letter, not on the last (inflections, other names).
    // Swapping the last two letters is a typo, not an inflection
    // (`Mendle`/`Mendel`).
    let last = longer.saturating_sub(1);
    if pos == 0 || (kind != EditKind::Transposition && pos >= last) {
        return false;
    }
    if same_without_accents(rare, common) {
        return false;
    }
    match kind {
        EditKind::InsertDelete => shorter >= MIN_LEN && n_common >= 2.max(2 * n_rare),
        EditKind::Substitution | EditKind::Transposition => {
            shorter >= 6 && n_common >= 3.max(3 * n_rare)
        }
    }
}

/// `Bruder`/`Brüder`: the spellings differ only in diacritics, which in
/// many languages is a different word, not a typo.
fn same_without_accents(a: &str, b: &str) -> bool {
    fn base(s: &str) -> String {
        use unicode_normalization::UnicodeNormalization;
        s.nfd()
            .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
            .collect()
    }
    base(a) == base(b)
}

/// Reports each place of the rare spelling; `(id, places)` each.
fn report(
    index: &WordIndex<'_>,
    (rare, rare_at): (usize, &[u32]),
    (common, common_at): (usize, &[u32]),
    out: &mut Vec<Diagnostic>,
) {
    let (rare, common) = (index.spelling(rare), index.spelling(common));
    let n_common = common_at.len();
    let spans = |at: &'_ [u32]| -> Vec<Span> {
        at.iter()
            .filter_map(|&i| index.word(i as usize))
            .map(|w| index.span(&w))
            .collect()
    };
    let common_places = spans(common_at.get(..MAX_RELATED).unwrap_or(common_at));
    for span in spans(rare_at) {
        let times = if n_common == 1 { "once" } else { "times" };
        let count = if n_common == 1 {
            String::new()
        } else {
            format!("{n_common} ")
        };
        let mut d = Diagnostic::new(
            "name-variant",
            Level::Warning,
            span,
            format!("`{rare}` looks like a misspelling of `{common}`"),
        )
        .with_label(format!("`{common}` is written {count}{times} elsewhere"));
        for &c in &common_places {
            d = d.with_related(c, format!("written `{common}` here"));
        }
        d = d
            .with_help(format!(
                "use one spelling of the name; if `{rare}` is intended, add it to `preferred`"
            ))
            .with_fix(
                format!("replace `{rare}` with `{common}`"),
                vec![Edit {
                    span,
                    replacement: common.to_string(),
                }],
            );
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use super::super::words::testing::*;
    use super::*;

    proptest::proptest! {
        /// A question the byte test says has three terms has three terms
        /// as `headwords_of` splits it.
        #[test]
        fn three_ascii_terms_are_three_terms(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "die", "Schüssel", "a", "1", " ", "-", "?", "é", "ß", "\u{2003}", "x2", "'", "日本",
                ]),
                0..8,
            )
        ) {
            let q = parts.concat();
            let terms = q.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).count();
            if has_three_ascii_terms(q.as_bytes()) {
                proptest::prop_assert!(terms >= 3, "{}", q);
            } else if q.is_ascii() {
                proptest::prop_assert!(terms < 3, "{}", q);
            }
        }
    }

    #[test]
    fn reference_reports_krushchev_once() {
        let ds = check_reference(&NameVariant);
        assert_eq!(ds.len(), 1, "{ds:#?}");
        let d = &ds[0];
        assert_eq!(line_of(REFERENCE, d), 29);
        assert_eq!(&REFERENCE[d.span.start..d.span.end], "Krushchev");
        assert_eq!(d.related.len(), MAX_RELATED);
        let fix = d.fix.as_ref().unwrap();
        assert_eq!(fix.edits[0].replacement, "Khrushchev");
        assert!(d.label.contains("7 times"), "{}", d.label);
    }

    #[test]
    fn equal_counts_and_short_names_are_quiet() {
        let text = "T\nWhere is Henan?\nIt is near Hunan and Henan.\nWhere is Hunan?\nIran, Iraq, Iran, Iran\n";
        assert!(check(&NameVariant, text, &[2, 4]).is_empty());
    }

    #[test]
    fn look_alike_places_used_often_are_quiet() {
        let text = "T\nQ1?\nAustria and Australia; Prussia and Russia\nQ2?\nAustria, Australia, Russia, Prussia, Russia\nQ3?\nKorea and Korean, Soviet and Soviets, Soviets\n";
        assert!(check(&NameVariant, text, &[2, 4, 6]).is_empty());
    }

    #[test]
    fn substitution_needs_a_clear_majority() {
        let text = "T\nQ?\nthe Bismarck plan\nQ?\nthe Bismarck plan\nQ?\nthe Bismerck plan\n";
        // Two against one is not enough for a substitution...
        assert!(check(&NameVariant, text, &[2, 4, 6]).is_empty());
        // ...but three against one is.
        let more = format!("{text}Q?\nagain Bismarck\n");
        let ds = check(&NameVariant, &more, &[2, 4, 6, 8]);
        assert_eq!(ds.len(), 1);
        assert_eq!(line_of(&more, &ds[0]), 7);
    }

    #[test]
    fn accents_and_preferred_spellings_are_respected() {
        let text = "T\nQ?\nder Bruder, ein Bruder, zwei Brüder, mein Bruder\nQ?\nKrushchev, then Khrushchev and Khrushchev\n";
        let cfg = crate::lint::LintConfig {
            preferred: vec!["Krushchev".into()],
        };
        assert!(check_with(&NameVariant, text, &[2, 4], &cfg).is_empty());
        assert_eq!(check(&NameVariant, text, &[2, 4]).len(), 1);
    }

    #[test]
    fn last_two_letters_swapped_is_a_typo_but_a_last_letter_changed_is_not() {
        let text = "T\nQ?\nGregor Mendel, then Mendel and Mendel\nQ?\nthe ratio Mendle found\n";
        let ds = check(&NameVariant, text, &[2, 4]);
        assert_eq!(ds.len(), 1, "{ds:#?}");
        assert_eq!(line_of(text, &ds[0]), 5);
        let text = "T\nQ?\nthe Bolshevik party, Bolshevik, Bolshevik\nQ?\nthe Bolsheviks won\n";
        assert!(check(&NameVariant, text, &[2, 4]).is_empty());
    }

    #[test]
    fn a_term_a_card_is_about_is_no_misspelling() {
        let text = "T\nder Schlüssel\nthe key\nWhere is the key?\nWo ist der Schlüssel?\n\
                    die Schüssel\nthe bowl\n";
        assert!(check(&NameVariant, text, &[2, 6]).is_empty());
        // Used in a sentence only, the rare spelling is still reported.
        let text = "T\nder Schlüssel\nthe key\nWhere is the key?\nWo ist der Schlüssel?\n\
                    Where is the bowl?\nauf der Schüssel\n";
        assert_eq!(check(&NameVariant, text, &[2, 4, 6]).len(), 1);
    }

    #[test]
    fn sentence_initial_ordinary_words_are_not_names() {
        let text =
            "T\nQ?\nBegan in 1920.\nQ?\nBegun in 1930. It began. It began again. It began.\n";
        assert!(check(&NameVariant, text, &[2, 4]).is_empty());
    }
}
