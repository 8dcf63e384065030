//! Validation by replication as people read it: `validation.csv` ([`validation_table`]) and its
//! console table with the rule's k ([`validation_text`]), `splits.csv` ([`splits_table`]) and the
//! chart of how the types split from one k to the next ([`splits_chart`]), and the report's
//! section on both ([`report_blocks`]).

use super::typology::type_name;
use crate::cluster::replication::{KTypes, Replication, SplitStep, PREDICTION_STRENGTH_CUTOFF};
use crate::lang::Lang;
use crate::show::chart::{palette, Band, Chart, Flow, FlowColumn};
use crate::show::doc::{Block, Document, Text};
use crate::show::format::number;
use crate::show::labels::DataSource;
use crate::show::table::terminal::Terminal;
use crate::show::table::{Cell, Table};
use crate::show::words::Words;

/// `validation.csv`: per k the mean and standard deviation over the splits of the prediction
/// strength and of the split-half ARI.
pub fn validation_table(r: &Replication) -> Table {
    let mut t = Table::new([
        "k",
        "prediction_strength",
        "prediction_strength_sd",
        "split_half_ari",
        "split_half_ari_sd",
    ]);
    for row in &r.per_k {
        let (ps, ps_sd) = row.prediction_strength();
        let (ari, ari_sd) = row.split_half_ari();
        t.push(vec![
            Cell::count(row.k),
            Cell::number(ps, 6),
            Cell::number(ps_sd, 6),
            Cell::number(ari, 6),
            Cell::number(ari_sd, 6),
        ]);
    }
    t
}

/// The rule's answer in words: which k it picks, or that none replicates.
pub fn rule_sentence(r: &Replication, lang: Lang) -> String {
    let cut = number(PREDICTION_STRENGTH_CUTOFF, 1, lang);
    match (r.chosen_k(), lang) {
        (Some(k), Lang::De) => format!(
            "Regel »größtes k mit Vorhersagestärke über {cut}« (Tibshirani & Walther): k = {k}"
        ),
        (Some(k), Lang::En) => format!(
            "rule \"largest k with prediction strength above {cut}\" (Tibshirani & Walther): k = {k}"
        ),
        (None, Lang::De) => format!(
            "Regel »größtes k mit Vorhersagestärke über {cut}« (Tibshirani & Walther): kein k von {} bis {} erreicht sie (fpc antwortet dann k = 1: keine Gruppierung, die sich wiederfindet)",
            r.per_k.first().map_or(0, |x| x.k),
            r.per_k.last().map_or(0, |x| x.k)
        ),
        (None, Lang::En) => format!(
            "rule \"largest k with prediction strength above {cut}\" (Tibshirani & Walther): no k from {} to {} reaches it (fpc then answers k = 1: no grouping that replicates)",
            r.per_k.first().map_or(0, |x| x.k),
            r.per_k.last().map_or(0, |x| x.k)
        ),
    }
}

/// The console table: per k the prediction strength and the split-half ARI (mean ± sd), then the
/// rule's k.
pub fn validation_text(r: &Replication, starts: usize, seed: u64, lang: Lang) -> String {
    let mut out = match lang {
        Lang::De => format!(
            "Replikation: {} zufällige Halbierungen (Seed {seed}), k-means auf jeder Hälfte ({starts} Starts); Vorhersagestärke wie fpc::prediction.strength, Split-Half-ARI (Zentren einer Hälfte auf die andere übertragen)\n",
            r.splits
        ),
        Lang::En => format!(
            "replication: {} random half-splits (seed {seed}), k-means on each half ({starts} starts); prediction strength as fpc::prediction.strength, split-half ARI (one half's centres transferred to the other)\n",
            r.splits
        ),
    };
    let (ps, ari) = (
        lang.pick("Vorhersagestärke", "prediction strength"),
        lang.pick("Split-Half-ARI", "split-half ARI"),
    );
    let mut table = Table::new(["k", ps, ari]);
    let mean_sd = |(m, sd): (f64, f64)| {
        Cell::text(format!("{} ± {}", number(m, 3, lang), number(sd, 3, lang)))
    };
    for row in &r.per_k {
        table.push(vec![
            Cell::count(row.k),
            mean_sd(row.prediction_strength()),
            mean_sd(row.split_half_ari()),
        ]);
    }
    let term = Terminal {
        indent: 1,
        right: &[1, 2],
        ..Terminal::new(lang)
    };
    out.push_str(&term.render(&table));
    out.push_str(&rule_sentence(r, lang));
    out.push('\n');
    out
}

