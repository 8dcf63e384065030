//! The offline self-check page: one self-contained HTML file (inline CSS, JavaScript and SVG, no
//! network) written from a saved model, in which a municipality rates the eleven goals and sees
//! its type with its motto, how clear the assignment is, a chart of its ratings against the type
//! and suggestions from the nearest other types.
//!
//! The page applies the rule of `classify` with the model's numbers embedded as JSON: each rating
//! scaled as `(rating - centre) / scale`, the squared Euclidean distance to each type's scaled
//! centroid summed in the same order as [`crate::cluster::squared_distance`]'s four lanes (so the
//! same bits), the nearest type, and on an exact tie the type listed first in the model. An
//! unanswered goal is handled by the model's missing policy, as `classify` handles it: under
//! `listwise` the page assigns no type and asks for every goal; under `mean` it counts the goal
//! with the saved imputation mean and says so.
//!
//! Ratings come from the form (fields named after the codebook variables, five-point scale with
//! its labels) or from the page's address (`?ziel_effizienz=4&…`); submitting the form puts them
//! into the address, so a result can be bookmarked. The element `#result` carries
//! `data-type="<type id>"` (empty when no type is assigned) and `data-state` (`assigned`,
//! `incomplete`, `invalid` or `empty`) for scripts and tests.

use serde_json::json;

use crate::cluster::{MissingPolicy, SavedModel};
use crate::lang::Lang;
use crate::show::chart::palette;
use crate::show::doc::escape;
use crate::show::labels::synthetic_note;
use crate::show::words::Words;

/// The surveyed municipalities a page lists as the nearest to the ratings (`selfcheck --survey`):
/// each assigned row's identifier, type (index into the model's types), point in the model's
/// scaling and certainty (when the model carries resamples).
#[derive(Debug, Clone, PartialEq)]
pub struct Surveyed<'a> {
    /// The survey file's name, as the page names it.
    pub label: String,
    pub ids: Vec<&'a str>,
    pub types: Vec<usize>,
    pub points: Vec<&'a [f64]>,
    pub certainty: Vec<Option<f64>>,
}

/// How many of the surveyed municipalities the page lists (as `position` does).
pub const NEIGHBOURS: usize = 5;

