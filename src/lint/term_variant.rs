//! `term-variant`: a multi-word term written with different spacing or
//! hyphenation (`Sino-Soviet`, `Sino Soviet`, `Sino- Soviet`).
//!
//! A term is a run of words joined by hyphens or dashes. Its key is the run
//! lowercased with the separators removed (`sinosoviet`). One pass collects
//! the keys of every hyphenated term; a second pass files every run of 1–3
//! words with that key, by the separators it uses. A key written with more
//! than one separator style, one of them the clear majority, is reported.

use super::words::{FxHashMap, Word, WordIndex};
use super::{Context, Rule};
use crate::diagnostic::{Diagnostic, Edit, Level};
use crate::source::Span;

pub struct TermVariant;

/// Longest term looked at, in words.
const MAX_WORDS: usize = 3;

const DOC: &str = "\
**What it does**

Finds a term of several words written with different separators in the
same deck: `Sino-Soviet` in most places, `Sino Soviet` or `Sino- Soviet`
in others. Terms are compared lowercased with spaces, hyphens and dashes
removed. The spelling used most often is taken as the right one.

Space against hyphen is only reported for terms with a capitalized part
(`Sino-Soviet`, `Austro-Hungarian`): for ordinary words the two are often
both right (`a long-term plan` / `in the long term`, `follow-up` /
`follow up`). A broken hyphen (`Sino- Soviet`) and a closed-up form
(`e-mail` / `email`) are reported for any term.

**Why it matters**

Learners search and compare cards by these terms; an inconsistent form
also looks like a different term and weakens the card's authority.

**Example**

```text
Define Sino-Soviet relations
Context for the Sino Soviet relations
What was the origins of Sino- Soviet relations deteriorating?
```

**Fix**

Write the term the same way everywhere. `deckc check --fix` rewrites the
separators of the other forms to the majority form's.
";

impl Rule for TermVariant {
    fn code(&self) -> &'static str {
        "term-variant"
    }

    fn default_level(&self) -> Level {
        Level::Warning
    }

    fn summary(&self) -> &'static str {
        "a multi-word term is written with different spacing or hyphenation"
    }

    fn doc(&self) -> &'static str {
        DOC
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let words = cx.words();
        let index = &*words;
        let spellings = index.spellings();
        // Per distinct spelling, not per occurrence.
        let lower: Vec<String> = spellings.iter().map(|s| s.to_lowercase()).collect();
        let alpha: Vec<bool> = spellings
            .iter()
            .map(|s| s.chars().all(char::is_alphabetic))
            .collect();
        let lower_of = |w: &Word| lower.get(w.id()).map_or("", String::as_str);
        // Keys of the hyphenated terms, sorted.
        let mut keys: Vec<String> = Vec::new();
        for_each_run(index, &alpha, true, |words, _, style, is_run| {
            if is_run && style.hyphenated() {
                keys.push(words.iter().map(lower_of).collect());
            }
            true
        });
        keys.sort_unstable();
        keys.dedup();
        if keys.is_empty() {
            return;
        }
        let mut trie = Trie::new(&keys, &lower);
        // key id → styles, each with the first words of its runs in source
        // order (a run's length follows from its style).
        let mut found: Vec<Vec<(Style, Vec<u32>)>> = vec![Vec::new(); keys.len()];
        let mut node = Trie::ROOT;
        for_each_run(index, &alpha, false, |words, first, style, is_run| {
            // The run extends the previous one by a word, or starts anew.
            let (Some(w), Ok(first)) = (words.last(), u32::try_from(first)) else {
                return false;
            };
            if words.len() == 1 {
                node = Trie::ROOT;
            }
            let Some(next) = trie.step(node, w.id()) else {
                return false;
            };
            node = next;
            if !is_run {
                return true;
            }
            if let Some(styles) = trie.key(node).and_then(|k| found.get_mut(k)) {
                match styles.iter_mut().find(|(s, _)| *s == style) {
                    Some((_, runs)) => runs.push(first),
                    None => styles.push((style, vec![first])),
                }
            }
            true
        });
        for styles in found.iter().filter(|s| s.len() > 1) {
            // In the order of the separators as text.
            let mut styles: Vec<(Vec<&str>, RunsOf<'_>)> = styles
                .iter()
                .map(|(style, firsts)| {
                    let runs = RunsOf {
                        firsts,
                        len: style.len(),
                    };
                    (style.separators(), runs)
                })
                .collect();
            styles.sort_by(|a, b| a.0.cmp(&b.0));
            report(index, &styles, out);
        }
    }
}

