//! The response-style check as people read it: `response-style.csv` ([`table`]) and the console
//! summary of `typfrage response-style` ([`summary`]).

use super::typology::name_words;
use crate::cluster::response_style::{ResponseStyle, TypeLevel};
use crate::lang::Lang;
use crate::show::format::{number, signed};
use crate::show::table::terminal::Terminal;
use crate::show::table::{Cell, Table};
use crate::show::words::Words;

/// A type's name in `lang` (empty when the check was run without names).
fn level_name(level: &TypeLevel, lang: Lang) -> String {
    level
        .name
        .as_ref()
        .map_or(String::new(), |n| name_words(n, lang))
}

/// `response-style.csv`: one line per type: size, mean rating level, its distance from the overall
/// level in standard deviations, members kept, and the members by matched new cluster.
pub fn table(r: &ResponseStyle, lang: Lang) -> Table {
    let mut head: Vec<String> = [
        "type_id",
        "type",
        "n",
        "mean_level",
        "level_difference_sd",
        "kept",
        "kept_share",
        "most_level_dependent",
    ]
    .map(String::from)
    .to_vec();
    head.extend(r.types.iter().map(|t| format!("in_{}", t.id)));
    let mut t = Table::new(head);
    for (i, (level, row)) in r.types.iter().zip(&r.crosstab).enumerate() {
        let mut cells = vec![
            Cell::text(level.id.as_str()),
            Cell::text(level_name(level, lang)),
            Cell::count(level.n),
            Cell::number(level.mean_level, 4),
            Cell::number(level.level_difference, 4),
            Cell::count(level.kept),
            Cell::number(level.kept_share, 4),
            Cell::text(if i == r.most_level_dependent {
                "yes"
            } else {
                "no"
            }),
        ];
        cells.extend(row.iter().map(|&c| Cell::count(c)));
        t.push(cells);
    }
    t
}

/// The console summary of `typfrage response-style`, in the words' language, about their unit.
pub fn summary(r: &ResponseStyle, file: &str, words: &Words) -> String {
    let lang = words.lang;
    let pct = |share: f64| format!("{} %", number(100.0 * share, 1, lang));
    let (units, units_dative, each) = (words.units(), words.units_dative(), words.each_units());
    let centred = match (lang, r.by_spread) {
        (Lang::De, false) => format!("um den eigenen Mittelwert {each} zentriert"),
        (Lang::De, true) => format!(
            "um den eigenen Mittelwert {each} zentriert und durch {} eigene Streuung geteilt",
            words.its_feminine()
        ),
        (Lang::En, false) => format!("centred on {each} own mean"),
        (Lang::En, true) => {
            format!("centred on {each} own mean and divided by its own spread")
        }
    };
    let mut out = match lang {
        Lang::De => format!(
            "{file}: {} {units}, {} Typen; die Clusteranalyse erneut auf den Bewertungen, {centred}.\n\
             {} von {} {units_dative} ({}) behalten ihren Typ (neue Cluster den Typen zugeordnet nach größter Überschneidung, Ungarische Methode); bereinigter Rand-Index {}.\n",
            r.n,
            r.types.len(),
            r.kept,
            r.n,
            pct(r.kept_share),
            number(r.ari, 3, lang)
        ),
        Lang::En => format!(
            "{file}: {} {units}, {} types; the clustering re-run on the ratings {centred}.\n\
             {} of {} {units} ({}) keep their type (new clusters matched to the types by largest overlap, Hungarian method); adjusted Rand index {}.\n",
            r.n,
            r.types.len(),
            r.kept,
            r.n,
            pct(r.kept_share),
            number(r.ari, 3, lang)
        ),
    };
    let names: Vec<String> = r.types.iter().map(|t| level_name(t, lang)).collect();
    let mut table = Table::new(match lang {
        Lang::De => ["Typ", "n", "Niveau", "Abstand (SD)", "behalten"],
        Lang::En => ["type", "n", "level", "difference (SD)", "kept"],
    });
    for (name, t) in names.iter().zip(&r.types) {
        table.push(vec![
            Cell::text(name.as_str()),
            Cell::count(t.n),
            Cell::number(t.mean_level, 2),
            Cell::text(signed(t.level_difference, 2, lang)),
            Cell::text(format!("{} ({})", t.kept, pct(t.kept_share))),
        ]);
    }
    let term = Terminal {
        indent: 2,
        right: &[3, 4],
        ..Terminal::new(lang)
    };
    out.push_str(&term.render(&table));
    if let Some(t) = r.types.get(r.most_level_dependent) {
        let name = &names[r.most_level_dependent];
        out.push_str(&match lang {
            Lang::De => format!(
                "Am stärksten vom allgemeinen Bewertungsniveau abhängig: {name} ({} der Mitglieder behalten den Typ; das Bewertungsniveau des Typs liegt {} Standardabweichungen vom Mittel aller).\n",
                pct(t.kept_share),
                signed(t.level_difference, 2, lang)
            ),
            Lang::En => format!(
                "Depends most on the overall rating level: {name} (keeps {} of its members; its level is {} standard deviations from the mean of all).\n",
                pct(t.kept_share),
                signed(t.level_difference, 2, lang)
            ),
        });
    }
    if r.constant_rows > 0 {
        let n = r.constant_rows;
        let block = words.block();
        out.push_str(&match (lang, words.is_study()) {
            (Lang::De, true) => format!(
                "{n} {units} gaben jedem Ziel dieselbe Bewertung; zentriert sind ihre Bewertungen alle 0.\n"
            ),
            (Lang::En, true) => format!(
                "{n} {units} gave every goal the same rating; centred, their ratings are all 0.\n"
            ),
            (Lang::De, false) => format!(
                "{n} {units} gaben auf alle {block} dieselbe Antwort; zentriert sind ihre Antworten alle 0.\n"
            ),
            (Lang::En, false) => format!(
                "{n} {units} gave the same answer on all {block}; centred, their answers are all 0.\n"
            ),
        });
    }
    out
}