/// The page for `model` (which must carry its feedback part) in `lang`, listing the nearest of
/// `surveyed` where given.
pub fn page(model: &SavedModel, lang: Lang, surveyed: Option<&Surveyed>) -> String {
    let feedback = model
        .feedback
        .as_ref()
        .expect("the caller checks that the model has its feedback part");
    let pick = |de: &'static str, en: &'static str| lang.pick(de, en);
    let words = Words::of_model(model, lang);
    let colors = palette(model.types.len());
    let types: Vec<serde_json::Value> = model
        .types
        .iter()
        .zip(&feedback.types)
        .enumerate()
        .map(|(i, (t, text))| {
            json!({
                "id": t.id,
                "name": lang.pick(&t.name_de, &t.name_en),
                "motto": super::feedback::motto(text, lang)
                    .map(str::to_string)
                    .or_else(|| match lang {
                        Lang::De => t.description_de.clone(),
                        Lang::En => t.description_en.clone(),
                    }),
                "signature": text.signature.iter().filter_map(|s| {
                    feedback.labels.iter().find(|l| &l.name == s).map(|l| lang.pick(&l.de, &l.en).to_string())
                }).collect::<Vec<_>>(),
                "centroid": t.centroid,
                "centroid_scaled": t.centroid_scaled,
                "color": colors[i],
            })
        })
        .collect();
    let lessons: Vec<serde_json::Value> = feedback
        .lessons
        .iter()
        .map(|l| {
            json!({
                "to": l.to,
                "from": l.from,
                "variable": l.variable,
                "item": lang.pick(&l.item_de, &l.item_en),
                "answer": lang.pick(&l.answer_de, &l.answer_en),
                "from_count": l.from_count,
                "from_base": l.from_base,
                "to_count": l.to_count,
                "to_base": l.to_base,
            })
        })
        .collect();
    let data = json!({
        "lang": lang.as_str(),
        "variables": model.variables,
        "labels": feedback.labels.iter().map(|l| lang.pick(&l.de, &l.en)).collect::<Vec<_>>(),
        "center": model.scaling.center,
        "scale": model.scaling.scale,
        "missing": model.missing.as_str(),
        "imputation_means": model.imputation_means,
        "overall_means": feedback.overall_means,
        "margin_quantiles": feedback.margin_quantiles,
        "borderline_below": feedback.borderline_below(),
        "codes": feedback.scale.iter().map(|p| p.code).collect::<Vec<_>>(),
        "types": types,
        "lessons": lessons,
        "suggestion_types": crate::profile::feedback::SUGGESTION_TYPES,
        "suggestions_per_type": crate::profile::feedback::SUGGESTIONS_PER_TYPE,
        "resampled": model.certainty.as_ref().map(|c| &c.centres),
        "certain_from": super::feedback::CERTAIN_FROM,
        "surveyed": surveyed.map(|s| json!({
            "label": s.label,
            "ids": s.ids,
            "types": s.types,
            "points": s.points,
            "certainty": s.certainty,
            "resamples": model.certainty.as_ref().map(|c| c.resamples()),
            "show": NEIGHBOURS,
        })),
        "text": texts(&words),
    });
    let data = script_json(&data);

    let mut fields = String::new();
    for (j, v) in model.variables.iter().enumerate() {
        let label = lang.pick(&feedback.labels[j].de, &feedback.labels[j].en);
        fields.push_str(&format!("<fieldset><legend>{}</legend>\n", escape(label)));
        for p in &feedback.scale {
            fields.push_str(&format!(
                "<label><input type=\"radio\" name=\"{}\" value=\"{}\"> {} <span class=\"lab\">{}</span></label>\n",
                escape(v),
                p.code,
                p.code,
                escape(lang.pick(&p.de, &p.en))
            ));
        }
        fields.push_str(&format!(
            "<label class=\"none\"><input type=\"radio\" name=\"{}\" value=\"\"> {}</label>\n</fieldset>\n",
            escape(v),
            escape(pick("keine Angabe", "no answer"))
        ));
    }
    let synthetic = synthetic_note(model, lang)
        .map(|n| {
            format!(
                "<p class=\"synthetic\"><strong>{}</strong></p>\n",
                escape(&n)
            )
        })
        .unwrap_or_default();
    let (title, intro, rule) = page_words(model, feedback, &words);
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{title}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n<h1>{title}</h1>\n{synthetic}<p>{intro}</p>\n<form id=\"selfcheck\" method=\"get\">\n{fields}<p class=\"buttons\"><button type=\"submit\">{submit}</button> <button type=\"button\" id=\"reset\">{reset}</button></p>\n</form>\n<section id=\"result\" data-type=\"\" data-state=\"empty\" aria-live=\"polite\">\n<p>{empty}</p>\n</section>\n{tree}<h2>{how}</h2>\n<p class=\"rule\">{rule}</p>\n<script type=\"application/json\" id=\"model\">{data}</script>\n<script>\n{SCRIPT}</script>\n</body>\n</html>\n",
        lang = lang.as_str(),
        title = escape(&title),
        submit = escape(pick("Typ bestimmen (und im Link speichern)", "Find the type (and keep it in the link)")),
        reset = escape(pick("Alles zurücksetzen", "Clear all")),
        empty = escape(pick("Noch keine Bewertung.", "No ratings yet.")),
        how = escape(pick("So rechnet diese Seite", "How this page computes")),
        rule = escape(&rule),
        tree = tree_section(feedback, &words),
    )
}

