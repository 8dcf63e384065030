//! How a `typfrage` command ends: the one list of exit statuses and their codes, used by the help
//! text, the commands and the manifests.

/// How a `typfrage` command ends. The numbers are the program's exit codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(into = "u8", try_from = "u8")]
pub enum ExitStatus {
    Success,
    /// The data or the analysis failed.
    Failed,
    /// The command line or a request asks for something that cannot be run.
    Usage,
    /// Published figures or findings were not reproduced.
    NotReproduced,
    /// A re-run differs from its manifest.
    Differs,
}

impl ExitStatus {
    pub const ALL: [ExitStatus; 5] = [
        ExitStatus::Success,
        ExitStatus::Failed,
        ExitStatus::Usage,
        ExitStatus::NotReproduced,
        ExitStatus::Differs,
    ];

    pub fn code(self) -> u8 {
        match self {
            ExitStatus::Success => 0,
            ExitStatus::Failed => 1,
            ExitStatus::Usage => 2,
            ExitStatus::NotReproduced => 3,
            ExitStatus::Differs => 4,
        }
    }

    pub fn meaning(self) -> &'static str {
        match self {
            ExitStatus::Success => "success",
            ExitStatus::Failed => {
                "the data or the analysis failed (the message says which file, row, column and value)"
            }
            ExitStatus::Usage => {
                "usage error (unknown option, missing argument, an option out of range)"
            }
            ExitStatus::NotReproduced => {
                "published figures or findings not reproduced (typfrage figures)"
            }
            ExitStatus::Differs => "a re-run differs from its manifest (typfrage verify)",
        }
    }

    /// The exit codes as the help text lists them.
    pub fn help() -> String {
        let mut text = String::from("Exit codes:\n");
        for s in ExitStatus::ALL {
            text.push_str(&format!("  {}  {}\n", s.code(), s.meaning()));
        }
        text
    }
}

impl From<ExitStatus> for u8 {
    fn from(s: ExitStatus) -> u8 {
        s.code()
    }
}

impl TryFrom<u8> for ExitStatus {
    type Error = String;

    fn try_from(code: u8) -> Result<ExitStatus, String> {
        ExitStatus::ALL
            .into_iter()
            .find(|s| s.code() == code)
            .ok_or_else(|| format!("{code} is not an exit code of typfrage"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_round_trip_through_their_numbers() {
        for s in ExitStatus::ALL {
            assert_eq!(ExitStatus::try_from(s.code()), Ok(s));
        }
        assert!(ExitStatus::try_from(5).is_err());
    }
}
