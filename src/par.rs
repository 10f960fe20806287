//! Splitting independent per-item work between threads.

/// Below this many items a second thread costs more than it saves.
const MIN_PER_THREAD: usize = 4096;

/// How many items each thread takes, or `None` when one thread does all.
fn chunk_len(len: usize, threads: usize) -> Option<usize> {
    let threads = threads.min(len / MIN_PER_THREAD);
    (threads > 1).then(|| len.div_ceil(threads))
}

/// Runs `work` on consecutive chunks of `items`, one chunk per thread on up
/// to `threads` threads (on this thread alone when there are few items).
/// Which items land in which chunk never changes what `work` computes for
/// an item, so the result does not depend on the thread count.
pub fn chunks_mut<T: Send>(items: &mut [T], threads: usize, work: impl Fn(&mut [T]) + Sync) {
    let Some(per) = chunk_len(items.len(), threads) else {
        work(items);
        return;
    };
    std::thread::scope(|s| {
        let mut chunks = items.chunks_mut(per);
        let first = chunks.next();
        for chunk in chunks {
            let work = &work;
            s.spawn(move || work(chunk));
        }
        if let Some(chunk) = first {
            work(chunk);
        }
    });
}

/// `f` of every item, in order, computed on up to `threads` threads.
pub fn map<T: Sync, R: Send>(items: &[T], threads: usize, f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    concat(items, threads, |_, chunk| chunk.iter().map(&f).collect())
}

/// What `f` makes of consecutive chunks of `items`, one chunk per thread
/// on up to `threads` threads (on this thread alone when there are few
/// items), joined in order. `f` is given each chunk and the index of its
/// first item; what it makes of an item must not depend on the chunk, so
/// that the result does not depend on the thread count.
pub fn concat<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    f: impl Fn(usize, &[T]) -> Vec<R> + Sync,
) -> Vec<R> {
    let Some(per) = chunk_len(items.len(), threads) else {
        return f(0, items);
    };
    std::thread::scope(|s| {
        let f = &f;
        let rest: Vec<_> = items
            .chunks(per)
            .enumerate()
            .skip(1)
            .map(|(i, chunk)| s.spawn(move || f(i * per, chunk)))
            .collect();
        let mut out = f(0, &items[..per.min(items.len())]);
        let rest: Vec<Vec<R>> = rest
            .into_iter()
            .map(|handle| {
                handle
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect();
        out.reserve(rest.iter().map(Vec::len).sum());
        for part in rest {
            out.extend(part);
        }
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn the_thread_count_changes_nothing(len in 0usize..20_000, threads in 1usize..5) {
            let items: Vec<u64> = (0..len as u64).collect();
            let square = |x: &u64| x.wrapping_mul(*x) ^ 0x5555;
            let one: Vec<u64> = items.iter().map(square).collect();
            proptest::prop_assert_eq!(&map(&items, threads, square), &one);
            // Each item twice, from its index: chunks know where they start.
            let twice: Vec<u64> = one.iter().flat_map(|&x| [x, x]).collect();
            let doubled = concat(&items, threads, |first, chunk| {
                chunk
                    .iter()
                    .enumerate()
                    .flat_map(|(i, x)| {
                        assert_eq!(items[first + i], *x);
                        [square(x), square(x)]
                    })
                    .collect()
            });
            proptest::prop_assert_eq!(&doubled, &twice);
            let mut changed = items.clone();
            chunks_mut(&mut changed, threads, |chunk| {
                for x in chunk {
                    *x = square(x);
                }
            });
            proptest::prop_assert_eq!(&changed, &one);
        }
    }
}