/// The page's title, its introduction (escaped) and the rule it computes by, in the model's words.
fn page_words(
    model: &SavedModel,
    feedback: &crate::cluster::Feedback,
    words: &Words,
) -> (String, String, String) {
    let lang = words.lang;
    let pick = |de: &'static str, en: &'static str| lang.pick(de, en);
    // the study's words as they always read; other surveys' from the model's unit and block
    let say = |de: &'static str, en: &'static str, generic: String| {
        if words.is_study() {
            lang.pick(de, en).to_string()
        } else {
            generic
        }
    };
    let (units, block) = (words.units(), words.block());
    let missing_rule = match model.missing {
        MissingPolicy::Listwise => say(
            "Ein nicht bewertetes Ziel: Wie bei typfrage classify (fehlende Werte: listenweise) wird dann kein Typ zugeordnet; bitte alle Ziele bewerten.",
            "A goal left unrated: as typfrage classify does (missing answers: listwise), no type is assigned then; please rate every goal.",
            match lang {
                Lang::De => format!("Eine fehlende Antwort: Wie bei typfrage classify (fehlende Werte: listenweise) wird dann kein Typ zugeordnet; bitte alle {block} beantworten."),
                Lang::En => format!("An answer left out: as typfrage classify does (missing answers: listwise), no type is assigned then; please answer all {block}."),
            },
        ),
        MissingPolicy::Mean => say(
            "Ein nicht bewertetes Ziel wird wie bei typfrage classify mit dem im Modell gespeicherten Mittelwert gerechnet.",
            "A goal left unrated is counted with the mean saved in the model, as typfrage classify does.",
            lang.pick(
                "Eine fehlende Antwort wird wie bei typfrage classify mit dem im Modell gespeicherten Mittelwert gerechnet.",
                "An answer left out is counted with the mean saved in the model, as typfrage classify does.",
            ).to_string(),
        ),
    };
    let rule = format!(
        "{} {missing_rule} {}",
        pick(
            "Zuordnung wie bei typfrage classify: Jede Bewertung wird mit der Skalierung des Modells umgerechnet ((Wert − Zentrum) / Skala), dann zählt der Typ mit dem nächsten Zentrum (euklidischer Abstand); bei exakt gleichem Abstand der im Modell zuerst genannte Typ. Die Zahlen des Modells stehen in dieser Datei; nichts wird gesendet.",
            "Assignment as by typfrage classify: each rating is converted with the model's scaling ((value − centre) / scale), then the type with the nearest centre counts (Euclidean distance); on an exact tie, the type listed first in the model. The model's numbers are in this file; nothing is sent anywhere.",
        ),
        say(
            "Grenzfall: Der Abstand zum zweitnächsten Typ ist kleiner als das untere Quartil der Abstände der befragten Kommunen.",
            "Borderline: the margin to the second-nearest type is below the lower quartile of the surveyed municipalities' margins.",
            match lang {
                Lang::De => format!("Grenzfall: Der Abstand zum zweitnächsten Typ ist kleiner als das untere Quartil der Abstände der befragten {units}."),
                Lang::En => format!("Borderline: the margin to the second-nearest type is below the lower quartile of the margins of the surveyed {units}."),
            },
        )
    );
    let title = say(
        "Selbstcheck: Welcher Digitalisierungstyp ist unsere Kommune?",
        "Self-check: which digitalisation type is our municipality?",
        pick("Selbstcheck: Welcher Typ?", "Self-check: which type?").to_string(),
    );
    let scale_ends = match (feedback.scale.first(), feedback.scale.last()) {
        (Some(a), Some(b)) => format!(
            " ({} = {}, {} = {})",
            a.code,
            lang.pick(&a.de, &a.en),
            b.code,
            lang.pick(&b.de, &b.en)
        ),
        _ => String::new(),
    };
    let n = model.variables.len();
    let intro = format!(
        "{} {} {}",
        escape(&say(
            "Bewerten Sie, welche Priorität die elf Ziele der Digitalisierung in Ihrer Kommune haben (1 = keine, 5 = sehr hohe Priorität).",
            "Rate the priority of the eleven goals of digitalisation in your municipality (1 = none, 5 = very high priority).",
            match lang {
                Lang::De => format!("Beantworten Sie die {n} {block}{scale_ends}."),
                Lang::En => format!("Answer the {n} {block}{scale_ends}."),
            },
        )),
        pick("Modell gebildet aus", "Model formed from"),
        escape(&format!(
            "{} ({} {}, k = {})",
            model.input.file,
            model.input.clustered,
            say(
                "geclusterte Kommunen",
                "clustered municipalities",
                match lang {
                    Lang::De => format!("geclusterte {units}"),
                    Lang::En => format!("clustered {units}"),
                }
            ),
            model.k
        ))
    );
    (title, intro, rule)
}

