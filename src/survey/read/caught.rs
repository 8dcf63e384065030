//! A step of a third-party decoder (polars for Parquet, calamine for workbooks) run so that a
//! panic inside it, on a malformed file, becomes the file's error: the file is the user's input,
//! never a reason to crash. The panic's message is not printed on the console.

use std::cell::Cell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Once;

/// Runs `step`; a panic inside it is returned as `Err` with its message.
pub(in crate::survey) fn caught<T>(step: impl FnOnce() -> T) -> Result<T, String> {
    let result = {
        let _quiet = quiet_panics();
        catch_unwind(AssertUnwindSafe(step))
    };
    result.map_err(|panic| {
        panic
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| panic.downcast_ref::<&str>().copied())
            .unwrap_or("the decoder stopped")
            .to_string()
    })
}

thread_local! {
    /// Whether this thread is decoding a file, so that a panic in it is caught and reported as
    /// the file's error, not printed.
    static DECODING: Cell<bool> = const { Cell::new(false) };
}

/// Keeps the panic hook quiet on this thread until the guard is dropped. The hook that is
/// installed (once per process) passes every other panic to the hook that was there before.
fn quiet_panics() -> impl Drop {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !DECODING.with(Cell::get) {
                previous(info);
            }
        }));
    });
    struct Quiet(bool);
    impl Drop for Quiet {
        fn drop(&mut self) {
            DECODING.with(|d| d.set(self.0));
        }
    }
    // nested steps (a check inside a read) restore the outer state
    Quiet(DECODING.with(|d| d.replace(true)))
}
