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

impl Words {
    /// The study's phrases of the report page and what they are for this survey, longest first;
    /// empty for the study's words. A phrase list, not word by word: German inflects the unit,
    /// and some sentences are about the study alone ("the study's signature goals").
    pub fn report_phrases(&self) -> Vec<(String, String)> {
        if self.is_study() {
            return Vec::new();
        }
        let (unit, units, block) = (self.unit(), self.units(), self.block());
        let pairs: Vec<(&str, String)> = match self.lang {
            Lang::De => {
                let (poss, pron) = (self.its_dative(), self.pronoun());
                let a_unit = self.a_unit();
                let dat = self.units_dative();
                vec![
                    ("Von den Bewertungen jeder Kommune wird ihr eigenes Mittel abgezogen, so dass nur zählt, welche Ziele sie über- oder unterdurchschnittlich gewichtet, nicht wie hoch sie insgesamt bewertet", format!("Von den Antworten wird je Zeile ihr eigenes Mittel abgezogen, so dass nur zählt, welche {block} über- oder unterdurchschnittlich beantwortet sind, nicht wie hoch insgesamt")),
                    ("welche Ziele eine Kommune betont, nicht darauf, wie hoch sie insgesamt bewertet", format!("welche {block} hervorstechen, nicht darauf, wie hoch insgesamt geantwortet wird")),
                    ("wie hoch eine Kommune insgesamt bewertet, nicht welche Ziele sie betont", format!("wie hoch insgesamt geantwortet wird, nicht welche {block} hervorstechen")),
                    ("Jeder Strich ist eine Kommune; rechts der Null passt sie besser zu ihrem Typ", format!("Jeder Strich ist {a_unit}; rechts der Null passt {pron} besser zu {poss} Typ")),
                    ("Digitalisierungsziele nach ihrer Priorität bewertet. Nach diesen Bewertungen", format!("{block} beantwortet. Nach diesen Antworten")),
                    ("Gruppen von Kommunen mit ähnlichen Zielprioritäten", format!("Gruppen mit ähnlichen Antworten auf die {block}")),
                    ("benannt werden die Gruppen nach den Typen der Studie", "nummeriert werden die Gruppen nach ihrer Größe, benannt nach einer Typendatei".into()),
                    ("Ein Ziel, das die Studie für den Typ nennt.", "Was den Typ auszeichnet: die Variablen, auf denen er mindestens eine halbe Standardabweichung über oder unter allen liegt.".into()),
                    ("die Kennziele eines Typs liegen deutlich darüber", "was einen Typ auszeichnet, liegt deutlich darüber oder darunter".into()),
                    ("Kennziele (was der Typ betont)", "Kennzeichen (was im Typ hervorsticht)".into()),
                    ("von jeder Kommune ihr eigenes Mittel", "von jeder Zeile ihr eigenes Mittel".into()),
                    ("die Karte zeigt jede Kommune darin als Punkt", format!("die Karte zeigt alle {units} darin als Punkte")),
                    ("eine Kommune zu ihrem Typ", format!("{a_unit} zu {poss} Typ")),
                    ("Jeder Punkt ist eine Kommune", format!("Jeder Punkt ist {a_unit}")),
                    ("bewertet das Ziel", "beantwortet die Variable".into()),
                    ("je Zeile ein Ziel", "je Zeile eine Variable".into()),
                    ("die mittlere Priorität", "die mittlere Antwort".into()),
                    ("Zielprioritäten", "Antworten".into()),
                    ("Zielprofile", format!("Profile der {block}")),
                    ("Zielprofil", format!("Profil der {block}")),
                    ("Zielangaben", format!("Angaben zu den {block}")),
                    ("Kennziel (★)", "Kennzeichen (★)".into()),
                    ("denselben Zielen", format!("denselben {block}")),
                    ("alle Ziele", format!("alle {block}")),
                    ("mit < 5 Kommunen", format!("mit < 5 {dat}")),
                    (" Kommunen (Seed", format!(" {dat} (Seed")),
                    ("Kommunen", units.to_string()),
                    ("Kommune", unit.to_string()),
                ]
            }
            Lang::En => {
                vec![
                    ("rated all", "answered all".into()),
                    ("digitalisation goals by priority. By these ratings", format!("{block}. By these answers")),
                    ("Signature goals (what the type stresses)", "Marks (what stands out in the type)".into()),
                    ("A goal the study names for the type.", "What marks the type: the variables on which it lies at least half a standard deviation above or below all.".into()),
                    ("the groups are named after the study's types", "the groups are numbered by size, or named after a types file".into()),
                    ("a type's signature goals lie well above it", "what marks a type lies well above or below it".into()),
                    ("rate every goal high, others every goal low", format!("rate all {block} high, others all low")),
                    ("Signature goal (★)", "Signature (★)".into()),
                    ("goal priorities", format!("answers on the {block}")),
                    ("goal profiles", format!("profiles over the {block}")),
                    ("goal profile", format!("profile over the {block}")),
                    ("goal ratings", format!("answers on the {block}")),
                    ("rates the goal", "answers the variable".into()),
                    ("a row per goal", "a row per variable".into()),
                    ("mean priority", "mean answer".into()),
                    ("same goals", format!("same {block}")),
                    ("which goals", format!("which {block}")),
                    ("Municipalities", capitalised(units)),
                    ("municipalities'", format!("{units}'")),
                    ("municipalities", units.to_string()),
                    ("a municipality", self.a_unit()),
                    ("municipality", unit.to_string()),
                ]
            }
        };
        pairs.into_iter().map(|(a, b)| (a.to_string(), b)).collect()
    }
}

/// `text` with every phrase of `phrases` (study's, this survey's) replaced, in the list's order.
pub fn reword(text: &str, phrases: &[(String, String)]) -> String {
    let mut out = text.to_string();
    for (from, to) in phrases {
        if out.contains(from.as_str()) {
            out = out.replace(from.as_str(), to);
        }
    }
    out
}

/// `s` with its first letter upper case.
fn capitalised(s: &str) -> String {
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
