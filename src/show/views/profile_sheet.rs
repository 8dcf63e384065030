//! A type's profile sheet as a document (its size, motto, composition, goal profile, strengths,
//! lessons, over- and under-represented answers, typical municipalities and, on its own page,
//! every item by type), the reading rules and the paragraph on the data, in the report's
//! language; [`type_sheet_markdown`] is the Markdown file of one type.

use super::profile::{ProfileReport, TypeSheet, ALPHA, LESSON_GAP, RESIDUAL_FLAG};
use crate::lang::Lang;
use crate::show::doc::{Block, Document, Text};
use crate::show::format::{number as num, p_value, show_count, signed};
use crate::show::words::Words;

/// `s` with its first letter upper case ("Profil der Items", "Profile over the items").
fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}

fn points(v: f64, lang: Lang) -> String {
    format!("{} {}", signed(v, 0, lang), lang.pick("Pp.", "pts"))
}

/// A p value as people write it: `p < 0,001`, `p = 0,023`.
pub fn p_equation(p: Option<f64>, lang: Lang) -> String {
    match p {
        Some(p) if p < 0.001 => format!("p {}", p_value(Some(p), lang)),
        _ => format!("p = {}", p_value(p, lang)),
    }
}

/// The clustering's scaling and missing-value policy in words.
fn options_in_words(report: &ProfileReport) -> String {
    let lang = report.lang;
    let w = &report.words;
    if !w.is_study() {
        let (block, units) = (w.block(), w.units());
        let scale = match (report.scale.as_str(), lang) {
            ("none", Lang::De) => format!("{block} unskaliert (in ihren eigenen Einheiten)"),
            ("none", Lang::En) => format!("{block} unscaled (in their own units)"),
            ("z", Lang::De) => {
                "jede Clustervariable z-standardisiert (Mittel 0, Standardabweichung 1)".into()
            }
            ("z", Lang::En) => {
                "each clustering variable z-standardised (mean 0, standard deviation 1)".into()
            }
            ("range", Lang::De) => {
                "jede Clustervariable auf ihren Wertebereich 0 bis 1 skaliert".into()
            }
            ("range", Lang::En) => "each clustering variable scaled to its range 0 to 1".into(),
            (other, _) => other.to_string(),
        };
        let missing = match (report.missing_policy.as_str(), lang) {
            ("listwise", Lang::De) => {
                format!("{units} mit fehlenden Angaben zu den {block} ausgelassen")
            }
            ("listwise", Lang::En) => {
                format!("{units} with missing answers on the {block} left out")
            }
            ("mean", Lang::De) => "fehlende Angaben durch das Mittel der Variablen ersetzt".into(),
            ("mean", Lang::En) => "missing answers replaced by the variable's mean".into(),
            (other, _) => other.to_string(),
        };
        return format!("{scale}; {missing}");
    }
    let scale = match report.scale.as_str() {
        "none" => lang.pick(
            "Ziele unskaliert (alle auf derselben Fünf-Punkte-Skala)",
            "goals unscaled (all on the same five-point scale)",
        ),
        "z" => lang.pick(
            "jedes Ziel z-standardisiert (Mittel 0, Standardabweichung 1)",
            "each goal z-standardised (mean 0, standard deviation 1)",
        ),
        "range" => lang.pick(
            "jedes Ziel auf seinen Wertebereich 0 bis 1 skaliert",
            "each goal scaled to its range 0 to 1",
        ),
        other => other,
    };
    let missing = match report.missing_policy.as_str() {
        "listwise" => lang.pick(
            "Kommunen mit fehlenden Zielangaben ausgelassen",
            "municipalities with missing goal ratings left out",
        ),
        "mean" => lang.pick(
            "fehlende Zielangaben durch das Mittel des Ziels ersetzt",
            "missing goal ratings replaced by the goal's mean",
        ),
        other => other,
    };
    format!("{scale}; {missing}")
}

