//! How soon the allocator gives freed memory back to the system.
//!
//! The binary allocates with mimalloc (see `src/main.rs`). mimalloc 3
//! keeps memory it has freed for a second (`purge_delay`, 1000 ms) before
//! returning it, ten times that in its arenas: a build frees the lints'
//! indices and much else as it goes, and all of it stayed counted in the
//! process's memory while the next stage allocated its own. 50 ms returns
//! it while the build runs; once the notes are read, notes under 64 MiB
//! have it returned after 25 ms ([`fit_to_input`]). Measured (interleaved, 5 runs each, 100,000
//! cards): 1,000 ms 1.19 s and 178 MB, 100 ms 1.18 s and 150 MB, 10 ms
//! 1.21 s and 136 MB, 0 ms 1.23 s and 130 MB. At a million cards (2 runs
//! each) 100 ms and 10 ms both take 1,097 MB instead of 1,115 MB; 100 ms
//! in the same time, 10 ms in 7 % more (13.3 s against 12.3 s, 2 s more
//! CPU): it purges and re-commits the same memory over and over. Later,
//! with a smaller deck and word index (5 runs each at 100,000 cards, 4 at
//! a million): 50 ms against 100 ms took 127–131 MB instead of 135–137 MB
//! for an `.apkg` and 130 MB instead of 137 MB for `check` at 100,000
//! cards, in the same CPU time and a wall time 1 % longer at most (1.26 s
//! against 1.25 s, 12 runs each), and at a million the same memory
//! (955 MB) in 12.3–12.7 s against 12.0–12.7 s (about 1.5 % more CPU,
//! within the noise of single runs).

use std::ffi::{c_int, c_long};

/// mimalloc's `mi_option_purge_delay`, as mimalloc 3 numbers its options
/// (a test checks it against the option's default).
const PURGE_DELAY: c_int = 15;

/// How long freed memory is kept before it is returned, in milliseconds.
const DELAY_MS: c_long = 50;

/// Notes smaller than this have freed memory returned after
/// [`SMALL_DELAY_MS`] (see [`fit_to_input`]).
const PROMPT_BELOW: usize = 64 << 20;

/// How long freed memory is kept while notes under [`PROMPT_BELOW`] are
/// built, in milliseconds.
const SMALL_DELAY_MS: c_long = 25;

// Links mimalloc's library wherever this module is (the test binaries too,
// which do not allocate with it).
use mimalloc as _;

// mimalloc's own functions, from the library the `mimalloc` crate links.
unsafe extern "C" {
    #[cfg(test)]
    fn mi_option_get(option: c_int) -> c_long;
    fn mi_option_set(option: c_int, value: c_long);
}

/// Has mimalloc return freed memory after [`DELAY_MS`], unless the user
/// set `MIMALLOC_PURGE_DELAY` themselves.
pub fn return_freed_memory_promptly() {
    set_purge_delay(DELAY_MS);
}

/// Sets mimalloc's purge delay to `ms`, unless the user set
/// `MIMALLOC_PURGE_DELAY` themselves.
fn set_purge_delay(ms: c_long) {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
        return;
    }
    // SAFETY: `mi_option_set` only stores the value (any `long` is valid
    // for this option) and may be called at any time from any thread.
    unsafe { mi_option_set(PURGE_DELAY, ms) }
}

/// Returns freed memory after [`SMALL_DELAY_MS`] while notes of `bytes`
/// are built, if they are smaller than [`PROMPT_BELOW`] (else after
/// [`DELAY_MS`]), unless the user set `MIMALLOC_PURGE_DELAY` themselves.
///
/// Returning memory sooner costs more system time the more a build
/// allocates and frees. Measured (interleaved, medians of 6–8 builds of an
/// `.apkg`): at 100,000 cards (32 MB of notes) 50 ms peaked at 127 MB in
/// 1.02 s, 10 ms at 119 MB (one run in eight at 123 MB), 5 ms at 119 MB in
/// 1.02–1.06 s, 2 ms at 118 MB, and 0 ms at 115 MB but in 1.06 s, with
/// 0.1 s more system time; at 10,000 cards 0 ms took 5 % longer than 5 or
/// 50 ms. At a million cards (326 MB) 0 ms kept the same 960 MB and
/// doubled the system time (1.5 s to 3.2 s). Later, with the pages
/// compressed as they are laid out (`c51ca48`, interleaved medians of 20
/// builds at 100,000 cards): 5 ms 0.730 s, 25 ms 0.720 s, both peaking at
/// 114–115 MB (at most 118 MB); two earlier rounds of 8 and 12 gave 25 ms
/// 25 and 10 ms less; 50 ms peaked at 119–122 MB. At 10,000 cards 25 ms
/// took the same time and 2 MB more (37 MB).
pub fn fit_to_input(bytes: usize) {
    set_purge_delay(if bytes < PROMPT_BELOW {
        SMALL_DELAY_MS
    } else {
        DELAY_MS
    });
}

/// Keeps whatever is freed from now on, for a process about to end: the
/// system takes all of it back at once when the process exits. After a
/// 100,000-card build, returning the deck's memory range by range (some 50
/// `madvise` calls) took 15 ms between writing the package and exiting.
/// Unless the user set `MIMALLOC_PURGE_DELAY` themselves.
pub fn keep_freed_memory() {
    set_purge_delay(NEVER);
}

/// The purge delay that never returns freed memory.
const NEVER: c_long = -1;

#[cfg(test)]
mod tests {
    use super::*;

    /// The option number is the purge delay's: its default is mimalloc 3's
    /// 1000 ms, and setting it is what reads back.
    #[test]
    fn the_option_is_the_purge_delay() {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
            return;
        }
        // SAFETY: as in `set_purge_delay`; reading an option
        // has no other effect.
        let before = unsafe { mi_option_get(PURGE_DELAY) };
        assert_eq!(before, 1000);
        unsafe { mi_option_set(PURGE_DELAY, DELAY_MS) };
        assert_eq!(unsafe { mi_option_get(PURGE_DELAY) }, DELAY_MS);
        // Small notes return freed memory sooner than large ones. (One
        // test sets the option, so that none races another.)
        fit_to_input(PROMPT_BELOW - 1);
        assert_eq!(unsafe { mi_option_get(PURGE_DELAY) }, SMALL_DELAY_MS);
        fit_to_input(PROMPT_BELOW);
        assert_eq!(unsafe { mi_option_get(PURGE_DELAY) }, DELAY_MS);
        keep_freed_memory();
        assert_eq!(unsafe { mi_option_get(PURGE_DELAY) }, NEVER);
        unsafe { mi_option_set(PURGE_DELAY, before) };
    }
}
