//! Links the `typfrage` program as a position-dependent executable on Linux (glibc).
//!
//! A position-independent executable is relocated at every start: about 64,000 pointers in
//! 1.5 MB of tables (mostly polars'), which the loader writes page by page. That took about
//! 1.8 ms of a 25 ms `typfrage cluster` run on the shipped data (measured with `perf stat` on
//! `typfrage --version`: 4.9 ms and 514 page faults as PIE, 3.1 ms and 130 without). The price is
//! that address-space randomisation no longer moves the program's own code; shared libraries,
//! heap and stack are still randomised. Only the binaries are linked this way; the library and
//! the tests are unchanged.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