/// Whether the sheets' numbers are weighted, and by what, in one sentence.
pub fn weighting_sentence(report: &ProfileReport) -> String {
    let lang = report.lang;
    let w = &report.words;
    if !w.is_study() {
        let (unit, units, profile) = (w.unit(), w.units(), w.block_profile());
        return match (&report.weight, lang) {
            (Some(v), Lang::De) => format!("Gewichtet mit {v}: Typanteile, {profile} und die Anteile der Kreuztabellen aus den Summen der Gewichte, n zählt {units}; χ²-Tests und Residuen nach Rao-Scott (erster Ordnung: durch den Design-Effekt nach Kish geteilt) korrigiert. Ungewichtet bleiben Ward, die Gauß-Mischmodelle und die Antwortstil-Prüfung."),
            (Some(v), Lang::En) => format!("Weighted by {v}: type shares, the {profile} and the shares of the cross-tabs are of the summed weights, n counts {units}; chi-square tests and residuals are Rao-Scott corrected (first order: divided by Kish's design effect). Ward, the Gaussian mixtures and the response-style check stay unweighted."),
            (None, Lang::De) => format!("Ungewichtet: {unit} für {unit}, jede Zeile zählt einmal."),
            (None, Lang::En) => format!("Unweighted: every {unit} counts once."),
        };
    }
    match &report.weight {
        Some(v) => match lang {
            Lang::De => format!(
                "Gewichtet mit {v}: Typanteile, Zielprofile und die Anteile der Kreuztabellen und der Zusammensetzung aus den Summen der Gewichte, n zählt Kommunen; χ²-Tests und Residuen nach Rao-Scott (erster Ordnung: durch den Design-Effekt nach Kish geteilt) korrigiert. Ungewichtet bleiben Ward, die Gauß-Mischmodelle und die Antwortstil-Prüfung."
            ),
            Lang::En => format!(
                "Weighted by {v}: type shares, goal profiles and the shares of the cross-tabs and of the composition are of the summed weights, n counts municipalities; chi-square tests and residuals are Rao-Scott corrected (first order: divided by Kish's design effect). Ward, the Gaussian mixtures and the response-style check stay unweighted."
            ),
        },
        None => lang
            .pick(
                "Ungewichtet: jede Kommune zählt einmal.",
                "Unweighted: every municipality counts once.",
            )
            .into(),
    }
}

pub fn flag(r: Option<f64>) -> &'static str {
    match r {
        Some(r) if r >= RESIDUAL_FLAG => " ▲",
        Some(r) if r <= -RESIDUAL_FLAG => " ▼",
        _ => "",
    }
}

/// A section: a heading, then a table, or `empty` where there are no rows.
fn section(
    d: &mut Document,
    level: u8,
    heading: &str,
    empty: &str,
    (header, numeric): (Vec<&str>, Vec<bool>),
    rows: Vec<Vec<String>>,
) {
    d.heading(level, heading);
    if rows.is_empty() {
        d.paragraph(empty);
    } else {
        d.table(
            header.into_iter().map(String::from).collect(),
            rows,
            numeric,
        );
    }
}

