//! `spelling-variant`: one word written with two spellings (`defence` and
//! `defense`, `colour` and `color`, `organise` and `organize`).
//!
//! Every word is filed under a spelling key: the word lowercased with the
//! known orthographic alternations rewritten to one side ([`spelling_key`]).
//! Words sharing a key but spelled differently are variants; one pass over
//! the deck and one over the key map, no pairwise comparison.

use std::collections::BTreeMap;

use super::words::{self, WordIndex};
use super::{Context, Rule};
use crate::diagnostic::{Diagnostic, Edit, Level};

pub struct SpellingVariant;

/// Word endings that alternate, written (one side, the other side). A word
/// ending in the first is keyed as if it ended in the second.
const ENDINGS: &[(&str, &str)] = &[
    // defence/defense, offence, licence, pretence
    ("ence", "ense"),
    ("ences", "enses"),
    // organise/organize, organisation/organization
    ("ise", "ize"),
    ("ises", "izes"),
    ("ised", "ized"),
    ("ising", "izing"),
    ("iser", "izer"),
    ("isers", "izers"),
    ("isation", "ization"),
    ("isations", "izations"),
    // analyse/analyze
    ("yse", "yze"),
    ("ysed", "yzed"),
    ("ysing", "yzing"),
    // centre/center, theatre/theater, fibre/fiber
    ("tre", "ter"),
    ("tres", "ters"),
    ("tred", "tered"),
    ("bre", "ber"),
    ("bres", "bers"),
    // catalogue/catalog, dialogue/dialog
    ("ogue", "og"),
    ("ogues", "ogs"),
    // programme/program
    ("gramme", "gram"),
    ("grammes", "grams"),
];

/// Alternations inside a word, written (one side, the other side).
const INNER: &[(&str, &str)] = &[
    // judgement/judgment, acknowledgement
    ("dgement", "dgment"),
    // sceptical/skeptical
    ("scep", "skep"),
    // sulphur/sulfur, sulphate
    ("sulph", "sulf"),
    // aluminium/aluminum
    ("minium", "minum"),
];

/// Whole words that alternate and fit no pattern.
const WORDS: &[(&str, &str)] = &[
    ("grey", "gray"),
    ("plough", "plow"),
    ("pyjamas", "pajamas"),
    ("ageing", "aging"),
    ("enrol", "enroll"),
    ("enrolment", "enrollment"),
    ("fulfil", "fulfill"),
    ("fulfilment", "fulfillment"),
    ("skilful", "skillful"),
    ("wilful", "willful"),
    ("instalment", "installment"),
];

/// Real words that the patterns would pair with another real word. In
/// British English `licence` is the noun and `license` the verb (like
/// `practice`/`practise`), so a British deck rightly uses both.
const NOT_VARIANTS: &[&str] = &[
    "prise",
    "prised",
    "prises",
    "prising",
    "prize",
    "prized",
    "licence",
    "licences",
    "license",
    "licensed",
    "licenses",
    "licensing",
];

const DOC: &str = "\
**What it does**

Finds one word written with two spellings in the same deck, such as
`defence` and `defense`. Words are compared lowercased, modulo these known
spelling alternations (not a word list, so new words are covered too):

- `-ence`/`-ense` (defence, offence, pretence)
- `-our`/`-or` inside a word (colour, behaviour, favourite)
- `-ise`/`-ize`, `-isation`/`-ization`, `-yse`/`-yze` (organise, analyse)
- `-tre`/`-ter`, `-bre`/`-ber` (centre, fibre)
- `-ogue`/`-og`, `-gramme`/`-gram` (catalogue, programme)
- `-lled`/`-led`, `-lling`/`-ling`, `-ller`/`-ler`, `-llor`/`-lor` after an
  unstressed vowel (travelled, modelling, counsellor)
- `ae`/`e` and `oe`/`e` between consonants (paediatric, oestrogen, manoeuvre)
- `-dgement`/`-dgment`, `scep`/`skep`, `sulph`/`sulf`, `aluminium`
- a few whole words: grey/gray, plough/plow, ageing/aging, enrol/enroll,
  fulfil/fulfill, skilful, wilful, instalment.

Distinct words that only look like variants (`advice`/`advise`,
`device`/`devise`, `prise`/`prize`) are not paired, nor are British
noun/verb pairs that are both correct in one text (`practice`/`practise`,
`licence`/`license`).

