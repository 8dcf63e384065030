//! The language of everything written for people ([`Lang`]): German or English, chosen on the
//! command line or taken from the environment's locale. It depends on nothing else in the crate,
//! so every layer may name it; the words themselves live in [`crate::show`].

/// Language of labels and headings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
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
}