/// The sheet of one type as a document; `chart` is its goal profile's PNG path and bytes, and the
/// height of its smallest text in pixels where the page states it.
pub fn type_document(
    report: &ProfileReport,
    g: usize,
    chart: Option<(&str, &[u8], Option<f64>)>,
    level: u8,
    every_item: bool,
) -> Document {
    let lang = report.lang;
    let t: &TypeSheet = &report.types[g];
    let mut d = Document::default();
    d.heading(level, &t.name);
    if let Some(m) = &t.motto {
        d.blocks.push(Block::Quote(
            match (lang, t.motto_quoted, &t.motto_original) {
                (Lang::De, true, _) => format!("»{m}« (Motto aus der Studie)"),
                (Lang::De, false, _) => {
                    format!("»{m}« (Leitsatz, zusammengefasst nach der Studie)")
                }
                (Lang::En, true, Some(original)) => {
                    format!("“{m}” (the study's motto; German original: »{original}«)")
                }
                (Lang::En, true, None) => format!("“{m}” (the study's motto)"),
                (Lang::En, false, _) => format!("“{m}” (summed up from the study)"),
            },
        ));
    }
    if let Some(desc) = &t.description {
        d.paragraph(format!("{}: {desc}", lang.pick("Kennzeichen", "Marks")));
    }
    d.paragraph(
        Text::strong(format!("{} {}", t.n, report.words.units())).plain(format!(
            " ({} {} {} {}) · {} {} · {}",
            num(t.share, 0, lang) + " %",
            lang.pick("der", "of the"),
            report.clustered,
            match lang {
                Lang::De => format!("geclusterten {}", report.words.units()),
                Lang::En => format!("clustered {}", report.words.units()),
            },
            lang.pick("mittlere Silhouette", "mean silhouette"),
            num(t.mean_silhouette, 2, lang),
            match t.name_margin {
                Some(m) => format!(
                    "{} {}",
                    lang.pick(
                        "Vorsprung des Namens vor dem nächstbesten Typ:",
                        "name's lead over the next type:"
                    ),
                    num(m, 2, lang)
                ),
                None => lang
                    .pick(
                        "nach Größe nummeriert, da ihm kein Typ der Typendatei zugeordnet ist",
                        "numbered by size, as no type of the types file was given to it",
                    )
                    .into(),
            }
        )),
    );

    if let Some(v) = &report.weight {
        d.paragraph(match lang {
            Lang::De => format!(
                "Anteil am Gesamtgewicht, gewichtet mit {v}; n zählt {}.",
                report.words.units()
            ),
            Lang::En => format!(
                "Share of the total weight, weighted by {v}; n counts {}.",
                report.words.units()
            ),
        });
    }
    goal_profile(&mut d, t, chart, level, &report.words);
    traits(&mut d, t, level, &report.words);
    contrasts(&mut d, t, level, &report.words);
    typical(&mut d, t, level, &report.words);
    if every_item {
        every_item_table(&mut d, report, g, level);
    }
    d
}

/// The type's composition and its goal profile (chart and table).
fn goal_profile(
    d: &mut Document,
    t: &TypeSheet,
    chart: Option<(&str, &[u8], Option<f64>)>,
    level: u8,
    w: &Words,
) {
    let lang = w.lang;
    let study = w.is_study();
    let heading = if study {
        lang.pick("Zielprofil", "Goal profile").to_string()
    } else {
        capitalised(&w.block_profile())
    };
    d.heading(level + 1, lang.pick("Zusammensetzung", "Composition"));
    for c in &t.composition {
        d.table(
            vec![
                c.label.clone(),
                lang.pick("Anteil", "share").into(),
                "n".into(),
            ],
            c.answers
                .iter()
                .map(|s| vec![s.answer.clone(), s.shown.clone(), show_count(s.count)])
                .collect(),
            vec![false, true, true],
        );
    }

    d.heading(level + 1, &heading);
    if let Some((path, png, text_px)) = chart {
        let caption = match (study, lang) {
            (true, _) => lang
                .pick(
                    "Lesart: Wo der farbige Balken den grauen (alle Kommunen) deutlich überragt, setzt der Typ einen Schwerpunkt; ★ markiert die Kennziele der Studie.",
                    "How to read it: where the coloured bar clearly exceeds the grey one (all municipalities), the type sets a priority; ★ marks the study's signature goals.",
                )
                .to_string(),
            (false, Lang::De) => format!("Lesart: Wo der farbige Balken den grauen (alle {}) deutlich überragt, liegt der Typ über dem Mittel; wo er darunter bleibt, darunter.", w.units()),
            (false, Lang::En) => format!("How to read it: where the coloured bar clearly exceeds the grey one (all {}), the type lies above the mean; where it stays below, below it.", w.units()),
        };
        d.blocks.push(Block::Image {
            alt: format!(
                "{}: {}",
                t.name,
                if study {
                    lang.pick("Zielprofil", "goal profile").to_string()
                } else {
                    w.block_profile()
                }
            ),
            path: path.into(),
            png: png.to_vec(),
            caption,
            text_px,
        });
    }
    d.table(
        vec![
            if study {
                lang.pick("Ziel", "Goal").into()
            } else {
                lang.pick("Variable", "Variable").into()
            },
            lang.pick("Mittel Typ", "type mean").into(),
            lang.pick("Mittel alle", "mean all").into(),
            lang.pick("stand. Differenz", "std. difference").into(),
            if study {
                lang.pick("Kennziel", "signature").into()
            } else {
                lang.pick("Kennzeichen", "signature").into()
            },
        ],
        t.goals
            .iter()
            .map(|goal| {
                vec![
                    goal.label.clone(),
                    num(goal.mean, 2, lang),
                    num(goal.sample_mean, 2, lang),
                    signed(goal.standardised_difference, 2, lang),
                    if goal.signature {
                        "★".into()
                    } else {
                        String::new()
                    },
                ]
            })
            .collect(),
        vec![false, true, true, true, false],
    );
}