/// The separators a term may be written with (see [`joiner`]).
const JOINERS: [&str; 8] = [" ", "-", "–", "‑", "- ", " -", "– ", " –"];
/// The index of the plain space in [`JOINERS`].
const SPACE: u8 = 0;
/// The index of the hyphen in [`JOINERS`].
const HYPHEN: u8 = 1;

/// A separator that can join the parts of a term: a hyphen or en dash
/// (possibly broken by a space on one side), or one space: its index in
/// [`JOINERS`]. A dash with spaces on both sides is punctuation, not a
/// joiner.
fn joiner(sep: &str) -> Option<u8> {
    // The common cases first.
    match sep.as_bytes() {
        b" " => return Some(SPACE),
        b"-" => return Some(HYPHEN),
        _ if sep.len() > 4 => return None,
        _ => {}
    }
    JOINERS
        .iter()
        .position(|&j| j == sep)
        .and_then(|i| u8::try_from(i).ok())
}

/// The separators of a run, packed: their number, then one [`JOINERS`]
/// index per separator (4 bits each).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Style(u16);

impl Style {
    fn push(self, joiner: u8) -> Style {
        let n = self.0 >> 12;
        Style(((n + 1) << 12) | (self.0 & 0x0fff) | (u16::from(joiner & 0xf) << (4 * n)))
    }

    /// Number of separators.
    fn seps(self) -> usize {
        usize::from(self.0 >> 12)
    }

    /// Number of words.
    fn len(self) -> usize {
        self.seps() + 1
    }

    fn separators(self) -> Vec<&'static str> {
        (0..self.seps())
            .filter_map(|i| JOINERS.get(usize::from((self.0 >> (4 * i)) & 0xf)).copied())
            .collect()
    }

    /// Only hyphens or dashes (no plain space), at least one.
    fn hyphenated(self) -> bool {
        self.seps() > 0 && !self.separators().contains(&" ")
    }
}

/// A trie over the letters of the hyphenated keys, walked a word at a
/// time (a key may be written as one word or several: `email`, `e-mail`).
/// A node is a prefix of some key; steps are memoized per (node, spelling).
struct Trie<'k> {
    /// Node → its prefix and the key id if the prefix is a whole key.
    nodes: Vec<(&'k str, Option<usize>)>,
    /// Prefix → node.
    by_prefix: FxHashMap<&'k str, u32>,
    lower: &'k [String],
    /// The step from the root, per spelling id.
    from_root: Vec<Option<u32>>,
    /// Other steps met so far.
    steps: FxHashMap<(u32, u32), Option<u32>>,
}

impl<'k> Trie<'k> {
    const ROOT: u32 = 0;

    fn new(keys: &'k [String], lower: &'k [String]) -> Self {
        let mut nodes: Vec<(&'k str, Option<usize>)> = vec![("", None)];
        let mut by_prefix: FxHashMap<&'k str, u32> = FxHashMap::default();
        by_prefix.insert("", Self::ROOT);
        for (id, k) in keys.iter().enumerate() {
            let ends = k.char_indices().map(|(i, _)| i).skip(1).chain([k.len()]);
            for end in ends {
                let Some(p) = k.get(..end) else { continue };
                let n = u32::try_from(nodes.len()).unwrap_or(u32::MAX);
                let node = *by_prefix.entry(p).or_insert_with(|| {
                    nodes.push((p, None));
                    n
                });
                if end == k.len() {
                    if let Some(entry) = nodes.get_mut(node as usize) {
                        entry.1 = Some(id);
                    }
                }
            }
        }
        let mut trie = Trie {
            nodes,
            by_prefix,
            lower,
            from_root: Vec::new(),
            steps: FxHashMap::default(),
        };
        trie.from_root = (0..lower.len())
            .map(|id| trie.walk(Self::ROOT, id))
            .collect();
        trie
    }

    fn walk(&self, node: u32, id: usize) -> Option<u32> {
        let mut text = String::from(self.nodes.get(node as usize)?.0);
        text.push_str(self.lower.get(id)?);
        self.by_prefix.get(text.as_str()).copied()
    }

    /// The node after reading spelling `id` (lowercased) from `node`.
    fn step(&mut self, node: u32, id: usize) -> Option<u32> {
        if node == Self::ROOT {
            return self.from_root.get(id).copied().flatten();
        }
        let key = (node, u32::try_from(id).ok()?);
        if let Some(&s) = self.steps.get(&key) {
            return s;
        }
        let s = self.walk(node, id);
        self.steps.insert(key, s);
        s
    }

    /// The key id `node` completes, if any.
    fn key(&self, node: u32) -> Option<usize> {
        self.nodes.get(node as usize).and_then(|&(_, k)| k)
    }
}

/// The runs of one style: their first words and common length.
#[derive(Debug, Clone, Copy)]
struct RunsOf<'r> {
    firsts: &'r [u32],
    len: usize,
}

