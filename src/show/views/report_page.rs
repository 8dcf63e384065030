//! `report.html`: the one page a mayor reads first and an analyst reads to the end. In this order:
//! a one-page summary (the types, their sizes and signature goals, how clearly they are separated
//! and how stable they are, which k the indices prefer and why the run's k is used), the table of
//! contents, how to read the report (every technical term in plain words), the overview charts,
//! how many types, the robustness checks, one chapter per type, the cross-tabs, and an appendix
//! with the data's SHA-256 and the technical settings. Every text is in the report's language.

use super::choose_k;
use super::crosstabs::crosstabs_document;
use super::profile::ProfileReport;
use super::profile_sheet::{data_paragraph, rules, type_document};
use crate::cluster::KIndex;
use crate::lang::Lang;
use crate::profile::robustness::{
    AgreementBand, Robustness, StabilityBand, StructureBand, CHOOSE_K_MAX, MIXTURE_MODELS,
};
use crate::show::doc::{html_page, Block, Document, Text};
use crate::show::format::{number as num, signed};
use crate::show::words::Words;

/// A chapter (a type's, the cross-tabs'): its opening, up to its second sub-heading (a type's
/// name, motto, size and composition), in a box printed on one page; the rest flows after it.
/// Printed, a chapter starts where the one before ends (on a new page only when its opening no
/// longer fits), so that the few lines a chapter runs over never stand alone on a page.
fn chapter(mut blocks: Vec<Block>) -> Block {
    let level = blocks.iter().find_map(|b| match b {
        Block::Heading(level, _) => Some(*level),
        _ => None,
    });
    let sub = blocks
        .iter()
        .enumerate()
        .filter(|(_, b)| matches!(b, Block::Heading(l, _) if Some(*l) > level))
        .map(|(i, _)| i)
        .nth(1)
        .unwrap_or(blocks.len());
    let rest = blocks.split_off(sub);
    let mut inside = vec![Block::Section {
        class: "opening".into(),
        blocks,
    }];
    inside.extend(rest);
    Block::Section {
        class: "chapter".into(),
        blocks: inside,
    }
}

/// A chart as the report embeds it: file stem, title, PNG bytes, the height of its smallest
/// text in pixels.
pub type Picture = (String, String, Vec<u8>, f64);

fn structure_words(band: StructureBand, w: &Words) -> (&'static str, String) {
    let (lang, units) = (w.lang, w.units());
    match band {
        StructureBand::Strong => (
            lang.pick("eine starke Struktur", "a strong structure"),
            lang.pick(
                "Die Typen sind klar voneinander getrennt.",
                "The types are clearly apart.",
            )
            .into(),
        ),
        StructureBand::Reasonable => (
            lang.pick("eine brauchbare Struktur", "a reasonable structure"),
            match lang {
                Lang::De => format!(
                    "Die Typen sind erkennbar getrennt; einzelne {units} liegen dazwischen."
                ),
                Lang::En => format!(
                    "The types are recognisably apart; some {units} lie in between."
                ),
            },
        ),
        StructureBand::Weak => (
            lang.pick(
                "eine schwache Struktur, die auch künstlich sein kann",
                "a weak structure that could be artificial",
            ),
            match lang {
                Lang::De => format!(
                    "Die Typen überlappen deutlich; viele {units} liegen zwischen zwei Typen."
                ),
                Lang::En => format!(
                    "The types overlap markedly; many {units} lie between two types."
                ),
            },
        ),
        StructureBand::NoSubstantial => (
            lang.pick("keine substanzielle Struktur", "no substantial structure"),
            match lang {
                Lang::De => format!(
                    "Die Typen sind keine scharf getrennten Gruppen, sondern Schwerpunkte in einem fließenden Übergang: viele {units} liegen zwischen zwei Typen. Als Orientierung taugen sie, als feste Schublade nicht."
                ),
                Lang::En => format!(
                    "The types are not sharply separated groups but centres of gravity in a continuum: many {units} lie between two types. They serve as orientation, not as fixed boxes."
                ),
            },
        ),
    }
}

fn stability_words(band: StabilityBand, lang: Lang) -> &'static str {
    match band {
        StabilityBand::HighlyStable => lang.pick("sehr stabil", "highly stable"),
        StabilityBand::Stable => lang.pick("stabil", "stable"),
        StabilityBand::Pattern => lang.pick(
            "ein Muster, Zugehörigkeit unsicher",
            "a pattern, membership doubtful",
        ),
        StabilityBand::Unstable => lang.pick("nicht verlässlich", "not reliable"),
    }
}

fn agreement_words(ari: f64, lang: Lang) -> &'static str {
    match AgreementBand::of(ari) {
        AgreementBand::Excellent => lang.pick("sehr gut", "excellent"),
        AgreementBand::Good => lang.pick("gut", "good"),
        AgreementBand::Moderate => lang.pick("mäßig", "moderate"),
        AgreementBand::Poor => lang.pick("gering", "poor"),
    }
}

/// The name of a choose-k index in the report's language.
fn index_name(index: KIndex, lang: Lang) -> &'static str {
    match index {
        KIndex::Elbow => lang.pick("Ellbogen", "elbow"),
        other => choose_k::index_name(other, lang),
    }
}

/// Headings, in the report's language.
struct Headings {
    summary: &'static str,
    contents: &'static str,
    reading: &'static str,
    terms: &'static str,
    rules: &'static str,
    overview: String,
    how_many: &'static str,
    robustness: &'static str,
    crosstabs: &'static str,
    appendix: &'static str,
}

fn headings(w: &Words) -> Headings {
    let lang = w.lang;
    Headings {
        summary: lang.pick("Auf einen Blick", "At a glance"),
        contents: lang.pick("Inhalt", "Contents"),
        reading: lang.pick("So lesen Sie diesen Bericht", "How to read this report"),
        terms: lang.pick("Begriffe", "Terms"),
        rules: lang.pick("Regeln der Steckbriefe", "Rules of the profile sheets"),
        overview: match lang {
            Lang::De => format!("Überblick: Größe, {}, Lage der Typen", w.block_profiles()),
            Lang::En => format!("Overview: sizes, {}, map of the types", w.block_profiles()),
        },
        how_many: lang.pick("Wie viele Typen?", "How many types?"),
        robustness: lang.pick("Robustheit", "Robustness"),
        crosstabs: lang.pick("Kreuztabellen nach Typ", "Cross-tabulations by type"),
        appendix: lang.pick(
            "Anhang: Daten und technische Angaben",
            "Appendix: data and technical details",
        ),
    }
}

fn percent(share: f64, lang: Lang) -> String {
    num(100.0 * share, 0, lang) + " %"
}