/// The type's strengths, what it can learn from the others, and its over- and under-represented
/// answers.
fn contrasts(d: &mut Document, t: &TypeSheet, level: u8, w: &Words) {
    let lang = w.lang;
    let none_stronger = match lang {
        Lang::De => format!("Keine Antwort gibt dieser Typ deutlich häufiger als die übrigen {} (Regeln unten).", w.units()),
        Lang::En => format!("No answer is given clearly more often by this type than by the other {} (rules below).", w.units()),
    };
    section(
        d,
        level + 1,
        lang.pick("Stärken", "Strengths"),
        &none_stronger,
        (
            vec![
                lang.pick("Merkmal", "Item"),
                lang.pick("Antwort", "Answer"),
                lang.pick("dieser Typ", "this type"),
                lang.pick("alle anderen", "all others"),
                lang.pick("Differenz", "difference"),
                lang.pick("Residuum", "residual"),
            ],
            vec![false, false, true, true, true, true],
        ),
        t.strengths
            .iter()
            .map(|s| {
                let with_counts =
                    |x: &super::profile::Share| format!("{} ({}/{})", x.shown, x.count, x.base);
                vec![
                    s.item.clone(),
                    s.answer.clone(),
                    with_counts(&s.type_share),
                    with_counts(&s.rest_share),
                    points(s.difference_points, lang),
                    num(s.residual, 1, lang),
                ]
            })
            .collect(),
    );
    section(
        d,
        level + 1,
        lang.pick(
            "Was dieser Typ von den anderen lernen kann",
            "What this type can learn from the others",
        ),
        lang.pick(
            "Bei keinem Merkmal liegt ein anderer Typ deutlich vorn (Regeln unten).",
            "No other type is clearly ahead on any item (rules below).",
        ),
        (
            vec![
                lang.pick("Merkmal", "Item"),
                lang.pick("Antwort", "Answer"),
                lang.pick("stärkster Typ", "strongest type"),
                lang.pick("dort", "there"),
                lang.pick("hier", "here"),
                lang.pick("Abstand", "gap"),
            ],
            vec![false, false, false, true, true, true],
        ),
        t.lessons
            .iter()
            .map(|l| {
                vec![
                    l.item.clone(),
                    l.answer.clone(),
                    l.from_type.clone(),
                    l.their_share.shown.clone(),
                    l.own_share.shown.clone(),
                    points(l.gap_points, lang),
                ]
            })
            .collect(),
    );
    section(
        d,
        level + 1,
        lang.pick(
            "Über- und unterrepräsentierte Antworten",
            "Over- and under-represented answers",
        ),
        lang.pick(
            "Keine Antwort ist in diesem Typ auffällig über- oder unterrepräsentiert.",
            "No answer is notably over- or under-represented in this type.",
        ),
        (
            vec![
                lang.pick("Merkmal", "Item"),
                lang.pick("Antwort", "Answer"),
                lang.pick("dieser Typ", "this type"),
                lang.pick("alle", "all"),
                lang.pick("Residuum", "residual"),
            ],
            vec![false, false, true, true, true],
        ),
        t.over
            .iter()
            .chain(&t.under)
            .map(|f| {
                vec![
                    f.item.clone(),
                    f.answer.clone(),
                    f.share.shown.clone(),
                    f.total_percent
                        .map_or("–".into(), |p| num(p, 0, lang) + " %"),
                    format!("{}{}", signed(f.residual, 1, lang), flag(Some(f.residual))),
                ]
            })
            .collect(),
    );
}

