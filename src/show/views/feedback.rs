//! A municipality's own view of the typology in words: the labels a saved model carries for it
//! ([`saved_feedback`]), and one municipality's sheet ([`Sheet`] of a
//! [`crate::profile::feedback::Position`]): which type it is, how clearly, how its goal ratings
//! compare with its type and with all municipalities, which surveyed municipalities are nearest to
//! it, and what it can learn from the types it is closest to besides its own; for the terminal, as
//! Markdown and as a one-page HTML page with its chart. The rules are stated on every sheet (see
//! [`crate::profile::feedback`]).

use crate::cluster::VariableLabels;
use crate::cluster::{
    Feedback, Lesson, MissingPolicy, SavedModel, ScalePoint, TypeDef, TypeText, Typology,
};
use crate::lang::Lang;
use crate::profile::feedback::{FeedbackNumbers, Position};
use crate::show::chart::{palette, Bars, Cell, Chart};
use crate::show::doc::{escape, html_page, Document, Text};
use crate::show::format::number;
use crate::show::labels::synthetic_note;
use crate::show::labels::{display_label, item_label, positive_label};
use crate::show::table::terminal::Terminal;
use crate::show::table::{self, Table};
use crate::show::words::Words;
use crate::survey::Codebook;

/// The size and text scale of a sheet's chart: drawn across the printed sheet (186 mm), its
/// smallest text is 8 pt on paper, and the sheet still prints on one A4 page
/// (scripts/check-sheets-in-browser.mjs checks every sheet of the shipped data).
pub const SHEET_CHART_SIZE: [u32; 2] = [900, 620];
pub const SHEET_CHART_SCALE: f64 = 1.8;

/// The most characters of a municipality's identifier in its chart's title and legend.
pub const CHART_ID_CHARS: usize = 48;

/// `text` cut to at most `max` characters, the cut marked with `…`.
fn shortened(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// A type's motto in `lang`, if the model has it in that language (never the other language's).
pub fn motto(text: &TypeText, lang: Lang) -> Option<&str> {
    match lang {
        Lang::De => text.motto.as_deref(),
        Lang::En => text.motto_en.as_deref(),
    }
}

/// The aggregates a saved model carries for a municipality's feedback: the numbers of
/// [`crate::profile::feedback`] with the labels of the goals, the answer scale, the types' mottos
/// and the lessons' items, in German and English (a model serves either language).
pub fn saved_feedback(
    numbers: &FeedbackNumbers,
    book: &Codebook,
    typology: &Typology,
    defs: &[TypeDef],
) -> Feedback {
    let variables = typology.variables();
    let labels = variables
        .iter()
        .map(|v| {
            let var = book.variable(v);
            VariableLabels {
                name: v.clone(),
                de: var.map_or(v.clone(), |var| item_label(var, Lang::De).to_string()),
                en: var.map_or(v.clone(), |var| item_label(var, Lang::En).to_string()),
            }
        })
        .collect();
    let scale = variables
        .first()
        .and_then(|v| book.variable(v))
        .map(|var| {
            var.codes
                .iter()
                .map(|c| ScalePoint {
                    code: c.code,
                    de: c.de.clone(),
                    en: c.en.clone(),
                })
                .collect()
        })
        .unwrap_or_default();
    let types: Vec<TypeText> = typology
        .types
        .iter()
        .map(|t| {
            let def = defs.iter().find(|d| d.id == t.name.id);
            TypeText {
                id: t.name.id.clone(),
                motto: def.and_then(|d| d.motto.clone()),
                motto_en: def.and_then(|d| d.motto_en.clone()),
                signature: def.map(|d| d.signature.clone()).unwrap_or_default(),
            }
        })
        .collect();
    let lessons = numbers
        .lessons
        .iter()
        .filter_map(|l| {
            let var = book.variable(&l.variable)?;
            Some(Lesson {
                to: types[l.to].id.clone(),
                from: types[l.from].id.clone(),
                variable: l.variable.clone(),
                item_de: display_label(book, var, Lang::De),
                item_en: display_label(book, var, Lang::En),
                answer_de: positive_label(var, Lang::De),
                answer_en: positive_label(var, Lang::En),
                positive: l.positive.clone(),
                from_count: l.from_count,
                from_base: l.from_base,
                to_count: l.to_count,
                to_base: l.to_base,
                gap_points: l.gap_points,
            })
        })
        .collect();
    Feedback {
        overall_means: numbers.overall_means.clone(),
        margin_quantiles: numbers.margin_quantiles.clone(),
        labels,
        scale,
        types,
        lessons,
        tree: None,
    }
}

/// `s` with its first letter upper case.
fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}

/// One municipality's sheet in words: for the terminal, as Markdown and as a one-page HTML page.
#[derive(Debug, Clone, Copy)]
pub struct Sheet<'p, 'm> {
    pub p: &'p Position<'m>,
    pub lang: Lang,
}

