//! A municipality's own view of the typology: which type it is, how clearly, how its goal ratings
//! compare with its type and with all municipalities, which surveyed municipalities are nearest
//! to it, and what it can learn from the types it is closest to besides its own.
//!
//! [`model_feedback`] computes, when a model is fitted, the survey's aggregates that this needs
//! and the saved model carries ([`Feedback`]): overall means, the spread of the margins, labels,
//! mottos and the lessons between every pair of types. [`Position`] is one municipality's sheet,
//! rendered for the terminal, as Markdown and as a one-page HTML page.
//!
//! Rules, stated on every sheet:
//! - the type is the one whose centroid is nearest, with the model's scaling (on an exact tie,
//!   the type listed first in the model): the rule of `classify`;
//! - an assignment is borderline when its margin (distance to the second-nearest type minus
//!   distance to its own) is below the lower quartile of the surveyed municipalities' margins;
//! - a suggestion is a lesson ([`Lesson`]) from one of the two types nearest besides its own: a
//!   positive answer about strategy, e-government base components, data use, training or community
//!   offerings (never a goal priority, which the types are built from, nor an opinion such as how
//!   helpful FIM is: a variable whose scale the codebook marks `opinion`) that the other type gives
//!   at least 10 points more often, in a significant cross-tab (p < 0.05) of all types; what the
//!   municipality's own file says it already does is left out.

use super::document::{escape, html_page, Document, Text};
use super::profile::{ALPHA, LESSON_GAP};
use super::tabulate::CrossTab;
use crate::cluster::MissingPolicy;
use crate::cluster::{
    quantiles_by_5, Feedback, Lesson, SavedModel, ScalePoint, TypeDef, TypeText, Typology,
    VariableLabels,
};
use crate::lang::Lang;
use crate::show::chart::{bars_height, palette, Bars, Cell, Chart};
use crate::show::format::{number, SMALL_CELL};
use crate::show::labels::{display_label, item_label, positive_label};
use crate::survey::{Survey, SurveyError};

/// The codebook blocks a suggestion may come from: what a municipality can do.
pub const ACTIONABLE_BLOCKS: [&str; 5] = ["strategy", "egov", "data", "competences", "community"];
/// How many surveyed municipalities a sheet lists as nearest.
pub const NEIGHBOURS: usize = 5;
/// From how many of the nearest other types suggestions are drawn, and how many from each.
pub const SUGGESTION_TYPES: usize = 2;
pub const SUGGESTIONS_PER_TYPE: usize = 3;
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