/// `splits.csv`: for each step from k to k + 1, how many municipalities of each type of k are in
/// each type of k + 1, and their share of the type of k.
pub fn splits_table(columns: &[KTypes], steps: &[SplitStep]) -> Table {
    let mut t = Table::new(["from_k", "from_type", "to_k", "to_type", "n", "share"]);
    for (s, step) in steps.iter().enumerate() {
        let (from, to) = (&columns[s], &columns[s + 1]);
        for (i, row) in step.counts.iter().enumerate() {
            let size: usize = row.iter().sum();
            for (j, &n) in row.iter().enumerate() {
                t.push(vec![
                    Cell::count(step.from_k),
                    Cell::text(from.names[i].id.as_str()),
                    Cell::count(step.to_k),
                    Cell::text(to.names[j].id.as_str()),
                    Cell::count(n),
                    Cell::number(n as f64 / size.max(1) as f64, 4),
                ]);
            }
        }
    }
    t
}

/// Each type's colour: a type keeps one colour in every column, the colour of its place among the
/// types of `k` (as in the report's other charts); types only other k have take the colours after.
fn colours(columns: &[KTypes], k: usize) -> Vec<Vec<String>> {
    let mut ids: Vec<&str> = Vec::new();
    let main = columns.iter().filter(|c| c.k == k);
    for c in main.chain(columns.iter()) {
        for n in &c.names {
            if !ids.contains(&n.id.as_str()) {
                ids.push(&n.id);
            }
        }
    }
    let all = palette(ids.len());
    columns
        .iter()
        .map(|c| {
            c.names
                .iter()
                .map(|n| {
                    let at = ids.iter().position(|i| *i == n.id).unwrap_or(0);
                    all[at].clone()
                })
                .collect()
        })
        .collect()
}

/// The chart of how the types of each k split into those of the next: a column per k, bands as
/// wide as the municipalities that go from a type to a type (at least two columns); `k` is the
/// typology's own number of types.
pub fn splits_chart(
    columns: &[KTypes],
    steps: &[SplitStep],
    k: usize,
    source: &DataSource,
    words: &crate::show::words::Words,
) -> Chart {
    let lang = words.lang;
    let names =
        |c: &KTypes| -> Vec<String> { c.names.iter().map(|n| type_name(n, lang)).collect() };
    let heading = |c: &KTypes| format!("k = {}", c.k);
    let bands = |s: &SplitStep| -> Vec<Band> {
        let mut out = Vec::new();
        for (i, row) in s.counts.iter().enumerate() {
            for (j, &n) in row.iter().enumerate() {
                if n > 0 {
                    out.push(Band {
                        from: i,
                        to: j,
                        value: n as f64,
                    });
                }
            }
        }
        out
    };
    let colors: Vec<String> = colours(columns, k).into_iter().flatten().collect();
    let further = columns
        .iter()
        .skip(2)
        .zip(steps.iter().skip(1))
        .map(|(c, s)| FlowColumn {
            heading: heading(c),
            blocks: names(c),
            bands: bands(s),
        })
        .collect();
    let most = columns.iter().map(|c| c.k).max().unwrap_or(2) as u32;
    let units = words.units();
    let mut capital = units.chars();
    let units_capital: String = capital
        .next()
        .map_or_else(String::new, |f| f.to_uppercase().chain(capital).collect());
    let base = match lang {
        Lang::De => format!(
            "{units_capital} nach Typ bei k Typen und bei k + 1; Bänder vom Typ bei k zum Typ bei k + 1"
        ),
        Lang::En => format!(
            "{units_capital} by type with k types and with k + 1; bands from the type at k to the type at k + 1"
        ),
    };
    Chart::Flow(Flow {
        title: lang
            .pick(
                "Wie sich die Typen teilen, wenn man einen mehr sucht",
                "How the types split when one more is sought",
            )
            .into(),
        note: source.note(&base, lang),
        columns: [heading(&columns[0]), heading(&columns[1])],
        left: names(&columns[0]),
        right: names(&columns[1]),
        colors,
        bands: bands(&steps[0]),
        decimals: 0,
        size: [1600, (260 + 80 * most).max(620)],
        lang,
        further,
        scale: 1.0,
    })
}