impl<'m> Sheet<'_, 'm> {
    fn pick<'a>(&self, de: &'a str, en: &'a str) -> &'a str {
        self.lang.pick(de, en)
    }

    /// The model's unit and block words in the sheet's language.
    fn words(&self) -> Words {
        Words::of_model(self.p.model, self.lang)
    }

    /// The study's sentence where the model has the study's words, else `generic(de, en)` made
    /// with the model's words: (units, block).
    fn say(
        &self,
        de: &str,
        en: &str,
        generic: impl FnOnce(&str, &str) -> (String, String),
    ) -> String {
        let w = self.words();
        if w.is_study() {
            return self.pick(de, en).to_string();
        }
        let (gde, gen) = generic(w.units(), w.block());
        self.lang.pick(&gde, &gen).to_string()
    }

    /// The answer scale's ends: "1 = keine, 5 = sehr hohe Priorität" for the study.
    fn scale_ends(&self) -> String {
        let scale = &self.p.feedback.scale;
        match (scale.first(), scale.last()) {
            (Some(a), Some(b)) => format!(
                "{} = {}, {} = {}",
                a.code,
                self.pick(&a.de, &a.en),
                b.code,
                self.pick(&b.de, &b.en)
            ),
            _ => String::new(),
        }
    }

    fn num(&self, v: f64, decimals: usize) -> String {
        number(v, decimals, self.lang)
    }

    /// A type's display name in the sheet's language.
    pub fn type_name(&self, t: usize) -> &'m str {
        let ty = &self.p.model.types[t];
        match self.lang {
            Lang::De => &ty.name_de,
            Lang::En => &ty.name_en,
        }
    }

    fn type_name_of(&self, id: &str) -> String {
        self.p
            .model
            .types
            .iter()
            .position(|t| t.id == id)
            .map_or_else(|| id.to_string(), |t| self.type_name(t).to_string())
    }

    fn label(&self, j: usize) -> &'m str {
        let l = &self.p.feedback.labels[j];
        match self.lang {
            Lang::De => &l.de,
            Lang::En => &l.en,
        }
    }

    /// How clear the assignment is, in a sentence.
    pub fn clarity(&self) -> String {
        let Some(margin) = self.p.margin else {
            return self
                .pick("Kein Abstand berechenbar.", "No margin can be computed.")
                .into();
        };
        let text = if self.p.borderline() {
            self.say(
                "Grenzfall: Der Abstand zum zweitnächsten Typ ({margin}) ist kleiner als bei drei Vierteln der befragten Kommunen (unteres Quartil {quartile}); eine kleine Änderung einer Bewertung kann den Typ ändern.",
                "Borderline: the margin to the second-nearest type ({margin}) is smaller than for three quarters of the surveyed municipalities (lower quartile {quartile}); a small change in one rating can change the type.",
                |units, _| (
                    format!("Grenzfall: Der Abstand zum zweitnächsten Typ ({{margin}}) ist kleiner als bei drei Vierteln der befragten {units} (unteres Quartil {{quartile}}); eine kleine Änderung einer Antwort kann den Typ ändern."),
                    format!("Borderline: the margin to the second-nearest type ({{margin}}) is smaller than for three quarters of the surveyed {units} (lower quartile {{quartile}}); a small change in one answer can change the type."),
                ),
            )
        } else {
            self.say(
                "Eindeutig: Der Abstand zum zweitnächsten Typ ({margin}) ist mindestens so groß wie bei etwa {level} % der befragten Kommunen (Grenzfall unter {quartile}).",
                "Clear: the margin to the second-nearest type ({margin}) is at least that of about {level} % of the surveyed municipalities (borderline below {quartile}).",
                |units, _| (
                    format!("Eindeutig: Der Abstand zum zweitnächsten Typ ({{margin}}) ist mindestens so groß wie bei etwa {{level}} % der befragten {units} (Grenzfall unter {{quartile}})."),
                    format!("Clear: the margin to the second-nearest type ({{margin}}) is at least that of about {{level}} % of the surveyed {units} (borderline below {{quartile}})."),
                ),
            )
        };
        text.replace("{margin}", &self.num(margin, 2))
            .replace(
                "{quartile}",
                &self.num(self.p.feedback.borderline_below(), 2),
            )
            .replace("{level}", &self.p.feedback.margin_level(margin).to_string())
            + &self.certainty()
    }

    /// The certainty in a sentence (with a space before it), or nothing when the model carries
    /// no resamples.
    fn certainty(&self) -> String {
        let (Some((share, other)), Some(c)) = (self.p.certainty, &self.p.model.certainty) else {
            return String::new();
        };
        let own = self.type_name(self.p.type_index);
        let other = other.map(|t| self.type_name(t));
        format!(
            " {}",
            certainty_sentence(share, c.resamples(), (own, other), self.lang)
        )
    }

    fn rating_text(&self, j: usize) -> String {
        match self.p.ratings[j] {
            Some(r) => r.to_string(),
            None => match (self.p.model.missing, &self.p.model.imputation_means) {
                (MissingPolicy::Mean, Some(means)) => format!(
                    "{} ({} {})",
                    self.pick("keine Angabe", "no answer"),
                    self.pick("gerechnet mit", "counted as"),
                    self.num(means[j], 2)
                ),
                _ => self.pick("keine Angabe", "no answer").into(),
            },
        }
    }

    /// The type's motto, or where it has none its description (the model's).
    fn motto(&self) -> Option<&'m str> {
        let t = &self.p.model.types[self.p.type_index];
        motto(&self.p.feedback.types[self.p.type_index], self.lang).or(match self.lang {
            Lang::De => t.description_de.as_deref(),
            Lang::En => t.description_en.as_deref(),
        })
    }

    fn suggestion_text(&self, l: &Lesson) -> String {
        let (item, answer) = match self.lang {
            Lang::De => (&l.item_de, &l.answer_de),
            Lang::En => (&l.item_en, &l.answer_en),
        };
        let theirs = crate::show::format::show_percent(l.from_count, l.from_base, self.lang);
        let own = crate::show::format::show_percent(l.to_count, l.to_base, self.lang);
        match self.lang {
            Lang::De => format!(
                "{item} ({answer}): {} {theirs}, {} {own}",
                self.type_name_of(&l.from),
                self.type_name(self.p.type_index)
            ),
            Lang::En => format!(
                "{item} ({answer}): {} {theirs}, {} {own}",
                self.type_name_of(&l.from),
                self.type_name(self.p.type_index)
            ),
        }
    }

    /// Whether the model's numbers are weighted, in a sentence.
    pub fn weighting(&self) -> String {
        match (&self.p.model.weight, self.lang) {
            (Some(v), Lang::De) => format!(
                "Gewichtet mit {}: die Typzentren, das Mittel aller {units} und die Anteile in den Anregungen (n zählt {units}).",
                crate::escape::field(v),
                units = self.words().units()
            ),
            (Some(v), Lang::En) => format!(
                "Weighted by {}: the type centres, the mean of all {units} and the shares in the suggestions (n counts {units}).",
                crate::escape::field(v),
                units = self.words().units()
            ),
            (None, _) => self.say(
                "Ungewichtet: jede Kommune zählt gleich.",
                "Unweighted: every municipality counts once.",
                |units, _| {
                    (
                        format!("Ungewichtet: alle {units} zählen gleich."),
                        format!("Unweighted: all {units} count the same."),
                    )
                },
            ),
        }
    }

    /// The rule of the assignment, in a sentence.
    pub fn rule(&self) -> String {
        let missing = match self.p.model.missing {
            MissingPolicy::Listwise => self.say(
                "Eine Kommune, die nicht alle Ziele bewertet hat, wird nicht zugeordnet.",
                "A municipality that did not rate every goal is not assigned.",
                |_, block| {
                    (
                        format!("Wer nicht alle {block} beantwortet hat, wird nicht zugeordnet."),
                        format!("Where not all {block} are answered, no type is assigned."),
                    )
                },
            ),
            MissingPolicy::Mean => self.say(
                "Ein nicht bewertetes Ziel wird mit dem im Modell gespeicherten Mittelwert gerechnet.",
                "A goal not rated is counted with the mean saved in the model.",
                |_, _| {
                    (
                        "Eine fehlende Antwort wird mit dem im Modell gespeicherten Mittelwert gerechnet.".into(),
                        "An answer left out is counted with the mean saved in the model.".into(),
                    )
                },
            ),
        };
        format!(
            "{} {missing}",
            self.pick(
                "Zuordnung wie bei typfrage classify: der Typ mit dem nächsten Zentrum (euklidischer Abstand nach der Skalierung des Modells); bei exakt gleichem Abstand der im Modell zuerst genannte Typ.",
                "Assignment as by typfrage classify: the type with the nearest centre (Euclidean distance after the model's scaling); on an exact tie, the type listed first in the model."
            )
        )
    }

    /// What the terminal shows.
    pub fn terminal(&self) -> String {
        let mut out = String::new();
        let field = |s: &str| crate::escape::field(s).into_owned();
        if let Some(note) = synthetic_note(self.p.model, self.lang) {
            out.push_str(&format!("{note}\n\n"));
        }
        out.push_str(&format!(
            "{}: {}\n",
            field(&self.p.id),
            field(self.type_name(self.p.type_index)),
        ));
        if let Some(m) = self.motto() {
            out.push_str(&format!("  \"{}\"\n", field(m)));
        }
        out.push_str(&format!("{}\n\n", self.clarity()));
        out.push_str(&format!(
            "{}\n",
            self.pick("Abstand zu jedem Typ:", "Distance to each type:")
        ));
        let term = Terminal {
            indent: 2,
            ..Terminal::new(self.lang)
        };
        let list = Terminal {
            header: false,
            ..term
        };
        let mut distances = Table::new(["type", "distance", "own"]);
        for (t, d) in self.p.distances.iter().enumerate() {
            let mark = if t == self.p.type_index { "*" } else { "" };
            distances.push(vec![
                table::Cell::text(field(self.type_name(t))),
                table::Cell::number(*d, 2),
                table::Cell::text(mark),
            ]);
        }
        out.push_str(&list.render(&distances));
        let mut ratings = Table::new([
            self.say("Ziel", "goal", |_, _| {
                ("Variable".into(), "variable".into())
            }),
            self.say("Bewertung", "rating", |_, _| {
                ("Antwort".into(), "answer".into())
            }),
            self.pick("Typmittel", "type mean").into(),
            self.pick("alle", "all").into(),
        ]);
        let centroid = &self.p.model.types[self.p.type_index].centroid;
        for (j, c) in centroid.iter().enumerate() {
            ratings.push(vec![
                table::Cell::text(field(self.label(j))),
                table::Cell::text(self.rating_text(j)),
                table::Cell::number(*c, 2),
                table::Cell::number(self.p.feedback.overall_means[j], 2),
            ]);
        }
        let term = Terminal {
            right: &[1],
            ..term
        };
        out.push('\n');
        out.push_str(&term.render(&ratings));
        match &self.p.neighbours {
            Some((file, neighbours)) => {
                out.push_str(&format!(
                    "\n{} ({}):\n",
                    self.nearest_heading(),
                    field(file)
                ));
                let mut nearest = Table::new(["id", "type", "distance"]);
                for n in neighbours {
                    nearest.push(vec![
                        table::Cell::text(field(&n.id)),
                        table::Cell::text(field(self.type_name(n.type_index))),
                        table::Cell::number(n.distance, 2),
                    ]);
                }
                out.push_str(&list.render(&nearest));
            }
            None => out.push_str(&format!(
                "\n{}\n",
                self.say(
                    "Nächste Kommunen: mit --survey DATEI (die Befragung) werden sie genannt.",
                    "Nearest municipalities: given --survey FILE (the survey), they are listed.",
                    |units, _| (
                        format!("Nächste {units}: mit --survey DATEI (die Befragung) werden sie genannt."),
                        format!("Nearest {units}: given --survey FILE (the survey), they are listed."),
                    )
                )
            )),
        }
        out.push_str(&format!(
            "\n{}\n",
            self.pick(
                "Lernen von den nächsten anderen Typen:",
                "Learning from the nearest other types:"
            )
        ));
        if self.p.suggestions.is_empty() {
            out.push_str(&format!("  {}\n", self.no_suggestions()));
        }
        for l in &self.p.suggestions {
            out.push_str(&format!("  - {}\n", field(&self.suggestion_text(l))));
        }
        out
    }

    fn no_suggestions(&self) -> String {
        self.say(
            "keine: die nächsten anderen Typen tun nichts davon deutlich häufiger (oder die Kommune tut es schon).",
            "none: the nearest other types do none of these markedly more often (or the municipality already does).",
            |_, _| (
                "keine: die nächsten anderen Typen geben keine zustimmende Antwort deutlich häufiger (oder sie ist hier schon gegeben).".into(),
                "none: the nearest other types give no positive answer markedly more often (or it is already given here).".into(),
            ),
        )
    }

    /// "Nächste Kommunen der Befragung" / "Nearest municipalities of the survey".
    fn nearest_heading(&self) -> String {
        self.say(
            "Nächste Kommunen der Befragung",
            "Nearest municipalities of the survey",
            |units, _| {
                (
                    format!("Nächste {units} der Befragung"),
                    format!("Nearest {units} of the survey"),
                )
            },
        )
    }

    /// The names of the two means a rating is compared with: its type's and all municipalities'.
    fn mean_headers(&self) -> [String; 2] {
        [
            format!(
                "{} ({})",
                self.type_name(self.p.type_index),
                self.pick("Mittel", "mean")
            ),
            self.say(
                "alle Kommunen (Mittel)",
                "all municipalities (mean)",
                |units, _| {
                    (
                        format!("alle {units} (Mittel)"),
                        format!("all {units} (mean)"),
                    )
                },
            ),
        ]
    }

    /// The profile chart: the ratings against the type's and all municipalities' means.
    pub fn chart(&self) -> Chart {
        // a chart's texts are bounded (the limit of `crate::show::chart`): an identifier of any
        // length is shortened there, visibly, and shown whole on the sheet
        let id = shortened(&self.p.id, CHART_ID_CHARS);
        let k = self.p.model.types.len();
        let colors = palette(k);
        let centroid = &self.p.model.types[self.p.type_index].centroid;
        let rows: Vec<String> = (0..centroid.len()).map(|j| self.label(j).into()).collect();
        let source = self.p.model.input.file.clone();
        let synthetic = match self.p.model.input.synthetic {
            Some(true) => self.pick(" (synthetische Ersatzdaten)", " (synthetic stand-in data)"),
            _ => "",
        };
        Chart::Bars(Bars {
            // short, so that it takes one line across the printed sheet: the legend names the
            // type's and all means
            title: match (self.words().is_study(), self.lang) {
                (true, Lang::De) => format!("Zielbewertungen von {id}"),
                (true, Lang::En) => format!("Goal ratings of {id}"),
                (false, Lang::De) => format!("Antworten von {id}"),
                (false, Lang::En) => format!("Answers of {id}"),
            },
            note: format!(
                "{} {}{synthetic}",
                self.say(
                    "1 = keine, 5 = sehr hohe Priorität. Modell aus",
                    "1 = none, 5 = very high priority. Model from",
                    |_, _| (
                        format!("{}. Modell aus", self.scale_ends()),
                        format!("{}. Model from", self.scale_ends()),
                    )
                ),
                source
            ),
            value_label: self.say("Priorität", "priority", |_, _| {
                ("Antwort".into(), "answer".into())
            }),
            stacked: false,
            percent: false,
            range: self.scale_range(),
            series: vec![
                id,
                self.mean_headers()[0].clone(),
                self.mean_headers()[1].clone(),
            ],
            colors: vec![
                "#000000".into(),
                colors[self.p.type_index].clone(),
                "#BBBBBB".into(),
            ],
            cells: (0..rows.len())
                .map(|j| {
                    vec![
                        Cell::value(self.p.ratings[j].map(|r| r as f64), None),
                        Cell::value(
                            Some(centroid[j]),
                            Some(self.p.model.types[self.p.type_index].n as u64),
                        ),
                        Cell::value(
                            Some(self.p.feedback.overall_means[j]),
                            Some(self.p.model.input.clustered as u64),
                        ),
                    ]
                })
                .collect(),
            marked: Vec::new(),
            size: SHEET_CHART_SIZE,
            rows,
            lang: self.lang,
            scale: SHEET_CHART_SCALE,
            full_scale: false,
        })
    }

    /// The answer scale's lowest and highest code (1 to 5 where the model has no scale).
    fn scale_range(&self) -> [f64; 2] {
        let codes = self.p.feedback.scale.iter().map(|p| p.code as f64);
        let lo = codes.clone().fold(f64::INFINITY, f64::min);
        let hi = codes.fold(f64::NEG_INFINITY, f64::max);
        if lo < hi {
            [lo, hi]
        } else {
            [1.0, 5.0]
        }
    }

    /// How to read the sheet: the assignment rule, the borderline, the suggestions, the weights.
    fn reading_rules(&self) -> Vec<String> {
        let borderline = match &self.p.model.certainty {
            // the margin's borderline is already explained where the margin is given; what the
            // certainty means is said here, so that its sentence above stays short
            Some(c) => certainty_rule(c.resamples(), self.lang),
            None => self.say(
                "Grenzfall: der Abstand zum zweitnächsten Typ ist kleiner als das untere Quartil der Abstände aller befragten Kommunen.",
                "Borderline: the margin to the second-nearest type is below the lower quartile of the margins of all surveyed municipalities.",
                |units, _| (
                    format!("Grenzfall: der Abstand zum zweitnächsten Typ ist kleiner als das untere Quartil der Abstände aller befragten {units}."),
                    format!("Borderline: the margin to the second-nearest type is below the lower quartile of the margins of all surveyed {units}."),
                ),
            ),
        };
        vec![
            self.rule(),
            borderline,
            self.say(
                "Lernfelder: was einer der beiden nächsten anderen Typen mindestens 10 Punkte häufiger tut oder hat (Strategie, Basiskomponenten, Datennutzung, Fortbildung, Angebote für die Gemeinschaft; Kreuztabelle aller Typen signifikant, p < 0,05), nie die Zielbewertungen selbst. Was die eigene Datei schon zeigt, fehlt; was der nähere Typ anregt, steht nur einmal.",
                "Suggestions: what one of the two nearest other types does or has at least 10 points more often (strategy, base components, data use, training, community offerings; cross-tab of all types significant, p < 0.05), never the goal ratings themselves. What the own file already shows is left out; what the nearer type suggests is listed once.",
                |_, block| (
                    format!("Lernfelder: zustimmende Antworten (im Codebuch positive), die einer der beiden nächsten anderen Typen mindestens 10 Punkte häufiger gibt (Kreuztabelle aller Typen signifikant, p < 0,05); nie aus den {block}, aus denen die Typen gebildet sind. Was die eigene Datei schon als gegeben zeigt, fehlt."),
                    format!("Suggestions: positive answers (the codebook's) that one of the two nearest other types gives at least 10 points more often (cross-tab of all types significant, p < 0.05); never from the {block} the types are built from. What the own file already shows is left out."),
                ),
            ),
            self.weighting(),
        ]
    }

    /// The distance to each type in one line: nearest first, the own type marked.
    fn distances_text(&self) -> Text {
        let mut order: Vec<usize> = (0..self.p.distances.len()).collect();
        order.sort_by(|&a, &b| {
            self.p.distances[a]
                .total_cmp(&self.p.distances[b])
                .then(a.cmp(&b))
        });
        let list: Vec<String> = order
            .iter()
            .map(|&t| {
                let own = if t == self.p.type_index {
                    format!(" ({})", self.pick("eigener Typ", "own type"))
                } else {
                    String::new()
                };
                format!(
                    "{} {}{own}",
                    self.type_name(t),
                    self.num(self.p.distances[t], 2)
                )
            })
            .collect();
        Text::strong(self.pick(
            "Abstand zu jedem Typ (kleiner ist näher): ",
            "Distance to each type (smaller is nearer): ",
        ))
        .plain(list.join(" · "))
    }

    /// The sheet's opening: who, which type, how clearly, how far from each type.
    fn head(&self) -> Document {
        let mut a = Document::default();
        let title = match (self.words().is_study(), self.lang) {
            (true, Lang::De) => format!("Ihre Kommune in der Typologie: {}", self.p.id),
            (true, Lang::En) => format!("Your municipality in the typology: {}", self.p.id),
            (false, Lang::De) => format!("{} in der Typologie", self.p.id),
            (false, Lang::En) => format!("{} in the typology", self.p.id),
        };
        a.heading(1, title);
        if let Some(note) = synthetic_note(self.p.model, self.lang) {
            a.paragraph(Text::strong(note));
        }
        a.paragraph(
            Text::from(self.pick("Typ: ", "Type: "))
                .and_strong(self.type_name(self.p.type_index))
                .plain(match (self.motto(), self.lang) {
                    (Some(m), Lang::De) => format!(" – „{m}“"),
                    (Some(m), Lang::En) => format!(" – “{m}”"),
                    (None, _) => String::new(),
                }),
        );
        a.paragraph(self.clarity());
        a.paragraph(self.distances_text());
        a
    }

    /// The goal ratings as a table (on screen and in Markdown; on paper the chart, titled for
    /// them, shows them).
    fn ratings(&self) -> Document {
        let mut a = Document::default();
        a.heading(
            2,
            self.say("Zielbewertungen", "Goal ratings", |_, block| {
                (format!("Antworten: {block}"), format!("Answers: {block}"))
            }),
        );
        let centroid = &self.p.model.types[self.p.type_index].centroid;
        a.table(
            vec![
                self.say("Ziel", "goal", |_, _| {
                    ("Variable".into(), "variable".into())
                }),
                self.say("Ihre Bewertung", "your rating", |_, _| {
                    ("Antwort".into(), "answer".into())
                }),
            ]
            .into_iter()
            .chain(self.mean_headers())
            .collect(),
            centroid
                .iter()
                .enumerate()
                .map(|(j, c)| {
                    vec![
                        self.label(j).to_string(),
                        self.rating_text(j),
                        self.num(*c, 2),
                        self.num(self.p.feedback.overall_means[j], 2),
                    ]
                })
                .collect(),
            vec![false, true, true, true],
        );
        a
    }

    /// The surveyed municipalities nearest to it.
    fn nearest(&self) -> Document {
        let mut b = Document::default();
        b.heading(2, self.nearest_heading());
        match &self.p.neighbours {
            Some((file, list)) => {
                b.paragraph(match (self.words().is_study(), self.lang) {
                    (true, Lang::De) => format!("Aus {file}, nach dem Abstand der Zielbewertungen (Skalierung des Modells). Kommunen eines anderen Typs können näher sein als Kommunen des eigenen."),
                    (true, Lang::En) => format!("From {file}, by the distance of the goal ratings (the model's scaling). Municipalities of another type can be nearer than those of the own type."),
                    (false, Lang::De) => format!("Aus {file}, nach dem Abstand der Antworten (Skalierung des Modells). {} eines anderen Typs können näher sein als die des eigenen.", self.words().units()),
                    (false, Lang::En) => format!("From {file}, by the distance of the answers (the model's scaling). {} of another type can be nearer than those of the own type.", capitalised(self.words().units())),
                });
                b.table(
                    vec![
                        self.pick("Kennung", "identifier").into(),
                        self.pick("Typ", "type").into(),
                        self.pick("Abstand", "distance").into(),
                    ],
                    list.iter()
                        .map(|n| {
                            vec![
                                n.id.clone(),
                                self.type_name(n.type_index).to_string(),
                                self.num(n.distance, 2),
                            ]
                        })
                        .collect(),
                    vec![false, false, true],
                );
            }
            None => b.paragraph(self.pick(
                "Nicht berechnet: dafür braucht es die Befragung (--survey DATEI).",
                "Not computed: this needs the survey (--survey FILE).",
            )),
        }
        b
    }

    /// What it can learn from the nearest other types.
    fn learning(&self) -> Document {
        let mut b = Document::default();
        b.heading(
            2,
            self.pick(
                "Was Sie von den nächsten anderen Typen lernen können",
                "What you can learn from the nearest other types",
            ),
        );
        if self.p.suggestions.is_empty() {
            b.paragraph(self.no_suggestions());
        } else {
            b.blocks.push(crate::show::doc::Block::List(
                self.p
                    .suggestions
                    .iter()
                    .map(|l| self.suggestion_text(l))
                    .collect(),
            ));
        }
        b
    }

    /// How to read the sheet: the rules.
    fn reading(&self) -> Document {
        let mut b = Document::default();
        b.heading(2, self.pick("So ist das zu lesen", "How to read this"));
        b.blocks
            .push(crate::show::doc::Block::List(self.reading_rules()));
        b
    }

    /// The sheet as Markdown, its chart referenced as `chart_path`.
    pub fn markdown(&self, chart_path: &str) -> String {
        format!(
            "{}{}![{}]({})\n\n{}{}{}",
            self.head().markdown(),
            self.ratings().markdown(),
            crate::show::doc::markdown_escape(self.pick("Profil", "Profile")),
            chart_path,
            self.nearest().markdown(),
            self.learning().markdown(),
            self.reading().markdown()
        )
    }

    /// The sheet as one self-contained HTML page with its chart inline (`svg`), laid out to print
    /// on one A4 page: the chart at the full width, the nearest municipalities beside the
    /// suggestions, the rules in two columns; the ratings' table only on screen (on paper the
    /// chart carries its numbers).
    pub fn html(&self, svg: &str) -> String {
        let body = format!(
            "{}<figure class=\"chart\">{}</figure>\n<div class=\"screen-only\">\n{}</div>\n<div class=\"columns\">\n<section>\n{}</section>\n<section>\n{}</section>\n</div>\n<section class=\"reading\">\n{}</section>\n<style>{PRINT_STYLE}</style>\n",
            self.head().html_body(),
            strip_xml_declaration(svg),
            self.ratings().html_body(),
            self.nearest().html_body(),
            self.learning().html_body(),
            self.reading().html_body()
        );
        let title = format!("{} – {}", self.p.id, self.type_name(self.p.type_index));
        html_page(&title, self.lang.as_str(), &body)
    }
}