/// The aggregates a municipality's feedback needs, from the survey a typology was fitted on.
pub fn model_feedback(
    survey: &Survey,
    typology: &Typology,
    defs: &[TypeDef],
) -> Result<Feedback, SurveyError> {
    let book = survey.codebook();
    let variables = typology.variables();
    let x = &typology.matrix.x;
    // weighted as the types' centres are
    let overall_means = (0..x.ncols())
        .map(|j| match &typology.weights {
            Some(w) => {
                let total: f64 = w.iter().sum();
                x.column(j).iter().zip(w).map(|(v, w)| v * w).sum::<f64>() / total
            }
            None => x.column(j).mean().unwrap_or(0.0),
        })
        .collect();
    let margins: Vec<f64> = typology.assignments.iter().map(|a| a.margin).collect();
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
                signature: def.map(|d| d.signature.clone()).unwrap_or_default(),
            }
        })
        .collect();

    let mut group_of = vec![None; survey.len()];
    for a in &typology.assignments {
        group_of[a.row] = Some(a.type_index);
    }
    let ids: Vec<String> = types.iter().map(|t| t.id.clone()).collect();
    let k = ids.len();
    let row_weights = typology.row_weights();
    let mut lessons = Vec::new();
    for var in &book.variables {
        if !var.kind.is_coded()
            || !book.describes_practice(var, variables)
            || !ACTIONABLE_BLOCKS.contains(&var.block.as_str())
        {
            continue;
        }
        let t = CrossTab::new_weighted(
            survey,
            &var.name,
            &group_of,
            ids.clone(),
            row_weights.as_deref(),
        )?;
        if !t.independence().is_some_and(|i| i.p_value < ALPHA) {
            continue;
        }
        for to in 0..k {
            let (own, to_count, to_base) = t.percent_of(to, &var.positive);
            let Some(own) = own else { continue };
            for from in (0..k).filter(|&h| h != to) {
                let (theirs, from_count, from_base) = t.percent_of(from, &var.positive);
                let Some(theirs) = theirs else { continue };
                let gap = theirs - own;
                if gap >= LESSON_GAP && from_count >= SMALL_CELL {
                    lessons.push((
                        to,
                        from,
                        Lesson {
                            to: ids[to].clone(),
                            from: ids[from].clone(),
                            variable: var.name.clone(),
                            item_de: display_label(book, var, Lang::De),
                            item_en: display_label(book, var, Lang::En),
                            answer_de: positive_label(var, Lang::De),
                            answer_en: positive_label(var, Lang::En),
                            positive: var.positive.clone(),
                            from_count,
                            from_base,
                            to_count,
                            to_base,
                            gap_points: gap,
                        },
                    ));
                }
            }
        }
    }
    lessons.sort_by(|a, b| {
        (a.0, a.1)
            .cmp(&(b.0, b.1))
            .then(b.2.gap_points.total_cmp(&a.2.gap_points))
            .then_with(|| a.2.variable.cmp(&b.2.variable))
    });
    Ok(Feedback {
        overall_means,
        margin_quantiles: quantiles_by_5(&margins),
        labels,
        scale,
        types,
        lessons: lessons.into_iter().map(|(_, _, l)| l).collect(),
    })
}

/// A surveyed municipality near the one the sheet is about.
#[derive(Debug, Clone, PartialEq)]
pub struct Neighbour {
    pub id: String,
    pub type_index: usize,
    /// Euclidean distance in the model's scaled space.
    pub distance: f64,
}

/// One municipality's place in the typology.
#[derive(Debug, Clone, PartialEq)]
pub struct Position<'m> {
    pub model: &'m SavedModel,
    pub feedback: &'m Feedback,
    pub lang: Lang,
    pub id: String,
    pub type_index: usize,
    pub distances: Vec<f64>,
    pub margin: Option<f64>,
    /// The ratings as given, in the model's variable order (`None`: not answered).
    pub ratings: Vec<Option<i64>>,
    /// The surveyed municipalities nearest to it, and the file they come from; `None` when no
    /// survey was given.
    pub neighbours: Option<(String, Vec<Neighbour>)>,
    /// The suggestions, nearest other type first.
    pub suggestions: Vec<Lesson>,
}

