//! Building files on several threads while reporting them in input order.
//!
//! Workers take the next file from a shared counter and send back
//! `(index, result)`; the calling thread holds early results back until
//! every earlier one has arrived. So diagnostics come out in the same order
//! as a sequential build, whatever the scheduling: each file's work is a
//! pure function of that file, and only its printing is ordered here.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

/// How often `tick` runs while waiting for results.
const TICK: Duration = Duration::from_millis(100);

/// Runs `work` on every item on up to `jobs` threads, and `done` on the
/// results in item order (on the calling thread). `tick` runs between
/// results so a progress bar can update. `jobs <= 1` runs everything on the
/// calling thread, one after another.
pub fn ordered<T: Sync, R: Send>(
    items: &[T],
    jobs: usize,
    work: impl Fn(&T) -> R + Sync,
    mut done: impl FnMut(usize, R),
    tick: impl Fn(),
) {
    if jobs <= 1 || items.len() <= 1 {
        for (i, item) in items.iter().enumerate() {
            let result = work(item);
            done(i, result);
            tick();
        }
        return;
    }
    let next = AtomicUsize::new(0);
    let (tx, rx) = mpsc::channel();
    std::thread::scope(|scope| {
        for _ in 0..jobs.min(items.len()) {
            let tx = tx.clone();
            let (next, work) = (&next, &work);
            scope.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(item) = items.get(i) else { break };
                if tx.send((i, work(item))).is_err() {
                    break;
                }
            });
        }
        // Only the workers hold senders now: the channel closes when the
        // last one finishes.
        drop(tx);
        let mut pending = BTreeMap::new();
        let mut want = 0;
        loop {
            match rx.recv_timeout(TICK) {
                Ok((i, result)) => {
                    pending.insert(i, result);
                    while let Some(result) = pending.remove(&want) {
                        done(want, result);
                        want += 1;
                    }
                }
                Err(RecvTimeoutError::Timeout) => tick(),
                Err(RecvTimeoutError::Disconnected) => break,
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_arrive_in_item_order_whatever_the_job_count() {
        let items: Vec<u64> = (0..40).collect();
        for jobs in [1, 2, 3, 8, 64] {
            let mut seen = Vec::new();
            ordered(
                &items,
                jobs,
                // Later items finish first on purpose.
                |&n| {
                    std::thread::sleep(Duration::from_micros(40 - n));
                    n * n
                },
                |i, r| seen.push((i, r)),
                || {},
            );
            let want: Vec<(usize, u64)> = items.iter().map(|&n| (n as usize, n * n)).collect();
            assert_eq!(seen, want, "jobs = {jobs}");
        }
    }

    #[test]
    fn no_items_no_calls() {
        let mut calls = 0;
        ordered(&[] as &[u8], 4, |_| (), |_, _| calls += 1, || {});
        assert_eq!(calls, 0);
    }
}