/// Layout and print rules of the one-page sheets: on A4 the text is 186 mm wide, the chart spans
/// it, and nothing is smaller than 8 pt (scripts/check-sheets-in-browser.mjs prints every sheet
/// and checks).
const PRINT_STYLE: &str = "figure.chart svg { width: 100%; height: auto; } \
div.columns { display: grid; grid-template-columns: 2fr 3fr; column-gap: 2em; } \
div.columns h2, section.reading h2 { margin-top: 1em; } \
@media (max-width: 700px) { div.columns { display: block; } } \
@page { size: A4; margin: 8mm 12mm 8mm 12mm; } \
@media print { body { margin: 0; max-width: none; font-size: 8.5pt; line-height: 1.3; } \
h1 { font-size: 13pt; margin: 0 0 .2em; padding-bottom: .1em; } \
h2, div.columns h2, section.reading h2 { font-size: 10pt; margin: .5em 0 .2em; } \
p { margin: .25em 0; } ul { margin: .2em 0; padding-left: 1.2em; } \
table { font-size: 8pt; margin: .25em 0; } th, td { padding: .1em .4em; } \
div.screen-only { display: none; } \
figure.chart { margin: .2em 0; } \
div.columns { column-gap: 5mm; } div.columns td { white-space: nowrap; } \
section.reading ul, div.columns { font-size: 8pt; } section.reading ul { columns: 2; column-gap: 5mm; } }";