/// What sets the type apart by v-test (FactoMineR's `catdes`), in words.
fn traits(d: &mut Document, t: &TypeSheet, level: u8, w: &Words) {
    let (lang, units) = (w.lang, w.units());
    let none = match lang {
        Lang::De => format!("Keine Antwort und kein Mittelwert weicht in diesem Typ deutlich von allen geclusterten {units} ab (v-Test mindestens 2 im Betrag)."),
        Lang::En => format!("No answer and no mean of this type differs clearly from all clustered {units} (v-test at least 2 in size)."),
    };
    section(
        d,
        level + 1,
        lang.pick("Was diesen Typ auszeichnet", "What sets this type apart"),
        &none,
        (
            vec![
                lang.pick("Merkmal", "Characteristic"),
                lang.pick("dieser Typ", "this type"),
                lang.pick("alle", "all"),
                lang.pick("v-Test", "v-test"),
            ],
            vec![false, true, true, true],
        ),
        t.traits
            .iter()
            .map(|c| {
                vec![
                    c.what.clone(),
                    c.in_type.clone(),
                    c.overall.clone(),
                    super::describe::v_test(c.v_test, lang),
                ]
            })
            .collect(),
    );
    if !t.traits.is_empty() {
        d.paragraph(match lang {
            Lang::De => format!("Lesart: ein v-Test ab +2 heißt, der Typ hat dieses Merkmal deutlich häufiger (oder einen deutlich höheren Mittelwert) als alle geclusterten {units}, ab −2 deutlich seltener; je größer der Betrag, desto klarer (wie FactoMineR catdes; alle Zahlen in characteristics.csv)."),
            Lang::En => format!("How to read it: a v-test of +2 or more means the type has this characteristic clearly more often (or a clearly higher mean) than all clustered {units}, −2 or less clearly less often; the larger in size, the clearer (as FactoMineR's catdes; every number in characteristics.csv)."),
        });
    }
}

/// The municipalities nearest to the type's centre.
fn typical(d: &mut Document, t: &TypeSheet, level: u8, w: &Words) {
    let lang = w.lang;
    let units = w.units();
    d.heading(
        level + 1,
        &match lang {
            Lang::De => format!("Typische {units}"),
            Lang::En => format!("Most typical {units}"),
        },
    );
    d.paragraph(match lang {
        Lang::De => {
            format!("Die {units}, die dem Zentrum des Typs am nächsten liegen (seine Paragone):")
        }
        Lang::En => format!("The {units} nearest to the type's centre (its paragons):"),
    });
    d.table(
        vec![
            lang.pick("Kennung", "Identifier").into(),
            lang.pick("Abstand zum Zentrum", "distance to the centre")
                .into(),
        ],
        t.typical
            .iter()
            .map(|m| vec![m.id.clone(), num(m.distance, 3, lang)])
            .collect(),
        vec![false, true],
    );
}

/// Every cross-tabulated item: this type's answers (flagged) against all clustered municipalities.
fn every_item_table(d: &mut Document, report: &ProfileReport, g: usize, level: u8) {
    let lang = report.lang;
    d.heading(
        level + 1,
        lang.pick("Alle Merkmale nach Typ", "Every item by type"),
    );
    d.table(
        vec![
            lang.pick("Merkmal", "Item").into(),
            lang.pick("dieser Typ", "this type").into(),
            match lang {
                Lang::De => format!("alle geclusterten {}", report.words.units()),
                Lang::En => "all clustered".into(),
            },
            "p".into(),
            "V".into(),
        ],
        report
            .crosstabs
            .iter()
            .map(|c| {
                let k = c.shares.len() - 1;
                let answers = |row: usize, flags: bool| {
                    c.shares[row]
                        .iter()
                        .enumerate()
                        .map(|(j, s)| {
                            format!(
                                "{} {}{}",
                                s.answer,
                                s.shown,
                                if flags { flag(c.residuals[g][j]) } else { "" }
                            )
                        })
                        .collect::<Vec<_>>()
                        .join(" · ")
                };
                vec![
                    c.item.clone(),
                    answers(g, true),
                    answers(k, false),
                    p_value(c.p_value, lang),
                    c.cramers_v.map_or("–".into(), |v| num(v, 2, lang)),
                ]
            })
            .collect(),
        vec![false, false, false, true, true],
    );
}