/// The run's k, and why it is used.
fn why_k(report: &ProfileReport, rob: &Robustness) -> String {
    let lang = report.lang;
    let study = report.k == 4
        && report
            .types
            .iter()
            .all(|t| t.name_margin.is_some() && t.motto.is_some());
    let supported = rob.choose_k.recommended == Some(report.k);
    let pointing = rob
        .choose_k
        .choices
        .iter()
        .filter(|c| c.k == Some(report.k))
        .count();
    let of = rob.choose_k.choices.len();
    let reason = match (study, lang) {
        (true, Lang::De) => "weil die Studie vier Typen beschreibt und dieser Bericht sie nachbildet: Wie viele Typen man unterscheidet, ist bei Bewertungsskalen eine inhaltliche Entscheidung, die Kennzahlen geben sie selten eindeutig vor".to_string(),
        (true, Lang::En) => "because the study describes four types and this report reproduces them: on rating scales how many types to tell apart is a substantive choice that the indices rarely settle".to_string(),
        (false, Lang::De) => "wie für diesen Lauf gewählt (Option --k)".to_string(),
        (false, Lang::En) => "as chosen for this run (option --k)".to_string(),
    };
    let support = match (supported, lang) {
        (true, Lang::De) => " Die Kennzahlen stützen diese Wahl.".to_string(),
        (true, Lang::En) => " The indices support this choice.".to_string(),
        (false, Lang::De) => match pointing {
            0 => format!(" Keine der Kennzahlen zeigt auf k = {}.", report.k),
            1 => format!(" Eine der {} Kennzahlen zeigt auf k = {}.", of, report.k),
            n => format!(" {n} der {of} Kennzahlen zeigen auf k = {}.", report.k),
        },
        (false, Lang::En) => match pointing {
            0 => format!(" None of the indices points to k = {}.", report.k),
            1 => format!(" One of the {of} indices points to k = {}.", report.k),
            n => format!(" {n} of the {of} indices point to k = {}.", report.k),
        },
    };
    format!(
        "{} k = {}, {reason}.{support}",
        lang.pick("Der Bericht verwendet", "The report uses"),
        report.k
    )
}

