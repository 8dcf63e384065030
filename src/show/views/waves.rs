//! Two waves compared ([`crate::waves::Waves`]) as people read them: the console summary in German
//! or English, the tables (`switches.csv`, `transitions.csv`, `matching.csv`), the flow chart
//! between the two waves' types and the short report's blocks.

use crate::cluster::{TypeResult, Typology};
use crate::lang::Lang;
use crate::show::chart::{palette, Band, Chart, Flow};
use crate::show::format::number;
use crate::show::labels::DataSource;
use crate::show::table::terminal::Terminal;
use crate::show::table::{Cell, Table};
use crate::show::words::Words;
use crate::waves::{Reason, Waves};

/// The grey of the blocks of municipalities that entered or left.
const OUTSIDE: &str = "#9A9A9A";

/// What the two waves are called: their files' names.
#[derive(Debug, Clone, Copy)]
pub struct Names<'a> {
    pub old: &'a str,
    pub new: &'a str,
}

fn type_name(t: &TypeResult, lang: Lang) -> String {
    super::typology::type_name(&t.name, lang)
}

/// A reason as people read it.
pub fn reason_label(r: Reason, lang: Lang) -> &'static str {
    match r {
        Reason::Stayed => lang.pick("geblieben", "stayed"),
        Reason::RealChange => lang.pick("echter Wechsel", "real change"),
        Reason::ReEstimation => lang.pick("nur Neuschätzung", "re-estimation only"),
        Reason::Mixed => lang.pick("gemischt", "mixed"),
        Reason::TypeDissolved => lang.pick("Typ aufgelöst", "type dissolved"),
        Reason::TypeNew => lang.pick("neuer Typ", "new type"),
        Reason::Entered => lang.pick("neu dabei", "entered"),
        Reason::Left => lang.pick("nicht mehr dabei", "left"),
    }
}

/// What a reason means, in a sentence.
fn reason_meaning(r: Reason, lang: Lang) -> &'static str {
    match r {
        Reason::Stayed => lang.pick(
            "der spätere Typ ist das Gegenstück des früheren",
            "its later type is its earlier type's counterpart",
        ),
        Reason::RealChange => lang.pick(
            "die eigenen Antworten haben sich bewegt: das frühere Modell ordnet die späteren Antworten dem späteren Typ zu",
            "its own answers moved: the earlier model puts its later answers into its later type",
        ),
        Reason::ReEstimation => lang.pick(
            "das frühere Modell ließe die späteren Antworten im früheren Typ: die Typen haben sich bewegt",
            "the earlier model keeps its later answers in its earlier type: the types moved",
        ),
        Reason::Mixed => lang.pick(
            "beides: das frühere Modell ordnet die späteren Antworten einem dritten Typ zu",
            "both moved: the earlier model puts its later answers into a third type",
        ),
        Reason::TypeDissolved => lang.pick(
            "der frühere Typ hat kein Gegenstück unter den späteren",
            "its earlier type has no counterpart among the later types",
        ),
        Reason::TypeNew => lang.pick(
            "der spätere Typ hat kein Gegenstück unter den früheren",
            "its later type has no counterpart among the earlier types",
        ),
        Reason::Entered => lang.pick("nur in der späteren Welle", "in the later wave only"),
        Reason::Left => lang.pick("nur in der früheren Welle", "in the earlier wave only"),
    }
}

fn type_id(t: &Typology, i: Option<usize>) -> Cell {
    i.map_or(Cell::Empty, |i| Cell::text(t.types[i].name.id.as_str()))
}

/// `switches.csv`: one line per identifier of either wave (type ids and reasons as in files,
/// the same in every language).
pub fn switches_table(w: &Waves) -> Table {
    let mut t = Table::new([
        "id",
        "new_id",
        "old_type",
        "new_type",
        "reason",
        "old_margin",
        "new_margin",
        "distance",
        "new_answers_old_model",
        "old_answers_new_model",
    ]);
    for s in &w.switches {
        t.push(vec![
            Cell::text(s.id.as_str()),
            s.new_id.as_deref().map_or(Cell::Empty, Cell::from),
            type_id(&w.old, s.old_type),
            type_id(&w.new, s.new_type),
            Cell::text(s.reason.slug()),
            Cell::opt(s.old_margin, 4),
            Cell::opt(s.new_margin, 4),
            Cell::opt(s.distance, 4),
            type_id(&w.old, s.new_under_old),
            type_id(&w.new, s.old_under_new),
        ]);
    }
    t
}

