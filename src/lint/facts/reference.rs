//! The statements pass as it was before [`super::DeckKeys::build`] read
//! every kind in one pass: kept, for tests only, as the reference the
//! one-pass reading must match statement for statement.

use super::*;

/// [`statements`], given the deck's keys.
///
/// A statement none of whose keys is in at most [`subjects::MAX_POSTINGS`]
/// statements is never compared with another (see [`subjects`]): it is
/// counted, but not kept. Counts only grow, so a statement whose keys are
/// all past the limit when it is read is dropped at once, and the others
/// are looked at again whenever the kept ones have doubled.
pub fn statements_alone<'a, K: Kind>(
    deck: &'a Deck,
    source: &SourceFile,
    keys: &'a DeckKeys<'a>,
) -> Statements<'a, K::Fact> {
    let mut vocab = Overlay::new(&keys.vocab);
    let mut qualifiers = Qualifiers::default();
    let mut kept = Kept::<K::Fact>::default();
    // How many statements hold each key (in `keys` or `all`), and for the
    // keys that are no word of the deck (units), in how many cards.
    let mut counts: Vec<u32> = vec![0; keys.vocab.keys.len()];
    let mut unit_cards: Vec<(u32, u32)> = Vec::new();
    // Scratch space, reused for every sentence.
    let mut parts: Vec<(usize, &'a str)> = Vec::new();
    let mut nums: Vec<Num<'a>> = Vec::new();
    let mut question_nums: Vec<Num<'a>> = Vec::new();
    let mut found_dates: Vec<dates::Date> = Vec::new();
    let mut found: Vec<K::Fact> = Vec::new();
    let mut ws: Vec<words::Word<'a>> = Vec::new();
    let mut q = Question::default();
    let mut names: Vec<Key> = Vec::new();
    let mut capitals: Vec<Key> = Vec::new();
    let mut surface: Vec<(Key, u32)> = Vec::new();
    let mut question: Vec<(Key, u32)> = Vec::new();
    let mut units: Vec<Key> = Vec::new();
    let mut asked: Vec<Key> = Vec::new();
    let mut quals: Vec<u32> = Vec::new();
    let mut subject: Vec<Key> = Vec::new();
    let mut all: Vec<Key> = Vec::new();
    for (card_index, card) in deck.cards.iter().enumerate() {
        // The question is read at the card's first fact, and its quantity
        // word at the first fact with a unit. (Its key is a key of the
        // deck, so interning it adds none, whenever it is done.)
        let mut read = false;
        let mut quantity: Option<Option<Key>> = None;
        for (line_index, line) in card.answer.iter().enumerate() {
            if !has_digit(&line.text) {
                continue;
            }
            parts.clear();
            sentences_into(&line.text, &mut parts);
            // The sentence is the card's whole answer: then the question says
            // what it is about. A topic prompt with many lines (`Describe the
            // Personal Rivalries factor`) does not.
            let whole = card.answer.len() == 1 && parts.len() == 1;
            // Read the line from the source when the span holds exactly its
            // text, so fact spans are exact; otherwise point at the line.
            let mut exact_line = None;
            for &(s0, sentence) in &parts {
                nums.clear();
                numbers::numbers_into(sentence, &mut nums);
                if nums.is_empty() {
                    continue;
                }
                found_dates.clear();
                dates::dates_from(sentence, &nums, &mut found_dates);
                found.clear();
                K::extract(sentence, &nums, &found_dates, &mut found);
                if found.is_empty() {
                    continue;
                }
                let exact = *exact_line.get_or_insert_with(|| {
                    source.text.get(line.span.start..line.span.end) == Some(&line.text)
                });
                if !read {
                    q.read(
                        &card.question,
                        &mut vocab,
                        &mut qualifiers,
                        &mut ws,
                        &mut question_nums,
                    );
                    read = true;
                }
                let inside = |w: &words::Word<'_>| {
                    found.iter().any(|f| {
                        let (a, b) = f.range();
                        a <= w.start && w.end <= b
                    })
                };
                ws.clear();
                ws.extend(words::iter(sentence));
                names.clear();
                capitals.clear();
                surface.clear();
                read_words(
                    &mut vocab,
                    &ws,
                    inside,
                    &mut surface,
                    &mut names,
                    &mut capitals,
                );
                question.clear();
                question.extend_from_slice(&q.keys);
                units.clear();
                for f in &found {
                    if let Some(k) = f.unit_key() {
                        units.push(vocab.intern(k));
                    }
                }
                sort_dedup(&mut units);
                // With a unit, the word the question uses for the quantity
                // (`speed` in `the speed of sound`, `long` in `How long
                // is…`) says what the unit says, in one of many words:
                // leave it out of the subject.
                if !units.is_empty() {
                    let quantity = *quantity.get_or_insert_with(|| {
                        quantity_word(&card.question)
                            .and_then(|w| words::key(&w))
                            .map(|q| vocab.intern(q))
                    });
                    if let Some(q) = quantity {
                        surface.retain(|&(k, _)| k != q);
                        question.retain(|&(k, _)| k != q);
                    }
                }
                let short = surface.len() < SHORT;
                if short {
                    surface.extend(question.iter().copied());
                }
                subject.clear();
                subject.extend(surface.iter().map(|&(k, _)| k).chain(units.iter().copied()));
                sort_dedup(&mut subject);
                // The question's keys that are no subject keys.
                all.clear();
                all.extend(
                    question
                        .iter()
                        .map(|&(k, _)| k)
                        .filter(|&k| !has(&subject, k)),
                );
                sort_dedup(&mut all);
                // Count the statement; keep it while it may be compared.
                let mut live = false;
                for &k in subject.iter().chain(&all) {
                    let k = k as usize;
                    if counts.len() <= k {
                        counts.resize(k + 1, 0);
                    }
                    if let Some(c) = counts.get_mut(k) {
                        *c += 1;
                        live |= *c as usize <= subjects::MAX_POSTINGS;
                    }
                }
                for &k in &subject {
                    if keys.cards_with.get(k as usize).is_some_and(|&c| c > 0) {
                        continue;
                    }
                    let k = k as usize;
                    if unit_cards.len() <= k {
                        unit_cards.resize(k + 1, (0, 0));
                    }
                    if let Some((last, n)) = unit_cards.get_mut(k) {
                        if *last != card_index as u32 + 1 {
                            *last = card_index as u32 + 1;
                            *n += 1;
                        }
                    }
                }
                // The rest only matters for statements that are kept.
                if !live {
                    continue;
                }
                // A question's past-tense verbs (`created`, `published`) are
                // many words for one event: what it asks about is the rest.
                asked.clear();
                if whole {
                    asked.extend(
                        question
                            .iter()
                            .filter(|&&(_, id)| !past_tense(vocab_spelling(&vocab, id)))
                            .map(|&(k, _)| k),
                    );
                }
                sort_dedup(&mut asked);
                quals.clear();
                quals.extend_from_slice(&q.numbers);
                if <K::Fact as Fact>::DATES_QUALIFY {
                    quals.extend(found_dates.iter().map(|d| qualifiers.years(d.interval())));
                }
                quals.sort_unstable();
                quals.dedup();
                let refers = refers_by_pronoun(&ws);
                name_lists(&mut names, &mut capitals, &q, short, refers);
                let block = &mut kept.pending;
                block.push(
                    Place {
                        card: card_index,
                        line: line_index,
                        refers,
                        exact,
                        sentence: (s0, s0 + sentence.len()),
                    },
                    &mut found,
                    [&subject, &all, &units, &asked, &names, &capitals],
                    &quals,
                    u8::MAX,
                );
                if block.metas.len() == BLOCK {
                    kept.push_pending(&counts);
                }
            }
        }
    }
    kept.collect(&counts);
    Statements {
        deck,
        blocks: kept.blocks,
        vocab,
        cards_with: &keys.cards_with,
        counts,
        unit_cards: unit_cards.into_iter().map(|(_, n)| n).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A deck from `Q?` lines followed by answer lines; spans exact but
    /// for lines starting with `~` (whose span is off by one).
    fn deck(text: &str) -> (SourceFile, Deck) {
        let (src, mut deck) = crate::lint::facts::tests::question_deck(text);
        for line in deck.cards.iter_mut().flat_map(|c| c.answer.iter_mut()) {
            if line.text.starts_with('~') {
                line.span = line.span.sub(1, line.text.len());
            }
        }
        (src, deck)
    }

    /// Everything a statement holds, its qualifiers but by number.
    fn view<F: Fact + std::fmt::Debug>(stmts: &Statements<'_, F>, st: &Statement<'_, F>) -> String {
        let mut surface = Vec::new();
        stmts.surface(st, &mut surface);
        let text = |ks: &[Key]| -> Vec<&str> { ks.iter().map(|&k| stmts.key_text(k)).collect() };
        format!(
            "{} {:?} {} {:?} {:?} {:?} {:?} {:?} {:?} {} {:?} {:?} {:?}",
            st.card,
            st.facts,
            st.exact,
            st.lists,
            st.ends,
            text(st.keys()),
            text(st.units()),
            text(st.names()),
            text(st.asked()),
            st.qualifiers.len(),
            st.line,
            st.sentence,
            surface
                .iter()
                .map(|&(k, id)| (stmts.key_text(k), stmts.spelling(id)))
                .collect::<Vec<_>>(),
        )
    }

    /// The one-pass statements of kind `K` are the ones read alone the
    /// way they were: statement for statement, key for key, with the same
    /// counts, and the same conflicts.
    fn same<K: Kind>(deck: &Deck, src: &SourceFile) -> Result<(), String>
    where
        K::Fact: std::fmt::Debug,
    {
        let both = DeckKeys::build(deck, src);
        let alone = DeckKeys::keys_only(deck);
        let new = statements_with::<K>(deck, src, &both);
        let old = statements_alone::<K>(deck, src, &alone);
        let err = |what: &str| Err(what.to_string());
        if new.key_count() != old.key_count() {
            return err("key count");
        }
        for k in 0..new.key_count() as Key {
            if new.key_text(k) != old.key_text(k)
                || new.holding(k) != old.holding(k)
                || new.unit_cards(k) != old.unit_cards(k)
                || new.cards_with(k) != old.cards_with(k)
            {
                return Err(format!("key {k}"));
            }
        }
        let (a, b): (Vec<_>, Vec<_>) = (new.iter().collect(), old.iter().collect());
        if a.len() != b.len() {
            return Err(format!("{} statements, not {}", a.len(), b.len()));
        }
        for (x, y) in a.iter().zip(&b) {
            let (vx, vy) = (view(&new, x), view(&old, y));
            if vx != vy {
                return Err(format!("{vx}\n!=\n{vy}"));
            }
        }
        for (i, x) in a.iter().enumerate() {
            for (j, y) in a.iter().enumerate() {
                let (p, q) = (b.get(i), b.get(j));
                let (Some(p), Some(q)) = (p, q) else {
                    return err("statements");
                };
                if subjects::qualified(x.qualifiers, y.qualifiers)
                    != subjects::qualified(p.qualifiers, q.qualifiers)
                    || (x.qualifiers == y.qualifiers) != (p.qualifiers == q.qualifiers)
                {
                    return Err(format!("qualifiers of {i} and {j}"));
                }
            }
        }
        if conflicts(deck, &new) != conflicts(deck, &old) {
            return err("conflicts");
        }
        Ok(())
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]
        #[test]
        fn one_pass_reads_what_each_kind_read_alone(
            lines in proptest::collection::vec(
                (
                    proptest::bool::weighted(0.3),
                    proptest::collection::vec(
                        proptest::sample::select(vec![
                            "When", "did", "the", "Treaty", "treaty", "of", "Kestran", "war",
                            "wars", "German", "Germany", "border", "disputes", "heightened",
                            "began", "ended", "created", "1967", "1967-1970", "1914-18",
                            "1920s", "500 BC", "$300million", "$200 million", "40%",
                            "20,000 troops", "25,000 troops", "340 m/s", "About", "about",
                            "km", "KM", "5 km", "How", "long", "speed", "bits", "32 bits",
                            "100", "2023", ".", ",", ";", "?", "-", "UK", "IPv4", "İ", "é",
                            "in", "page 12", "Phase 2", "3e8", "prisoners", "people",
                        ]),
                        0..10,
                    ),
                    proptest::bool::weighted(0.1),
                ),
                1..16,
            )
        ) {
            let mut text = String::new();
            for (question, words, off) in &lines {
                if *off && !question {
                    text.push('~');
                }
                text.push_str(&words.join(" "));
                if *question {
                    text.push('?');
                }
                text.push('\n');
            }
            let (src, deck) = deck(&text);
            proptest::prop_assert_eq!(same::<Dates>(&deck, &src), Ok(()), "{}", text);
            proptest::prop_assert_eq!(same::<Amounts>(&deck, &src), Ok(()), "{}", text);
        }
    }

    #[test]
    fn one_pass_reads_the_reference_notes_as_each_kind_alone() {
        let (src, deck) = super::super::tests::reference();
        assert_eq!(same::<Dates>(&deck, &src), Ok(()));
        assert_eq!(same::<Amounts>(&deck, &src), Ok(()));
    }
}
