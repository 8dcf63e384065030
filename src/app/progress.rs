//! What a command shows on a terminal while it works: a progress bar on stderr for the tasks the
//! stages announce ([`crate::progress`]), in the run's language, and its summary on stdout as soon
//! as it is known. Neither when the stream is not a terminal, so that piped and redirected output
//! is exactly what it is without them.

use std::io::{IsTerminal, Write};
use std::sync::Arc;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

use crate::lang::Lang;
use crate::progress::{self, Installed, Sink, Task};

/// The task's name on the bar.
fn label(task: Task, lang: Lang) -> &'static str {
    match task {
        Task::IndicesForK => lang.pick(
            "Indizes für k (k-means je k und Gap-Referenzen)",
            "indices for k (k-means per k and gap references)",
        ),
        Task::Bootstrap => lang.pick("Bootstrap-Stichproben", "bootstrap resamples"),
        Task::Ward => lang.pick(
            "Ward-Verfahren: Verschmelzungen",
            "Ward's clustering: merges",
        ),
        Task::Mixtures => lang.pick(
            "Mischmodelle (je k und Modell)",
            "mixtures (per k and model)",
        ),
        Task::ResponseStyle => lang.pick("Antwortstil-Prüfung", "response-style check"),
        Task::Sheets => lang.pick("Blätter", "sheets"),
        Task::Report => lang.pick(
            "Bericht: Tabellen, Grafiken, Seiten",
            "report: tables, charts, pages",
        ),
        Task::Calibration => lang.pick(
            "Kalibrierung an die veröffentlichten Zahlen (Schritte)",
            "calibrating to the published figures (steps)",
        ),
    }
}

struct Bar {
    bar: ProgressBar,
    lang: Lang,
}

impl Sink for Bar {
    fn start(&self, task: Task, total: u64) {
        let template = if total == 0 {
            "{spinner} {msg} {elapsed_precise}"
        } else {
            "{msg} {bar:30} {pos}/{len} {elapsed_precise}"
        };
        if let Ok(style) = ProgressStyle::with_template(template) {
            self.bar.set_style(style);
        }
        self.bar.set_length(total);
        self.bar.set_position(0);
        self.bar.set_message(label(task, self.lang));
    }

    fn advance(&self, steps: u64) {
        self.bar.inc(steps);
    }
}

/// The bar of a running command; dropping it clears the bar.
pub(super) struct Shown {
    bar: ProgressBar,
    _installed: Installed,
}

impl Drop for Shown {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}

/// Shows the stages' tasks as a bar on stderr while the returned value lives, when stderr is a
/// terminal.
pub(super) fn show(lang: Lang) -> Option<Shown> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = ProgressBar::new_spinner();
    bar.enable_steady_tick(Duration::from_millis(200));
    let installed = progress::install(Arc::new(Bar {
        bar: bar.clone(),
        lang,
    }));
    Some(Shown {
        bar,
        _installed: installed,
    })
}

/// Prints `text` on stdout now when stdout is a terminal (the command's summary, before the long
/// part of its work); returns how many bytes of it were printed (0 or all).
pub(super) fn print_now(text: &str) -> usize {
    let mut out = std::io::stdout().lock();
    if !out.is_terminal() {
        return 0;
    }
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => text.len(),
        Err(_) => 0,
    }
}