**Why it matters**

A deck that mixes spellings looks careless, and learners copying answers
into an exam may be marked down for the inconsistency. Anki's search also
misses half the cards when a word has two spellings.

**Example**

```text
mostly spent on defence industry
mostly spent on defense industries
```

**Fix**

Pick one spelling. When one spelling is clearly the majority, or is listed
in `preferred` in `deckc.toml`, `deckc check --fix` rewrites the others to
it; when both are used equally often there is no automatic fix.
";

impl Rule for SpellingVariant {
    fn code(&self) -> &'static str {
        "spelling-variant"
    }

    fn default_level(&self) -> Level {
        Level::Warning
    }

    fn summary(&self) -> &'static str {
        "one word is written with two spellings"
    }

    fn doc(&self) -> &'static str {
        DOC
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let words = cx.words();
        let index = &*words;
        // key → lowercased spelling → spelling ids; one entry per distinct
        // spelling, not per occurrence.
        let mut groups: BTreeMap<String, BTreeMap<String, Vec<usize>>> = BTreeMap::new();
        for (id, &text) in index.spellings().iter().enumerate() {
            if !words::is_alphabetic(text) || text.chars().skip(1).any(char::is_uppercase) {
                continue; // acronyms, numbers, CamelCase
            }
            let lower = text.to_lowercase();
            if lower.chars().count() < 4 || NOT_VARIANTS.contains(&lower.as_str()) {
                continue;
            }
            let key = spelling_key(&lower);
            groups
                .entry(key)
                .or_default()
                .entry(lower)
                .or_default()
                .push(id);
        }
        // The places of every spelling of a word with variants, in one pass.
        let mut ids: Vec<usize> = groups
            .values()
            .filter(|g| g.len() > 1)
            .flat_map(|g| g.values().flatten().copied())
            .collect();
        ids.sort_unstable();
        let all_places = index.places(&ids);
        let places_of = |id: usize| {
            ids.binary_search(&id)
                .ok()
                .and_then(|k| all_places.get(k))
                .map_or(&[][..], Vec::as_slice)
        };
        for spellings in groups.values().filter(|g| g.len() > 1) {
            // Lowercased spelling → its places (word indices, source order).
            let places: BTreeMap<String, Vec<u32>> = spellings
                .iter()
                .map(|(lower, ids)| {
                    let mut p: Vec<u32> = ids
                        .iter()
                        .flat_map(|&id| places_of(id).iter().copied())
                        .collect();
                    p.sort_unstable();
                    (lower.clone(), p)
                })
                .collect();
            report_group(cx, index, &places, out);
        }
    }
}

/// The word with every known alternation rewritten to one side.
pub fn spelling_key(lower: &str) -> String {
    if let Some(&(_, b)) = WORDS.iter().find(|(a, b)| *a == lower || *b == lower) {
        return b.to_string();
    }
    let mut key = lower.to_string();
    if let Some((a, b)) = ENDINGS
        .iter()
        .filter(|(a, _)| key.ends_with(a) && key.len() >= a.len() + 2)
        .max_by_key(|(a, _)| a.len())
    {
        key.truncate(key.len() - a.len());
        key.push_str(b);
    }
    // Each rewrite leaves a word without its pattern as it is, so most
    // words skip them all after a look at their bytes.
    for (a, b) in INNER {
        if has(&key, a) {
            key = key.replace(a, b);
        }
    }
    if has(&key, "our") {
        key = rewrite_our(&key);
    }
    if has(&key, "ll") {
        key = rewrite_double_l(&key);
    }
    if has(&key, "ae") || has(&key, "oe") {
        key = rewrite_digraphs(&key);
    }
    key
}

/// Whether `word` contains `part` (both short: a plain scan).
fn has(word: &str, part: &str) -> bool {
    word.as_bytes()
        .windows(part.len())
        .any(|w| w == part.as_bytes())
}

fn is_vowel(c: char) -> bool {
    "aeiouy".contains(c)
}