/// An SVG document as an element to put inline (without its XML declaration).
fn strip_xml_declaration(svg: &str) -> &str {
    match svg.find("<svg") {
        Some(i) => &svg[i..],
        None => svg,
    }
}

/// Escaped text for HTML, for callers that build their own pages.
pub fn html_text(s: &str) -> String {
    escape(s)
}

/// A municipality's line in the index of the feedback sheets.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexEntry {
    pub id: String,
    /// Its sheet, or why it has none.
    pub sheet: Result<IndexSheet, String>,
}

/// Below this share of resamples in its own type, an assignment is called borderline between its
/// type and the one the resamples put it into most often otherwise.
pub const CERTAIN_FROM: f64 = 0.8;

/// How certain a type is, in plain words: "in 97 of 100 resamples", and where fewer than 80 of
/// 100 put it into its type, "borderline between X and Y".
pub fn certainty_sentence(
    share: f64,
    resamples: usize,
    (own, other): (&str, Option<&str>),
    lang: Lang,
) -> String {
    let n = (share * resamples as f64).round() as usize;
    let head = match lang {
        Lang::De => format!("Sicherheit: in {n} von {resamples} Stichproben im Typ {own}"),
        Lang::En => format!("Certainty: in {n} of {resamples} resamples in the type {own}"),
    };
    match (other, share < CERTAIN_FROM) {
        (Some(other), true) => match lang {
            Lang::De => format!("{head}: ein Grenzfall zwischen {own} und {other}."),
            Lang::En => format!("{head}: borderline between {own} and {other}."),
        },
        (Some(other), false) => match lang {
            Lang::De => format!("{head}, sonst in {other}."),
            Lang::En => format!("{head}, otherwise into {other}."),
        },
        (None, _) => format!("{head}."),
    }
}