/// `transitions.csv`: how many went from each earlier type (or entered) to each later type (or
/// left), their summed weights, and their share of where they came from.
pub fn transitions_table(w: &Waves, lang: Lang) -> Table {
    let entered = lang.pick("(neu dabei)", "(entered)");
    let left = lang.pick("(nicht mehr dabei)", "(left)");
    let mut t = Table::new([
        "old_type",
        "new_type",
        "old_name",
        "new_name",
        "n",
        "weight",
        "share_of_old",
    ]);
    let transitions = w.transitions();
    for tr in &transitions {
        let from_total: f64 = transitions
            .iter()
            .filter(|o| o.from == tr.from)
            .map(|o| o.weight)
            .sum();
        t.push(vec![
            type_id(&w.old, tr.from),
            type_id(&w.new, tr.to),
            Cell::text(
                tr.from
                    .map_or(entered.to_string(), |i| type_name(&w.old.types[i], lang)),
            ),
            Cell::text(
                tr.to
                    .map_or(left.to_string(), |i| type_name(&w.new.types[i], lang)),
            ),
            Cell::count(tr.n),
            Cell::rounded(tr.weight, 6),
            Cell::percent(100.0 * tr.weight / from_total, 1),
        ]);
    }
    t
}

/// `matching.csv`: each earlier type, the later type the assignment paired it with, the
/// distance of their centres, the radius within which it counts as the counterpart, and whether
/// it does; then each later type without a counterpart.
pub fn matching_table(w: &Waves, lang: Lang) -> Table {
    let m = &w.matching;
    let mut t = Table::new([
        "old_type",
        "old_name",
        "new_type",
        "new_name",
        "distance",
        "radius",
        "counterpart",
    ]);
    for (i, old) in w.old.types.iter().enumerate() {
        let paired = m.pairs[i];
        t.push(vec![
            Cell::text(old.name.id.as_str()),
            Cell::text(type_name(old, lang)),
            type_id(&w.new, paired),
            paired.map_or(Cell::Empty, |j| {
                Cell::text(type_name(&w.new.types[j], lang))
            }),
            Cell::opt(paired.map(|j| m.distances[i][j]), 4),
            Cell::number(m.threshold[i], 4),
            Cell::text(if m.new_of_old[i].is_some() {
                "yes"
            } else {
                "no"
            }),
        ]);
    }
    for (j, new) in w.new.types.iter().enumerate() {
        if m.pairs.contains(&Some(j)) {
            continue;
        }
        t.push(vec![
            Cell::Empty,
            Cell::Empty,
            Cell::text(new.name.id.as_str()),
            Cell::text(type_name(new, lang)),
            Cell::Empty,
            Cell::Empty,
            Cell::text("no"),
        ]);
    }
    t
}

/// The count of each reason, with its share of all identifiers (of their weights when weighted).
fn reasons_table(w: &Waves, words: &Words) -> Table {
    let lang = words.lang;
    let reasons = w.reasons();
    let total: f64 = reasons.iter().map(|r| r.2).sum();
    let mut t = Table::new([
        lang.pick("Grund", "reason"),
        words.units(),
        lang.pick("Anteil", "share"),
    ]);
    for (r, n, weight) in reasons {
        t.push(vec![
            Cell::text(reason_label(r, lang)),
            Cell::count(n),
            Cell::percent(100.0 * weight / total.max(f64::MIN_POSITIVE), 1),
        ]);
    }
    t
}

