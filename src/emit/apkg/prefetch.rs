//! Cache hints for reading the deck's cards out of order.
//!
//! The notes go into the collection in id order, and ids are hashes: the
//! thread rendering them visits the cards in no order at all, and each
//! card's text lies in other blocks again (the question, the list of
//! answer lines, each line). Every step was a cache miss, one after the
//! other. Prefetching the card a few notes ahead, its strings a little
//! later, and its answer lines just before they are needed lets those
//! misses overlap. A prefetch is only a hint: it never faults and changes
//! nothing the program computes.

use crate::model::Card;

/// How many notes ahead the card itself is asked for.
pub const CARD_AHEAD: usize = 12;
/// How many notes ahead the card's strings and answer list are asked for
/// (the card has arrived by then).
pub const FIELDS_AHEAD: usize = 6;
/// How many notes ahead the answer lines' text is asked for.
pub const LINES_AHEAD: usize = 3;

/// Starts loading the cache line holding `p`.
#[inline(always)]
fn line<T>(p: *const T) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        // SAFETY: a prefetch is a hint. It never faults, whatever the
        // address, and changes no state the program can observe.
        unsafe { _mm_prefetch::<_MM_HINT_T0>(p.cast()) }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}

/// The card's own bytes.
#[inline(always)]
pub fn card(card: Option<&Card>) {
    if let Some(card) = card {
        let p: *const Card = card;
        for offset in (0..std::mem::size_of::<Card>()).step_by(64) {
            line(p.cast::<u8>().wrapping_add(offset));
        }
    }
}

/// What the card points at: its question, answer list, tags and GUID.
#[inline(always)]
pub fn fields(card: Option<&Card>) {
    if let Some(card) = card {
        line(card.question.as_ptr());
        line(card.answer.as_ptr());
        line(card.tags.as_ptr());
        line(card.guid.as_ptr());
    }
}

/// The text of the card's answer lines and tags.
#[inline(always)]
pub fn lines(card: Option<&Card>) {
    if let Some(card) = card {
        for answer in &card.answer {
            line(answer.text.as_ptr());
        }
        for tag in &card.tags {
            line(tag.as_ptr());
        }
    }
}