/// What the certainty means, as a rule in "How to read this".
fn certainty_rule(resamples: usize, lang: Lang) -> String {
    let below = (CERTAIN_FROM * resamples as f64).round();
    match lang {
        Lang::De => format!(
            "Sicherheit: wie oft die Bewertung in ihren Typ fällt, wenn die Befragung {resamples}-mal neu gezogen und die Typen neu gebildet werden; unter {below} von {resamples} ein Grenzfall."
        ),
        Lang::En => format!(
            "Certainty: how often the ratings fall into their type when the survey is drawn again {resamples} times and the types are formed anew; below {below} of {resamples}, borderline."
        ),
    }
}

/// A sheet written: its file name, the type, the margin and whether borderline.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexSheet {
    pub name: String,
    pub type_id: String,
    pub type_name: String,
    pub margin: Option<f64>,
    pub borderline: bool,
    /// The share of the model's resamples that put it into its type (`None`: the model carries
    /// no resamples).
    pub certainty: Option<f64>,
}

/// The index of the feedback sheets as a table (`index.csv`).
pub fn index_table(entries: &[IndexEntry]) -> Table {
    let mut index = Table::new([
        "id",
        "type",
        "type_name",
        "margin",
        "borderline",
        "certainty",
        "sheet",
        "note",
    ]);
    for e in entries {
        index.push(match &e.sheet {
            Err(reason) => vec![
                table::Cell::text(e.id.as_str()),
                table::Cell::Empty,
                table::Cell::Empty,
                table::Cell::Empty,
                table::Cell::Empty,
                table::Cell::Empty,
                table::Cell::Empty,
                table::Cell::text(format!("left out: {reason}")),
            ],
            Ok(s) => vec![
                table::Cell::text(e.id.as_str()),
                table::Cell::text(s.type_id.as_str()),
                table::Cell::text(s.type_name.as_str()),
                table::Cell::opt(s.margin, 4),
                table::Cell::text(if s.borderline { "yes" } else { "no" }),
                s.certainty.map_or(table::Cell::Empty, table::Cell::exact),
                table::Cell::text(s.name.as_str()),
                table::Cell::Empty,
            ],
        });
    }
    index
}