pub fn rules(report: &ProfileReport) -> Vec<String> {
    let lang = report.lang;
    let r = num(RESIDUAL_FLAG, 2, lang);
    let a = num(ALPHA, 2, lang);
    let gap = num(LESSON_GAP, 0, lang);
    let w = &report.words;
    if !w.is_study() {
        let (unit, units, dative) = (w.unit(), w.units(), w.units_dative());
        return match lang {
            Lang::De => vec![
                format!("Anteile beziehen sich auf die geclusterten {units}, die die Frage gestellt bekamen und beantworteten; fehlende Antworten zählen nicht zur Basis."),
                format!("▲/▼: die Antwort ist im Typ über- bzw. unterrepräsentiert (angepasstes standardisiertes Residuum ≥ {r} bzw. ≤ −{r}); ohne Korrektur für die vielen Tests: ein Hinweis, kein Beweis."),
                "Stärken und Lernfelder stammen nie aus den Clustervariablen, aus Variablen, die das Codebuch als daraus abgeleitet markiert, oder aus Einschätzungen (Skalen, die das Codebuch als Meinung markiert), sondern nur aus den Antworten, die das Codebuch als zustimmend (positive) markiert.".into(),
                format!("Stärken: eine zustimmende Antwort, die der Typ häufiger gibt als alle anderen Typen zusammen, mit Residuum ≥ {r}, mindestens 5 {dative} und signifikanter Kreuztabelle (χ², p < {a})."),
                format!("Lernen von anderen: ein anderer Typ gibt die zustimmende Antwort am häufigsten, mindestens {gap} Prozentpunkte häufiger als dieser Typ, bei signifikanter Kreuztabelle."),
                format!("Zellen mit weniger als 5 {dative} erscheinen als »<5 von n«, nie als Prozentwert (je {unit} eine Zeile)."),
                "Cramérs V: 0,1 schwach, 0,3 mittel, 0,5 stark.".into(),
            ],
            Lang::En => vec![
                format!("Shares are of the clustered {units} that were asked and answered; missing answers are not in the base."),
                format!("▲/▼: the answer is over- or under-represented in the type (adjusted standardised residual ≥ {r} or ≤ −{r}); no correction for the many tests: a pointer, not proof."),
                "Strengths and lessons are never drawn from the clustering variables, from variables the codebook marks as derived from them, or from opinions (scales the codebook marks as such), only from the answers the codebook marks positive.".into(),
                format!("Strengths: a positive answer that the type gives more often than all other types together, with residual ≥ {r}, at least 5 {units} and a significant cross-tab (chi-square, p < {a})."),
                format!("Learning from others: another type gives the positive answer most often, at least {gap} percentage points more often than this type, in a significant cross-tab."),
                format!("Cells with fewer than 5 {units} appear as \"<5 of n\", never as a percentage (one row per {unit})."),
                "Cramér's V: 0.1 weak, 0.3 moderate, 0.5 strong.".into(),
            ],
        };
    }
    match lang {
        Lang::De => vec![
            format!("Anteile beziehen sich auf die geclusterten Kommunen, die die Frage gestellt bekamen und beantworteten; fehlende Antworten zählen nicht zur Basis."),
            format!("▲/▼: die Antwort ist im Typ über- bzw. unterrepräsentiert (angepasstes standardisiertes Residuum ≥ {r} bzw. ≤ −{r}); ohne Korrektur für die vielen Tests: ein Hinweis, kein Beweis."),
            "Stärken und Lernfelder stammen nur aus dem, was eine Kommune tut oder hat (Strategie, Basiskomponenten, Datennutzung, Leitung, Fortbildung, Angebote für die Gemeinschaft, Infrastruktur), nie aus den Clustervariablen oder aus Variablen, die das Codebuch als daraus abgeleitet markiert (die Top-3-Ziele wiederholen die Zielprioritäten; sie stehen markiert in den Kreuztabellen), und nie aus Einschätzungen (wie hilfreich, welche Schulnote).".into(),
            format!("Stärken: eine zustimmende Antwort (nutzt, bietet an, unterstützt), die der Typ häufiger gibt als alle anderen Typen zusammen, mit Residuum ≥ {r}, mindestens 5 Kommunen und signifikanter Kreuztabelle (χ², p < {a})."),
            format!("Lernen von anderen: ein anderer Typ gibt die zustimmende Antwort am häufigsten, mindestens {gap} Prozentpunkte häufiger als dieser Typ, bei signifikanter Kreuztabelle."),
            "Zellen mit 1 bis 4 Kommunen erscheinen als »<5 von n« und ihre Zahl als »<5«, nie als Prozentwert oder genaue Zahl; eine leere Zelle zeigt 0 % und n = 0 (keine Kommune darin ist zu erkennen).".into(),
            "Cramérs V: 0,1 schwach, 0,3 mittel, 0,5 stark.".into(),
        ],
        Lang::En => vec![
            "Shares are of the clustered municipalities that were asked and answered; missing answers are not in the base.".into(),
            format!("▲/▼: the answer is over- or under-represented in the type (adjusted standardised residual ≥ {r} or ≤ −{r}); no correction for the many tests: a pointer, not proof."),
            "Strengths and lessons are drawn only from what a municipality does or has (strategy, base components, data use, leadership, training, community offerings, infrastructure), never from the clustering variables or from variables the codebook marks as derived from them (the top-3 goals restate the goal priorities; they appear in the cross-tabs, marked), and never from opinions (how helpful, what grade).".into(),
            format!("Strengths: a positive answer (uses, offers, supports) that the type gives more often than all other types together, with residual ≥ {r}, at least 5 municipalities and a significant cross-tab (chi-square, p < {a})."),
            format!("Learning from others: another type gives the positive answer most often, at least {gap} percentage points more often than this type, in a significant cross-tab."),
            "Cells of 1 to 4 municipalities appear as \"<5 of n\" and their count as \"<5\", never as a percentage or an exact count; an empty cell shows 0% and n = 0 (no municipality in it to recognise).".into(),
            "Cramér's V: 0.1 weak, 0.3 moderate, 0.5 strong.".into(),
        ],
    }
}