/// `colour`→`color`, `behaviour`→`behavior`: `our` after a consonant or
/// `i`, not at the start of the word.
fn rewrite_our(word: &str) -> String {
    let chars: Vec<char> = word.chars().collect();
    let mut out = String::with_capacity(word.len());
    let mut i = 0;
    while i < chars.len() {
        let at_our = i >= 2
            && chars.get(i..i + 3) == Some(&['o', 'u', 'r'][..])
            && chars.get(i - 1).is_some_and(|&c| c == 'i' || !is_vowel(c));
        if at_our {
            out.push_str("or");
            i += 3;
        } else {
            if let Some(&c) = chars.get(i) {
                out.push(c);
            }
            i += 1;
        }
    }
    out
}

/// `travelled`→`traveled`: a doubled `l` before `-ed`/`-ing`/`-er`/`-or`
/// after a vowel, with at least four letters before it (so `filled`/`filed`
/// or `willing`/`wiling` are not paired).
fn rewrite_double_l(word: &str) -> String {
    for suffix in ["lled", "lling", "ller", "llers", "llor", "llors"] {
        if let Some(stem) = word.strip_suffix(suffix) {
            if stem.chars().count() >= 4 && stem.chars().last().is_some_and(is_vowel) {
                return format!("{stem}{}", &suffix[1..]);
            }
        }
    }
    word.to_string()
}

/// `paediatric`→`pediatric`, `oestrogen`→`estrogen`: `ae`/`oe` followed by a
/// consonant and at least one more letter (so `canoe`/`cane` stay apart).
fn rewrite_digraphs(word: &str) -> String {
    let chars: Vec<char> = word.chars().collect();
    let mut out = String::with_capacity(word.len());
    let mut i = 0;
    while i < chars.len() {
        let pair = (chars.get(i).copied(), chars.get(i + 1).copied());
        let digraph = matches!(pair, (Some('a' | 'o'), Some('e')))
            && chars.get(i + 2).is_some_and(|&c| !is_vowel(c))
            && i + 3 < chars.len()
            && (i == 0 || chars.get(i - 1).is_some_and(|&c| !is_vowel(c)));
        if digraph {
            out.push('e');
            i += 2;
        } else {
            if let Some(&c) = chars.get(i) {
                out.push(c);
            }
            i += 1;
        }
    }
    out
}

