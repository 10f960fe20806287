//! Per-stage durations for `--timings`: where a build's time goes.
//!
//! A [`Timings`] handle is cheap to clone and travels in
//! [`crate::Options`]. The default handle is disabled: [`Timings::stage`]
//! then just runs its closure, so the pipeline pays nothing unless the user
//! asked. Stages may nest (`emit` runs inside `write`, because the emitter
//! writes through the atomic writer); each stage is charged its *own* time,
//! with the nested stages' time subtracted, so the numbers add up to the
//! measured whole. Nesting is tracked per thread, so stages may run on
//! several threads at once (`deckc build` emits beside the lints): the
//! report then says how long stages ran beside each other (`overlapped`),
//! and `other` is the time no stage ran. The benchmark harness
//! (`benches/run.py`) reads the report from stderr.

use std::fmt::Write as _;
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::ThreadId;
use std::time::{Duration, Instant};

/// The pipeline's stages, in the order they run and are reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    /// Reading and decoding the input files.
    Read,
    /// Detecting the syntax and parsing.
    Parse,
    /// Running the lint rules and levelling their findings.
    Lint,
    /// Normalizing, assigning GUIDs, reconciling with the lock file.
    Identity,
    /// Producing the output bytes (for `.apkg`: the collection, and the
    /// pieces of it deflated while it is written).
    Emit,
    /// Compressing what is left of an `.apkg` once its collection is
    /// written (runs inside `emit`).
    Compress,
    /// Creating, flushing, syncing and renaming the output file.
    Write,
}

impl Stage {
    /// Every stage, in report order.
    pub const ALL: [Stage; 7] = [
        Stage::Read,
        Stage::Parse,
        Stage::Lint,
        Stage::Identity,
        Stage::Emit,
        Stage::Compress,
        Stage::Write,
    ];

    /// The name shown in the report (and parsed by the harness).
    pub fn name(self) -> &'static str {
        match self {
            Stage::Read => "read",
            Stage::Parse => "detect+parse",
            Stage::Lint => "lint",
            Stage::Identity => "normalize+identity",
            Stage::Emit => "emit",
            Stage::Compress => "compress",
            Stage::Write => "write",
        }
    }
}

#[derive(Debug)]
struct Recorder {
    started: Instant,
    /// Self time per stage that ran, indexed like [`Stage::ALL`].
    spent: [Option<Duration>; Stage::ALL.len()],
    /// For each stage running now, per thread, the time its nested stages
    /// took so far.
    nested: Vec<(ThreadId, Vec<Duration>)>,
    /// When each outermost stage ran, for what no stage covered (`other`)
    /// and what stages on different threads covered twice (`overlapped`).
    outer: Vec<(Instant, Instant)>,
}

impl Recorder {
    /// The nesting stack of the calling thread.
    fn stack(&mut self) -> &mut Vec<Duration> {
        let me = std::thread::current().id();
        let at = match self.nested.iter().position(|(t, _)| *t == me) {
            Some(at) => at,
            None => {
                self.nested.push((me, Vec::new()));
                self.nested.len() - 1
            }
        };
        &mut self.nested[at].1
    }

    /// How long at least one outermost stage was running.
    fn covered(&self) -> Duration {
        let mut spans = self.outer.clone();
        spans.sort();
        let mut covered = Duration::ZERO;
        let mut current: Option<(Instant, Instant)> = None;
        for (start, end) in spans {
            current = match current {
                Some((s, e)) if start <= e => Some((s, e.max(end))),
                Some((s, e)) => {
                    covered += e - s;
                    Some((start, end))
                }
                None => Some((start, end)),
            };
        }
        if let Some((s, e)) = current {
            covered += e - s;
        }
        covered
    }
}

/// A handle that records how long each stage takes (or does nothing).
#[derive(Debug, Clone, Default)]
pub struct Timings(Option<Arc<Mutex<Recorder>>>);

impl Timings {
    /// A handle that records; the report's total counts from now.
    pub fn enabled() -> Self {
        Timings(Some(Arc::new(Mutex::new(Recorder {
            started: Instant::now(),
            spent: [None; Stage::ALL.len()],
            nested: Vec::new(),
            outer: Vec::new(),
        }))))
    }

    /// True when this handle records.
    pub fn is_enabled(&self) -> bool {
        self.0.is_some()
    }

    /// Runs `f`, charging its duration (less nested stages) to `stage`.
    /// Repeated stages (several inputs, `check --fix`) add up.
    pub fn stage<T>(&self, stage: Stage, f: impl FnOnce() -> T) -> T {
        let Some(shared) = &self.0 else {
            return f();
        };
        lock(shared).stack().push(Duration::ZERO);
        let start = Instant::now();
        // The lock is not held while `f` runs: `f` may time nested stages.
        let value = f();
        let elapsed = start.elapsed();
        let mut rec = lock(shared);
        let stack = rec.stack();
        let nested = stack.pop().unwrap_or_default();
        match stack.last_mut() {
            Some(parent) => *parent += elapsed,
            None => rec.outer.push((start, start + elapsed)),
        }
        if let Some(spent) = rec.spent.get_mut(stage as usize) {
            *spent = Some(spent.unwrap_or_default() + elapsed.saturating_sub(nested));
        }
        value
    }