impl RunsOf<'_> {
    fn count(&self) -> usize {
        self.firsts.len()
    }

    fn iter(&self) -> impl Iterator<Item = RunRef> + '_ {
        self.firsts.iter().map(|&first| RunRef {
            first: first as usize,
            len: self.len,
        })
    }
}

/// A run of words in [`WordIndex::words`]: `words[first..first + len]`.
#[derive(Debug, Clone, Copy)]
struct RunRef {
    first: usize,
    len: usize,
}

/// A run of words joined by separators, as written.
#[derive(Debug)]
struct Run<'a> {
    words: Vec<(&'a str, Span)>,
    /// The text between consecutive words.
    separators: Vec<&'a str>,
    capitalized: bool,
}

impl<'a> Run<'a> {
    fn of(index: &WordIndex<'a>, r: RunRef) -> Self {
        let ws: Vec<Word> = (r.first..r.first + r.len)
            .filter_map(|i| index.word(i))
            .collect();
        Run {
            words: ws.iter().map(|w| (index.text(w), index.span(w))).collect(),
            separators: ws
                .windows(2)
                .map(|p| match p {
                    [a, b] => index.gap(a, b),
                    _ => "",
                })
                .collect(),
            capitalized: ws
                .iter()
                .any(|w| index.text(w).chars().next().is_some_and(char::is_uppercase)),
        }
    }

    fn span(&self) -> Span {
        match (self.words.first(), self.words.last()) {
            (Some(a), Some(b)) => a.1.join(b.1),
            _ => Span::default(),
        }
    }
}

/// Walks every term-shaped run, in source order: maximal hyphen-joined
/// runs, plus every 1–3 words joined by single spaces. From each start
/// word it calls `f(words, first, style, is_run)` for each word added
/// (`words` are the words from index `first` on, `is_run` says whether they form such
/// a run); `f` says whether to go on adding words. With `hyphenated_only`,
/// only starts followed by a hyphen are visited.
fn for_each_run(
    index: &WordIndex<'_>,
    alpha: &[bool],
    hyphenated_only: bool,
    mut f: impl FnMut(&[Word], usize, Style, bool) -> bool,
) {
    let mut ws = Vec::new();
    for s in 0..index.segment_count() {
        if hyphenated_only && !may_hold_dash(index.segment(s).text) {
            continue;
        }
        index.segment_words(s, &mut ws);
        let ws = ws.as_slice();
        let base = index.segment_first(s);
        // Joiner between word k and k + 1 of the segment, looked at only
        // when needed: most words start no term.
        let join = |k: usize| match (ws.get(k), ws.get(k + 1)) {
            (Some(a), Some(b)) => {
                let end = a.start() + index.text(a).len();
                // Most words are one byte apart: a space, a hyphen, or
                // some other character that joins nothing.
                if b.start() == end + 1 {
                    match index.source_byte(end) {
                        Some(b' ') => Some(SPACE),
                        Some(b'-') => Some(HYPHEN),
                        _ => None,
                    }
                } else {
                    joiner(index.gap(a, b))
                }
            }
            _ => None,
        };
        let hyphen_after = |k: usize| join(k).is_some_and(|j| j != SPACE);
        for start in 0..ws.len() {
            if hyphenated_only && !hyphen_after(start) {
                continue;
            }
            // A hyphenated run starts at its first word, never inside.
            let prev_is_hyphen = || start.checked_sub(1).is_some_and(hyphen_after);
            let mut hyphens = 0;
            let mut style = Style(0);
            for k in start..ws.len().min(start + MAX_WORDS) {
                let Some(w) = ws.get(k) else { break };
                if !alpha.get(w.id()).copied().unwrap_or(false) {
                    break;
                }
                if k > start {
                    let Some(j) = join(k - 1) else { break };
                    if j != SPACE {
                        hyphens += 1;
                    }
                    style = style.push(j);
                }
                let n_seps = k - start;
                let all_hyphens = hyphens == n_seps && n_seps > 0;
                let all_spaces = hyphens == 0;
                // A hyphenated run counts only when maximal (`a-b-c`, not `a-b`).
                let is_run = (all_hyphens && !hyphen_after(k) && !prev_is_hyphen()) || all_spaces;
                let words = ws.get(start..=k).unwrap_or(&[]);
                if !f(words, base + start, style, is_run) || !(all_hyphens || all_spaces) {
                    break;
                }
            }
        }
    }
}

