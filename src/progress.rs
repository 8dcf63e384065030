//! How far a long computation has come, for a progress bar on the terminal. The stages announce
//! a task with its number of steps ([`start`]) and each step done ([`advance`]); the application
//! layer shows them by installing a [`Sink`] for the run of a command ([`install`]), and installs
//! none when stderr is not a terminal. Without a sink an announcement costs one atomic load, so
//! the stages announce whatever they do, wherever they are called from (the report's robustness
//! section runs the same indices, bootstrap, Ward and mixtures as their own commands).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};

/// A task a stage announces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Task {
    /// k-means for each k with the gap statistic's reference sets (steps: fits).
    IndicesForK,
    /// Bootstrap resamples clustered again (steps: resamples).
    Bootstrap,
    /// Ward's agglomeration (steps: merges).
    Ward,
    /// Gaussian mixtures (steps: one per k and model).
    Mixtures,
    /// The response-style check.
    ResponseStyle,
    /// Writing one sheet per municipality (steps: sheets).
    Sheets,
    /// The report's tables, charts and pages.
    Report,
    /// The calibration of the stand-in data (steps: search steps, at most the given number).
    Calibration,
}

/// Where announcements go: a progress bar, say.
pub trait Sink: Send + Sync {
    /// A task starts with `total` steps (0: unknown).
    fn start(&self, task: Task, total: u64);
    /// `steps` more steps of the current task are done.
    fn advance(&self, steps: u64);
}

static INSTALLED: AtomicBool = AtomicBool::new(false);
static SINK: RwLock<Option<Arc<dyn Sink>>> = RwLock::new(None);

fn with_sink(f: impl FnOnce(&dyn Sink)) {
    if !INSTALLED.load(Ordering::Relaxed) {
        return;
    }
    if let Ok(sink) = SINK.read() {
        if let Some(sink) = sink.as_ref() {
            f(sink.as_ref());
        }
    }
}

/// Announces a task of `total` steps.
pub fn start(task: Task, total: u64) {
    with_sink(|s| s.start(task, total));
}

/// Announces `steps` more steps done.
pub fn advance(steps: u64) {
    with_sink(|s| s.advance(steps));
}

/// Sends announcements to `sink` until the returned guard is dropped.
pub fn install(sink: Arc<dyn Sink>) -> Installed {
    if let Ok(mut slot) = SINK.write() {
        *slot = Some(sink);
        INSTALLED.store(true, Ordering::Relaxed);
    }
    Installed(())
}

/// Keeps a sink installed; dropping it removes the sink.
pub struct Installed(());

impl Drop for Installed {
    fn drop(&mut self) {
        INSTALLED.store(false, Ordering::Relaxed);
        if let Ok(mut slot) = SINK.write() {
            *slot = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[derive(Default)]
    struct Record(Mutex<Vec<(Option<Task>, u64)>>);

    impl Sink for Record {
        fn start(&self, task: Task, total: u64) {
            self.0.lock().unwrap().push((Some(task), total));
        }
        fn advance(&self, steps: u64) {
            self.0.lock().unwrap().push((None, steps));
        }
    }

    #[test]
    fn announcements_reach_the_installed_sink_only_while_it_is_installed() {
        // other tests may announce at the same time: look for this test's own numbers
        let record = Arc::new(Record::default());
        advance(987_654);
        {
            let _guard = install(record.clone());
            start(Task::Ward, 4_242);
            advance(4_243);
        }
        advance(987_655);
        let seen = record.0.lock().unwrap();
        assert!(seen.contains(&(Some(Task::Ward), 4_242)));
        assert!(seen.contains(&(None, 4_243)));
        assert!(!seen.contains(&(None, 987_654)) && !seen.contains(&(None, 987_655)));
    }
}
