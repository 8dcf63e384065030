//! What a survey is about, in the run's language: what one row is (the unit: "Kommune" /
//! "municipality", "Person" / "respondent", a neutral "Fall" / "case") and what the clustering
//! variables are together (the block: "Ziele" / "goals", "Items" / "items"), from the codebook
//! ([`crate::survey::Meta`]) or a saved model. Every text about the rows or the clustered block
//! takes its words from here; the study's codebook sets the study's words, so its texts read as
//! they always did.

use crate::lang::Lang;
use crate::survey::{Block, Gender, Unit};

/// The unit and block words of one run, in its language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Words {
    pub lang: Lang,
    unit: Unit,
    block: Block,
}

impl Words {
    pub fn new(unit: &Unit, block: &Block, lang: Lang) -> Words {
        Words {
            lang,
            unit: unit.clone(),
            block: block.clone(),
        }
    }

    /// The words of a codebook.
    pub fn of(book: &crate::survey::Codebook, lang: Lang) -> Words {
        Words::new(&book.meta.unit, &book.meta.block, lang)
    }

    /// The study's words (a saved model that records none was fitted on the study's survey).
    pub fn study(lang: Lang) -> Words {
        Words::new(&Unit::study(), &Block::study(), lang)
    }

    /// The words a saved model records (the study's where it records none).
    pub fn of_model(model: &crate::cluster::SavedModel, lang: Lang) -> Words {
        Words::new(
            model.unit.as_ref().unwrap_or(&Unit::study()),
            model.block.as_ref().unwrap_or(&Block::study()),
            lang,
        )
    }

    /// One row: "Kommune" / "municipality".
    pub fn unit(&self) -> &str {
        self.lang.pick(&self.unit.de, &self.unit.en)
    }

    /// Rows: "Kommunen" / "municipalities".
    pub fn units(&self) -> &str {
        self.lang.pick(&self.unit.de_plural, &self.unit.en_plural)
    }

    /// The clustered block: "Ziele" / "goals".
    pub fn block(&self) -> &str {
        self.lang.pick(&self.block.de, &self.block.en)
    }

    /// Whether these are the study's words (some German compounds, "Zielprofil", are kept then).
    pub fn is_study(&self) -> bool {
        self.unit.is_study() && self.block == Block::study()
    }

    /// The German unit's gender: the codebook's `de_gender`; without it the study's "Kommune" is
    /// feminine and another word is read by its ending (a codebook from before the field).
    pub fn gender(&self) -> Gender {
        if let Some(g) = self.unit.de_gender {
            return g;
        }
        let u = self.unit.de.as_str();
        let feminine = ["e", "ion", "ung", "heit", "keit", "schaft"]
            .iter()
            .any(|end| u.ends_with(end))
            || u == "Person";
        if feminine {
            Gender::Feminine
        } else {
            Gender::Masculine
        }
    }