/// The largest share of a type of k that goes into one type of the next k, with that type.
fn main_successor(step: &SplitStep, i: usize) -> (usize, f64) {
    let row = &step.counts[i];
    let size: usize = row.iter().sum();
    let (j, &n) = row
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(&a.0)))
        .unwrap_or((0, &0));
    (j, n as f64 / size.max(1) as f64)
}

/// The sentence on one step: which type of k + 1 is new, and where it takes its members from.
fn step_sentence(columns: &[KTypes], s: usize, step: &SplitStep, lang: Lang) -> String {
    let (from, to) = (&columns[s], &columns[s + 1]);
    // the type of the next k that is nobody's main successor is the new one
    let mains: Vec<usize> = (0..step.counts.len())
        .map(|i| main_successor(step, i).0)
        .collect();
    let kept: Vec<String> = (0..step.counts.len())
        .map(|i| {
            let (j, share) = main_successor(step, i);
            format!(
                "{} → {} ({} %)",
                type_name(&from.names[i], lang),
                type_name(&to.names[j], lang),
                number(100.0 * share, 0, lang)
            )
        })
        .collect();
    let new: Vec<String> = (0..to.names.len())
        .filter(|j| !mains.contains(j))
        .map(|j| type_name(&to.names[j], lang))
        .collect();
    let (fk, tk) = (step.from_k, step.to_k);
    let kept = kept.join("; ");
    match (new.is_empty(), lang) {
        (true, Lang::De) => format!("Von k = {fk} zu k = {tk}: {kept}."),
        (true, Lang::En) => format!("From k = {fk} to k = {tk}: {kept}."),
        (false, Lang::De) => format!(
            "Von k = {fk} zu k = {tk} (der Großteil jedes Typs): {kept}; neu gebildet: {}.",
            new.join(", ")
        ),
        (false, Lang::En) => format!(
            "From k = {fk} to k = {tk} (where most of each type goes): {kept}; newly formed: {}.",
            new.join(", ")
        ),
    }
}