/// The earlier types (rows, then entered) by the later types (columns, then left): counts.
fn crosstab(w: &Waves, lang: Lang) -> Table {
    let mut head = vec![lang
        .pick("früher \\ später", "earlier \\ later")
        .to_string()];
    head.extend(w.new.types.iter().map(|t| t.name.id.clone()));
    head.push(lang.pick("(nicht mehr dabei)", "(left)").into());
    let mut t = Table::new(head);
    let transitions = w.transitions();
    let cols: Vec<Option<usize>> = (0..w.new.types.len())
        .map(Some)
        .chain(std::iter::once(None))
        .collect();
    let rows: Vec<Option<usize>> = (0..w.old.types.len())
        .map(Some)
        .chain(std::iter::once(None))
        .collect();
    for from in rows {
        let mut line = vec![Cell::text(from.map_or_else(
            || lang.pick("(neu dabei)", "(entered)").to_string(),
            |i| w.old.types[i].name.id.clone(),
        ))];
        for &to in &cols {
            let n = transitions
                .iter()
                .find(|tr| tr.from == from && tr.to == to)
                .map_or(0, |tr| tr.n);
            line.push(if from.is_none() && to.is_none() {
                Cell::Empty
            } else {
                Cell::count(n)
            });
        }
        t.push(line);
    }
    t
}

fn count_of(w: &Waves, r: Reason) -> usize {
    w.switches.iter().filter(|s| s.reason == r).count()
}

/// The headline: how many stayed, changed really, only through re-estimation.
fn headline(w: &Waves, words: &Words) -> String {
    let (lang, units, units_dative) = (words.lang, words.units(), words.units_dative());
    let both = w
        .switches
        .iter()
        .filter(|s| s.old_type.is_some() && s.new_type.is_some())
        .count();
    let (stayed, real, re) = (
        count_of(w, Reason::Stayed),
        count_of(w, Reason::RealChange),
        count_of(w, Reason::ReEstimation),
    );
    let switched = both - stayed;
    match lang {
        Lang::De => format!(
            "Von {both} {units_dative} in beiden Wellen sind {stayed} im Gegenstück ihres Typs geblieben und {switched} haben gewechselt: {real} durch ihre eigenen Antworten (echter Wechsel), {re} nur, weil sich die Typen bei der Neuschätzung bewegt haben."
        ),
        Lang::En => format!(
            "Of {both} {units} in both waves, {stayed} stayed in their type's counterpart and {switched} switched: {real} through their own answers (real change), {re} only because the types moved when they were estimated again (re-estimation)."
        ),
    }
}

/// The rule the types were matched by, in a sentence.
fn matching_rule(lang: Lang) -> &'static str {
    lang.pick(
        "Zuordnung der Typen: die Paarung mit der kleinsten Summe der Zentrenabstände (Ungarische Methode); ein Paar ist ein Gegenstück, wenn das spätere Zentrum näher am früheren liegt als die Hälfte des Abstands zum nächsten anderen früheren Zentrum (das frühere Modell ordnete das spätere Zentrum selbst diesem Typ zu).",
        "Matching of the types: the pairing with the least total distance between centres (Hungarian method); a pair is a counterpart when the later centre lies within half the distance from the earlier centre to the nearest other earlier centre (the earlier model would put the later centre itself into that type).",
    )
}

/// What the key file did, when one was given.
fn keys_line(w: &Waves, file: &str, words: &Words) -> String {
    let (lang, no_unit) = (words.lang, words.no_unit());
    let mergers = w.mergers();
    let merged: Vec<String> = mergers
        .iter()
        .map(|(new, olds)| format!("{} <- {}", new, olds.join(", ")))
        .collect();
    let renamed = w.succession.successor.len();
    let (unused, missing) = (w.succession.unused, w.succession.missing_successor);
    let list = if merged.is_empty() {
        String::new()
    } else {
        format!(" ({})", merged.join("; "))
    };
    match lang {
        Lang::De => format!(
            "Schlüsseldatei {file}: {renamed} frühere Kennungen unter neuer Kennung, {} Zusammenschlüsse{list}; {unused} Zeilen betreffen {no_unit} der früheren Welle, {missing} neue Kennungen fehlen in der späteren Welle\n",
            mergers.len()
        ),
        Lang::En => format!(
            "key file {file}: {renamed} earlier identifiers under a new identifier, {} mergers{list}; {unused} lines name {no_unit} of the earlier wave, {missing} new identifiers are not in the later wave\n",
            mergers.len()
        ),
    }
}