    /// `en` in English; in German the word for the unit's gender, of `[feminine, masculine,
    /// neuter]`.
    fn by_gender(&self, en: &'static str, de: [&'static str; 3]) -> &'static str {
        match (self.lang, self.gender()) {
            (Lang::En, _) => en,
            (Lang::De, Gender::Feminine) => de[0],
            (Lang::De, Gender::Masculine) => de[1],
            (Lang::De, Gender::Neuter) => de[2],
        }
    }

    /// One row with the indefinite article: "eine Kommune", "ein Fall" / "a municipality", "an
    /// item".
    pub fn a_unit(&self) -> String {
        let unit = self.unit();
        let article = match (self.lang, self.gender()) {
            (Lang::De, Gender::Feminine) => "eine",
            (Lang::De, _) => "ein",
            (Lang::En, _) if unit.starts_with(['a', 'e', 'i', 'o', 'u']) => "an",
            (Lang::En, _) => "a",
        };
        format!("{article} {unit}")
    }

    /// "each" before the unit in the nominative: "jede Kommune", "jeder Fall", "jedes
    /// Unternehmen" / "each municipality".
    pub fn each_unit(&self) -> String {
        let each = self.by_gender("each", ["jede", "jeder", "jedes"]);
        format!("{each} {}", self.unit())
    }

    /// "each" before the unit in the German genitive: "jeder Kommune", "jedes Falls", "jedes
    /// Unternehmens" (masculine and neuter nouns add -s, or -es after s, ß, x and z) / "each
    /// municipality's".
    pub fn each_units(&self) -> String {
        let unit = self.unit();
        match (self.lang, self.gender()) {
            (Lang::En, _) => format!("each {unit}'s"),
            (Lang::De, Gender::Feminine) => format!("jeder {unit}"),
            (Lang::De, _) if unit.ends_with(['s', 'ß', 'x', 'z']) => format!("jedes {unit}es"),
            (Lang::De, _) => format!("jedes {unit}s"),
        }
    }

    /// The possessive for one row before a feminine noun in the accusative ("ihre Streuung",
    /// "seine Streuung") / "its".
    pub fn its_feminine(&self) -> &'static str {
        self.by_gender("its", ["ihre", "seine", "seine"])
    }

    /// "no" before the unit in the German accusative: "keine Kommune", "keinen Fall", "kein
    /// Unternehmen" / "no municipality".
    pub fn no_unit(&self) -> String {
        let no = self.by_gender("no", ["keine", "keinen", "kein"]);
        format!("{no} {}", self.unit())
    }

    /// Rows owning something, in English: "municipalities'", "people's".
    pub fn units_possessive(&self) -> String {
        let p = self.units();
        if p.ends_with('s') {
            format!("{p}'")
        } else {
            format!("{p}'s")
        }
    }

    /// Rows, with a capital first letter: "Kommunen" / "Municipalities".
    pub fn units_capitalised(&self) -> String {
        capitalised(self.units())
    }

    /// The German pronoun for one row in the nominative: "sie", "er", "es" ("it" in English).
    pub fn pronoun(&self) -> &'static str {
        self.by_gender("it", ["sie", "er", "es"])
    }

    /// The possessive before a masculine noun in the dative ("zu ihrem Typ", "zu seinem Typ") /
    /// "its".
    pub fn its_dative(&self) -> &'static str {
        self.by_gender("its", ["ihrem", "seinem", "seinem"])
    }

    /// Rows in the dative plural: German adds -n unless the plural ends in -n or -s
    /// ("Kommunen", "Fällen", "Items"); English as [`Words::units`].
    pub fn units_dative(&self) -> String {
        let p = self.units();
        if self.lang == Lang::En || p.ends_with('n') || p.ends_with('s') {
            p.to_string()
        } else {
            format!("{p}n")
        }
    }

    /// The possessive for one row before a neuter noun in the nominative or accusative ("ihr
    /// eigenes Mittel", "sein eigenes Mittel") / "its".
    pub fn its_neuter(&self) -> &'static str {
        self.by_gender("its", ["ihr", "sein", "sein"])
    }

    /// "each" before the unit in the German dative: "jeder Kommune", "jedem Fall", "jedem
    /// Unternehmen" / "each municipality".
    pub fn each_unit_dative(&self) -> String {
        let each = self.by_gender("each", ["jeder", "jedem", "jedem"]);
        format!("{each} {}", self.unit())
    }

    /// "each" before the unit in the German accusative: "jede Kommune", "jeden Fall", "jedes
    /// Unternehmen" / "each municipality".
    pub fn each_unit_accusative(&self) -> String {
        let each = self.by_gender("each", ["jede", "jeden", "jedes"]);
        format!("{each} {}", self.unit())
    }

    /// The block in the dative plural: German adds -n unless it ends in -n or -s ("Zielen",
    /// "Items"); English as [`Words::block`].
    pub fn block_dative(&self) -> String {
        let b = self.block();
        if self.lang == Lang::En || b.ends_with('n') || b.ends_with('s') {
            b.to_string()
        } else {
            format!("{b}n")
        }
    }

    /// The profiles over the block: "Zielprofile" / "goal profiles" for the study, else "Profile
    /// der Items" / "profiles over the items".
    pub fn block_profiles(&self) -> String {
        match (self.is_study(), self.lang) {
            (true, Lang::De) => "Zielprofile".into(),
            (true, Lang::En) => "goal profiles".into(),
            (false, Lang::De) => format!("Profile der {}", self.block.de),
            (false, Lang::En) => format!("profiles over the {}", self.block.en),
        }
    }

    /// The profile over the block: "Zielprofil" / "goal profile" for the study, else "Profil der
    /// Items" / "item profile"-like "profile over the items".
    pub fn block_profile(&self) -> String {
        match (self.is_study(), self.lang) {
            (true, Lang::De) => "Zielprofil".into(),
            (true, Lang::En) => "goal profile".into(),
            (false, Lang::De) => format!("Profil der {}", self.block.de),
            (false, Lang::En) => format!("profile over the {}", self.block.en),
        }
    }
}

