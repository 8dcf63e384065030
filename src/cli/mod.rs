//! The command line: clap's argument types (the groups several commands share are in `args`),
//! their conversion into the application layer's requests ([`typfrage::app::Request`]), and
//! printing what a request produced. Nothing is computed or written here.

mod args;
mod command;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::sync::LazyLock;

use clap::{CommandFactory, FromArgMatches, Parser};

use typfrage::app;
use typfrage::error::Error;
use typfrage::exit::ExitStatus;

use args::LangArg;
use command::{Command, IntoRequest, Run};

/// The exit codes, as every help text ends.
static EXIT_CODES: LazyLock<String> = LazyLock::new(ExitStatus::help);

#[derive(Debug, Parser)]
#[command(
    name = "typfrage",
    version,
    about = "Typology of German municipalities' digitalisation (ÖFIT/KGSt survey 2018/19)"
)]
struct Cli {
    /// Worker threads (default: all cores); results are the same for any number
    #[arg(long, global = true, value_name = "N")]
    threads: Option<usize>,
    #[command(flatten)]
    lang: LangArg,
    #[command(subcommand)]
    command: Command,
}

impl Cli {
    /// The command line's definition, every help text (the command's and each subcommand's)
    /// ending with the exit codes.
    fn definition() -> clap::Command {
        Cli::command()
            .after_help(EXIT_CODES.as_str())
            .mut_subcommands(|c| c.after_help(EXIT_CODES.as_str()))
    }
}

/// Writes to a stream, treating a closed pipe as success. Control characters (other than line
/// breaks and tabs) are shown as `\u{…}`, never sent raw, whatever text from the data they came in.
fn emit(mut stream: impl Write, text: &str) -> bool {
    match stream
        .write_all(typfrage::escape::terminal(text).as_bytes())
        .and_then(|()| stream.flush())
    {
        Ok(()) => true,
        Err(e) => e.kind() == std::io::ErrorKind::BrokenPipe,
    }
}

/// The message for an error: the survey's problems as their list, anything else on one line.
fn message(e: &Error) -> String {
    match e.problems() {
        Some(problems) => problems.to_string(),
        None => format!("error: {e}"),
    }
}

pub fn main() -> ExitCode {
    let mut definition = Cli::definition();
    let cli = Cli::from_arg_matches(&definition.get_matches_mut())
        .unwrap_or_else(|e| e.format(&mut definition).exit());
    let result = match cli.threads {
        Some(n) => app::set_threads(n).map_err(Error::from),
        None => Ok(()),
    }
    .and_then(|()| {
        let run = Run {
            lang: cli.lang.resolve(),
            progress: std::io::stderr().is_terminal(),
        };
        app::run(&cli.command.request(run))
    });
    match result {
        Ok(outcome) => {
            let rest = outcome.stdout.get(outcome.shown..).unwrap_or_default();
            let ok = emit(std::io::stdout().lock(), rest)
                && emit(std::io::stderr().lock(), &outcome.stderr);
            ExitCode::from(if ok {
                outcome.status.code()
            } else {
                ExitStatus::Failed.code()
            })
        }
        Err(e) => {
            emit(std::io::stderr().lock(), &(message(&e) + "\n"));
            ExitCode::from(e.exit_status().code())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_definition_is_consistent() {
        Cli::definition().debug_assert();
    }
}