/// The console summary.
pub fn summary(w: &Waves, names: Names, keys: Option<&str>, words: &Words) -> String {
    let (lang, units) = (words.lang, words.units());
    let (n_old, n_new) = (w.old.assignments.len(), w.new.assignments.len());
    let k = w.old.options.k;
    let seed = match (w.old.options.seed, w.new.options.seed) {
        (a, b) if a == b => a.to_string(),
        (a, b) => format!("{a} ({} {b})", lang.pick("spätere Welle:", "later wave:")),
    };
    let mut out = match lang {
        Lang::De => format!(
            "{} -> {}: {n_old} und {n_new} {units} geclustert, k = {k}, Seed {seed}\n",
            names.old, names.new
        ),
        Lang::En => format!(
            "{} -> {}: {n_old} and {n_new} {units} clustered, k = {k}, seed {seed}\n",
            names.old, names.new
        ),
    };
    out.push_str(&headline(w, words));
    out.push('\n');
    let term = Terminal {
        indent: 2,
        ..Terminal::new(lang)
    };
    out.push_str(&term.render(&reasons_table(w, words)));
    out.push_str(matching_rule(lang));
    out.push('\n');
    out.push_str(&term.render(&matching_table(w, lang)));
    out.push_str(&term.render(&crosstab(w, lang)));
    if let Some(file) = keys {
        out.push_str(&keys_line(w, file, words));
    }
    if !w.unclustered.is_empty() {
        out.push_str(&match lang {
            Lang::De => format!(
                "{} {units} in keiner der beiden Wellen geclustert (fehlende Antworten), nicht in switches.csv\n",
                w.unclustered.len()
            ),
            Lang::En => format!(
                "{} {units} clustered in neither wave (missing answers), not in switches.csv\n",
                w.unclustered.len()
            ),
        });
    }
    out
}

/// The colour of each earlier type, and of each later type: its counterpart's, or one of its own.
fn colours(w: &Waves) -> (Vec<String>, Vec<String>) {
    let (k_old, k_new) = (w.old.types.len(), w.new.types.len());
    let all = palette(k_old + k_new);
    let old: Vec<String> = all[..k_old].to_vec();
    let mut extra = k_old;
    let new = (0..k_new)
        .map(|j| match w.matching.old_of_new[j] {
            Some(i) => old[i].clone(),
            None => {
                extra += 1;
                all[extra - 1].clone()
            }
        })
        .collect();
    (old, new)
}

/// The flow chart: the earlier types (and who entered) on the left, the later types (and who
/// left) on the right, bands as wide as the municipalities (their weights when weighted).
pub fn flow_chart(w: &Waves, names: Names, source: &DataSource, words: &Words) -> Chart {
    let lang = words.lang;
    let transitions = w.transitions();
    let weighted = w.old.weights.is_some() || w.new.weights.is_some();
    let any_entered = transitions.iter().any(|t| t.from.is_none());
    let any_left = transitions.iter().any(|t| t.to.is_none());
    let (old_colours, new_colours) = colours(w);
    let mut left: Vec<String> = w.old.types.iter().map(|t| type_name(t, lang)).collect();
    let mut right: Vec<String> = w.new.types.iter().map(|t| type_name(t, lang)).collect();
    let mut colors = old_colours;
    if any_entered {
        left.push(lang.pick("neu dabei", "entered").into());
        colors.push(OUTSIDE.into());
    }
    colors.extend(new_colours);
    if any_left {
        right.push(lang.pick("nicht mehr dabei", "left").into());
        colors.push(OUTSIDE.into());
    }
    let (k_old, k_new) = (w.old.types.len(), w.new.types.len());
    let bands = transitions
        .iter()
        .map(|t| Band {
            from: t.from.unwrap_or(k_old),
            to: t.to.unwrap_or(k_new),
            value: if weighted { t.weight } else { t.n as f64 },
        })
        .collect();
    let units = words.units_capitalised();
    let base = match lang {
        Lang::De => {
            format!("{units} nach Typ in beiden Wellen; Bänder von früherem zu späterem Typ")
        }
        Lang::En => format!("{units} by type in both waves; bands from earlier to later type"),
    };
    let base = if weighted {
        format!("{base} ({})", lang.pick("gewichtet", "weighted"))
    } else {
        base
    };
    Chart::Flow(Flow {
        title: lang
            .pick(
                "Wer zwischen den beiden Wellen den Typ gewechselt hat",
                "Who switched type between the two waves",
            )
            .into(),
        note: source.note(&base, lang),
        columns: [names.old.to_string(), names.new.to_string()],
        left,
        right,
        colors,
        bands,
        decimals: if weighted { 1 } else { 0 },
        size: [
            1200,
            flow_height(w.old.types.len().max(w.new.types.len()) + 1),
        ],
        lang,
        further: Vec::new(),
        scale: 1.0,
    })
}

