//! The validator: one rule per file, registered in [`RULES`].
//!
//! A rule looks at the parsed [`Deck`] (and its source) and pushes
//! [`Diagnostic`]s at its default level; [`crate::diagnostic::LevelConfig`]
//! re-levels them afterwards. Rules must stay near-linear in deck size:
//! index first (keywords, n-grams, spelling keys), then compare candidates.

mod conflicting_dates;
mod conflicting_numbers;
mod duplicate_card;
mod duplicate_id;
mod duplicate_question;
mod empty_answer;
mod empty_question;
mod facts;
mod malformed_cloze;
mod missing_media;
mod name_variant;
mod orphan_line;
mod placeholder;
mod repeated_answer;
mod spelling_variant;
mod stray_token;
mod syntax_error;
mod term_variant;
mod unbalanced_delimiters;
mod word_confusion;
mod words;

use words::WordIndex;
mod year_range_order;

use std::sync::{Arc, Condvar, Mutex, PoisonError};

use crate::diagnostic::{Diagnostic, Level};
use crate::model::Deck;
use crate::source::SourceFile;

/// What a rule gets to look at, and what rules share: analyses several
/// rules need are computed once, on first use, by whichever rule asks first
/// (rules run on several threads), and dropped once the last rule that
/// reads them is done (see [`run`]).
pub struct Context<'a> {
    pub deck: &'a Deck,
    pub source: &'a SourceFile,
    pub config: &'a LintConfig,
    words: Slot<WordIndex<'a>>,
    fact_keys: Slot<facts::DeckKeys<'a>>,
    folds: Slot<duplicate_question::Folds>,
}

/// A shared analysis: built on first use (whoever else asks meanwhile
/// waits for it, as with a `OnceLock`), and held until released. A rule
/// keeps what it was handed alive until it is done with it.
struct Slot<T>(Mutex<Option<Arc<T>>>);

impl<T> Slot<T> {
    fn new() -> Self {
        Slot(Mutex::new(None))
    }

    fn get_or_build(&self, build: impl FnOnce() -> T) -> Arc<T> {
        let mut slot = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        Arc::clone(slot.get_or_insert_with(|| Arc::new(build())))
    }

    /// Drops the slot's hold on the analysis (built again if asked for).
    fn release(&self) {
        let taken = self.0.lock().unwrap_or_else(PoisonError::into_inner).take();
        drop(taken);
    }

    #[cfg(test)]
    fn is_built(&self) -> bool {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .is_some()
    }
}

impl<'a> Context<'a> {
    pub fn new(deck: &'a Deck, source: &'a SourceFile, config: &'a LintConfig) -> Self {
        Context {
            deck,
            source,
            config,
            words: Slot::new(),
            fact_keys: Slot::new(),
            folds: Slot::new(),
        }
    }

    /// Every word of the deck (see [`words::WordIndex`]), built once.
    pub fn words(&self) -> Arc<WordIndex<'a>> {
        self.words.get_or_build(|| WordIndex::build(self))
    }

    /// The subject keys of the deck's words, for the fact rules, built once.
    pub fn fact_keys(&self) -> Arc<facts::DeckKeys<'a>> {
        self.fact_keys
            .get_or_build(|| facts::DeckKeys::build(self.deck, self.source))
    }

    /// Every card's question and answer lines folded into token ids (see
    /// [`duplicate_question::Folds`]), built once.
    pub fn folds(&self) -> Arc<duplicate_question::Folds> {
        self.folds
            .get_or_build(|| duplicate_question::Folds::build(&self.deck.cards))
    }
}

/// Rule settings from `deckc.toml` (preferred spellings and the like).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LintConfig {
    /// Spellings the user prefers; variant rules suggest these.
    pub preferred: Vec<String>,
}

/// One lint rule.
pub trait Rule: Sync {
    /// Kebab-case code, e.g. `conflicting-dates`.
    fn code(&self) -> &'static str;
    fn default_level(&self) -> Level;
    /// One line: what it finds.
    fn summary(&self) -> &'static str;
    /// Markdown doc: What it does / Why it matters / Example / Fix.
    fn doc(&self) -> &'static str;
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>);
}