/// The three questions of the model's threshold tree, and the type each way of answering them
/// leads to (empty for a model without them).
fn tree_section(feedback: &crate::cluster::Feedback, words: &Words) -> String {
    let Some(tree) = &feedback.tree else {
        return String::new();
    };
    let (lang, units) = (words.lang, words.units());
    let pick = |w: &crate::cluster::Words| escape(lang.pick(&w.de, &w.en)).to_string();
    let questions: String = tree
        .questions
        .iter()
        .map(|q| format!("<li>{}</li>\n", pick(q)))
        .collect();
    let rules: String = tree
        .rules
        .iter()
        .map(|r| format!("<li>{}</li>\n", pick(r)))
        .collect();
    let share = crate::show::format::number(
        100.0 * tree.as_kmeans as f64 / tree.municipalities.max(1) as f64,
        0,
        lang,
    );
    let (heading, intro) = match lang {
        Lang::De => (
            "Drei Fragen zu Ihrem Typ",
            format!(
                "Ohne Rechnung: Beantworten Sie die Fragen mit ja oder nein. Dieser Baum ordnet {} von {} befragten {} ({share} %) dem Typ zu, den auch die Rechnung oben ergibt; im Zweifel gilt die Rechnung.",
                tree.as_kmeans,
                tree.municipalities,
                words.units_dative()
            ),
        ),
        Lang::En => (
            "Three questions to find your type",
            format!(
                "Without computing: answer the questions yes or no. This tree assigns {} of {} surveyed {units} ({share} %) to the type the computation above gives; where they differ, the computation counts.",
                tree.as_kmeans, tree.municipalities
            ),
        ),
    };
    format!(
        "<section id=\"tree\">\n<h2>{}</h2>\n<p>{}</p>\n<ol>\n{questions}</ol>\n<ul>\n{rules}</ul>\n</section>\n",
        escape(heading),
        escape(&intro)
    )
}