/// `s` with its first letter upper case.
pub fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn german(de: &str, de_plural: &str, gender: Option<Gender>) -> Words {
        let unit = Unit {
            de: de.into(),
            de_plural: de_plural.into(),
            en: "x".into(),
            en_plural: "xs".into(),
            de_gender: gender,
        };
        Words::new(&unit, &Block::study(), Lang::De)
    }

    /// The German forms for each gender, as a grammar gives them.
    #[test]
    fn german_articles_and_pronouns_follow_the_codebooks_gender() {
        let cases = [
            (
                german("Person", "Personen", Some(Gender::Feminine)),
                [
                    "eine Person",
                    "jede Person",
                    "jeder Person",
                    "keine Person",
                    "sie",
                    "ihrem",
                    "Personen",
                ],
            ),
            (
                german("Fall", "Fälle", Some(Gender::Masculine)),
                [
                    "ein Fall",
                    "jeder Fall",
                    "jedes Falls",
                    "keinen Fall",
                    "er",
                    "seinem",
                    "Fällen",
                ],
            ),
            (
                german("Unternehmen", "Unternehmen", Some(Gender::Neuter)),
                [
                    "ein Unternehmen",
                    "jedes Unternehmen",
                    "jedes Unternehmens",
                    "kein Unternehmen",
                    "es",
                    "seinem",
                    "Unternehmen",
                ],
            ),
            (
                german("Haus", "Häuser", Some(Gender::Neuter)),
                [
                    "ein Haus",
                    "jedes Haus",
                    "jedes Hauses",
                    "kein Haus",
                    "es",
                    "seinem",
                    "Häusern",
                ],
            ),
            // the study's codebook writes no gender: "Kommune" is feminine
            (
                Words::study(Lang::De),
                [
                    "eine Kommune",
                    "jede Kommune",
                    "jeder Kommune",
                    "keine Kommune",
                    "sie",
                    "ihrem",
                    "Kommunen",
                ],
            ),
        ];
        for (w, [a, each, each_gen, no, pron, its, dat]) in cases {
            assert_eq!(w.a_unit(), a);
            assert_eq!(w.each_unit(), each);
            assert_eq!(w.each_units(), each_gen);
            assert_eq!(w.no_unit(), no);
            assert_eq!(w.pronoun(), pron);
            assert_eq!(w.its_dative(), its);
            assert_eq!(w.units_dative(), dat);
        }
    }

    /// The dative and accusative of "each" and the neuter possessive, for each gender.
    #[test]
    fn each_in_the_dative_and_accusative_follows_the_gender() {
        let cases = [
            (
                Words::study(Lang::De),
                ["jeder Kommune", "jede Kommune", "ihr"],
            ),
            (
                german("Fall", "Fälle", Some(Gender::Masculine)),
                ["jedem Fall", "jeden Fall", "sein"],
            ),
            (
                german("Unternehmen", "Unternehmen", Some(Gender::Neuter)),
                ["jedem Unternehmen", "jedes Unternehmen", "sein"],
            ),
        ];
        for (w, [dative, accusative, its]) in cases {
            assert_eq!(w.each_unit_dative(), dative);
            assert_eq!(w.each_unit_accusative(), accusative);
            assert_eq!(w.its_neuter(), its);
        }
        assert_eq!(Words::study(Lang::De).block_dative(), "Zielen");
        assert_eq!(Words::study(Lang::En).block_dative(), "goals");
        assert_eq!(Words::study(Lang::En).units_possessive(), "municipalities'");
        let people = Unit {
            en_plural: "people".into(),
            ..Unit::default()
        };
        let w = Words::new(&people, &Block::default(), Lang::En);
        assert_eq!(w.units_possessive(), "people's");
        assert_eq!(w.block_profiles(), "profiles over the items");
    }

    #[test]
    fn english_takes_an_before_a_vowel() {
        let unit = Unit {
            en: "item".into(),
            en_plural: "items".into(),
            ..Unit::default()
        };
        let w = Words::new(&unit, &Block::study(), Lang::En);
        assert_eq!(w.a_unit(), "an item");
        assert_eq!(w.each_units(), "each item's");
        assert_eq!(Words::study(Lang::En).a_unit(), "a municipality");
    }
}
