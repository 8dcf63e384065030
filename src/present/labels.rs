//! Labels in the output's language: [`Lang`], the data-source note under every chart
//! ([`DataSource`]), and the codebook's question, item and answer labels in German or English.

use crate::survey::{Codebook, Variable};

/// Where the data come from, for the note under each chart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataSource {
    pub file: String,
    pub synthetic: bool,
}

impl DataSource {
    pub fn note(&self, base: &str, lang: Lang) -> String {
        let data = match (lang, self.synthetic) {
            (Lang::De, true) => format!("Daten: {} (synthetische Ersatzdaten)", self.file),
            (Lang::De, false) => format!("Daten: {}", self.file),
            (Lang::En, true) => format!("Data: {} (synthetic stand-in data)", self.file),
            (Lang::En, false) => format!("Data: {}", self.file),
        };
        format!("{base}. {data}")
    }
}

/// Language of labels and headings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    De,
    En,
}

impl Lang {
    /// The German or the English text.
    pub fn pick<'a>(self, de: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::De => de,
            Lang::En => en,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Lang::De => "de",
            Lang::En => "en",
        }
    }

    /// The language of the environment's locale, for a run that does not name one: the first
    /// of `LC_ALL`, `LC_MESSAGES` and `LANG` that is set and not empty (as POSIX orders them) is
    /// German where it starts with `de` (`de_DE.UTF-8`, `de_AT`, `de`), English otherwise
    /// (`C`, `POSIX`, `en_GB.UTF-8`, `fr_FR`) and when none is set.
    pub fn from_env() -> Lang {
        Lang::from_locale(["LC_ALL", "LC_MESSAGES", "LANG"].map(|v| std::env::var(v).ok()))
    }

    /// [`Lang::from_env`] for given values of `LC_ALL`, `LC_MESSAGES` and `LANG`.
    pub fn from_locale(values: [Option<String>; 3]) -> Lang {
        match values.into_iter().flatten().find(|v| !v.is_empty()) {
            Some(v) if v.to_ascii_lowercase().starts_with("de") => Lang::De,
            _ => Lang::En,
        }
    }
}

/// The item of a battery question, in the language asked: the German wording after the last " - ",
/// the English label after the first ": "; the whole text where there is no such separator.
pub fn item_label(var: &Variable, lang: Lang) -> &str {
    match lang {
        Lang::De => var
            .question_de
            .rsplit_once(" - ")
            .map_or(var.question_de.as_str(), |(_, item)| item),
        Lang::En => var
            .label_en
            .split_once(": ")
            .map_or(var.label_en.as_str(), |(_, item)| item),
    }
}

/// A label that stands on its own: the battery's topic and the item ("Top-3-Ziel der Strategie:
/// IT-Sicherheit"), or the question of a single variable.
pub fn display_label(book: &Codebook, var: &Variable, lang: Lang) -> String {
    match book.battery(&var.name) {
        Some(b) => format!("{}: {}", lang.pick(&b.de, &b.en), item_label(var, lang)),
        None => item_label(var, lang).to_string(),
    }
}

/// The name of a variable's positive answers: the scale's `positive_label`, or the labels of the
/// positive codes joined.
pub fn positive_label(var: &Variable, lang: Lang) -> String {
    match &var.positive_label {
        Some(l) => lang.pick(&l.de, &l.en).to_string(),
        None => var
            .positive
            .iter()
            .map(|&c| code_label(var, c, lang))
            .collect::<Vec<_>>()
            .join(" / "),
    }
}

/// The question a battery item belongs to (the whole wording for a single question).
pub fn question_label(var: &Variable, lang: Lang) -> &str {
    match lang {
        Lang::De => var
            .question_de
            .rsplit_once(" - ")
            .map_or(var.question_de.as_str(), |(q, _)| q),
        Lang::En => var
            .label_en
            .split_once(": ")
            .map_or(var.label_en.as_str(), |(q, _)| q),
    }
}

/// The value label of `code` in the language asked, or the code itself.
pub fn code_label(var: &Variable, code: i64, lang: Lang) -> String {
    var.code(code).map_or_else(
        || code.to_string(),
        |c| match lang {
            Lang::De => c.de.clone(),
            Lang::En => c.en.clone(),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_locale_default_is_german_where_the_first_set_variable_starts_with_de() {
        let v = |a: Option<&str>, b: Option<&str>, c: Option<&str>| {
            Lang::from_locale([a, b, c].map(|x| x.map(String::from)))
        };
        assert_eq!(v(None, None, None), Lang::En);
        assert_eq!(v(None, None, Some("de_DE.UTF-8")), Lang::De);
        assert_eq!(v(None, None, Some("C")), Lang::En);
        assert_eq!(v(None, None, Some("POSIX")), Lang::En);
        assert_eq!(v(None, None, Some("en_US.UTF-8")), Lang::En);
        assert_eq!(v(None, None, Some("de_AT")), Lang::De);
        // LC_ALL before LC_MESSAGES before LANG; an empty value counts as unset
        assert_eq!(v(Some("C"), None, Some("de_DE.UTF-8")), Lang::En);
        assert_eq!(v(Some(""), Some("de_CH.UTF-8"), Some("C")), Lang::De);
        assert_eq!(v(None, Some("en_GB"), Some("de_DE")), Lang::En);
        assert_eq!(v(None, None, Some("fr_FR.UTF-8")), Lang::En);
    }

    #[test]
    fn battery_items_and_questions_are_split() {
        let book = Codebook::builtin();
        let v = book.variable("ziel_effizienz").unwrap();
        assert_eq!(
            item_label(v, Lang::De),
            "Effizienz und Effektivität der Verwaltung"
        );
        assert_eq!(question_label(v, Lang::En), "Goal priority");
        let s = book.variable("strategie_status").unwrap();
        assert_eq!(item_label(s, Lang::De), question_label(s, Lang::De));
        let top = book.variable("top3_it_sicherheit").unwrap();
        assert_eq!(
            display_label(&book, top, Lang::De),
            "Top-3-Ziel der Strategie: IT-Sicherheit"
        );
        assert_eq!(
            display_label(
                &book,
                book.variable("leitung_gemeinschaft_cdo").unwrap(),
                Lang::En
            ),
            "responsible in the local community: Chief Digital Officer (CDO)"
        );
        assert_eq!(
            positive_label(book.variable("basis_app").unwrap(), Lang::De),
            "im Einsatz"
        );
        assert_eq!(positive_label(top, Lang::En), "selected");
    }
}