/// Every rule, in the order `deckc explain` lists them.
pub const RULES: &[&dyn Rule] = &[
    &conflicting_dates::ConflictingDates,
    &conflicting_numbers::ConflictingNumbers,
    &year_range_order::YearRangeOrder,
    &name_variant::NameVariant,
    &term_variant::TermVariant,
    &spelling_variant::SpellingVariant,
    &word_confusion::WordConfusion,
    &stray_token::StrayToken,
    &empty_question::EmptyQuestion,
    &empty_answer::EmptyAnswer,
    &orphan_line::OrphanLine,
    &syntax_error::SyntaxError,
    &duplicate_question::DuplicateQuestion,
    &duplicate_card::DuplicateCard,
    &duplicate_id::DuplicateId,
    &repeated_answer::RepeatedAnswer,
    &unbalanced_delimiters::UnbalancedDelimiters,
    &malformed_cloze::MalformedCloze,
    &placeholder::Placeholder,
    &missing_media::MissingMedia,
];

/// Looks a rule up by code.
pub fn rule(code: &str) -> Option<&'static dyn Rule> {
    RULES.iter().copied().find(|r| r.code() == code)
}

/// The analyses several rules share (see [`Context`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shared {
    FactKeys,
    Words,
    Folds,
}

impl Shared {
    const ALL: [Shared; 3] = [Shared::FactKeys, Shared::Words, Shared::Folds];

    fn build(self, cx: &Context<'_>) {
        match self {
            Shared::FactKeys => {
                cx.fact_keys();
            }
            Shared::Words => {
                cx.words();
            }
            Shared::Folds => {
                cx.folds();
            }
        }
    }

    /// Frees the analysis once no rule still to run reads it.
    fn release(self, cx: &Context<'_>) {
        match self {
            Shared::FactKeys => cx.fact_keys.release(),
            Shared::Words => cx.words.release(),
            Shared::Folds => cx.folds.release(),
        }
    }
}

/// The shared analysis a rule reads, if any. Only scheduling depends on
/// this (a rule that reads one not listed builds it itself); a unit test
/// checks it against what each rule really reads.
fn shared_by(code: &str) -> Option<Shared> {
    match code {
        "conflicting-dates" | "conflicting-numbers" => Some(Shared::FactKeys),
        "name-variant" | "term-variant" | "spelling-variant" | "word-confusion" | "stray-token" => {
            Some(Shared::Words)
        }
        "duplicate-question" | "duplicate-card" | "repeated-answer" => Some(Shared::Folds),
        _ => None,
    }
}

/// The rules that take longest (at 100,000 cards, without the shared
/// analysis they read), longest first. They are started first, so that no
/// long rule is left running alone at the end while the other threads have
/// nothing to do. Only the order in which rules start depends on this.
const LONGEST_FIRST: [&str; 6] = [
    "placeholder",
    "conflicting-numbers",
    "year-range-order",
    "name-variant",
    "unbalanced-delimiters",
    "term-variant",
];

/// One piece of lint work: a shared analysis, or a rule (index into the
/// rules being run).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Job {
    Build(Shared),
    Check(usize),
}

/// The jobs for `rules`, in the order they should start: each shared
/// analysis some rule reads, followed by the rules that read it, then the
/// other rules, the longest first.
///
/// Each analysis is freed once its last reader is done (see [`run`]), so
/// this order holds one analysis at a time on one thread, and on two at
/// most two: a thread that has built one runs its readers before it builds
/// the next. Building every analysis first held all three at once (the word
/// index alone is some 300 MB at a million cards) for no gain in time:
/// measured at a million cards, `check` 5.08 s and 1,310 MB with the
/// analyses first, 5.04 s and 1,166 MB in this order.
fn jobs(rules: &[&dyn Rule]) -> Vec<Job> {
    let needed: Vec<Shared> = Shared::ALL
        .into_iter()
        .filter(|&s| rules.iter().any(|r| shared_by(r.code()) == Some(s)))
        .collect();
    let rank = |code: &str| {
        LONGEST_FIRST
            .iter()
            .position(|&c| c == code)
            .unwrap_or(LONGEST_FIRST.len())
    };
    let mut order: Vec<usize> = (0..rules.len()).collect();
    order.sort_by_key(|&i| rank(rules[i].code()));
    let mut jobs = Vec::with_capacity(needed.len() + rules.len());
    for shared in needed {
        jobs.push(Job::Build(shared));
        let readers = order
            .iter()
            .filter(|&&i| shared_by(rules[i].code()) == Some(shared));
        jobs.extend(readers.map(|&i| Job::Check(i)));
    }
    let others = order
        .iter()
        .filter(|&&i| shared_by(rules[i].code()).is_none());
    jobs.extend(others.map(|&i| Job::Check(i)));
    jobs
}

/// Which jobs are taken and which analyses are built.
struct Progress {
    taken: Vec<bool>,
    built: Vec<Shared>,
}