    /// The report: one `timing` line per stage that ran, then `other`
    /// (argument parsing, printing diagnostics, …: when no stage ran),
    /// `overlapped` when stages ran beside each other (how much the stage
    /// lines add up to more than they took), and `total` since
    /// [`Timings::enabled`]. Empty when disabled.
    pub fn report(&self) -> String {
        let Some(shared) = &self.0 else {
            return String::new();
        };
        let rec = lock(shared);
        let total = rec.started.elapsed();
        let mut out = String::new();
        let mut accounted = Duration::ZERO;
        for (stage, spent) in Stage::ALL.iter().zip(rec.spent) {
            if let Some(spent) = spent {
                accounted += spent;
                line(&mut out, stage.name(), spent);
            }
        }
        let covered = rec.covered();
        line(&mut out, "other", total.saturating_sub(covered));
        let overlapped = accounted.saturating_sub(covered);
        if !overlapped.is_zero() {
            line(&mut out, "overlapped", overlapped);
        }
        line(&mut out, "total", total);
        out
    }
}

fn line(out: &mut String, name: &str, d: Duration) {
    // Writing to a String cannot fail.
    let _ = writeln!(out, "timing {name:<20} {:>10.3} ms", d.as_secs_f64() * 1e3);
}

/// A poisoned lock only means a stage panicked; the numbers are still
/// worth reporting.
fn lock(m: &Mutex<Recorder>) -> MutexGuard<'_, Recorder> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The milliseconds a report gives `name`.
    fn ms(report: &str, name: &str) -> Option<f64> {
        report.lines().find_map(|l| {
            let mut parts = l.split_whitespace();
            (parts.next() == Some("timing") && parts.next() == Some(name))
                .then(|| parts.next())
                .flatten()
                .and_then(|v| v.parse().ok())
        })
    }

    #[test]
    fn disabled_handle_runs_the_closure_and_reports_nothing() {
        let t = Timings::default();
        assert!(!t.is_enabled());
        assert_eq!(t.stage(Stage::Lint, || 41 + 1), 42);
        assert_eq!(t.report(), "");
    }

    #[test]
    fn reports_only_stages_that_ran_in_pipeline_order() {
        let t = Timings::enabled();
        t.stage(Stage::Lint, || ());
        t.stage(Stage::Read, || ());
        let report = t.report();
        let names: Vec<&str> = report
            .lines()
            .filter_map(|l| l.split_whitespace().nth(1))
            .collect();
        assert_eq!(names, ["read", "lint", "other", "total"]);
    }

    #[test]
    fn nested_stage_time_is_not_counted_twice() {
        let t = Timings::enabled();
        t.stage(Stage::Write, || {
            t.stage(Stage::Emit, || {
                std::thread::sleep(Duration::from_millis(30))
            })
        });
        let report = t.report();
        let (emit, write, total) = (
            ms(&report, "emit").unwrap(),
            ms(&report, "write").unwrap(),
            ms(&report, "total").unwrap(),
        );
        // The sleep happened inside `emit`. Were it charged to `write` as
        // well, the parts would add up to more than the whole.
        assert!(emit >= 30.0, "{report}");
        assert!(emit + write <= total + 0.01, "{report}");
    }

    #[test]
    fn repeated_stages_add_up() {
        let t = Timings::enabled();
        for _ in 0..2 {
            t.stage(Stage::Parse, || {
                std::thread::sleep(Duration::from_millis(5))
            });
        }
        assert!(ms(&t.report(), "detect+parse").unwrap() >= 10.0);
    }

    #[test]
    fn stages_on_two_threads_are_each_charged_and_the_overlap_reported() {
        let t = Timings::enabled();
        let nap = || std::thread::sleep(Duration::from_millis(40));
        std::thread::scope(|s| {
            s.spawn(|| t.stage(Stage::Write, || t.stage(Stage::Emit, nap)));
            t.stage(Stage::Lint, nap);
        });
        let report = t.report();
        let get = |name| ms(&report, name).unwrap();
        assert!(get("lint") >= 40.0, "{report}");
        // The other thread's nesting is its own: `emit` is not subtracted
        // from `lint`, and `write` is only what `emit` did not take.
        assert!(get("emit") >= 40.0, "{report}");
        assert!(get("write") < 20.0, "{report}");
        let overlapped = get("overlapped");
        assert!(overlapped >= 20.0, "{report}");
        let parts = get("lint") + get("emit") + get("write") + get("other");
        assert!((parts - overlapped - get("total")).abs() < 0.01, "{report}");
    }

    #[test]
    fn sequential_stages_report_no_overlap() {
        let t = Timings::enabled();
        t.stage(Stage::Read, || std::thread::sleep(Duration::from_millis(2)));
        t.stage(Stage::Write, || t.stage(Stage::Emit, || ()));
        assert_eq!(ms(&t.report(), "overlapped"), None, "{}", t.report());
    }
}