/// Whether `text` may hold a joiner other than the plain space: every
/// one of them (see [`JOINERS`]) holds a `-` or a dash, whose UTF-8
/// encoding starts with the byte 0xE2. A segment without either holds
/// no hyphenated run, and is not decoded to look for one.
fn may_hold_dash(text: &str) -> bool {
    memchr::memchr2(b'-', 0xe2, text.as_bytes()).is_some()
}

/// Whether replacing `from` separators with `to` is a real inconsistency,
/// not an ordinary-word compound that is right both ways.
fn reportable(run: &Run<'_>, from: &[&str], to: &[&str]) -> bool {
    let broken = |seps: &[&str]| seps.iter().any(|s| s.len() > 1 && s.trim() != *s);
    if broken(from) {
        return true;
    }
    let spaced = from.contains(&" ") || to.contains(&" ");
    // `re-cover`/`recover`, `re-sign`/`resign` are different words.
    let re_prefix = run
        .words
        .first()
        .is_some_and(|w| w.0.eq_ignore_ascii_case("re"));
    run.capitalized || (!spaced && !re_prefix)
}

/// Reports the forms of one key but the majority's. `styles` are sorted by
/// their separators.
fn report(index: &WordIndex<'_>, styles: &[(Vec<&str>, RunsOf<'_>)], out: &mut Vec<Diagnostic>) {
    let max = styles.iter().map(|(_, r)| r.count()).max().unwrap_or(0);
    let mut majority = styles.iter().filter(|(_, r)| r.count() == max);
    let (Some((keep, keep_runs)), None) = (majority.next(), majority.next()) else {
        return; // a tie: no form to prefer
    };
    let keep_runs: Vec<Run<'_>> = keep_runs
        .iter()
        .take(3)
        .map(|r| Run::of(index, r))
        .collect();
    let Some(model) = keep_runs.first() else {
        return;
    };
    let keep_text = source_text(model);
    let mut variants: Vec<Run<'_>> = styles
        .iter()
        .filter(|(s, _)| s != keep)
        .flat_map(|(_, runs)| runs.iter().map(|r| Run::of(index, r)))
        .filter(|r| reportable(r, &r.separators, keep))
        .collect();
    variants.sort_by_key(|r| r.span());
    let Some(first) = variants.first() else {
        return;
    };
    let first_text = source_text(first);
    let mut d = Diagnostic::new(
        "term-variant",
        Level::Warning,
        first.span(),
        format!("`{first_text}` is written `{keep_text}` elsewhere in this deck"),
    )
    .with_label(format!("written `{first_text}` here"));
    for r in variants.iter().skip(1) {
        d = d.with_related(r.span(), format!("also written `{}` here", source_text(r)));
    }
    for r in &keep_runs {
        d = d.with_related(r.span(), format!("written `{keep_text}` here"));
    }
    let edits: Vec<Edit> = variants
        .iter()
        .map(|r| Edit {
            span: r.span(),
            replacement: recase(&keep_text, &source_text(r)),
        })
        .collect();
    let n = variants.len();
    out.push(
        d.with_help(format!(
            "`{keep_text}` is the most common form ({max} of {} places)",
            max + n
        ))
        .with_fix(format!("write `{keep_text}` everywhere"), edits),
    );
}

/// The run's text as written in the source.
fn source_text(run: &Run<'_>) -> String {
    let mut s = String::new();
    for (i, w) in run.words.iter().enumerate() {
        if i > 0 {
            s.push_str(run.separators.get(i - 1).copied().unwrap_or(" "));
        }
        s.push_str(w.0);
    }
    s
}