/// The flow chart's height for `blocks` blocks in its taller column.
fn flow_height(blocks: usize) -> u32 {
    (220 + 70 * blocks as u32).max(560)
}

/// One block of the short report.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Heading(u8, String),
    Paragraph(String),
    Table {
        header: Vec<String>,
        rows: Vec<Vec<String>>,
        numeric: Vec<bool>,
    },
}

/// A table's cells as the report shows them (numbers in the run's language).
fn shown(t: &Table, lang: Lang) -> Block {
    let text = |c: &Cell| match c {
        Cell::Empty => String::new(),
        Cell::Text(s) => s.clone(),
        Cell::Number {
            value,
            decimals: Some(d),
        } => number(*value, *d, lang),
        Cell::Number { value, .. } => number(*value, 0, lang),
        Cell::Percent { points, decimals } => format!("{} %", number(*points, *decimals, lang)),
    };
    let numeric = (0..t.header.len())
        .map(|j| {
            t.rows.iter().all(|r| {
                matches!(
                    r.get(j),
                    None | Some(Cell::Empty | Cell::Number { .. } | Cell::Percent { .. })
                )
            })
        })
        .collect();
    Block::Table {
        header: t.header.clone(),
        rows: t
            .rows
            .iter()
            .map(|r| r.iter().map(text).collect())
            .collect(),
        numeric,
    }
}

/// The short report: the headline, the reasons, the matching of the types, who went where.
pub fn report(w: &Waves, names: Names, chart_file: &str, words: &Words) -> (String, Vec<Block>) {
    let lang = words.lang;
    let title = match lang {
        Lang::De => format!("Zwei Wellen: {} und {}", names.old, names.new),
        Lang::En => format!("Two waves: {} and {}", names.old, names.new),
    };
    let mut b = vec![Block::Heading(1, title.clone())];
    b.push(Block::Paragraph(headline(w, words)));
    b.push(Block::Heading(
        2,
        match lang {
            Lang::De => "Gründe der Wechsel".into(),
            Lang::En => format!("Why {} switched", words.units()),
        },
    ));
    let mut reasons = reasons_table(w, words);
    reasons.header.push(lang.pick("heißt", "meaning").into());
    for (row, r) in reasons.rows.iter_mut().zip(Reason::ALL) {
        row.push(Cell::text(reason_meaning(r, lang)));
    }
    b.push(shown(&reasons, lang));
    b.push(Block::Heading(
        2,
        lang.pick("Die Typen beider Wellen", "The types of both waves")
            .into(),
    ));
    b.push(Block::Paragraph(matching_rule(lang).into()));
    b.push(shown(&matching_table(w, lang), lang));
    b.push(Block::Heading(
        2,
        lang.pick("Wer wohin ging", "Who went where").into(),
    ));
    let (each, its) = (words.each_unit(), words.its_dative());
    let unit = words.unit();
    b.push(Block::Paragraph(match lang {
        Lang::De => format!(
            "Frühere Typen (Zeilen) nach späteren Typen (Spalten); das Flussdiagramm steht in {chart_file}, {each} mit {its} Grund in switches.csv."
        ),
        Lang::En => format!(
            "Earlier types (rows) by later types (columns); the flow chart is {chart_file}, every {unit} with its reason in switches.csv."
        ),
    }));
    b.push(shown(&crosstab(w, lang), lang));
    (title, b)
}