impl<'m> Position<'m> {
    /// The sheet of a classified municipality; `done(variable, positive codes)` says whether its
    /// own file shows that it already gives the positive answer (`None`: unknown).
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        model: &'m SavedModel,
        feedback: &'m Feedback,
        lang: Lang,
        id: String,
        ratings: Vec<Option<i64>>,
        (type_index, distances, margin): (usize, Vec<f64>, Option<f64>),
        neighbours: Option<(String, Vec<Neighbour>)>,
        done: impl Fn(&str, &[i64]) -> Option<bool>,
    ) -> Position<'m> {
        let own = &model.types[type_index].id;
        let mut others: Vec<usize> = (0..model.types.len())
            .filter(|&t| t != type_index)
            .collect();
        others.sort_by(|&a, &b| distances[a].total_cmp(&distances[b]).then(a.cmp(&b)));
        let mut suggestions = Vec::new();
        for &other in others.iter().take(SUGGESTION_TYPES) {
            let from = &model.types[other].id;
            suggestions.extend(
                feedback
                    .lessons
                    .iter()
                    .filter(|l| &l.to == own && &l.from == from)
                    .filter(|l| done(&l.variable, &l.positive) != Some(true))
                    .take(SUGGESTIONS_PER_TYPE)
                    .cloned(),
            );
        }
        Position {
            model,
            feedback,
            lang,
            id,
            type_index,
            distances,
            margin,
            ratings,
            neighbours,
            suggestions,
        }
    }

    fn pick<'a>(&self, de: &'a str, en: &'a str) -> &'a str {
        self.lang.pick(de, en)
    }

    fn num(&self, v: f64, decimals: usize) -> String {
        number(v, decimals, self.lang)
    }

    /// A type's display name in the sheet's language.
    pub fn type_name(&self, t: usize) -> &'m str {
        let ty = &self.model.types[t];
        match self.lang {
            Lang::De => &ty.name_de,
            Lang::En => &ty.name_en,
        }
    }

    fn type_name_of(&self, id: &str) -> String {
        self.model
            .types
            .iter()
            .position(|t| t.id == id)
            .map_or_else(|| id.to_string(), |t| self.type_name(t).to_string())
    }

    fn label(&self, j: usize) -> &'m str {
        let l = &self.feedback.labels[j];
        match self.lang {
            Lang::De => &l.de,
            Lang::En => &l.en,
        }
    }

    /// Whether the assignment is borderline (its margin below the survey's lower quartile).
    pub fn borderline(&self) -> bool {
        self.margin
            .is_none_or(|m| m < self.feedback.borderline_below())
    }

    /// How clear the assignment is, in a sentence.
    pub fn clarity(&self) -> String {
        let Some(margin) = self.margin else {
            return self
                .pick("Kein Abstand berechenbar.", "No margin can be computed.")
                .into();
        };
        let text = if self.borderline() {
            self.pick(
                "Grenzfall: Der Abstand zum zweitnächsten Typ ({margin}) ist kleiner als bei drei Vierteln der befragten Kommunen (unteres Quartil {quartile}); eine kleine Änderung einer Bewertung kann den Typ ändern.",
                "Borderline: the margin to the second-nearest type ({margin}) is smaller than for three quarters of the surveyed municipalities (lower quartile {quartile}); a small change in one rating can change the type.",
            )
        } else {
            self.pick(
                "Eindeutig: Der Abstand zum zweitnächsten Typ ({margin}) ist mindestens so groß wie bei etwa {level} % der befragten Kommunen (Grenzfall unter {quartile}).",
                "Clear: the margin to the second-nearest type ({margin}) is at least that of about {level} % of the surveyed municipalities (borderline below {quartile}).",
            )
        };
        text.replace("{margin}", &self.num(margin, 2))
            .replace("{quartile}", &self.num(self.feedback.borderline_below(), 2))
            .replace("{level}", &self.feedback.margin_level(margin).to_string())
    }

    fn rating_text(&self, j: usize) -> String {
        match self.ratings[j] {
            Some(r) => r.to_string(),
            None => match (self.model.missing, &self.model.imputation_means) {
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

    fn motto(&self) -> Option<&'m str> {
        self.feedback.types[self.type_index].motto.as_deref()
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
                self.type_name(self.type_index)
            ),
            Lang::En => format!(
                "{item} ({answer}): {} {theirs}, {} {own}",
                self.type_name_of(&l.from),
                self.type_name(self.type_index)
            ),
        }
    }

    /// Whether the model's numbers are weighted, in a sentence.
    pub fn weighting(&self) -> String {
        match (&self.model.weight, self.lang) {
            (Some(v), Lang::De) => format!(
                "Gewichtet mit {}: die Typzentren, das Mittel aller Kommunen und die Anteile in den Anregungen (n zählt Kommunen).",
                crate::escape::field(v)
            ),
            (Some(v), Lang::En) => format!(
                "Weighted by {}: the type centres, the mean of all municipalities and the shares in the suggestions (n counts municipalities).",
                crate::escape::field(v)
            ),
            (None, _) => self
                .pick(
                    "Ungewichtet: jede Kommune zählt gleich.",
                    "Unweighted: every municipality counts once.",
                )
                .to_string(),
        }
    }

    /// The rule of the assignment, in a sentence.
    pub fn rule(&self) -> String {
        let missing = match self.model.missing {
            MissingPolicy::Listwise => self.pick(
                "Eine Kommune, die nicht alle Ziele bewertet hat, wird nicht zugeordnet.",
                "A municipality that did not rate every goal is not assigned.",
            ),
            MissingPolicy::Mean => self.pick(
                "Ein nicht bewertetes Ziel wird mit dem im Modell gespeicherten Mittelwert gerechnet.",
                "A goal not rated is counted with the mean saved in the model.",
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
        if let Some(note) = self.model.synthetic_note(self.lang == Lang::De) {
            out.push_str(&format!("{note}\n\n"));
        }
        out.push_str(&format!(
            "{}: {} ({} {})\n",
            field(&self.id),
            field(self.type_name(self.type_index)),
            self.pick("Typ", "type"),
            field(&self.model.types[self.type_index].id)
        ));
        if let Some(m) = self.motto() {
            out.push_str(&format!("  \"{}\"\n", field(m)));
        }
        out.push_str(&format!("{}\n\n", self.clarity()));
        out.push_str(&format!(
            "{}\n",
            self.pick("Abstand zu jedem Typ:", "Distance to each type:")
        ));
        for (t, d) in self.distances.iter().enumerate() {
            let mark = if t == self.type_index { " *" } else { "" };
            out.push_str(&format!(
                "  {:<28} {:>6}{mark}\n",
                field(self.type_name(t)),
                self.num(*d, 2)
            ));
        }
        let width = (0..self.feedback.labels.len())
            .map(|j| field(self.label(j)).chars().count())
            .max()
            .unwrap_or(0)
            .max(4);
        out.push_str(&format!(
            "\n  {:<width$} {:>9} {:>10} {:>8}\n",
            self.pick("Ziel", "goal"),
            self.pick("Bewertung", "rating"),
            self.pick("Typmittel", "type mean"),
            self.pick("alle", "all")
        ));
        let centroid = &self.model.types[self.type_index].centroid;
        for (j, c) in centroid.iter().enumerate() {
            out.push_str(&format!(
                "  {:<width$} {:>9} {:>10} {:>8}\n",
                field(self.label(j)),
                self.rating_text(j),
                self.num(*c, 2),
                self.num(self.feedback.overall_means[j], 2)
            ));
        }
        match &self.neighbours {
            Some((file, list)) => {
                out.push_str(&format!(
                    "\n{} ({}):\n",
                    self.pick(
                        "Nächste Kommunen der Befragung",
                        "Nearest municipalities of the survey"
                    ),
                    field(file)
                ));
                for n in list {
                    out.push_str(&format!(
                        "  {:<20} {:<28} {:>6}\n",
                        field(&n.id),
                        field(self.type_name(n.type_index)),
                        self.num(n.distance, 2)
                    ));
                }
            }
            None => out.push_str(&format!(
                "\n{}\n",
                self.pick(
                    "Nächste Kommunen: mit --survey DATEI (die Befragung) werden sie genannt.",
                    "Nearest municipalities: given --survey FILE (the survey), they are listed."
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
        if self.suggestions.is_empty() {
            out.push_str(&format!("  {}\n", self.no_suggestions()));
        }
        for l in &self.suggestions {
            out.push_str(&format!("  - {}\n", field(&self.suggestion_text(l))));
        }
        out
    }

    fn no_suggestions(&self) -> &str {
        self.pick(
            "keine: die nächsten anderen Typen tun nichts davon deutlich häufiger (oder die Kommune tut es schon).",
            "none: the nearest other types do none of these markedly more often (or the municipality already does).",
        )
    }

    /// The names of the two means a rating is compared with: its type's and all municipalities'.
    fn mean_headers(&self) -> [String; 2] {
        [
            format!(
                "{} ({})",
                self.type_name(self.type_index),
                self.pick("Mittel", "mean")
            ),
            self.pick("alle Kommunen (Mittel)", "all municipalities (mean)")
                .into(),
        ]
    }

    /// The profile chart: the ratings against the type's and all municipalities' means.
    pub fn chart(&self) -> Chart {
        // a chart's texts are bounded (the limit of `crate::show::chart`): an identifier of any
        // length is shortened there, visibly, and shown whole on the sheet
        let id = shortened(&self.id, CHART_ID_CHARS);
        let k = self.model.types.len();
        let colors = palette(k);
        let centroid = &self.model.types[self.type_index].centroid;
        let rows: Vec<String> = (0..centroid.len()).map(|j| self.label(j).into()).collect();
        let source = self.model.input.file.clone();
        let synthetic = match self.model.input.synthetic {
            Some(true) => self.pick(" (synthetische Ersatzdaten)", " (synthetic stand-in data)"),
            _ => "",
        };
        Chart::Bars(Bars {
            title: format!(
                "{id}: {}",
                self.pick(
                    "Zielbewertungen gegenüber Typ und allen Kommunen",
                    "goal ratings against the type and all municipalities"
                )
            ),
            note: format!(
                "{} {}{synthetic}",
                self.pick(
                    "1 = keine, 5 = sehr hohe Priorität. Modell aus",
                    "1 = none, 5 = very high priority. Model from"
                ),
                source
            ),
            value_label: self.pick("Priorität", "priority").into(),
            stacked: false,
            percent: false,
            range: [1.0, 5.0],
            series: vec![
                id,
                self.mean_headers()[0].clone(),
                self.mean_headers()[1].clone(),
            ],
            colors: vec![
                "#000000".into(),
                colors[self.type_index].clone(),
                "#BBBBBB".into(),
            ],
            cells: (0..rows.len())
                .map(|j| {
                    vec![
                        Cell::value(self.ratings[j].map(|r| r as f64), None),
                        Cell::value(
                            Some(centroid[j]),
                            Some(self.model.types[self.type_index].n as u64),
                        ),
                        Cell::value(
                            Some(self.feedback.overall_means[j]),
                            Some(self.model.input.clustered as u64),
                        ),
                    ]
                })
                .collect(),
            size: [900, bars_height(rows.len(), 3, false, 1)],
            rows,
            lang: self.lang,
            scale: 1.0,
            full_scale: false,
        })
    }

    /// The sheet around its chart: what comes before and after it.
    pub fn documents(&self) -> (Document, Document) {
        let mut a = Document::default();
        let title = match self.lang {
            Lang::De => format!("Ihre Kommune in der Typologie: {}", self.id),
            Lang::En => format!("Your municipality in the typology: {}", self.id),
        };
        a.heading(1, title);
        if let Some(note) = self.model.synthetic_note(self.lang == Lang::De) {
            a.paragraph(Text::strong(note));
        }
        a.paragraph(
            Text::from(self.pick("Typ: ", "Type: "))
                .and_strong(self.type_name(self.type_index))
                .plain(match self.motto() {
                    Some(m) => format!(" – „{m}“"),
                    None => String::new(),
                }),
        );
        a.paragraph(self.clarity());
        a.heading(
            2,
            self.pick("Abstand zu jedem Typ", "Distance to each type"),
        );
        a.table(
            vec![
                self.pick("Typ", "type").into(),
                self.pick("Abstand", "distance").into(),
                String::new(),
            ],
            self.distances
                .iter()
                .enumerate()
                .map(|(t, d)| {
                    vec![
                        self.type_name(t).to_string(),
                        self.num(*d, 2),
                        if t == self.type_index {
                            self.pick("eigener Typ", "own type").into()
                        } else {
                            String::new()
                        },
                    ]
                })
                .collect(),
            vec![false, true, false],
        );
        a.heading(2, self.pick("Zielbewertungen", "Goal ratings"));
        let centroid = &self.model.types[self.type_index].centroid;
        a.table(
            vec![
                self.pick("Ziel", "goal").into(),
                self.pick("Ihre Bewertung", "your rating").into(),
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
                        self.num(self.feedback.overall_means[j], 2),
                    ]
                })
                .collect(),
            vec![false, true, true, true],
        );
        let mut b = Document::default();
        b.heading(
            2,
            self.pick(
                "Nächste Kommunen der Befragung",
                "Nearest municipalities of the survey",
            ),
        );
        match &self.neighbours {
            Some((file, list)) => {
                b.paragraph(match self.lang {
                    Lang::De => format!("Aus {file}, nach dem Abstand der Zielbewertungen (Skalierung des Modells). Kommunen eines anderen Typs können näher sein als Kommunen des eigenen."),
                    Lang::En => format!("From {file}, by the distance of the goal ratings (the model's scaling). Municipalities of another type can be nearer than those of the own type."),
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
        b.heading(
            2,
            self.pick(
                "Was Sie von den nächsten anderen Typen lernen können",
                "What you can learn from the nearest other types",
            ),
        );
        if self.suggestions.is_empty() {
            b.paragraph(self.no_suggestions());
        } else {
            b.blocks.push(super::document::Block::List(
                self.suggestions
                    .iter()
                    .map(|l| self.suggestion_text(l))
                    .collect(),
            ));
        }
        b.heading(2, self.pick("So ist das zu lesen", "How to read this"));
        b.blocks.push(super::document::Block::List(vec![
            self.rule(),
            self.pick(
                "Grenzfall: der Abstand zum zweitnächsten Typ ist kleiner als das untere Quartil der Abstände aller befragten Kommunen.",
                "Borderline: the margin to the second-nearest type is below the lower quartile of the margins of all surveyed municipalities.",
            )
            .into(),
            self.pick(
                "Lernfelder: Strategie, E-Government-Basiskomponenten, Datennutzung, Fortbildung und Angebote für die Gemeinschaft, die einer der beiden nächsten anderen Typen mindestens 10 Punkte häufiger nennt (Kreuztabelle aller Typen signifikant, p < 0,05); nie aus den Zielbewertungen, aus denen die Typen gebildet sind. Was die eigene Datei schon als getan zeigt, fehlt.",
                "Suggestions: strategy, e-government base components, data use, training and community offerings that one of the two nearest other types reports at least 10 points more often (cross-tab of all types significant, p < 0.05); never from the goal ratings the types are built from. What the municipality's own file shows it already does is left out.",
            )
            .into(),
            self.weighting(),
        ]));
        (a, b)
    }

    /// The sheet as Markdown, its chart referenced as `chart_path`.
    pub fn markdown(&self, chart_path: &str) -> String {
        let (a, b) = self.documents();
        format!(
            "{}![{}]({})\n\n{}",
            a.markdown(),
            super::document::markdown_escape(self.pick("Profil", "Profile")),
            chart_path,
            b.markdown()
        )
    }

    /// The sheet as one self-contained HTML page with its chart inline (`svg`).
    pub fn html(&self, svg: &str) -> String {
        let (a, b) = self.documents();
        let body = format!(
            "{}<figure class=\"chart\">{}</figure>\n{}<style>{PRINT_STYLE}</style>\n",
            a.html_body(),
            strip_xml_declaration(svg),
            b.html_body()
        );
        let title = format!("{} – {}", self.id, self.type_name(self.type_index));
        html_page(&title, self.lang.as_str(), &body)
    }
}

/// Print and layout rules of the one-page sheets.
const PRINT_STYLE: &str = "figure.chart svg { max-width: 100%; height: auto; } \
@media print { body { margin: 0; max-width: none; font-size: 10pt; } h2 { margin-top: 1em; } \
figure.chart svg { max-height: 9cm; } }";

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
