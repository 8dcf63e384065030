//! Labels in the output's language: the data-source note under every chart ([`DataSource`]) and
//! a saved model's ([`synthetic_note`]), and
//! the codebook's question, item and answer labels in German or English.

use crate::cluster::SavedModel;
use crate::lang::Lang;
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

/// Whether a saved model was fitted on synthetic stand-in data, as a sentence for people (`None`
/// when its data were not said to be synthetic).
pub fn synthetic_note(model: &SavedModel, lang: Lang) -> Option<String> {
    let file = crate::escape::field(&model.input.file);
    let words = crate::show::words::Words::of_model(model, lang);
    match (model.input.synthetic, lang) {
        (Some(true), Lang::De) => Some(format!(
            "Achtung: Dieses Modell wurde auf synthetischen Ersatzdaten ({file}) geschätzt, nicht auf den Antworten der {}. Typ, Abstände und Vergleiche zeigen nur, wie das Verfahren arbeitet.",
            words.units()
        )),
        (Some(true), Lang::En) => Some(format!(
            "Note: this model was fitted on synthetic stand-in data ({file}), not on the {} answers. Type, distances and comparisons only show how the method works.",
            words.units_possessive()
        )),
        (None, Lang::De) => Some(format!(
            "Hinweis: Das Modell sagt nicht, ob seine Daten ({file}) synthetisch waren (älteres Modell)."
        )),
        (None, Lang::En) => Some(format!(
            "Note: the model does not record whether its data ({file}) were synthetic (an older model)."
        )),
        (Some(false), _) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
