//! The bounds a fuzz case runs under: a global allocator that counts the heap in use and, while a
//! fuzz case runs, refuses any allocation that would take the process more than [`CASE_BYTES`]
//! beyond what it held when the case began (the refusal aborts the test binary with a message
//! naming the case, so an allocation blow-up fails the run instead of exhausting the machine), and
//! a watchdog that aborts a case running longer than [`case_seconds`] (a hang).
//!
//! The allocator is the whole test binary's: outside fuzz cases it only counts (two atomic
//! additions per allocation), so other tests in the binary are not bounded by it. While cases run
//! in parallel test threads they share one ceiling, and the other tests running beside them count
//! towards it; these hold megabytes, far below the bound.
//!
//! Each case's input is written to `CARGO_TARGET_TMPDIR/fuzz-<target>.bin` before it runs, so that
//! the input of a case that aborts the run can be replayed.

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::Write as _;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

/// The most heap a fuzz case may take: a crafted file of some kilobytes never needs more.
pub const CASE_BYTES: usize = 1 << 30;

/// Where the input of each running case is written before it runs.
pub const INPUTS: &str = env!("CARGO_TARGET_TMPDIR");

/// The longest a case may run, in seconds: `TYPFRAGE_FUZZ_CASE_SECONDS`, else 120 (a debug build
/// on a busy machine; a case takes well under a second).
pub fn case_seconds() -> u64 {
    std::env::var("TYPFRAGE_FUZZ_CASE_SECONDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(120)
}

static IN_USE: AtomicUsize = AtomicUsize::new(0);
/// `usize::MAX` while no case runs.
static CEILING: AtomicUsize = AtomicUsize::new(usize::MAX);

/// The allocator: the system's, counted, with the ceiling while a case runs.
pub struct Counting;

/// Counts `size` more bytes in use, unless that passes the ceiling (then says so on stderr).
fn reserve(size: usize) -> bool {
    let now = IN_USE
        .fetch_add(size, Ordering::Relaxed)
        .saturating_add(size);
    if now <= CEILING.load(Ordering::Relaxed) {
        return true;
    }
    IN_USE.fetch_sub(size, Ordering::Relaxed);
    // no allocation here: static text and digits written from a buffer on the stack
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    let mut n = size;
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(b"\nfuzz bound: a case asked for ");
    let _ = err.write_all(&digits[i..]);
    let _ = err.write_all(
        b" bytes more, beyond the 1 GiB a fuzz case may take; the aborted case's input is among the fuzz-*.bin files in ",
    );
    let _ = err.write_all(INPUTS.as_bytes());
    let _ = err.write_all(b" (the latest written)\n");
    false
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if !reserve(layout.size()) {
            return std::ptr::null_mut();
        }
        let p = System.alloc(layout);
        if p.is_null() {
            IN_USE.fetch_sub(layout.size(), Ordering::Relaxed);
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if !reserve(layout.size()) {
            return std::ptr::null_mut();
        }
        let p = System.alloc_zeroed(layout);
        if p.is_null() {
            IN_USE.fetch_sub(layout.size(), Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout);
        IN_USE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let old = layout.size();
        if new_size > old && !reserve(new_size - old) {
            return std::ptr::null_mut();
        }
        let p = System.realloc(ptr, layout, new_size);
        match (p.is_null(), new_size > old) {
            (true, true) => {
                IN_USE.fetch_sub(new_size - old, Ordering::Relaxed);
            }
            (false, false) => {
                IN_USE.fetch_sub(old - new_size, Ordering::Relaxed);
            }
            _ => {}
        }
        p
    }
}

/// The cases running now: their target and when they began.
static RUNNING: Mutex<Vec<(u64, &'static str, Instant)>> = Mutex::new(Vec::new());
static NEXT_ID: AtomicUsize = AtomicUsize::new(0);

/// One fuzz case, bounded while it lives.
pub struct Case {
    id: u64,
}

impl Case {
    /// Begins a case of `target` on `input` (written out first, see the module's text).
    pub fn begin(target: &'static str, input: &[u8]) -> Case {
        let _ = std::fs::write(format!("{INPUTS}/fuzz-{target}.bin"), input);
        watchdog();
        let id = NEXT_ID.fetch_add(1, Ordering::Relaxed) as u64;
        let mut running = RUNNING.lock().unwrap_or_else(|e| e.into_inner());
        if running.is_empty() {
            let ceiling = IN_USE.load(Ordering::Relaxed).saturating_add(CASE_BYTES);
            CEILING.store(ceiling, Ordering::Relaxed);
        }
        running.push((id, target, Instant::now()));
        Case { id }
    }
}

impl Drop for Case {
    fn drop(&mut self) {
        let mut running = RUNNING.lock().unwrap_or_else(|e| e.into_inner());
        running.retain(|(id, _, _)| *id != self.id);
        if running.is_empty() {
            CEILING.store(usize::MAX, Ordering::Relaxed);
        }
    }
}

/// Starts, once, the thread that aborts the binary when a case runs too long.
fn watchdog() {
    static STARTED: OnceLock<()> = OnceLock::new();
    STARTED.get_or_init(|| {
        let limit = Duration::from_secs(case_seconds());
        std::thread::spawn(move || loop {
            std::thread::sleep(Duration::from_millis(500));
            let running = RUNNING.lock().unwrap_or_else(|e| e.into_inner());
            if let Some((_, target, began)) = running.iter().find(|(_, _, t)| t.elapsed() > limit)
            {
                eprintln!(
                    "\nfuzz bound: a case of {target} has run for {} s, more than the {} s a case may take (TYPFRAGE_FUZZ_CASE_SECONDS); its input is {INPUTS}/fuzz-{target}.bin",
                    began.elapsed().as_secs(),
                    limit.as_secs()
                );
                std::process::abort();
            }
        });
    });
}