/// `model`'s separators with the letter case of `written` (both have the
/// same letters, compared lowercased), so a fix keeps the writer's case.
fn recase(model: &str, written: &str) -> String {
    let mut letters = written.chars().filter(|c| c.is_alphabetic());
    let mut out = String::with_capacity(model.len());
    for c in model.chars() {
        if !c.is_alphabetic() {
            out.push(c);
            continue;
        }
        match letters.next() {
            Some(w) if w.to_lowercase().eq(c.to_lowercase()) => out.push(w),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::words::testing::*;
    use super::*;

    #[test]
    fn every_joiner_but_the_space_holds_a_dash_byte() {
        for (i, j) in JOINERS.iter().enumerate() {
            assert_eq!(may_hold_dash(j), i != usize::from(SPACE), "{j:?}");
        }
        assert!(!may_hold_dash(
            "no dash here, only words; and (a) few: marks"
        ));
    }

    proptest::proptest! {
        /// Skipping segments without a dash finds the same hyphenated
        /// runs as walking every segment.
        #[test]
        fn the_dash_prefilter_finds_every_hyphenated_run(
            lines in proptest::collection::vec(
                proptest::collection::vec(
                    proptest::sample::select(vec![
                        "e", "mail", "Sino", "soviet", "long", "term", "the", "a1", "é",
                        " ", "-", "–", "‑", "- ", " -", "– ", " –", " — ", ", ", "\n",
                    ]),
                    0..12,
                ),
                1..6,
            )
        ) {
            let mut text = String::from("T\n");
            for l in &lines {
                text.push_str("Q?\n");
                text.push_str(&l.concat().replace('\n', " "));
                text.push('\n');
            }
            let src = crate::source::SourceFile::new("x.txt", text.as_str());
            let deck = crate::lint::testing::deck(&src);
            let config = crate::lint::LintConfig::default();
            let cx = Context::new(&deck, &src, &config);
            let index = cx.words();
            let alpha: Vec<bool> = index
                .spellings()
                .iter()
                .map(|s| s.chars().all(char::is_alphabetic))
                .collect();
            let mut with_filter = Vec::new();
            for_each_run(&index, &alpha, true, |words, first, style, is_run| {
                with_filter.push((first, words.len(), style, is_run));
                true
            });
            // The same walk over every segment, with no prefilter.
            let mut every = Vec::new();
            for_each_run(&index, &alpha, false, |words, first, style, is_run| {
                every.push((first, words.len(), style, is_run));
                true
            });
            let hyphenated = |v: &[(usize, usize, Style, bool)]| -> Vec<(usize, usize, Style)> {
                v.iter()
                    .filter(|&&(_, _, style, is_run)| is_run && style.hyphenated())
                    .map(|&(f, n, style, _)| (f, n, style))
                    .collect()
            };
            proptest::prop_assert_eq!(hyphenated(&with_filter), hyphenated(&every));
        }
    }

    #[test]
    fn reference_reports_sino_soviet_once_with_both_variants() {
        let ds = check_reference(&TermVariant);
        assert_eq!(ds.len(), 1, "{ds:#?}");
        let d = &ds[0];
        assert_eq!(line_of(REFERENCE, d), 4);
        assert_eq!(&REFERENCE[d.span.start..d.span.end], "Sino Soviet");
        let src = crate::source::SourceFile::new("x", REFERENCE);
        let related: Vec<usize> = d
            .related
            .iter()
            .map(|r| src.line_of(r.span.start))
            .collect();
        assert_eq!(related, [48, 1, 2, 7]);
        let fixed = crate::fix::apply(REFERENCE, std::slice::from_ref(d)).0;
        assert_eq!(fixed.matches("Sino-Soviet").count(), 5);
    }

    #[test]
    fn ordinary_compounds_with_spaces_are_quiet() {
        let text = "T\nQ?\na long-term plan, a long-term aim\nQ?\nin the long term; a follow-up, follow up later\n";
        assert!(check(&TermVariant, text, &[2, 4]).is_empty());
    }

    #[test]
    fn broken_and_closed_forms_are_reported_for_any_term() {
        let text = "T\nQ?\nsend an e-mail, another e-mail\nQ?\nread the email; a long- term plan, a long-term aim, long-term\n";
        let ds = check(&TermVariant, text, &[2, 4]);
        let got: Vec<(usize, &str)> = ds
            .iter()
            .map(|d| (line_of(text, d), &text[d.span.start..d.span.end]))
            .collect();
        assert_eq!(got, [(5, "email"), (5, "long- term")], "{ds:#?}");
        let fixed = crate::fix::apply(text, &ds).0;
        assert!(
            fixed.contains("read the e-mail; a long-term plan"),
            "{fixed}"
        );
    }

    #[test]
    fn dashes_between_clauses_and_ties_are_quiet() {
        let text = "T\nQ?\nMongolia - in Chinese sphere; Franco-Prussian war\nQ?\nthe Franco Prussian war\n";
        assert!(check(&TermVariant, text, &[2, 4]).is_empty());
    }
}
