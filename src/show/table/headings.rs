//! The workbook's sheet names and column headings in the run's language. The CSV files keep their
//! English machine names (`id`, `type`, `share` …) so that programs find their columns in either
//! language; a German workbook, which people read, names its sheets and columns in German. Words
//! for the survey's unit or block come from [`Words`], so another survey's workbook does not speak
//! of goals. A name not listed here stays as it is (a type's id, a codebook variable).

use crate::lang::Lang;
use crate::show::words::Words;

/// A sheet's name in the run's language (`name` is its English name, the CSV file's stem).
pub fn sheet(name: &str, words: &Words) -> String {
    let block = |study: &str, other: &str| {
        if words.is_study() {
            study.to_string()
        } else {
            other.to_string()
        }
    };
    if words.lang == Lang::En {
        // the chart stems stay (file names); the profiles over another survey's block are not goals
        return match name {
            "goal profiles" => block(name, "profiles"),
            _ => name.to_string(),
        };
    }
    if let Some(id) = name.strip_prefix("profile-") {
        return format!("Profil {id}");
    }
    if let Some(v) = name.strip_prefix("crosstab-") {
        return format!("Kreuztabelle {v}");
    }
    let fixed = match name {
        "about" => "Übersicht",
        "assignments" => "Zuordnungen",
        "types" => "Typen",
        "goal profiles" => return block("Zielprofile", "Profile"),
        "goal-heatmap" => return block("Ziel-Heatmap", "Heatmap"),
        "ward start" => "Ward-Start",
        "crosstabs" => "Kreuztabellen",
        "characteristics" => "Merkmale der Typen",
        "eta2" => "Eta-Quadrat",
        "type-sizes" => "Typgrößen",
        "pca-map" => "PCA-Karte",
        "silhouettes" => "Silhouetten",
        "splits" => "Aufteilung",
        "tree" => "Baum",
        "figures" => "Zahlen",
        "cover-comparison-groups" => "Vergleichsgruppen",
        "abb-01-operators" => "Abb. 01 Betreiber",
        "abb-02-fim" => "Abb. 02 FIM",
        "abb-03-data-instruments" => "Abb. 03 Dateninstrumente",
        "abb-04-data-uses" => "Abb. 04 Datennutzung",
        "abb-05-strategies" => "Abb. 05 Strategien",
        "abb-06-chefsache" => "Abb. 06 Chefsache",
        "abb-07-training" => "Abb. 07 Fortbildung",
        "abb-08-citizen-skills" => "Abb. 08 Bürgerkompetenz",
        "abb-09-fibre" => "Abb. 09 Glasfaser",
        "abb-10-broadband" => "Abb. 10 Breitband",
        other => other,
    };
    fixed.to_string()
}

/// A column's heading in the run's language (`name` is the CSV file's column name).
pub fn column(name: &str, words: &Words) -> String {
    if words.lang == Lang::En {
        return name.to_string();
    }
    if let Some(id) = name.strip_prefix("distance_") {
        return format!("Abstand {id}");
    }
    let german = match name {
        "id" => "ID",
        "type" => "Typ",
        "type_name" => "Typname",
        "silhouette" => "Silhouette",
        "margin" => "Abstand zum zweitnächsten Typ",
        "certainty" => "Sicherheit",
        "note" => "Hinweis",
        "share" => "Anteil",
        "name_margin" => "Namensabstand",
        "variable" => "Variable",
        "mean" => "Mittelwert",
        "standardised_difference" => "standardisierte Differenz",
        "ward_group" => "Ward-Gruppe",
        "answer" => "Antwort",
        "group" => "Gruppe",
        "count" => "Anzahl",
        "base" => "Basis",
        "percent" => "Prozent",
        "residual" => "Residuum",
        "chi_square" => "Chi-Quadrat",
        "p_value" => "p",
        "cramers_v" => "Cramérs V",
        "cramers_v_upper" => "Cramérs V, obere Grenze",
        "weighted_count" => "gewichtete Anzahl",
        "weighted_base" => "gewichtete Basis",
        "weight" => "Gewicht",
        "weighted_by" => "gewichtet mit",
        "design_effect" => "Designeffekt",
        "category" => "Kategorie",
        "cla_mod" => "Cla/Mod",
        "mod_cla" => "Mod/Cla",
        "mean_in_type" => "Mittelwert im Typ",
        "mean_overall" => "Mittelwert gesamt",
        "sd_in_type" => "Standardabweichung im Typ",
        "sd_overall" => "Standardabweichung gesamt",
        "v_test" => "v-Test",
        "eta2" => "η²",
        "row" => "Zeile",
        "series" => "Reihe",
        "value" => "Wert",
        "marked" => "markiert",
        "column" => "Spalte",
        "what" => "Art",
        "from_column" => "von Spalte",
        "from" => "von",
        "to_column" => "nach Spalte",
        "to" => "nach",
        "share_of_from" => "Anteil am Ausgang",
        "node" => "Knoten",
        "text" => "Text",
        "detail" => "Einzelheit",
        "first_answer" => "erste Antwort",
        "second_answer" => "zweite Antwort",
        "number" => "Nummer",
        "label" => "Beschriftung",
        "size" => "Größe",
        "height" => "Höhe",
        "kind" => "Art",
        "part" => "Teil",
        "published" => "veröffentlicht",
        "relation" => "Vergleich",
        "computed" => "berechnet",
        "groups" => "Gruppen",
        "base_n" => "Basis n",
        "deviation" => "Abweichung",
        "statistic" => "Statistik",
        "holds" => "trifft zu",
        "verdict" => "Urteil",
        "reading" => "Lesart",
        other => other,
    };
    german.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::survey::{Block, Unit};

    #[test]
    fn english_names_stay_and_german_ones_follow_the_codebooks_block() {
        let en = Words::study(Lang::En);
        assert_eq!(sheet("goal profiles", &en), "goal profiles");
        assert_eq!(column("share", &en), "share");
        let de = Words::study(Lang::De);
        assert_eq!(sheet("goal profiles", &de), "Zielprofile");
        assert_eq!(sheet("profile-optimierer", &de), "Profil optimierer");
        assert_eq!(column("distance_optimierer", &de), "Abstand optimierer");
        assert_eq!(column("ziel_effizienz", &de), "ziel_effizienz");
        let unit = Unit {
            de: "Person".into(),
            de_plural: "Personen".into(),
            en: "respondent".into(),
            en_plural: "respondents".into(),
            de_gender: None,
        };
        let block = Block {
            de: "Items".into(),
            en: "items".into(),
        };
        let other = Words::new(&unit, &block, Lang::De);
        assert!(!sheet("goal profiles", &other).contains("Ziel"));
        assert!(!sheet("goal-heatmap", &other).contains("Ziel"));
        let other = Words::new(&unit, &block, Lang::En);
        assert_eq!(sheet("goal profiles", &other), "profiles");
    }
}