pub fn data_paragraph(report: &ProfileReport) -> Text {
    let lang = report.lang;
    let w = &report.words;
    let synthetic = match (report.source.synthetic, lang) {
        (false, _) => String::new(),
        (true, Lang::De) => format!(
            "Synthetische Ersatzdaten, nicht die Antworten der {}.",
            w.units()
        ),
        (true, Lang::En) => format!(
            "Synthetic stand-in data, not the {} answers.",
            w.units_possessive()
        ),
    };
    let left_out = match (w.is_study(), lang) {
        (true, _) => lang
            .pick(
                "wegen fehlender Zielangaben ausgelassen",
                "left out for missing goal ratings",
            )
            .to_string(),
        (false, Lang::De) => format!("wegen fehlender Angaben zu den {} ausgelassen", w.block()),
        (false, Lang::En) => format!("left out for missing answers on the {}", w.block()),
    };
    let sep = if synthetic.is_empty() { "" } else { " " };
    let head = format!(
        "{} {} (SHA-256 {}): {} {}, {} {} ({} {}).{sep}",
        lang.pick("Daten:", "Data:"),
        report.source.file,
        report.source.sha256,
        report.rows,
        w.units(),
        report.clustered,
        lang.pick("geclustert", "clustered"),
        report.left_out,
        left_out,
    );
    let tail = format!(
        " k = {}, {} {}; {}. {}",
        report.k,
        lang.pick("Seed", "seed"),
        report.seed,
        options_in_words(report),
        weighting_sentence(report)
    );
    Text::from(head).and_strong(synthetic).plain(tail)
}

/// The Markdown file of type `g`'s sheet, its goal-profile chart referenced as `chart` (the
/// path beside the sheet and the PNG's bytes).
pub fn type_sheet_markdown(
    report: &ProfileReport,
    g: usize,
    chart: Option<(&str, &[u8])>,
) -> String {
    let chart = chart.map(|(path, png)| (path, png, None));
    let mut d = type_document(report, g, chart, 1, true);
    d.paragraph(data_paragraph(report));
    d.heading(2, report.lang.pick("Lesehilfe", "How to read this"));
    d.blocks.push(Block::List(rules(report)));
    d.markdown()
}
