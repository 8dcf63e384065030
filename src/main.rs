//! The `typfrage` command: parses arguments and hands over to the library (see `cli`).

mod cli;

/// mimalloc: reading a survey makes tens of thousands of small strings, and glibc's allocator
/// spent about a sixth of a `cluster` run on them.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cli::main()
}
