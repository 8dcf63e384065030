//! How a survey file was read, in words: the columns mapped onto the codebook (by a mapping file
//! or the codebook's aliases) and those left out, as `validate` lists them.

use crate::lang::Lang;
use crate::survey::SourceInfo;

/// The mapping used, as lines for `validate` in `lang` (none when every column has its variable's
/// name).
pub fn mapping_lines(info: &SourceInfo, lang: Lang) -> String {
    if info.mapped.is_empty() && info.ignored.is_empty() {
        return String::new();
    }
    let renamed = info.mapped.len();
    let left_out = match (info.ignored.len(), lang) {
        (0, _) => String::new(),
        (n, Lang::De) => format!(", {n} ausgelassen"),
        (n, Lang::En) => format!(", {n} left out"),
    };
    let file = match (&info.mapping, lang) {
        (None, _) => String::new(),
        (Some(m), Lang::De) => format!("; Zuordnungsdatei {m}"),
        (Some(m), Lang::En) => format!("; mapping file {m}"),
    };
    let mut out = match lang {
        Lang::De => {
            format!("Spalten dem Codebuch zugeordnet ({renamed} umbenannt{left_out}{file}):\n")
        }
        Lang::En => {
            format!("Columns mapped onto the codebook ({renamed} renamed{left_out}{file}):\n")
        }
    };
    for m in &info.mapped {
        let by = match (m.by, lang) {
            ("mapping file", Lang::De) => "Zuordnungsdatei",
            ("codebook alias", Lang::De) => "Alias im Codebuch",
            (by, _) => by,
        };
        out.push_str(&format!("  {} -> {} ({by})\n", m.column, m.variable));
    }
    for c in &info.ignored {
        out.push_str(&match lang {
            Lang::De => format!("  {c} ausgelassen (ignore)\n"),
            Lang::En => format!("  {c} left out (ignore)\n"),
        });
    }
    out
}