/// The report's section: the validation table, the rule's k against the run's, the split chart
/// (`chart`: its path and PNG, when drawn) and a sentence per step.
pub fn report_blocks(
    r: &Replication,
    starts: usize,
    k: usize,
    columns: &[KTypes],
    steps: &[SplitStep],
    chart: Option<(&str, &str, &[u8], f64)>,
    words: &Words,
) -> Vec<Block> {
    let (lang, units) = (words.lang, words.units());
    let heading = lang.pick(
        "Wiederfinden in der anderen Hälfte (Replikation)",
        "Found again in the other half (replication)",
    );
    let mut d = Document::section(3, heading, match lang {
        Lang::De => format!(
            "Die {units} wurden {} Mal zufällig halbiert; jede Hälfte wurde für k = {} bis {} mit k-means gruppiert ({starts} Starts), und die Zentren der einen Hälfte teilten die andere ein. Vorhersagestärke (wie R fpc::prediction.strength): der kleinste Anteil der Paare eines Typs, die auch die Zentren der anderen Hälfte zusammen lassen; Werte über 0,8 gelten als wiederfindbar. Split-Half-ARI: Übereinstimmung der übertragenen mit der eigenen Einteilung einer Hälfte (1 = gleich). Mittel ± Standardabweichung über die Halbierungen; die Zahlen stehen in validation.csv.",
            r.splits,
            r.per_k.first().map_or(0, |x| x.k),
            r.per_k.last().map_or(0, |x| x.k)
        ),
        Lang::En => format!(
            "The {units} were split in half at random {} times; each half was grouped by k-means for k = {} to {} ({starts} starts), and one half's centres assigned the other half. Prediction strength (as R's fpc::prediction.strength): the smallest share of a type's pairs that the other half's centres also keep together; above 0.8 counts as replicable. Split-half ARI: the agreement of the transferred with a half's own grouping (1 = the same). Mean ± standard deviation over the splits; the numbers are in validation.csv.",
            r.splits,
            r.per_k.first().map_or(0, |x| x.k),
            r.per_k.last().map_or(0, |x| x.k)
        ),
    });
    let rows = r
        .per_k
        .iter()
        .map(|row| {
            let (p, psd) = row.prediction_strength();
            let (a, asd) = row.split_half_ari();
            vec![
                if row.k == k {
                    format!("{} ({})", row.k, lang.pick("dieser Bericht", "this report"))
                } else {
                    row.k.to_string()
                },
                format!("{} ± {}", number(p, 2, lang), number(psd, 2, lang)),
                format!("{} ± {}", number(a, 2, lang), number(asd, 2, lang)),
            ]
        })
        .collect();
    d.table(
        vec![
            "k".into(),
            lang.pick("Vorhersagestärke", "prediction strength").into(),
            lang.pick("Split-Half-ARI", "split-half ARI").into(),
        ],
        rows,
        vec![false, true, true],
    );
    let chosen = r.chosen_k();
    let rule = rule_sentence(r, lang);
    let mut first = rule.chars();
    let mut reading: String = first
        .next()
        .map(|c| c.to_uppercase().chain(first).collect())
        .unwrap_or_default();
    reading.push_str(&match (chosen, lang) {
        (Some(c), Lang::De) if c == k => format!(": dieselbe Zahl wie die {k} Typen dieses Berichts."),
        (Some(c), Lang::En) if c == k => format!(": the same number as this report's {k} types."),
        (Some(_), Lang::De) => format!(": nicht die {k} Typen dieses Berichts; mehr oder weniger Typen fänden sich in neuen Daten ebenso oder besser wieder."),
        (Some(_), Lang::En) => format!(": not this report's {k} types; more or fewer types would be found again in new data as well or better."),
        (None, _) => ".".into(),
    });
    d.paragraph(Text::from(reading));
    if !steps.is_empty() {
        d.heading(
            3,
            lang.pick(
                "Wie sich die Typen bei einem mehr teilen",
                "How the types split with one more",
            ),
        );
        d.paragraph(match lang {
            Lang::De => format!("Dieselben {units} mit einem Typ weniger und einem mehr gruppiert (dieselben Einstellungen): welcher Typ sich teilt und welche zusammengehen. Ein Typ, der bei jedem k fast ganz zusammenbleibt, ist kein Zufall der gewählten Zahl; die Anteile stehen in splits.csv."),
            Lang::En => format!("The same {units} grouped with one type fewer and one more (the same settings): which type splits and which merge. A type that stays almost whole at every k is no accident of the chosen number; the shares are in splits.csv."),
        });
        d.chart(chart);
        let sentences: Vec<String> = steps
            .iter()
            .enumerate()
            .map(|(s, step)| step_sentence(columns, s, step, lang))
            .collect();
        d.blocks.push(Block::List(sentences));
    }
    d.blocks
}