/// Records an analysis as built when dropped, and wakes the waiting threads.
struct Built<'a>(&'a Mutex<Progress>, &'a Condvar, Shared);

impl Drop for Built<'_> {
    fn drop(&mut self) {
        let mut p = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        p.built.push(self.2);
        drop(p);
        self.1.notify_all();
    }
}

/// The machine's cores, as the lints count them.
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Runs every rule for which `wanted(code)` holds (a rule whose findings
/// would all be dropped is not run), on at most `threads` threads (at least
/// one; [`cores`] for all of them). The shared analyses are jobs of their
/// own, and a thread only starts a rule once the analysis it reads is
/// built, taking other work meanwhile: no thread waits while another builds
/// an index it needs. The findings come back in rule order whatever the
/// timing, so the result is deterministic. `DECKC_LINT_PROFILE=1` prints
/// each job's time to stderr.
pub fn run(cx: &Context<'_>, wanted: impl Fn(&str) -> bool, threads: usize) -> Vec<Diagnostic> {
    let rules: Vec<&dyn Rule> = RULES.iter().copied().filter(|r| wanted(r.code())).collect();
    let profile = std::env::var_os("DECKC_LINT_PROFILE").is_some();
    let results: Vec<Mutex<Vec<Diagnostic>>> = rules.iter().map(|_| Mutex::default()).collect();
    let threads = threads.max(1);
    let jobs = jobs(&rules);
    // How many rules still to run read each analysis: the last one to
    // finish frees it.
    let readers: Vec<std::sync::atomic::AtomicUsize> = Shared::ALL
        .iter()
        .map(|&s| {
            let n = rules
                .iter()
                .filter(|r| shared_by(r.code()) == Some(s))
                .count();
            std::sync::atomic::AtomicUsize::new(n)
        })
        .collect();
    let progress = Mutex::new(Progress {
        taken: vec![false; jobs.len()],
        built: Vec::new(),
    });
    let changed = Condvar::new();
    // The next job whose analysis is built, marked taken; `None` when every
    // job is taken. Waits while the only jobs left need an analysis
    // another thread is still building.
    let next = || -> Option<Job> {
        let mut p = progress.lock().ok()?;
        loop {
            let ready = (0..jobs.len()).find(|&j| {
                !p.taken[j]
                    && match jobs[j] {
                        Job::Build(_) => true,
                        Job::Check(i) => {
                            shared_by(rules[i].code()).is_none_or(|s| p.built.contains(&s))
                        }
                    }
            });
            if let Some(j) = ready {
                p.taken[j] = true;
                return Some(jobs[j]);
            }
            if p.taken.iter().all(|&t| t) {
                return None;
            }
            p = changed.wait(p).ok()?;
        }
    };
    let work = || {
        while let Some(job) = next() {
            let started = std::time::Instant::now();
            let name = match job {
                Job::Build(shared) => {
                    // Marked built even if building panics, so that no
                    // thread waits for it forever: the rules then build it
                    // themselves, and the panic surfaces.
                    let _built = Built(&progress, &changed, shared);
                    shared.build(cx);
                    format!("{shared:?}")
                }
                Job::Check(i) => {
                    let mut found = Vec::new();
                    rules[i].check(cx, &mut found);
                    if let Ok(mut slot) = results[i].lock() {
                        *slot = found;
                    }
                    if let Some(shared) = shared_by(rules[i].code()) {
                        // `readers` is in the order of `Shared::ALL`, the
                        // declaration order (a test checks it).
                        let left = &readers[shared as usize];
                        if left.fetch_sub(1, std::sync::atomic::Ordering::AcqRel) == 1 {
                            shared.release(cx);
                        }
                    }
                    rules[i].code().to_string()
                }
            };
            if profile {
                let ms = started.elapsed().as_secs_f64() * 1e3;
                eprintln!("lint {name:<24} {ms:>10.3} ms");
            }
        }
    };
    let threads = threads.min(jobs.len());
    std::thread::scope(|s| {
        for _ in 1..threads {
            s.spawn(work);
        }
        work();
    });
    results
        .into_iter()
        .flat_map(|m| m.into_inner().unwrap_or_default())
        .collect()
}

/// Hand-built decks for the rules' unit tests, independent of the real
/// parsers: a line ending in `?` (or starting with `Q `) is a question,
/// `(Label)` is a section, `#` starts a directive, other non-blank lines are
/// answers (or orphans before the first question).
#[cfg(test)]
pub(crate) mod testing {
    use super::{Context, LintConfig, Rule};
    use crate::diagnostic::Diagnostic;
    use crate::model::Deck;
    use crate::parse::{trimmed, DeckBuilder};
    use crate::source::SourceFile;

    pub fn deck(src: &SourceFile) -> Deck {
        let mut b = DeckBuilder::new(src);
        for line in src.lines() {
            let (text, span) = trimmed(&line);
            if text.is_empty() {
                continue;
            }
            if text.starts_with('#') {
                b.directive(line.number, "test");
            } else if text.starts_with('(') && text.ends_with(')') {
                b.section(line.number, &text[1..text.len() - 1], span, "test");
            } else if let Some(q) = text
                .strip_prefix('Q')
                .filter(|r| r.is_empty() || r.starts_with(' '))
            {
                let at = span.len() - q.trim_start().len();
                b.question(line.number, q.trim(), span.sub(at, span.len()), "test");
            } else if text.ends_with('?') {
                b.question(line.number, text, span, "test");
            } else {
                b.answer(line.number, text, span, "test");
            }
        }
        b.finish().0
    }

    /// Runs one rule over `text`.
    pub fn check(rule: &dyn Rule, text: &str) -> (SourceFile, Vec<Diagnostic>) {
        let src = SourceFile::new("t.txt", text);
        let deck = deck(&src);
        let mut out = Vec::new();
        rule.check(&Context::new(&deck, &src, &LintConfig::default()), &mut out);
        (src, out)
    }

    /// The reference input, split into cards by hand exactly as DESIGN.md
    /// lists them, so rules can be tested on it before (and independently
    /// of) the notes parser.
    pub fn reference() -> (SourceFile, Deck) {
        const QUESTIONS: [usize; 15] = [2, 4, 7, 11, 18, 20, 25, 27, 33, 35, 37, 39, 41, 44, 48];
        let src = SourceFile::new(
            "input/sino-soviet.txt",
            include_str!("../../input/sino-soviet.txt"),
        );
        let mut b = DeckBuilder::new(&src);
        for line in src.lines() {
            let (text, span) = trimmed(&line);
            if line.number == 1 {
                b.title(1, "Sino-Soviet Relations", span, "test");
            } else if line.number == 43 {
                b.section(43, "Context", span, "test");
            } else if QUESTIONS.contains(&line.number) {
                b.question(line.number, text, span, "test");
            } else if !text.is_empty() {
                b.answer(line.number, text, span, "test");
            }
        }
        let deck = b.finish().0;
        (src, deck)
    }

    /// Runs every rule on a deck.
    pub fn run_all(src: &SourceFile, deck: &Deck) -> Vec<Diagnostic> {
        super::run(
            &Context::new(deck, src, &LintConfig::default()),
            |_| true,
            super::cores(),
        )
    }

    /// The 1-based line each diagnostic's primary span starts on.
    pub fn lines(src: &SourceFile, ds: &[Diagnostic]) -> Vec<usize> {
        ds.iter().map(|d| src.line_of(d.span.start)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_kebab_case() {
        let mut codes: Vec<_> = RULES.iter().map(|r| r.code()).collect();
        for c in &codes {
            assert!(
                c.chars().all(|ch| ch.is_ascii_lowercase() || ch == '-'),
                "{c}"
            );
        }
        codes.sort();
        let n = codes.len();
        codes.dedup();
        assert_eq!(n, codes.len(), "duplicate rule codes");
    }

    /// The scheduler starts a rule once the analysis `shared_by` names is
    /// built; that must be the one the rule reads (and it reads no other).
    #[test]
    fn shared_by_names_the_analysis_each_rule_reads() {
        let (src, deck) = testing::reference();
        let config = LintConfig::default();
        for rule in RULES {
            let cx = Context::new(&deck, &src, &config);
            rule.check(&cx, &mut Vec::new());
            let read: Vec<Shared> = [
                (Shared::FactKeys, cx.fact_keys.is_built()),
                (Shared::Words, cx.words.is_built()),
                (Shared::Folds, cx.folds.is_built()),
            ]
            .into_iter()
            .filter_map(|(s, read)| read.then_some(s))
            .collect();
            let listed: Vec<Shared> = shared_by(rule.code()).into_iter().collect();
            assert_eq!(read, listed, "{}", rule.code());
        }
    }

    /// Each analysis is followed by the rules that read it, the other rules
    /// come after them longest first, every rule is checked once, and the
    /// findings come back in rule order.
    #[test]
    fn each_analysis_comes_with_its_readers_and_every_rule_runs_once() {
        let rules: Vec<&dyn Rule> = RULES.to_vec();
        let jobs = jobs(&rules);
        let mut current = None;
        let mut checked = Vec::new();
        for job in &jobs {
            match *job {
                Job::Build(shared) => current = Some(shared),
                Job::Check(i) => {
                    let reads = shared_by(rules[i].code());
                    assert!(reads.is_none() || reads == current, "{}", rules[i].code());
                    if reads.is_none() {
                        current = None;
                    }
                    checked.push(i);
                }
            }
        }
        let builds = jobs.iter().filter(|j| matches!(j, Job::Build(_))).count();
        assert_eq!(builds, Shared::ALL.len());
        for (i, shared) in Shared::ALL.into_iter().enumerate() {
            assert_eq!(shared as usize, i);
        }
        let first_plain = jobs
            .iter()
            .find_map(|j| match *j {
                Job::Check(i) if shared_by(rules[i].code()).is_none() => Some(i),
                _ => None,
            })
            .unwrap();
        assert_eq!(rules[first_plain].code(), LONGEST_FIRST[0]);
        checked.sort_unstable();
        assert_eq!(checked, (0..rules.len()).collect::<Vec<_>>());
        let only_plain: Vec<&dyn Rule> = vec![rule("placeholder").unwrap()];
        assert_eq!(super::jobs(&only_plain), [Job::Check(0)]);
        let (src, deck) = testing::reference();
        let all = testing::run_all(&src, &deck);
        let by_rule: Vec<usize> = all
            .iter()
            .map(|d| RULES.iter().position(|r| r.code() == d.code).unwrap())
            .collect();
        assert!(by_rule.windows(2).all(|w| w[0] <= w[1]));
    }

    /// Once the rules have run, no analysis is held any more, and the
    /// findings are the same on one thread and on several.
    #[test]
    fn analyses_are_freed_after_their_last_rule() {
        let (src, deck) = testing::reference();
        let config = LintConfig::default();
        let mut found = Vec::new();
        for threads in [1, 2, 3] {
            let cx = Context::new(&deck, &src, &config);
            found.push(run(&cx, |_| true, threads));
            assert!(!cx.fact_keys.is_built(), "{threads} threads");
            assert!(!cx.words.is_built(), "{threads} threads");
            assert!(!cx.folds.is_built(), "{threads} threads");
        }
        assert!(!found[0].is_empty());
        assert!(found.windows(2).all(|w| w[0] == w[1]));
    }

    /// The structural rules (as opposed to the consistency rules, which
    /// have their own reference tests).
    const STRUCTURAL: [&str; 10] = [
        "empty-question",
        "empty-answer",
        "orphan-line",
        "syntax-error",
        "duplicate-question",
        "duplicate-card",
        "duplicate-id",
        "repeated-answer",
        "unbalanced-delimiters",
        "placeholder",
    ];

    /// On the reference input the structural rules may only produce the
    /// three `repeated-answer` notes DESIGN.md expects.
    #[test]
    fn reference_input_only_has_the_repeated_answer_notes() {
        let (src, deck) = testing::reference();
        assert_eq!(deck.cards.len(), 15);
        let ds: Vec<_> = testing::run_all(&src, &deck)
            .into_iter()
            .filter(|d| STRUCTURAL.contains(&d.code))
            .collect();
        let found: Vec<(&str, usize, usize)> = ds
            .iter()
            .map(|d| {
                let related = d.related.first().map_or(0, |r| src.line_of(r.span.start));
                (d.code, src.line_of(d.span.start), related)
            })
            .collect();
        assert_eq!(
            found,
            [
                ("repeated-answer", 19, 17),
                ("repeated-answer", 26, 24),
                ("repeated-answer", 34, 32),
            ]
        );
        assert!(ds.iter().all(|d| d.level == Level::Note));
    }

    // Checks the structural rules; each consistency rule's file tests its
    // own doc, and `docs/lints.md` (generated, drift-tested) shows them all.
    #[test]
    fn structural_rules_have_a_complete_doc() {
        for rule in RULES.iter().filter(|r| STRUCTURAL.contains(&r.code())) {
            let doc = rule.doc();
            for heading in [
                "**What it does**",
                "**Why it matters**",
                "**Example**",
                "**Fix**",
            ] {
                assert!(
                    doc.contains(heading),
                    "{}: doc lacks {heading}",
                    rule.code()
                );
            }
            assert!(!rule.summary().is_empty(), "{}", rule.code());
        }
    }
}