/// Why a municipality has no type, for people in `lang`: the classification's reason ("no answer
/// on ziel_a, ziel_b", as the data files keep it) with the goals' labels, in German where asked.
pub fn left_out_reason(reason: &str, model: &SavedModel, lang: Lang) -> String {
    let label = |name: &str| -> String {
        model
            .feedback
            .as_ref()
            .and_then(|f| f.labels.iter().find(|l| l.name == name))
            .map_or_else(|| name.to_string(), |l| lang.pick(&l.de, &l.en).to_string())
    };
    if reason == "no answer on any clustering variable" {
        let block = Words::of_model(model, lang).block().to_string();
        return match lang {
            Lang::De => format!("keine Antwort auf eines der {block}"),
            Lang::En => format!("no answer on any of the {block}"),
        };
    }
    match reason.strip_prefix("no answer on ") {
        Some(names) => {
            let labels: Vec<String> = names.split(", ").map(label).collect();
            format!(
                "{} {}",
                lang.pick("keine Antwort auf", "no answer on"),
                labels.join("; ")
            )
        }
        None => reason.to_string(),
    }
}

/// The index of the feedback sheets as an HTML page (`index.html`): every municipality of the
/// survey `label`, linked to its sheet, or why it has none; the model by its file name.
pub fn index_page(
    entries: &[IndexEntry],
    (model, model_file): (&SavedModel, &str),
    label: &str,
    lang: Lang,
) -> String {
    // a column for the certainty only where the model carries resamples
    let certain = model.certainty.is_some();
    let mut items = String::new();
    for e in entries {
        let id = &e.id;
        match &e.sheet {
            Err(reason) => items.push_str(&format!(
                "<tr><td>{}</td><td colspan=\"{}\">{}: {}</td></tr>\n",
                escape(id),
                if certain { 4 } else { 3 },
                escape(lang.pick("ohne Typ", "no type")),
                escape(&left_out_reason(reason, model, lang))
            )),
            Ok(s) => items.push_str(&format!(
                "<tr><td><a href=\"{}\">{}</a></td><td data-type=\"{}\">{}</td><td class=\"num\">{}</td>{}<td>{}</td></tr>\n",
                escape(&s.name),
                escape(id),
                escape(&s.type_id),
                escape(&s.type_name),
                s.margin.map_or_else(String::new, |m| number(m, 2, lang)),
                if certain {
                    format!(
                        "<td class=\"num\">{}</td>",
                        s.certainty
                            .map_or_else(String::new, |c| format!("{} %", number(c * 100.0, 0, lang)))
                    )
                } else {
                    String::new()
                },
                if s.borderline {
                    lang.pick("Grenzfall", "borderline")
                } else {
                    ""
                }
            )),
        }
    }
    let sheets = entries.iter().filter(|e| e.sheet.is_ok()).count();
    let note = synthetic_note(model, lang)
        .map(|n| format!("<p><strong>{}</strong></p>\n", escape(&n)))
        .unwrap_or_default();
    let certainty_head = match &model.certainty {
        Some(c) => format!(
            "<th class=\"num\">{}</th>",
            escape(&match lang {
                Lang::De => format!("Sicherheit (Anteil von {} Stichproben)", c.resamples()),
                Lang::En => format!("certainty (share of {} resamples)", c.resamples()),
            })
        ),
        None => String::new(),
    };
    let words = Words::of_model(model, lang);
    let title = match lang {
        Lang::De => format!("Rückmeldung an {}", words.each_unit_accusative()),
        Lang::En => format!("Feedback for every {}", words.unit()),
    };
    let body = format!(
        "<h1>{}</h1>\n{note}<p>{}</p>\n<table>\n<thead><tr><th>{}</th><th>{}</th><th class=\"num\">{}</th>{certainty_head}<th></th></tr></thead>\n<tbody>\n{items}</tbody>\n</table>\n",
        escape(&title),
        escape(&match lang {
            Lang::De => format!(
                "Befragung {label}: {sheets} Blätter; Modell {model_file} (gebildet aus {})",
                model.input.file
            ),
            Lang::En => format!(
                "Survey {label}: {sheets} sheets; model {model_file} (fitted on {})",
                model.input.file
            ),
        }),
        escape(lang.pick("Kennung", "identifier")),
        escape(lang.pick("Typ", "type")),
        escape(lang.pick("Abstand zum zweitnächsten Typ", "margin to the second-nearest type")),
    );
    html_page(&title, lang.as_str(), &body)
}