/// Reports every spelling of one word but the one to keep.
fn report_group(
    cx: &Context<'_>,
    index: &WordIndex<'_>,
    spellings: &BTreeMap<String, Vec<u32>>,
    out: &mut Vec<Diagnostic>,
) {
    let first_at = |places: &Vec<u32>| {
        places
            .first()
            .and_then(|&i| index.word(i as usize))
            .map_or(usize::MAX, |w| w.start())
    };
    let preferred = spellings
        .keys()
        .find(|s| cx.config.preferred.iter().any(|p| p.to_lowercase() == **s));
    let max = spellings.values().map(Vec::len).max().unwrap_or(0);
    let majority = spellings
        .iter()
        .filter(|(_, p)| p.len() == max)
        .map(|(s, _)| s)
        .collect::<Vec<_>>();
    // The spelling to keep, and whether rewriting to it is safe.
    let (keep, fixable) = match (preferred, majority.as_slice()) {
        (Some(p), _) => (p, true),
        (None, [only]) => (*only, true),
        // A tie: keep the spelling met first, report the later one(s).
        _ => match spellings.iter().min_by_key(|(_, p)| first_at(p)) {
            Some((s, _)) => (s, false),
            None => return,
        },
    };
    let Some(keep_places) = spellings.get(keep) else {
        return;
    };
    for (spelling, places) in spellings.iter().filter(|(s, _)| *s != keep) {
        let ws: Vec<_> = places
            .iter()
            .filter_map(|&i| index.word(i as usize))
            .collect();
        let Some(first) = ws.first() else { continue };
        let mut d = Diagnostic::new(
            "spelling-variant",
            Level::Warning,
            index.span(first),
            format!("`{spelling}` is also spelled `{keep}` in this deck"),
        )
        .with_label(format!("spelled `{spelling}` here"));
        for w in ws.iter().skip(1) {
            d = d.with_related(index.span(w), format!("also spelled `{spelling}` here"));
        }
        for w in keep_places
            .iter()
            .filter_map(|&i| index.word(i as usize))
            .take(3)
        {
            d = d.with_related(index.span(&w), format!("spelled `{keep}` here"));
        }
        d = d.with_help(format!(
            "use one spelling throughout; list the one you want in `preferred` to choose between `{spelling}` and `{keep}`"
        ));
        if fixable {
            let edits = ws
                .iter()
                .map(|w| Edit {
                    span: index.span(w),
                    replacement: words::match_case(index.text(w), keep),
                })
                .collect();
            d = d.with_fix(format!("spell it `{keep}`"), edits);
        }
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use super::super::words::testing::*;
    use super::*;

    /// [`spelling_key`] before it looked for each pattern first.
    fn spelling_key_every_rewrite(lower: &str) -> String {
        if let Some(&(_, b)) = WORDS.iter().find(|(a, b)| *a == lower || *b == lower) {
            return b.to_string();
        }
        let mut key = lower.to_string();
        if let Some((a, b)) = ENDINGS
            .iter()
            .filter(|(a, _)| key.ends_with(a) && key.len() >= a.len() + 2)
            .max_by_key(|(a, _)| a.len())
        {
            key.truncate(key.len() - a.len());
            key.push_str(b);
        }
        for (a, b) in INNER {
            key = key.replace(a, b);
        }
        key = rewrite_our(&key);
        key = rewrite_double_l(&key);
        rewrite_digraphs(&key)
    }

    proptest::proptest! {
        #[test]
        fn keys_skip_only_rewrites_that_change_nothing(
            word in "(aeo|our|ll|sc|ep|dge|ment|sulph|minium|ise|tre|ogue|gramme|[aeiloruyst]){1,8}",
        ) {
            proptest::prop_assert_eq!(spelling_key(&word), spelling_key_every_rewrite(&word));
        }
    }

    #[test]
    fn keys_join_variants_and_keep_distinct_words_apart() {
        let same = [
            ("defence", "defense"),
            ("colour", "color"),
            ("behaviour", "behavior"),
            ("organisation", "organization"),
            ("analysed", "analyzed"),
            ("centre", "center"),
            ("catalogue", "catalog"),
            ("travelled", "traveled"),
            ("paediatric", "pediatric"),
            ("judgement", "judgment"),
            ("grey", "gray"),
        ];
        for (a, b) in same {
            assert_eq!(spelling_key(a), spelling_key(b), "{a}/{b}");
        }
        let different = [
            ("advice", "advise"),
            ("device", "devise"),
            ("filled", "filed"),
            ("canoe", "cane"),
            ("four", "for"),
            ("affect", "effect"),
            ("lose", "loose"),
            ("hablo", "habla"),
            ("practise", "practice"),
        ];
        for (a, b) in different {
            assert_ne!(spelling_key(a), spelling_key(b), "{a}/{b}");
        }
    }

    #[test]
    fn reference_reports_defence_defense_without_fix() {
        let ds = check_reference(&SpellingVariant);
        assert_eq!(ds.len(), 1, "{ds:#?}");
        let d = &ds[0];
        assert_eq!(line_of(REFERENCE, d), 46);
        assert_eq!(&REFERENCE[d.span.start..d.span.end], "defense");
        assert_eq!(line_of(REFERENCE, &ds[0]), 46);
        assert_eq!(d.related.len(), 1);
        assert!(d.fix.is_none(), "a tie has no safe fix");
    }

    #[test]
    fn majority_or_preferred_spelling_gets_a_fix() {
        let text = "T\nQ?\nThe colour red. The colour blue.\nQ?\nColor of the sky\n";
        let ds = check(&SpellingVariant, text, &[2, 4]);
        assert_eq!(ds.len(), 1);
        assert_eq!(line_of(text, &ds[0]), 5);
        let fix = ds[0].fix.as_ref().unwrap();
        assert_eq!(fix.edits[0].replacement, "Colour");
        let cfg = crate::lint::LintConfig {
            preferred: vec!["color".into()],
        };
        let ds = check_with(&SpellingVariant, text, &[2, 4], &cfg);
        assert_eq!(ds.len(), 1);
        assert_eq!(line_of(text, &ds[0]), 3);
        assert_eq!(ds[0].fix.as_ref().unwrap().edits.len(), 2);
    }

    #[test]
    fn distinct_words_are_quiet() {
        let text = "T\nQ?\nGive advice; advise them. A device to devise. Filled, filed.\nQ?\nyo hablo, ella habla\n";
        assert!(check(&SpellingVariant, text, &[2, 4]).is_empty());
    }
}