/// JSON for a `<script>` element: `<`, `>`, `&`, `'` and the line separators U+2028 and U+2029
/// written as `\uXXXX` escapes (the same JSON to a parser; they occur only inside its strings), so
/// that no text of the model can close the element (`</script>`) or open a comment (`<!--`) in it.
fn script_json(value: &serde_json::Value) -> String {
    let mut out = String::new();
    for c in value.to_string().chars() {
        match c {
            '<' | '>' | '&' | '\'' | '\u{2028}' | '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out
}

/// The page's words that the script puts together.
fn texts(words: &Words) -> serde_json::Value {
    let lang = words.lang;
    let p = |de: &str, en: &str| lang.pick(de, en).to_string();
    if !words.is_study() {
        let (units, block) = (words.units(), words.block());
        let g = |de: String, en: String| lang.pick(&de, &en).to_string();
        return json!({
            "type": p("Ihr Typ", "Your type"),
            "margin": p("Abstand zum zweitnächsten Typ", "Margin to the second-nearest type"),
            "borderline": g(format!("Grenzfall: kleiner als bei drei Vierteln der befragten {units}; eine kleine Änderung einer Antwort kann den Typ ändern."), format!("Borderline: smaller than for three quarters of the surveyed {units}; a small change in one answer can change the type.")),
            "clear": g(format!("Eindeutig: mindestens so groß wie bei etwa {{level}} % der befragten {units}."), format!("Clear: at least that of about {{level}} % of the surveyed {units}.")),
            "distances": p("Abstand zu jedem Typ", "Distance to each type"),
            "own": p("eigener Typ", "own type"),
            "focus": p("Kennzeichen des Typs", "The type's marks"),
            "chart": g(format!("Ihre Antworten, das Mittel des Typs und das Mittel aller {units}"), format!("Your answers against the type and all {units}")),
            "you": p("Ihre Antworten", "Your answers"),
            "type_mean": p("Mittel des Typs", "type mean"),
            "all_mean": g(format!("Mittel aller {units}"), format!("mean of all {units}")),
            "learn": p("Was Sie von den nächsten anderen Typen lernen können", "What you can learn from the nearest other types"),
            "no_lessons": p("Die nächsten anderen Typen tun nichts davon deutlich häufiger.", "The nearest other types do none of these markedly more often."),
            "incomplete": g(format!("Noch nicht beantwortet: {{list}}. Das Modell ordnet nur zu, wo alle {block} beantwortet sind (wie typfrage classify)."), format!("Not yet answered: {{list}}. The model assigns a type only where all {block} are answered (as typfrage classify does).")),
            "imputed": p("Nicht beantwortet und mit dem gespeicherten Mittelwert gerechnet: {list}.", "Not answered and counted with the saved mean: {list}."),
            "invalid": p("Ungültiger Wert in der Adresse: {name} = {value} (erwartet: {codes}). Es wird kein Typ zugeordnet.", "Invalid value in the address: {name} = {value} (expected: {codes}). No type is assigned."),
            "empty": p("Noch keine Antwort.", "No answers yet."),
            "link": p("Link zu diesem Ergebnis", "Link to this result"),
            "certainty": p("Sicherheit: In {n} von {b} Stichproben (die Befragung neu gezogen, die Typen neu gebildet) fallen diese Antworten in den Typ {own}", "Certainty: in {n} of {b} resamples (the survey drawn again, the types formed again) these answers fall into the type {own}"),
            "certainty_borderline": p(": ein Grenzfall zwischen {own} und {other}.", ": borderline between {own} and {other}."),
            "certainty_else": p(", sonst in {other}.", ", otherwise into {other}."),
            "nearest": g(format!("Die nächsten {units} der Befragung {{label}}"), format!("The nearest {units} of the survey {{label}}")),
            "nearest_head": p("Kennung|Typ|Abstand|Sicherheit", "identifier|type|distance|certainty"),
            "nearest_share": p("in {n} von {b}", "in {n} of {b}"),
        });
    }
    json!({
        "type": p("Ihr Typ", "Your type"),
        "margin": p("Abstand zum zweitnächsten Typ", "Margin to the second-nearest type"),
        "borderline": p("Grenzfall: kleiner als bei drei Vierteln der befragten Kommunen; eine kleine Änderung einer Bewertung kann den Typ ändern.", "Borderline: smaller than for three quarters of the surveyed municipalities; a small change in one rating can change the type."),
        "clear": p("Eindeutig: mindestens so groß wie bei etwa {level} % der befragten Kommunen.", "Clear: at least that of about {level} % of the surveyed municipalities."),
        "distances": p("Abstand zu jedem Typ", "Distance to each type"),
        "own": p("eigener Typ", "own type"),
        "focus": p("Schwerpunkte des Typs", "The type's focus"),
        "chart": p("Ihre Bewertungen gegenüber dem Typ und allen Kommunen", "Your ratings against the type and all municipalities"),
        "you": p("Ihre Kommune", "Your municipality"),
        "type_mean": p("Mittel des Typs", "type mean"),
        "all_mean": p("Mittel aller Kommunen", "mean of all municipalities"),
        "learn": p("Was Sie von den nächsten anderen Typen lernen können", "What you can learn from the nearest other types"),
        "no_lessons": p("Die nächsten anderen Typen tun nichts davon deutlich häufiger.", "The nearest other types do none of these markedly more often."),
        "incomplete": p("Noch nicht bewertet: {list}. Das Modell ordnet nur Kommunen zu, die alle Ziele bewertet haben (wie typfrage classify).", "Not yet rated: {list}. The model assigns only municipalities that rated every goal (as typfrage classify does)."),
        "imputed": p("Nicht bewertet und mit dem gespeicherten Mittelwert gerechnet: {list}.", "Not rated and counted with the saved mean: {list}."),
        "invalid": p("Ungültiger Wert in der Adresse: {name} = {value} (erwartet: {codes}). Es wird kein Typ zugeordnet.", "Invalid value in the address: {name} = {value} (expected: {codes}). No type is assigned."),
        "empty": p("Noch keine Bewertung.", "No ratings yet."),
        "link": p("Link zu diesem Ergebnis", "Link to this result"),
        "certainty": p("Sicherheit: In {n} von {b} Stichproben (die Befragung neu gezogen, die Typen neu gebildet) fällt diese Bewertung in den Typ {own}", "Certainty: in {n} of {b} resamples (the survey drawn again, the types formed again) these ratings fall into the type {own}"),
        "certainty_borderline": p(": ein Grenzfall zwischen {own} und {other}.", ": borderline between {own} and {other}."),
        "certainty_else": p(", sonst in {other}.", ", otherwise into {other}."),
        "nearest": p("Die nächsten Kommunen der Befragung {label}", "The nearest municipalities of the survey {label}"),
        "nearest_head": p("Kennung|Typ|Abstand|Sicherheit", "identifier|type|distance|certainty"),
        "nearest_share": p("in {n} von {b}", "in {n} of {b}"),
    })
}

const STYLE: &str = "body { font-family: 'DejaVu Sans', Verdana, sans-serif; max-width: 980px; margin: 1.5em auto; padding: 0 1em; color: #222; line-height: 1.4; }
h1 { border-bottom: 3px solid #0072B2; padding-bottom: .2em; font-size: 1.5em; }
.synthetic { background: #fff3cd; border: 1px solid #e0b000; padding: .5em .8em; }
fieldset { border: 1px solid #ccc; margin: .4em 0; padding: .3em .8em; }
legend { font-weight: bold; }
fieldset label { display: inline-block; margin-right: .9em; white-space: nowrap; }
.lab { color: #555; font-size: .85em; }
.none { color: #777; }
#result { border: 2px solid #0072B2; padding: .6em 1em; margin: 1em 0; }
#result[data-state=empty], #result[data-state=incomplete], #result[data-state=invalid] { border-color: #999; }
.typename { font-size: 1.4em; font-weight: bold; }
.motto { font-style: italic; }
table { border-collapse: collapse; margin: .6em 0; font-size: .9em; }
th, td { border: 1px solid #ddd; padding: .2em .6em; text-align: left; }
td.num { text-align: right; }
.rule { font-size: .85em; color: #444; }
svg text { font-family: 'DejaVu Sans', Verdana, sans-serif; }
@media print {
  body { margin: 0; max-width: none; font-size: 9.5pt; }
  .buttons, .none, .lab { display: none; }
  fieldset { display: inline-block; width: 46%; margin: .15em; padding: .1em .4em; break-inside: avoid; }
  #result { break-inside: avoid; }
  h1 { font-size: 1.3em; }
}
";

/// The page's script: reads the ratings (address or form), assigns the type by the rule of
/// `classify`, and shows the result.
const SCRIPT: &str = include_str!("selfcheck.js");

#[cfg(test)]
mod tests {
    use super::*;
    use crate::survey::{Block, Unit};

    /// The script fills every text it is given; another survey's page must give the same keys
    /// as the study's (a missing `certainty` stopped the script of a page with resamples).
    #[test]
    fn another_surveys_page_has_every_text_the_script_fills() {
        for lang in [Lang::De, Lang::En] {
            let study = texts(&Words::study(lang));
            let other = texts(&Words::new(&Unit::default(), &Block::default(), lang));
            assert!(!Words::new(&Unit::default(), &Block::default(), lang).is_study());
            let keys = |v: &serde_json::Value| {
                let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
                k.sort();
                k
            };
            assert_eq!(keys(&study), keys(&other), "{lang:?}");
        }
        // and the script uses no text key that the texts do not have
        let study = texts(&Words::study(Lang::En));
        for used in SCRIPT.split("T.").skip(1) {
            let key: String = used
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            assert!(study.get(&key).is_some(), "the script reads T.{key}");
        }
    }
}
