//! The command line: the global options, the commands (`command`: each parses straight into the
//! application layer's request, [`typfrage::app::Request`], whose fields' doc comments are the
//! help texts), and printing what a request produced. Nothing is computed or written here.

mod command;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::sync::LazyLock;

use clap::{CommandFactory, FromArgMatches, Parser};

use typfrage::app;
use typfrage::error::Error;
use typfrage::exit::ExitStatus;

use typfrage::lang::Lang;

use command::Command;

/// The exit codes, as every help text ends.
static EXIT_CODES: LazyLock<String> = LazyLock::new(ExitStatus::help);

#[derive(Debug, Parser)]
#[command(
    name = "typfrage",
    version,
    about = "Types in survey answers: k-means, profile sheets, charts, checks; built for the \
             ÖFIT/KGSt survey of German municipalities' digitalisation (2018/19)"
)]
struct Cli {
    /// Worker threads (default: all cores); results are the same for any number
    #[arg(long, global = true, value_name = "N")]
    threads: Option<usize>,
    /// Language of everything written for people: console text, warnings, tables meant for
    /// reading, sheets, charts [default: from LC_ALL, LC_MESSAGES or LANG: de where the first set
    /// one starts with "de", else en]
    #[arg(long, global = true, value_enum, value_name = "LANG")]
    lang: Option<Lang>,
    #[command(subcommand)]
    command: Command,
}

/// The options several commands share (how to cluster, how to read the survey, the CSV style, how
/// charts look): each command's help lists its own options first, then these in this order,
/// then `--help` (clap places an option without an order at 999).
const SHARED: &[&str] = &[
    "seed",
    "scale",
    "vars",
    "missing",
    "engine",
    "algorithm",
    "weight",
    "codebook",
    "sheet",
    "mapping",
    "csv",
    "size",
    "chart_scale",
    "full_scale",
];

/// `--csv` (a request's `csv` field), the same for every command that writes CSV files.
const CSV_HELP: &str = "CSV style: rfc4180 (comma, decimal point, for programs) or excel-de \
    (semicolon, decimal comma, UTF-8 with BOM, CRLF: opens in Excel on a German locale)";

impl Cli {
    /// The command line's definition, every help text (the command's and each subcommand's)
    /// ending with the exit codes.
    fn definition() -> clap::Command {
        Cli::command()
            .after_help(EXIT_CODES.as_str())
            .mut_subcommands(|c| {
                let c = c.after_help(EXIT_CODES.as_str());
                let has = |c: &clap::Command, id: &str| c.get_arguments().any(|a| a.get_id() == id);
                let c = match has(&c, "csv") {
                    true => c.mut_arg("csv", |a| a.help(CSV_HELP).value_name("STYLE")),
                    false => c,
                };
                SHARED
                    .iter()
                    .enumerate()
                    .fold(c, |c, (i, id)| match has(&c, id) {
                        true => c.mut_arg(id, |a| a.display_order(900 + i)),
                        false => c,
                    })
            })
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
        // the language asked for, else the locale's; the request records it
        let lang = cli.lang.unwrap_or_else(Lang::from_env);
        app::run(&cli.command.request(lang, std::io::stderr().is_terminal()))
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