/// "k = 2: silhouette, Calinski-Harabasz; k = 3: …": which index prefers which k.
fn preferred_ks(rob: &Robustness, lang: Lang) -> String {
    let mut ks: Vec<usize> = rob.choose_k.choices.iter().filter_map(|c| c.k).collect();
    ks.sort_unstable();
    ks.dedup();
    ks.iter()
        .map(|&k| {
            let names: Vec<String> = rob
                .choose_k
                .choices
                .iter()
                .filter(|c| c.k == Some(k))
                .map(|c| index_name(c.index, lang).to_string())
                .collect();
            format!("k = {k} ({})", names.join(", "))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn signature_goals(report: &ProfileReport, g: usize) -> String {
    let t = &report.types[g];
    let marked: Vec<&str> = t
        .goals
        .iter()
        .filter(|g| g.signature)
        .map(|g| g.label.as_str())
        .collect();
    if !marked.is_empty() {
        return marked.join(", ");
    }
    // a group without a published type: what sets it apart, above and below all, as its
    // description says it ("high: A5, E4; low: N1")
    let profile: Vec<f64> = t.goals.iter().map(|g| g.standardised_difference).collect();
    let labels: Vec<String> = t.goals.iter().map(|g| g.label.clone()).collect();
    super::typology::description(&profile, &labels, report.lang)
}

fn summary(report: &ProfileReport, rob: &Robustness, h: &Headings) -> Vec<Block> {
    let (lang, w) = (report.lang, &report.words);
    let (units, block, study) = (w.units(), w.block(), w.is_study());
    let (a_unit, its) = (w.a_unit(), w.its_dative());
    let mut d = Document::default();
    d.heading(2, h.summary);
    if report.source.synthetic {
        d.paragraph(Text::strong(match lang {
            Lang::De => format!(
                "Die Zahlen stammen aus synthetischen Ersatzdaten, nicht aus den Antworten der {units}; sie sagen nichts über echte {units}."
            ),
            Lang::En => format!(
                "The numbers come from synthetic stand-in data, not the {} answers; they say nothing about real {units}.",
                w.units_possessive()
            ),
        }));
    }
    d.paragraph(super::profile_sheet::weighting_sentence(report));
    let variables = report.types.first().map_or(0, |t| t.goals.len());
    // the study's block is its digitalisation goals, rated by priority
    let answered = match (study, lang) {
        (true, Lang::De) => {
            "Digitalisierungsziele nach ihrer Priorität bewertet. Nach diesen Bewertungen".into()
        }
        (true, Lang::En) => {
            format!("rated all {variables} digitalisation {block} by priority. By these ratings")
        }
        (false, Lang::De) => format!("{block} beantwortet. Nach diesen Antworten"),
        (false, Lang::En) => format!("answered all {variables} {block}. By these answers"),
    };
    d.paragraph(Text::from(match lang {
        Lang::De => format!(
            "{} der {} befragten {units} haben alle {variables} {answered} lassen sie sich in {} Typen gruppieren:",
            report.clustered, report.rows, report.k
        ),
        Lang::En => format!(
            "{} of the {} {units} surveyed {answered} they fall into {} types:",
            report.clustered, report.rows, report.k
        ),
    }));
    d.table(
        vec![
            lang.pick("Typ", "Type").into(),
            w.units_capitalised(),
            match (study, lang) {
                (true, _) => lang.pick(
                    "Kennziele (was der Typ betont)",
                    "Signature goals (what the type stresses)",
                ),
                (false, _) => lang.pick(
                    "Kennzeichen (was im Typ hervorsticht)",
                    "Marks (what stands out in the type)",
                ),
            }
            .into(),
            lang.pick("Stabilität", "Stability").into(),
        ],
        report
            .types
            .iter()
            .enumerate()
            .map(|(g, t)| {
                let s = &rob.stability.types[g];
                vec![
                    t.name.clone(),
                    format!("{} ({})", t.n, num(t.share, 0, lang) + " %"),
                    signature_goals(report, g),
                    format!(
                        "{} ({})",
                        num(s.mean_jaccard, 2, lang),
                        stability_words(s.band, lang)
                    ),
                ]
            })
            .collect(),
        vec![false, true, false, false],
    );
    let (band, reading) = structure_words(rob.structure, &report.words);
    d.paragraph(
        Text::strong(lang.pick("Wie klar sind die Typen? ", "How clear are the types? ")).plain(
            match lang {
                Lang::De => format!(
                    "Die mittlere Silhouette beträgt {} (sie misst, wie eindeutig {a_unit} zu {its} Typ statt zum nächsten passt: 1 eindeutig, 0 genau dazwischen, negativ eher beim anderen Typ). Nach der üblichen Einteilung von Kaufman und Rousseeuw (1990: über 0,70 stark, 0,51 bis 0,70 brauchbar, 0,26 bis 0,50 schwach, bis 0,25 keine substanzielle Struktur) heißt das: {band}. {reading}",
                    num(rob.mean_silhouette, 2, lang)
                ),
                Lang::En => format!(
                    "The mean silhouette is {} (it measures how clearly {a_unit} fits its own type rather than the next one: 1 clearly, 0 exactly in between, negative rather the other type). On the usual bands of Kaufman and Rousseeuw (1990: above 0.70 strong, 0.51 to 0.70 reasonable, 0.26 to 0.50 weak, up to 0.25 no substantial structure) this means {band}. {reading}",
                    num(rob.mean_silhouette, 2, lang)
                ),
            },
        ),
    );
    let js: Vec<f64> = rob.stability.types.iter().map(|t| t.mean_jaccard).collect();
    let lo = js.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = js.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    d.paragraph(
        Text::strong(lang.pick("Wie verlässlich? ", "How reliable? ")).plain(match lang {
            Lang::De => format!(
                "Zieht man die {units} {}-mal zufällig neu (mit Zurücklegen) und gruppiert jedes Mal neu, finden sich die Mitglieder eines Typs zu {} bis {} wieder zusammen (Jaccard-Ähnlichkeit, 0 bis 1; nach Hennig ab 0,75 stabil, ab 0,85 sehr stabil). Die Spalte »Stabilität« oben zeigt den Wert je Typ.",
                rob.stability.resamples,
                num(lo, 2, lang),
                num(hi, 2, lang)
            ),
            Lang::En => format!(
                "Drawing the {units} anew {} times (with replacement) and grouping each draw again, the members of a type end up together again with a Jaccard similarity of {} to {} (0 to 1; after Hennig 0.75 and more is stable, 0.85 and more highly stable). The column \"Stability\" above shows each type's value.",
                rob.stability.resamples,
                num(lo, 2, lang),
                num(hi, 2, lang)
            ),
        }),
    );
    d.paragraph(
        Text::strong(lang.pick("Wie viele Typen? ", "How many types? ")).plain(match lang {
            Lang::De => format!(
                "Fünf übliche Kennzahlen für die Zahl der Gruppen (k = {} bis {} verglichen) bevorzugen: {}. {}",
                rob.choose_k.k_min,
                rob.choose_k.k_max,
                preferred_ks(rob, lang),
                why_k(report, rob)
            ),
            Lang::En => format!(
                "Five usual indices for the number of groups (k = {} to {} compared) prefer: {}. {}",
                rob.choose_k.k_min,
                rob.choose_k.k_max,
                preferred_ks(rob, lang),
                why_k(report, rob)
            ),
        }),
    );
    let ward = &rob.ward;
    let mut other = match lang {
        Lang::De => format!(
            "Ein hierarchisches Verfahren (Ward) findet Gruppen, die mit den Typen {} übereinstimmen (bereinigter Rand-Index {}: 1 gleich, 0 zufällig)",
            agreement_words(ward.ari_ward_types, lang),
            num(ward.ari_ward_types, 2, lang)
        ),
        Lang::En => format!(
            "A hierarchical method (Ward's) finds groups whose agreement with the types is {} (adjusted Rand index {}: 1 identical, 0 chance)",
            agreement_words(ward.ari_ward_types, lang),
            num(ward.ari_ward_types, 2, lang)
        ),
    };
    if let Some(m) = &rob.mixture {
        other.push_str(&match lang {
            Lang::De => format!(
                "; ein statistisches Mischmodell bevorzugt {} Gruppen",
                m.best_k
            ),
            Lang::En => format!("; a statistical mixture model prefers {} groups", m.best_k),
        });
    }
    other.push_str(&match lang {
        Lang::De => format!(
            "; {} von {} {} behalten ihren Typ, wenn man ihr allgemeines Bewertungsniveau herausrechnet. ",
            rob.response_style.kept,
            rob.response_style.n,
            w.units_dative()
        ),
        Lang::En => format!(
            "; {} of {} {units} keep their type when their overall rating level is taken out. ",
            rob.response_style.kept, rob.response_style.n
        ),
    });
    d.paragraph(
        Text::strong(lang.pick("Andere Verfahren: ", "Other methods: "))
            .plain(other)
            .link(
                lang.pick("Mehr dazu: Robustheit.", "More: Robustness."),
                h.robustness,
            ),
    );
    vec![Block::Section {
        class: "summary".into(),
        blocks: d.blocks,
    }]
}

/// Every technical term of the report in plain words.
fn terms(w: &Words) -> Vec<(String, Text)> {
    let (lang, study) = (w.lang, w.is_study());
    let (units, block) = (w.units(), w.block());
    let (a_unit, its) = (w.a_unit(), w.its_dative());
    // what the types are grouped by, what marks a type, and what a standardised difference
    // compares: the study's goal priorities, or another survey's answers on its block
    let (grouped_by, marks, difference) = match (study, lang) {
        (true, Lang::De) => (
            format!("Die Typen sind Gruppen von {} mit ähnlichen Zielprioritäten.", w.units_dative()),
            ("Kennziel (★)", "Ein Ziel, das die Studie für den Typ nennt.".to_string()),
            "bewertet das Ziel",
        ),
        (true, Lang::En) => (
            format!("The types are groups of {units} with similar goal priorities."),
            ("Signature goal (★)", "A goal the study names for the type.".to_string()),
            "rates the goal",
        ),
        (false, Lang::De) => (
            format!("Die Typen sind Gruppen mit ähnlichen Antworten auf die {block}."),
            ("Kennzeichen (★)", "Was den Typ auszeichnet: die Variablen, auf denen er mindestens eine halbe Standardabweichung über oder unter allen liegt.".to_string()),
            "beantwortet die Variable",
        ),
        (false, Lang::En) => (
            format!("The types are groups of {units} with similar answers on the {block}."),
            ("Signature (★)", "What marks the type: the variables on which it lies at least half a standard deviation above or below all.".to_string()),
            "answers the variable",
        ),
    };
    let named = match (study, lang) {
        (true, Lang::De) => "benannt werden die Gruppen nach den Typen der Studie",
        (true, Lang::En) => "the groups are named after the study's types",
        (false, Lang::De) => {
            "nummeriert werden die Gruppen nach ihrer Größe, benannt nach einer Typendatei"
        }
        (false, Lang::En) => "the groups are numbered by size, or named after a types file",
    };
    let (profile, profiles) = (w.block_profile(), w.block_profiles());
    let response_style = match (study, lang) {
        (_, Lang::De) => format!(
            "Manche {units} bewerten alle {block} hoch, andere alle niedrig (Antwortstil); die Prüfung zieht von {} {} eigenes Mittel ab und gruppiert neu. Die Hauptkomponenten sind die zwei Richtungen, in denen sich die {profiles} am stärksten unterscheiden: die Karte zeigt {} darin als Punkt.",
            w.each_unit_dative(),
            w.its_neuter(),
            w.each_unit_accusative()
        ),
        (true, Lang::En) => format!(
            "Some {units} rate every goal high, others every goal low (response style); the check takes {} own mean out and groups again. The principal components are the two directions in which the {profiles} differ most: the map shows {} in them as a point.",
            w.each_units(),
            w.each_unit_accusative()
        ),
        (false, Lang::En) => format!(
            "Some {units} rate all {block} high, others all low (response style); the check takes {} own mean out and groups again. The principal components are the two directions in which the {profiles} differ most: the map shows {} in them as a point.",
            w.each_units(),
            w.each_unit_accusative()
        ),
    };
    let texts: [(&str, &str, String); 13] = [
        (
            "Typ, k-means", "Type, k-means",
            match lang {
                Lang::De => format!("{grouped_by} k-means teilt die {units} so in k Gruppen, dass jede ihrem Gruppenmittel (dem Zentrum des Typs) möglichst nahe liegt; {named}."),
                Lang::En => format!("{grouped_by} k-means splits the {units} into k groups so that each lies as close as possible to its group's mean (the type's centre); {named}."),
            },
        ),
        (marks.0, marks.0, marks.1),
        (
            "Standardisierte Differenz", "Standardised difference",
            match lang {
                Lang::De => format!("Mittel des Typs minus Mittel aller, geteilt durch die typische Streuung (Standardabweichung) aller: +0,5 heißt, der Typ {difference} eine halbe typische Streuung höher als der Durchschnitt."),
                Lang::En => format!("The type's mean minus the mean of all, divided by the typical spread (standard deviation) of all: +0.5 means the type {difference} half a typical spread above the average."),
            },
        ),
        (
            "Silhouette", "Silhouette",
            match lang {
                Lang::De => format!("Wie eindeutig {a_unit} zu {its} Typ passt: 1 eindeutig, 0 genau zwischen zwei Typen, negativ eher beim nächsten Typ. Das Mittel über alle sagt, wie klar die Typen getrennt sind (Kaufman und Rousseeuw 1990: über 0,70 stark, 0,51 bis 0,70 brauchbar, 0,26 bis 0,50 schwach, bis 0,25 keine substanzielle Struktur)."),
                Lang::En => format!("How clearly {a_unit} fits its type: 1 clearly, 0 exactly between two types, negative rather the next type. The mean over all says how clearly the types are apart (Kaufman and Rousseeuw 1990: above 0.70 strong, 0.51 to 0.70 reasonable, 0.26 to 0.50 weak, up to 0.25 no substantial structure)."),
            },
        ),
        (
            "Namensvorsprung", "Name margin",
            match lang {
                Lang::De => format!("Wie viel besser der gewählte Name zum {profile} der Gruppe passt als der nächstbeste Typname (in Standardabweichungen); unter 0,2 ist der Name fraglich."),
                Lang::En => format!("How much better the chosen name fits the group's {profile} than the next best type name (in standard deviations); below 0.2 the name is doubtful."),
            },
        ),
        (
            "Kreuztabelle, Chi-Quadrat-Test, p-Wert", "Cross-tab, chi-square test, p value",
            lang.pick(
                "Eine Kreuztabelle zeigt, wie die Antworten auf eine Frage über die Typen verteilt sind. Der Chi-Quadrat-Test prüft, ob sie sich zwischen den Typen unterscheiden; der p-Wert ist die Wahrscheinlichkeit, einen mindestens so großen Unterschied rein zufällig zu sehen. Unter 0,05 gilt der Unterschied als gesichert (signifikant); bei vielen Tests ist das ein Hinweis, kein Beweis.",
                "A cross-tab shows how the answers to a question are spread over the types. The chi-square test checks whether they differ between the types; the p value is the probability of seeing a difference at least this large by chance alone. Below 0.05 the difference counts as established (significant); with many tests that is a pointer, not proof.",
            ).into(),
        ),
        (
            "Cramérs V", "Cramér's V",
            lang.pick(
                "Wie stark Typ und Antwort zusammenhängen, von 0 (gar nicht) bis 1 (vollständig): um 0,1 schwach, um 0,3 mittel, ab 0,5 stark.",
                "How strongly type and answer go together, from 0 (not at all) to 1 (completely): about 0.1 weak, about 0.3 moderate, 0.5 and more strong.",
            ).into(),
        ),
        (
            "Angepasstes standardisiertes Residuum (▲/▼)", "Adjusted standardised residual (▲/▼)",
            lang.pick(
                "Wie weit eine Zelle der Kreuztabelle von dem abweicht, was ohne Zusammenhang zu erwarten wäre, in Standardfehlern. Ab +1,96 ist die Antwort im Typ überrepräsentiert (▲), ab −1,96 unterrepräsentiert (▼).",
                "How far a cell of the cross-tab is from what no association would lead one to expect, in standard errors. From +1.96 the answer is over-represented in the type (▲), from −1.96 under-represented (▼).",
            ).into(),
        ),
        (
            "Bootstrap, Jaccard-Stabilität", "Bootstrap, Jaccard stability",
            match lang {
                Lang::De => format!("Die {units} werden vielfach zufällig neu gezogen (mit Zurücklegen, wie bei einer neuen Befragung) und jedes Mal neu gruppiert. Die Jaccard-Ähnlichkeit sagt, welcher Teil der Mitglieder eines Typs wieder in einer Gruppe landet (1 alle). Nach Hennig (2007): ab 0,85 sehr stabil, ab 0,75 stabil, 0,6 bis 0,75 ein Muster mit unsicherer Zugehörigkeit, darunter nicht verlässlich; ein Typ mit höchstens 0,5 gilt in dieser Ziehung als aufgelöst."),
                Lang::En => format!("The {units} are drawn anew many times at random (with replacement, as in a new survey) and grouped again each time. The Jaccard similarity says which part of a type's members ends up in one group again (1 all). After Hennig (2007): 0.85 and more highly stable, 0.75 and more stable, 0.6 to 0.75 a pattern with doubtful membership, below that not reliable; a type at 0.5 or less counts as dissolved in that draw."),
            },
        ),
        (
            "Bereinigter Rand-Index (ARI)", "Adjusted Rand index (ARI)",
            match lang {
                Lang::De => format!("Wie gut zwei Einteilungen derselben {units} übereinstimmen: 1 gleich, 0 nicht besser als zufällig. Nach Steinley (2004): ab 0,90 sehr gut, ab 0,80 gut, ab 0,65 mäßig, darunter gering."),
                Lang::En => format!("How well two partitions of the same {units} agree: 1 identical, 0 no better than chance. After Steinley (2004): 0.90 and more excellent, 0.80 good, 0.65 moderate, below that poor."),
            },
        ),
        (
            "Kennzahlen für die Zahl der Typen", "Indices for the number of types",
            lang.pick(
                "Ellbogen: ab welcher Zahl eine weitere Gruppe die Streuung innerhalb der Gruppen kaum noch senkt. Silhouette: die Zahl mit der höchsten mittleren Silhouette. Calinski-Harabasz: Streuung zwischen den Gruppen im Verhältnis zur Streuung in den Gruppen, höher ist besser. Davies-Bouldin: wie ähnlich sich die Gruppen im Mittel sind, niedriger ist besser. Gap-Statistik: wie viel dichter die Gruppen sind als in gleichmäßig verteilten Zufallsdaten.",
                "Elbow: from which number another group hardly lowers the spread within the groups. Silhouette: the number with the highest mean silhouette. Calinski-Harabasz: spread between the groups relative to the spread within them, higher is better. Davies-Bouldin: how alike the groups are on average, lower is better. Gap statistic: how much tighter the groups are than in evenly spread random data.",
            ).into(),
        ),
        (
            "Ward-Verfahren, Gaußsches Mischmodell, BIC", "Ward's method, Gaussian mixture model, BIC",
            lang.pick(
                "Zwei andere Wege zu Gruppen: Ward fügt Schritt für Schritt die zwei Gruppen zusammen, deren Vereinigung die Streuung am wenigsten erhöht. Ein Mischmodell beschreibt jede Gruppe als Glockenkurve; das BIC (Bayessches Informationskriterium) wägt, wie gut es passt, gegen die Zahl seiner Parameter ab und wählt so die Zahl der Gruppen.",
                "Two other routes to groups: Ward's method merges, step by step, the two groups whose union raises the spread least. A mixture model describes each group as a bell curve; the BIC (Bayesian information criterion) weighs how well it fits against its number of parameters and so picks the number of groups.",
            ).into(),
        ),
        (
            "Antwortstil, Hauptkomponenten", "Response style, principal components",
            response_style,
        ),
    ];
    texts
        .into_iter()
        .map(|(de, en, text)| (lang.pick(de, en).to_string(), Text::from(text)))
        .collect()
}

/// What a chart of the overview adds to its title: how to read it.
fn caption(stem: &str, report: &ProfileReport, rob: &Robustness) -> String {
    let (lang, w) = (report.lang, &report.words);
    let (units, block, study) = (w.units(), w.block(), w.is_study());
    let (a_unit, pronoun, its) = (w.a_unit(), w.pronoun(), w.its_dative());
    // the study's goals are rated by priority; another survey's block is answered
    let (missing, row, mean, marks, similar) = match (study, lang) {
        (true, Lang::De) => (
            "Zielangaben".to_string(),
            "ein Ziel",
            "die mittlere Priorität",
            "die Kennziele eines Typs liegen deutlich darüber",
            "Zielprioritäten".to_string(),
        ),
        (true, Lang::En) => (
            "goal ratings".to_string(),
            "goal",
            "mean priority",
            "a type's signature goals lie well above it",
            "goal priorities".to_string(),
        ),
        (false, Lang::De) => (
            format!("Angaben zu den {}", w.block_dative()),
            "eine Variable",
            "die mittlere Antwort",
            "was einen Typ auszeichnet, liegt deutlich darüber oder darunter",
            "Antworten".to_string(),
        ),
        (false, Lang::En) => (
            format!("answers on the {block}"),
            "variable",
            "mean answer",
            "what marks a type lies well above or below it",
            format!("answers on the {block}"),
        ),
    };
    match stem {
        "type-sizes" => match lang {
            Lang::De => format!(
                "Nicht enthalten: {} {units} ohne vollständige {missing}. Kein Typ ist eine kleine Randgruppe.",
                report.left_out
            ),
            Lang::En => format!(
                "Not included: {} {units} without complete {missing}. No type is a small fringe group.",
                report.left_out
            ),
        },
        "goal-heatmap" => match lang {
            Lang::De => format!(
                "Lesart: Je Spalte ein Typ, je Zeile {row}; die Zahl ist {mean}. Vergleichen Sie eine Zelle mit der Spalte »alle«: {marks}."
            ),
            Lang::En => format!(
                "How to read it: a column per type, a row per {row}; the number is the {mean}. Compare a cell with the column \"all\": {marks}."
            ),
        },
        "pca-map" => match lang {
            Lang::De => format!(
                "Lesart: Jeder Punkt ist {a_unit}; nahe Punkte haben ähnliche {similar}. Die Wolken der Typen gehen ineinander über: die Grenzen zwischen den Typen sind fließend."
            ),
            Lang::En => format!(
                "How to read it: each point is {a_unit}; points close together have similar {similar}. The types' clouds merge into each other: the borders between types are fluid."
            ),
        },
        "silhouettes" => match lang {
            Lang::De => format!(
                "Lesart: Jeder Strich ist {a_unit}; rechts der Null passt {pronoun} besser zu {its} Typ als zum nächsten, links davon eher zum nächsten. Mittel {}: {}.",
                num(rob.mean_silhouette, 2, lang),
                structure_words(rob.structure, &report.words).0
            ),
            Lang::En => format!(
                "How to read it: each line is {a_unit}; right of zero it fits its type better than the next one, left of zero rather the next one. Mean {}: {}.",
                num(rob.mean_silhouette, 2, lang),
                structure_words(rob.structure, &report.words).0
            ),
        },
        _ => String::new(),
    }
}

fn how_many(report: &ProfileReport, rob: &Robustness, h: &Headings) -> Vec<Block> {
    let lang = report.lang;
    let ck = &rob.choose_k;
    let mut d = Document::default();
    d.heading(2, h.how_many);
    d.paragraph(Text::from(match lang {
        Lang::De => format!(
            "Für jede Zahl von Gruppen k = {} bis {} wurde k-means gerechnet ({} Starts je k, Seed {}; Gap-Statistik mit {} Zufallsdatensätzen) und mit fünf Kennzahlen bewertet (siehe ",
            ck.k_min, ck.k_max, ck.starts, rob.seed, ck.gap_references
        ),
        Lang::En => format!(
            "For every number of groups k = {} to {} k-means was run ({} starts per k, seed {}; gap statistic with {} random data sets) and rated by five indices (see ",
            ck.k_min, ck.k_max, ck.starts, rob.seed, ck.gap_references
        ),
    })
    .link(h.terms, h.terms)
    .plain(")."));
    d.table(
        vec![
            "k".into(),
            lang.pick("Streuung in den Gruppen", "within-group spread")
                .into(),
            "Silhouette".into(),
            "Calinski-Harabasz".into(),
            "Davies-Bouldin".into(),
            lang.pick("Gap (± Standardfehler)", "gap (± standard error)")
                .into(),
        ],
        ck.scores
            .iter()
            .map(|s| {
                let mark = if s.k == report.k { " ◀" } else { "" };
                vec![
                    format!("{}{mark}", s.k),
                    num(s.wss, 0, lang),
                    num(s.silhouette, 3, lang),
                    num(s.calinski_harabasz, 1, lang),
                    num(s.davies_bouldin, 3, lang),
                    format!("{} ± {}", num(s.gap, 3, lang), num(s.gap_se, 3, lang)),
                ]
            })
            .collect(),
        vec![true; 6],
    );
    d.paragraph(Text::from(match lang {
        Lang::De => format!(
            "◀ die Zahl der Typen dieses Berichts. Es bevorzugen: {}.",
            preferred_ks(rob, lang)
        ),
        Lang::En => format!(
            "◀ the number of types of this report. Preferred: {}.",
            preferred_ks(rob, lang)
        ),
    }));
    d.paragraph(Text::strong(lang.pick("Lesart: ", "Reading: ")).plain(why_k(report, rob)));
    d.blocks
}

/// A reading of a check's numbers in plain words, after them.
fn reading(d: &mut Document, lang: Lang, text: String) {
    d.paragraph(Text::strong(lang.pick("Lesart: ", "Reading: ")).plain(text));
}

/// The types' names in the report's order.
fn type_names(report: &ProfileReport) -> Vec<&str> {
    report.types.iter().map(|t| t.name.as_str()).collect()
}

/// How clearly the types are apart: the mean silhouette and its reading.
fn silhouette_check(d: &mut Document, report: &ProfileReport, rob: &Robustness) {
    let lang = report.lang;
    d.heading(
        3,
        lang.pick(
            "Wie klar die Typen getrennt sind",
            "How clearly the types are apart",
        ),
    );
    let (band, words) = structure_words(rob.structure, &report.words);
    d.paragraph(Text::from(match lang {
        Lang::De => format!(
            "Mittlere Silhouette {} (Kaufman und Rousseeuw 1990): {band}. Je Typ: {}.",
            num(rob.mean_silhouette, 2, lang),
            report
                .types
                .iter()
                .map(|t| format!("{} {}", t.name, num(t.mean_silhouette, 2, lang)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Lang::En => format!(
            "Mean silhouette {} (Kaufman and Rousseeuw 1990): {band}. Per type: {}.",
            num(rob.mean_silhouette, 2, lang),
            report
                .types
                .iter()
                .map(|t| format!("{} {}", t.name, num(t.mean_silhouette, 2, lang)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }));
    reading(d, lang, words.to_string());
}

/// How stable each type is under bootstrap resampling.
fn stability_check(d: &mut Document, report: &ProfileReport, rob: &Robustness) {
    let (lang, units) = (report.lang, report.words.units());
    let names = type_names(report);
    d.heading(
        3,
        lang.pick("Stabilität beim Neuziehen", "Stability under resampling"),
    );
    let st = &rob.stability;
    d.paragraph(Text::from(match lang {
        Lang::De => format!(
            "{} Bootstrap-Stichproben (die {units} mit Zurücklegen neu gezogen), jede mit k-means neu gruppiert ({} Starts, Seed {}); je Typ die mittlere Jaccard-Ähnlichkeit mit der am besten passenden neuen Gruppe und wie oft er sich auflöste (Jaccard höchstens 0,5). Bereinigter Rand-Index zur ursprünglichen Einteilung im Mittel {}.",
            st.resamples, st.starts, rob.seed, num(st.mean_ari, 2, lang)
        ),
        Lang::En => format!(
            "{} bootstrap samples (the {units} drawn anew with replacement), each grouped again by k-means ({} starts, seed {}); per type the mean Jaccard similarity with the best-matching new group and how often it dissolved (Jaccard at most 0.5). Adjusted Rand index with the original partition: {} on average.",
            st.resamples, st.starts, rob.seed, num(st.mean_ari, 2, lang)
        ),
    }));
    d.table(
        vec![
            lang.pick("Typ", "Type").into(),
            lang.pick("mittlere Jaccard-Ähnlichkeit", "mean Jaccard similarity")
                .into(),
            lang.pick("aufgelöst", "dissolved").into(),
            lang.pick("Bewertung (Hennig)", "reading (Hennig)").into(),
        ],
        st.types
            .iter()
            .zip(&names)
            .map(|(s, name)| {
                vec![
                    name.to_string(),
                    num(s.mean_jaccard, 2, lang),
                    percent(s.dissolved, lang),
                    stability_words(s.band, lang).into(),
                ]
            })
            .collect(),
        vec![false, true, true, false],
    );
    let weak: Vec<&str> = st
        .types
        .iter()
        .zip(&names)
        .filter(|(s, _)| s.mean_jaccard < 0.75)
        .map(|(_, n)| *n)
        .collect();
    reading(
        d,
        lang,
        if weak.is_empty() {
            match lang {
                Lang::De => format!(
                    "Hätte man andere {units} befragt, fänden sich alle Typen weitgehend wieder."
                ),
                Lang::En => format!(
                    "Had other {units} been surveyed, every type would largely be found again."
                ),
            }
        } else {
            match lang {
                Lang::De => format!(
                    "Hätte man andere {units} befragt, fänden sich nicht alle Typen verlässlich wieder: {} ist unsicher.",
                    weak.join(", ")
                ),
                Lang::En => format!(
                    "Had other {units} been surveyed, not every type would reliably be found again: {} is uncertain.",
                    weak.join(", ")
                ),
            }
        },
    );
}

/// Ward's clustering and k-means from its centres against the types.
fn ward_check_text(d: &mut Document, report: &ProfileReport, rob: &Robustness) {
    let (lang, words) = (report.lang, &report.words);
    let (units, block, dative) = (words.units(), words.block_dative(), words.units_dative());
    let names = type_names(report);
    d.heading(
        3,
        lang.pick("Ward-Verfahren und k-means", "Ward's method and k-means"),
    );
    let w = &rob.ward;
    let mut ward_text = match lang {
        Lang::De => format!(
            "Ward-Verfahren auf denselben {block} und derselben Skalierung, in {k} Gruppen geschnitten (wie R: hclust mit »ward.D2«). Übereinstimmung mit den Typen: bereinigter Rand-Index {} ({}). k-means, gestartet von den Zentren der Ward-Gruppen (das übliche Zwei-Schritt-Verfahren): {} ({}) mit den Typen; Ward und dieses k-means untereinander {}.",
            num(w.ari_ward_types, 2, lang),
            agreement_words(w.ari_ward_types, lang),
            num(w.ari_two_step_types, 2, lang),
            agreement_words(w.ari_two_step_types, lang),
            num(w.ari_ward_two_step, 2, lang),
            k = report.k
        ),
        Lang::En => format!(
            "Ward's method on the same {block} and scaling, cut into {k} groups (as R's hclust with \"ward.D2\"). Agreement with the types: adjusted Rand index {} ({}). k-means started from the centres of Ward's groups (the usual two-step procedure): {} ({}) with the types; Ward and this k-means with each other {}.",
            num(w.ari_ward_types, 2, lang),
            agreement_words(w.ari_ward_types, lang),
            num(w.ari_two_step_types, 2, lang),
            agreement_words(w.ari_two_step_types, lang),
            num(w.ari_ward_two_step, 2, lang),
            k = report.k
        ),
    };
    if let Some(n) = w.sample {
        ward_text.push_str(&match lang {
            Lang::De => format!(" Die {units} haben mehr Antwortmuster, als das Ward-Verfahren aufnimmt: es lief auf einer Zufallsstichprobe von {n} {dative} (Seed {}), und diese Zahlen und die Tabelle gelten für sie.", rob.seed),
            Lang::En => format!(" The {units} have more answer patterns than Ward's method takes: it ran on a seeded sample of {n} {units} (seed {}), and these numbers and the table are the sample's.", rob.seed),
        });
    }
    d.paragraph(Text::from(ward_text));
    let mut header = vec![lang
        .pick("Typ \\ Ward-Gruppe", "type \\ Ward group")
        .to_string()];
    header.extend(w.groups.iter().map(|g| g.to_string()));
    let cols = header.len();
    d.table(
        header,
        w.crosstab
            .iter()
            .zip(&names)
            .map(|(row, name)| {
                std::iter::once(name.to_string())
                    .chain(row.iter().map(|c| c.to_string()))
                    .collect()
            })
            .collect(),
        std::iter::once(false)
            .chain(std::iter::repeat_n(true, cols - 1))
            .collect(),
    );
    reading(
        d,
        lang,
        match (AgreementBand::of(w.ari_two_step_types), lang) {
            (AgreementBand::Excellent | AgreementBand::Good, Lang::De) => {
                "Ein anderes Verfahren, richtig gestartet, findet weitgehend dieselben Typen.".into()
            }
            (AgreementBand::Excellent | AgreementBand::Good, Lang::En) => {
                "Another method, properly started, finds largely the same types.".into()
            }
            (_, Lang::De) => {
                "Ein anderes Verfahren findet nur teilweise dieselben Typen: die Einteilung hängt vom Verfahren ab.".into()
            }
            (_, Lang::En) => {
                "Another method finds the same types only in part: the partition depends on the method.".into()
            }
        },
    );
}

/// Which number of groups a Gaussian mixture prefers, and how it agrees with the types.
fn mixture_check(d: &mut Document, report: &ProfileReport, rob: &Robustness) {
    let (lang, units) = (report.lang, report.words.units());
    d.heading(
        3,
        lang.pick("Gaußsches Mischmodell", "Gaussian mixture model"),
    );
    match &rob.mixture {
        Some(m) => {
            let models = m.models.join(", ");
            let at_k = match (&m.at_k_model, m.at_k_ari) {
                (Some(model), Some(ari)) => format!(
                    " {} {} {} ({model}) {}: {} ({}).",
                    lang.pick("Das beste Modell mit", "The best model with"),
                    report.k,
                    lang.pick("Gruppen", "groups"),
                    lang.pick("stimmt mit den Typen überein", "agrees with the types"),
                    num(ari, 2, lang),
                    agreement_words(ari, lang)
                ),
                _ => String::new(),
            };
            d.paragraph(Text::from(format!(
                "{} {models} ({}; {}), k = {} {} {}, {}: {} {} {} k = {}, {}: {} ({}).{at_k}",
                lang.pick(
                    "Mischmodelle mit den Kovarianzstrukturen",
                    "Mixtures with the covariance structures"
                ),
                lang.pick("Namen wie in R's mclust", "named as in R's mclust"),
                lang.pick(
                    "die vollen Strukturen EEE und VVV rechnet »typfrage mixture«",
                    "the full structures EEE and VVV are run by \"typfrage mixture\"",
                ),
                m.k_min,
                lang.pick("bis", "to"),
                m.k_max,
                lang.pick("nach BIC gewählt", "chosen by BIC"),
                lang.pick("bevorzugt wird", "preferred is"),
                m.best_model,
                lang.pick("mit", "with"),
                m.best_k,
                lang.pick("Übereinstimmung mit den Typen", "agreement with the types"),
                num(m.best_ari, 2, lang),
                agreement_words(m.best_ari, lang),
            )));
            let same = m.at_k_ari.is_some_and(|a| a >= 0.80);
            reading(
                d,
                lang,
                match (m.best_k == report.k, same, lang) {
                    (true, _, Lang::De) => "Auch ein statistisches Modell wählt diese Zahl von Typen.".into(),
                    (true, _, Lang::En) => "A statistical model, too, chooses this number of types.".into(),
                    (false, true, Lang::De) => format!(
                        "Ein statistisches Modell würde {} statt {} Gruppen wählen; auf {} Gruppen festgelegt, findet es nahezu dieselben Typen.",
                        m.best_k, report.k, report.k
                    ),
                    (false, true, Lang::En) => format!(
                        "A statistical model would choose {} rather than {} groups; held to {} groups it finds nearly the same types.",
                        m.best_k, report.k, report.k
                    ),
                    (false, false, Lang::De) => format!(
                        "Ein statistisches Modell würde {} statt {} Gruppen wählen und teilt die {units} anders ein.",
                        m.best_k, report.k
                    ),
                    (false, false, Lang::En) => format!(
                        "A statistical model would choose {} rather than {} groups and splits the {units} differently.",
                        m.best_k, report.k
                    ),
                },
            );
        }
        None => d.paragraph(match lang {
            Lang::De => format!("Kein Mischmodell war schätzbar (zu wenige {units})."),
            Lang::En => format!("No mixture model could be estimated (too few {units})."),
        }),
    }
}

/// Whether a type is only a response style (a high or low rating level).
fn response_style_check(d: &mut Document, report: &ProfileReport, rob: &Robustness) {
    let (lang, w) = (report.lang, &report.words);
    let (units, block, a_unit, pronoun) = (w.units(), w.block(), w.a_unit(), w.pronoun());
    let each = match lang {
        Lang::De => w.each_units(),
        Lang::En => crate::show::words::capitalised(&w.each_units()),
    };
    let its = w.its_neuter();
    let names = type_names(report);
    d.heading(3, lang.pick("Antwortstil", "Response style"));
    let rs = &rob.response_style;
    let worst = rs.most_level_dependent;
    d.paragraph(Text::from(match lang {
        Lang::De => format!(
            "Von den Bewertungen {each} wird {its} eigenes Mittel abgezogen, so dass nur zählt, welche {block} {pronoun} über- oder unterdurchschnittlich gewichtet, nicht wie hoch {pronoun} insgesamt bewertet; dann wird mit denselben Einstellungen neu gruppiert. {} von {} {} ({}) behalten ihren Typ (bereinigter Rand-Index {}). Am stärksten vom Bewertungsniveau abhängig: {}; {} der Mitglieder behalten den Typ.",
            rs.kept,
            rs.n,
            w.units_dative(),
            percent(rs.kept_share, lang),
            num(rs.ari, 2, lang),
            names.get(worst).copied().unwrap_or(""),
            percent(rs.kept_shares.get(worst).copied().unwrap_or(0.0), lang)
        ),
        Lang::En => format!(
            "{each} own mean is taken out of its ratings, so that only which {block} it rates above or below its own average counts, not how high it rates overall; then it is grouped again with the same settings. {} of {} {units} ({}) keep their type (adjusted Rand index {}). Most dependent on the rating level: {}, which keeps {} of its members.",
            rs.kept,
            rs.n,
            percent(rs.kept_share, lang),
            num(rs.ari, 2, lang),
            names.get(worst).copied().unwrap_or(""),
            percent(rs.kept_shares.get(worst).copied().unwrap_or(0.0), lang)
        ),
    }));
    d.table(
        vec![
            lang.pick("Typ", "Type").into(),
            lang.pick("behält den Typ", "keeps the type").into(),
            lang.pick(
                "Bewertungsniveau gegenüber allen (Standardabweichungen)",
                "rating level against all (standard deviations)",
            )
            .into(),
        ],
        names
            .iter()
            .enumerate()
            .map(|(g, name)| {
                vec![
                    name.to_string(),
                    percent(rs.kept_shares.get(g).copied().unwrap_or(0.0), lang),
                    signed(rs.level_differences.get(g).copied().unwrap_or(0.0), 2, lang),
                ]
            })
            .collect(),
        vec![false, true, true],
    );
    reading(
        d,
        lang,
        match (rs.kept_share >= 0.8, lang) {
            (true, Lang::De) => format!("Die Typen beruhen überwiegend darauf, welche {block} {a_unit} betont, nicht darauf, wie hoch {pronoun} insgesamt bewertet."),
            (true, Lang::En) => format!("The types rest mostly on which {block} {a_unit} stresses, not on how high {pronoun} rates overall."),
            (false, Lang::De) => format!("Ein Teil der Typen spiegelt vor allem wider, wie hoch {a_unit} insgesamt bewertet, nicht welche {block} {pronoun} betont."),
            (false, Lang::En) => format!("Part of the types mainly reflects how high {a_unit} rates overall, not which {block} {pronoun} stresses."),
        },
    );
}

/// The robustness checks, then `replication` (the replication's blocks, a sixth check, when
/// given).
fn robustness_section(
    report: &ProfileReport,
    rob: &Robustness,
    h: &Headings,
    replication: &[Block],
) -> Vec<Block> {
    let lang = report.lang;
    let mut d = Document::default();
    d.heading(2, h.robustness);
    d.paragraph(match replication.is_empty() {
        true => lang.pick(
            "Fünf Prüfungen, ob die Typen mehr sind als ein Ergebnis des Verfahrens. Alle wurden für diesen Bericht mit dem Seed des Laufs gerechnet; die Einstellungen stehen bei jeder Prüfung.",
            "Five checks whether the types are more than an artefact of the method. All were computed for this report with the run's seed; each check states its settings.",
        ),
        false => lang.pick(
            "Sechs Prüfungen, ob die Typen mehr sind als ein Ergebnis des Verfahrens. Alle wurden für diesen Bericht mit dem Seed des Laufs gerechnet; die Einstellungen stehen bei jeder Prüfung.",
            "Six checks whether the types are more than an artefact of the method. All were computed for this report with the run's seed; each check states its settings.",
        ),
    });

    silhouette_check(&mut d, report, rob);
    stability_check(&mut d, report, rob);
    ward_check_text(&mut d, report, rob);
    mixture_check(&mut d, report, rob);
    response_style_check(&mut d, report, rob);
    d.blocks.extend(replication.iter().cloned());
    d.blocks
}

fn appendix(report: &ProfileReport, rob: &Robustness, h: &Headings) -> Vec<Block> {
    let lang = report.lang;
    let mut d = Document::default();
    d.heading(2, h.appendix);
    d.paragraph(data_paragraph(report));
    let models = MIXTURE_MODELS
        .iter()
        .map(|m| m.name())
        .collect::<Vec<_>>()
        .join(", ");
    let mut items = vec![
        format!(
            "{}: typfrage {}",
            lang.pick("Geschrieben von", "Written by"),
            report.version
        ),
        match lang {
            Lang::De => format!(
                "Robustheit: Bootstrap {} Stichproben × {} Starts; Kennzahlen für k = {}..{} mit {} Starts und {} Gap-Referenzen; Ward (ward.D2) und k-means von den Ward-Zentren; Mischmodelle {models} für k = {}..{}; Antwortstil (zentriert, nicht durch die Streuung geteilt); Seed {}.",
                rob.stability.resamples, rob.stability.starts, rob.choose_k.k_min, rob.choose_k.k_max, rob.choose_k.starts, rob.choose_k.gap_references, rob.choose_k.k_min, CHOOSE_K_MAX, rob.seed
            ),
            Lang::En => format!(
                "Robustness: bootstrap {} samples × {} starts; indices for k = {}..{} with {} starts and {} gap references; Ward (ward.D2) and k-means from the Ward centres; mixtures {models} for k = {}..{}; response style (centred, not divided by the spread); seed {}.",
                rob.stability.resamples, rob.stability.starts, rob.choose_k.k_min, rob.choose_k.k_max, rob.choose_k.starts, rob.choose_k.gap_references, rob.choose_k.k_min, CHOOSE_K_MAX, rob.seed
            ),
        },
        lang.pick(
            "Dieselben Eingaben und derselbe Seed ergeben denselben Bericht, Byte für Byte; manifest.json im selben Ordner hält jede Eingabe und Ausgabe mit ihrem SHA-256, »typfrage verify« rechnet nach.",
            "The same inputs and seed give the same report, byte for byte; manifest.json in the same folder records every input and output with its SHA-256, and \"typfrage verify\" re-runs it.",
        )
        .into(),
    ];
    // the study's mottos, and where they come from (another survey's types have none of them)
    if report.words.is_study() {
        items.insert(
            2,
            lang.pick(
                "Leitsätze: nur der der Bedächtigen ist ein Zitat aus der Studie; die übrigen fassen die Beschreibung des Typs in der Studie in einer Zeile zusammen.",
                "Mottos: only the Deliberate's is quoted from the study; the others sum up the study's description of the type in one line.",
            )
            .into(),
        );
    }
    d.blocks.push(Block::List(items));
    vec![Block::Section {
        class: "appendix".into(),
        blocks: d.blocks,
    }]
}

/// The whole page; `validation` holds the replication's blocks (ending the robustness section)
/// and the threshold tree's (a section after it), either empty when not computed.
pub fn report_page(
    report: &ProfileReport,
    rob: &Robustness,
    pictures: &[Picture],
    crosstab_charts: &[String],
    validation: &[Vec<Block>; 2],
) -> String {
    let lang = report.lang;
    let h = headings(&report.words);
    let picture = |stem: &str, caption: String| {
        pictures
            .iter()
            .find(|(s, _, _, _)| s == stem)
            .map(|(s, title, png, text_px)| Block::Image {
                alt: title.clone(),
                path: format!("charts/{s}.png"),
                png: png.clone(),
                caption,
                text_px: Some(*text_px),
            })
    };
    let mut d = Document::default();
    d.heading(1, &report.title);
    d.blocks.extend(summary(report, rob, &h));
    d.blocks.push(Block::Contents {
        title: h.contents.into(),
        levels: vec![2],
    });

    d.heading(2, h.reading);
    let profile = report.words.block_profile();
    d.paragraph(match lang {
        Lang::De => format!("Der Bericht beginnt mit dem Überblick und den Prüfungen, wie belastbar die Typen sind; dann folgt je Typ ein Steckbrief (Zusammensetzung, {profile}, Stärken, was er von den anderen lernen kann), zuletzt jede Frage des Fragebogens nach Typ. Die Begriffe:"),
        Lang::En => format!("The report starts with the overview and the checks of how far the types hold; then comes a profile sheet per type (composition, {profile}, strengths, what it can learn from the others), last every question of the survey by type. The terms:"),
    });
    d.heading(3, h.terms);
    d.blocks.push(Block::Terms(terms(&report.words)));
    d.heading(3, h.rules);
    d.blocks.push(Block::List(rules(report)));

    d.heading(2, &h.overview);
    for stem in ["type-sizes", "goal-heatmap", "pca-map", "silhouettes"] {
        if let Some(b) = picture(stem, caption(stem, report, rob)) {
            d.blocks.push(b);
        }
    }
    d.blocks.extend(how_many(report, rob, &h));
    d.blocks
        .extend(robustness_section(report, rob, &h, &validation[0]));
    d.blocks.extend(validation[1].iter().cloned());

    for (g, t) in report.types.iter().enumerate() {
        let stem = format!("profile-{}", t.id);
        let chart = pictures
            .iter()
            .find(|(s, _, _, _)| *s == stem)
            .map(|(_, _, png, text_px)| (format!("charts/{stem}.png"), png, *text_px));
        let mut sheet = type_document(
            report,
            g,
            chart
                .as_ref()
                .map(|(p, png, text_px)| (p.as_str(), png.as_slice(), Some(*text_px))),
            2,
            false,
        );
        sheet.paragraph(
            Text::from(lang.pick(
                "Jede weitere Frage nach Typ: ",
                "Every other question by type: ",
            ))
            .link(h.crosstabs, h.crosstabs)
            .plain("."),
        );
        d.blocks.push(chapter(sheet.blocks));
    }
    let mut crosstabs = crosstabs_document(report, 2);
    for v in crosstab_charts {
        if let Some(b) = picture(&format!("crosstab-{v}"), String::new()) {
            crosstabs.blocks.insert(2, b);
        }
    }
    d.blocks.push(chapter(crosstabs.blocks));
    d.blocks.extend(appendix(report, rob, &h));
    html_page(&report.title, lang.as_str(), &d.html_body())
}
