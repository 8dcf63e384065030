//! The words of the published-figure check: how each figure is read ([`figure_reading`]), and
//! each finding's claim, groups and test ([`statement`], [`group_label`], [`test`]) in German
//! and English, made from the typed claims `crate::figures` computes.

use crate::figures::{GroupLabel, Statement, Subject, Test};
use crate::lang::Lang;
use crate::show::format::number;

/// A text in English and in German.
type Words<'a> = (&'a str, &'a str);

/// How figure `id` is read in `lang`: what is counted, among whom. Every base leaves out who did
/// not answer what the figure counts (and, for a base group, what defines the group). Empty
/// where no computation is defined.
pub fn figure_reading(id: &str, lang: Lang) -> &'static str {
    let (en, de) = readings(id);
    lang.pick(de, en)
}

/// How figure `id` is read, in English and in German; empty where no computation is defined.
fn readings(id: &str) -> Words<'static> {
    match id {
        "strategy_has" => (
            "has a strategy (strategie_status 1), among all who answered the status question",
            "hat eine Strategie (strategie_status 1), unter allen, die die Statusfrage beantwortet haben",
        ),
        "strategy_developing" => (
            "develops one (strategie_status 2), among all who answered the status question",
            "entwickelt eine (strategie_status 2), unter allen, die die Statusfrage beantwortet haben",
        ),
        "strategy_has_or_developing" => (
            "has or develops one (strategie_status 1 or 2), among all who answered the status question",
            "hat oder entwickelt eine (strategie_status 1 oder 2), unter allen, die die Statusfrage beantwortet haben",
        ),
        "basecomp_none" => (
            "none of the nine base components in use, among all who answered all nine",
            "keine der neun Basiskomponenten im Einsatz, unter allen, die alle neun beantwortet haben",
        ),
        "basecomp_one_or_two" => (
            "one or two of the nine base components in use, among all who answered all nine",
            "eine oder zwei der neun Basiskomponenten im Einsatz, unter allen, die alle neun beantwortet haben",
        ),
        "basecomp_at_most_two" => (
            "at most two of the nine base components in use, among all who answered all nine",
            "höchstens zwei der neun Basiskomponenten im Einsatz, unter allen, die alle neun beantwortet haben",
        ),
        "basecomp_mean" => (
            "mean number of the nine base components in use, among all who answered all nine",
            "mittlere Zahl der eingesetzten Basiskomponenten (von neun), unter allen, die alle neun beantwortet haben",
        ),
        "community_none" => (
            "none of the eight community offerings supported (financially, logistically or otherwise; planned support is not support), among all who answered all eight",
            "keines der acht Gemeinschaftsangebote unterstützt (finanziell, logistisch oder anders; geplante Unterstützung zählt nicht), unter allen, die alle acht beantwortet haben",
        ),
        "community_exactly_one" => (
            "exactly one of the eight community offerings supported, among all who answered all eight",
            "genau eines der acht Gemeinschaftsangebote unterstützt, unter allen, die alle acht beantwortet haben",
        ),
        "egov_good_with_strategy" => (
            "has a strategy, among those with three or more base components in use who answered the status question",
            "hat eine Strategie, unter denen mit drei oder mehr Basiskomponenten im Einsatz, die die Statusfrage beantwortet haben",
        ),
        "community_engaged_with_strategy" => (
            "has a strategy, among those supporting two or more offerings who answered the status question",
            "hat eine Strategie, unter denen, die zwei oder mehr Angebote unterstützen und die Statusfrage beantwortet haben",
        ),
        "egov_good_also_community_engaged" => (
            "supports two or more offerings (all eight answered), among those with three or more base components in use",
            "unterstützt zwei oder mehr Angebote (alle acht beantwortet), unter denen mit drei oder mehr Basiskomponenten im Einsatz",
        ),
        "fim_known" => (
            "knows FIM, among all who answered",
            "kennt FIM, unter allen, die geantwortet haben",
        ),
        "fim_helpful_among_known" => (
            "each of services, data fields and processes rated very or rather helpful, among those who know FIM and rated it; 'not used / cannot judge' stays in the base as not rated helpful (the base is who knows FIM); each of the three must reproduce the figure",
            "Leistungen, Datenfelder und Prozesse jeweils als sehr oder eher hilfreich bewertet, unter denen, die FIM kennen und es bewertet haben; 'nicht genutzt / kann ich nicht beurteilen' bleibt als nicht hilfreich in der Basis (die Basis ist, wer FIM kennt); jedes der drei muss die Zahl treffen",
        ),
        "data_inventory_intensive" => (
            "data inventory to a large extent or intensively (4-5 of 5), among all who answered",
            "Datenbestandsaufnahme in großem Umfang oder intensiv (4-5 von 5), unter allen, die geantwortet haben",
        ),
        "data_kpi_staffing" => (
            "uses process KPIs for staffing, among all who answered",
            "nutzt Prozesskennzahlen für die Personalbemessung, unter allen, die geantwortet haben",
        ),
        "data_kpi_optimisation" => (
            "uses process KPIs to find optimisation potential, among all who answered",
            "nutzt Prozesskennzahlen, um Optimierungspotenzial zu finden, unter allen, die geantwortet haben",
        ),
        "data_fully_automated" => (
            "has fully automated processes, among all who answered",
            "hat vollständig automatisierte Prozesse, unter allen, die geantwortet haben",
        ),
        "field_administration" | "field_infrastructure" | "field_education_culture_science" | "field_mobility" | "field_economy" => (
            "named among the strategy's three most important fields of action, among those who have or develop a strategy and answered the fields question",
            "unter den drei wichtigsten Handlungsfeldern der Strategie genannt, unter denen, die eine Strategie haben oder entwickeln und die Frage nach den Handlungsfeldern beantwortet haben",
        ),
        "goal_attractiveness" | "goal_public_services" => (
            "named among the strategy's three most important goals, among those who have or develop a strategy and answered the goals question",
            "unter den drei wichtigsten Zielen der Strategie genannt, unter denen, die eine Strategie haben oder entwickeln und die Frage nach den Zielen beantwortet haben",
        ),
        "link_urban_development_concept" => (
            "the strategy links to an urban or district development concept, among those who have or develop a strategy and answered the links question",
            "die Strategie knüpft an ein Stadt- oder Kreisentwicklungskonzept an, unter denen, die eine Strategie haben oder entwickeln und die Frage nach den Anknüpfungen beantwortet haben",
        ),
        "link_none" => (
            "the strategy links to no other strategy or concept, among those who have or develop a strategy and answered the links question",
            "die Strategie knüpft an keine andere Strategie und kein anderes Konzept an, unter denen, die eine Strategie haben oder entwickeln und die Frage nach den Anknüpfungen beantwortet haben",
        ),
        "chefsache_any" => (
            "Chefsache: the mayor's office, a CDO or a CIO is co-responsible in the administration or in the community (either area), among all who answered both leadership questions (complete cases)",
            "Chefsache: Verwaltungsspitze, CDO oder CIO ist in der Verwaltung oder in der Gemeinschaft mitverantwortlich (einer der beiden Bereiche), unter allen, die beide Leitungsfragen beantwortet haben (vollständige Fälle)",
        ),
        "admin_lead_mayor" | "admin_lead_cdo" | "admin_lead_cio" => (
            "the role is co-responsible for the administration's digitalisation, among all who answered that question",
            "die Rolle ist für die Digitalisierung der Verwaltung mitverantwortlich, unter allen, die diese Frage beantwortet haben",
        ),
        "admin_lead_cio_with_strategy" | "admin_lead_cdo_with_strategy" => (
            "the role is co-responsible for the administration's digitalisation, among those with a strategy who answered that question",
            "die Rolle ist für die Digitalisierung der Verwaltung mitverantwortlich, unter denen mit Strategie, die diese Frage beantwortet haben",
        ),
        "community_lead_mayor" | "community_lead_cdo" | "community_lead_cio" => (
            "the role co-shapes the community's digitalisation, among all who answered that question",
            "die Rolle gestaltet die Digitalisierung der Gemeinschaft mit, unter allen, die diese Frage beantwortet haben",
        ),
        "community_lead_cdo_with_strategy" => (
            "a CDO co-shapes the community's digitalisation, among those with a strategy who answered that question",
            "ein CDO gestaltet die Digitalisierung der Gemeinschaft mit, unter denen mit Strategie, die diese Frage beantwortet haben",
        ),
        "community_lead_cdo_among_engaged" => (
            "a CDO co-shapes the community's digitalisation, among those supporting two or more offerings who answered that question",
            "ein CDO gestaltet die Digitalisierung der Gemeinschaft mit, unter denen, die zwei oder mehr Angebote unterstützen und diese Frage beantwortet haben",
        ),
        "training_trends_among_developing" => (
            "training on technological trends offered (the figure's topic; the sentence's other two topics are in Abb. 7), among those developing a strategy who answered it",
            "Schulung zu technologischen Trends angeboten (das Thema der Zahl; die beiden anderen Themen des Satzes stehen in Abb. 7), unter denen, die eine Strategie entwickeln und dies beantwortet haben",
        ),
        "training_planned_among_developing" => (
            "training planned on at least one of the three transformation topics (trends, digital work organisation, digital leadership), among those developing a strategy who answered all three",
            "Schulung zu mindestens einem der drei Transformationsthemen geplant (Trends, digitale Arbeitsorganisation, digitale Führung), unter denen, die eine Strategie entwickeln und alle drei beantwortet haben",
        ),
        "fibre_engaged" => (
            "engaged in at least one of the five forms of fibre roll-out, among all who answered all five",
            "in mindestens einer der fünf Formen des Glasfaserausbaus engagiert, unter allen, die alle fünf beantwortet haben",
        ),
        "broadband_good_or_very_good" => (
            "broadband graded very good or good (1-2), among all who graded it",
            "Breitband mit sehr gut oder gut bewertet (1-2), unter allen, die es bewertet haben",
        ),
        "broadband_satisfactory" => (
            "broadband graded satisfactory (3), among all who graded it",
            "Breitband mit befriedigend bewertet (3), unter allen, die es bewertet haben",
        ),
        _ => ("", ""),
    }
}

/// What a claim is about, in English and in German.
fn subject(s: Subject) -> Words<'static> {
    match s {
        Subject::StrategyShare => ("share with a strategy", "Anteil mit Strategie"),
        Subject::NotATopicShare => (
            "share for whom a strategy is not (yet) a topic",
            "Anteil, für den eine Strategie (noch) kein Thema ist",
        ),
        Subject::EgovGoodShare => ("share good in e-government", "Anteil gut im E-Government"),
        Subject::EngagedShare => (
            "share engaged in the community",
            "Anteil in der Gemeinschaft engagiert",
        ),
        Subject::GoalsTop3 => (
            "goals named among the three most important (has or develops a strategy)",
            "unter den drei wichtigsten genannte Ziele (hat oder entwickelt eine Strategie)",
        ),
        Subject::StrategyLinks => (
            "concepts the strategy links to (has or develops a strategy)",
            "Konzepte, an die die Strategie anknüpft (hat oder entwickelt eine Strategie)",
        ),
        Subject::DataBreadth => (
            "data use breadth (instruments used at all + uses, 0-6; all six answered)",
            "Breite der Datennutzung (überhaupt genutzte Instrumente + Nutzungen, 0-6; alle sechs beantwortet)",
        ),
        Subject::TrainingTopics => (
            "number of staff training topics offered (0-5, all five answered)",
            "Zahl der angebotenen Schulungsthemen (0-5, alle fünf beantwortet)",
        ),
        Subject::LedFromTop => (
            "Chefsache (mayor's office, CDO or CIO co-responsible in either area; both leadership questions answered)",
            "Chefsache (Verwaltungsspitze, CDO oder CIO in einem der beiden Bereiche mitverantwortlich; beide Leitungsfragen beantwortet)",
        ),
        Subject::BroadbandGood => (
            "broadband graded good or very good",
            "Breitband mit gut oder sehr gut bewertet",
        ),
        Subject::BreadthAndEgov => (
            "data use breadth (0, 1, 2, 3, 4+) is not associated with being good in e-government",
            "die Breite der Datennutzung (0, 1, 2, 3, 4+) hängt nicht damit zusammen, gut im E-Government zu sein",
        ),
        Subject::BreadthAndEngagement => (
            "data use breadth (0, 1, 2, 3, 4+) is not associated with community engagement",
            "die Breite der Datennutzung (0, 1, 2, 3, 4+) hängt nicht mit dem Engagement in der Gemeinschaft zusammen",
        ),
        Subject::FibreAndGrade => (
            "fibre engagement is not associated with the broadband grade",
            "das Glasfaser-Engagement hängt nicht mit der Breitband-Note zusammen",
        ),
        Subject::EgovAndGrade => (
            "being good in e-government is not associated with the broadband grade",
            "gut im E-Government zu sein hängt nicht mit der Breitband-Note zusammen",
        ),
        Subject::EgovAndFibre => (
            "being good in e-government is not associated with fibre engagement",
            "gut im E-Government zu sein hängt nicht mit dem Glasfaser-Engagement zusammen",
        ),
    }
}

/// A group of a finding's comparison in `lang`.
pub fn group_label(label: &GroupLabel, lang: Lang) -> String {
    let words = match label {
        GroupLabel::SizeClass(class) => return format!("GK {class}"),
        GroupLabel::Variable(name) => return name.clone(),
        GroupLabel::WithStrategy => ("municipalities with a strategy", "Kommunen mit Strategie"),
        GroupLabel::WithoutStrategy => (
            "municipalities without one (planned or not a topic)",
            "Kommunen ohne (geplant oder kein Thema)",
        ),
        GroupLabel::GoodInEgov => ("good in e-government", "gut im E-Government"),
        GroupLabel::NotGood => ("not good", "nicht gut"),
        GroupLabel::Engaged => ("engaged", "engagiert"),
        GroupLabel::NotEngaged => ("not engaged", "nicht engagiert"),
        GroupLabel::EngagedInFibre => ("engaged in fibre", "im Glasfaserausbau engagiert"),
        GroupLabel::EngagedInCommunity => (
            "municipalities engaged in the community",
            "in der Gemeinschaft engagierte Kommunen",
        ),
        GroupLabel::TheOthers => ("the others", "die übrigen"),
        GroupLabel::OthersWithComponent => (
            "the others with a component in use",
            "die übrigen mit einer Komponente im Einsatz",
        ),
        GroupLabel::StateSolutions => (
            "state solutions (components)",
            "Landeslösungen (Komponenten)",
        ),
    };
    lang.pick(words.1, words.0).to_string()
}

/// The label of a computed figure's part in `lang`: the computation's words (in English, as
/// `crate::figures` names its parts) in German where asked; a variable's name stays as it is.
pub fn part_label(label: &str, lang: Lang) -> String {
    if lang == Lang::En {
        return label.to_string();
    }
    let de = match label {
        "0 base components" => "0 Basiskomponenten",
        "1-2 base components" => "1-2 Basiskomponenten",
        "0-2 base components" => "0-2 Basiskomponenten",
        "mean base components" => "mittlere Zahl der Basiskomponenten",
        "0 offerings supported" => "0 Angebote unterstützt",
        "1 offering supported" => "1 Angebot unterstützt",
        "strategy among e-gov good" => "Strategie unter den im E-Government guten",
        "strategy among engaged" => "Strategie unter den engagierten",
        "engaged among e-gov good" => "engagiert unter den im E-Government guten",
        "plans a transformation topic" => "plant ein Transformationsthema",
        "engaged in fibre" => "im Glasfaserausbau engagiert",
        "grade 1-2" => "Note 1-2",
        "grade 3" => "Note 3",
        "strategie_status in 1, 2" => "strategie_status 1 oder 2",
        other => other,
    };
    de.to_string()
}

/// A group of a finding's comparison as it stands after "bei"/"among" in a sentence: in German
/// the dative ("bei in der Gemeinschaft engagierten Kommunen", "bei den übrigen"), in both
/// languages a noun where the label alone is an adjective ("engagiert").
pub fn group_in_sentence(label: &GroupLabel, lang: Lang) -> String {
    let words = match label {
        GroupLabel::SizeClass(_)
        | GroupLabel::Variable(_)
        | GroupLabel::WithStrategy
        | GroupLabel::WithoutStrategy
        | GroupLabel::StateSolutions => return group_label(label, lang),
        GroupLabel::GoodInEgov => (
            "municipalities good in e-government",
            "Kommunen, die gut im E-Government sind,",
        ),
        GroupLabel::NotGood => ("the others", "den übrigen"),
        GroupLabel::Engaged => ("engaged municipalities", "engagierten Kommunen"),
        GroupLabel::NotEngaged => ("municipalities not engaged", "nicht engagierten Kommunen"),
        GroupLabel::EngagedInFibre => (
            "municipalities engaged in fibre",
            "im Glasfaserausbau engagierten Kommunen",
        ),
        GroupLabel::EngagedInCommunity => (
            "municipalities engaged in the community",
            "in der Gemeinschaft engagierten Kommunen",
        ),
        GroupLabel::TheOthers => ("the others", "den übrigen"),
        GroupLabel::OthersWithComponent => (
            "the others with a component in use",
            "den übrigen mit einer Komponente im Einsatz",
        ),
    };
    lang.pick(words.1, words.0).to_string()
}

/// A finding's claim in `lang`, as operationalised here; `groups` are the claim's groups (a
/// comparison names its first two).
pub fn statement(s: &Statement, groups: &[GroupLabel], lang: Lang) -> String {
    let de = lang == Lang::De;
    match s {
        Statement::RisesWithSize(what) => {
            let (en, de_words) = subject(*what);
            match lang {
                Lang::De => format!("{de_words} steigt mit der Größe (KGSt-Größenklasse 7 → 1)"),
                Lang::En => format!("{en} rises with size (KGSt size class 7 → 1)"),
            }
        }
        Statement::FallsWithSize(what) => {
            let (en, de_words) = subject(*what);
            // a subject ending in a relative clause ("Anteil, für den …") closes it with a comma
            let comma = if de_words.contains(", ") { "," } else { "" };
            match lang {
                Lang::De => format!("{de_words}{comma} sinkt mit der Größe"),
                Lang::En => format!("{en} falls with size"),
            }
        }
        Statement::Higher { what, mean } => {
            let what = lang.pick(subject(*what).1, subject(*what).0);
            let label = |i: usize| {
                groups
                    .get(i)
                    .map_or(String::new(), |g| group_in_sentence(g, lang))
            };
            let (a, b) = (label(0), label(1));
            // a group closing a relative clause keeps its comma only before "als"
            let b = b.trim_end_matches(',').to_string();
            match (de, mean) {
                (true, true) => format!("{what}: im Mittel höher bei {a} als bei {b}"),
                (true, false) => format!("{what}: höher bei {a} als bei {b}"),
                (false, true) => format!("{what}: higher mean among {a} than among {b}"),
                (false, false) => format!("{what}: higher among {a} than among {b}"),
            }
        }
        Statement::Leads { what, leaders } => {
            let what = lang.pick(subject(*what).1, subject(*what).0);
            let leaders = leaders.join(" > ");
            match lang {
                Lang::De => format!("{what}: {leaders} vorn, in dieser Reihenfolge"),
                Lang::En => format!("{what}: {leaders} lead in this order"),
            }
        }
        Statement::NoAssociation(what) => lang.pick(subject(*what).1, subject(*what).0).into(),
        Statement::InHouseHigher => lang
            .pick(
                "mittlerer Anteil der eingesetzten Komponenten einer Kommune, die sie selbst oder ein kommunaler Dienstleister betreibt: höher bei Kommunen, die gut im E-Government sind (3+ Komponenten), als bei den übrigen mit mindestens einer im Einsatz",
                "mean share of a municipality's components in use that are operated in-house or by a municipal provider: higher among municipalities good in e-government (3+ components) than among the others with at least one in use",
            )
            .into(),
        Statement::StateSolutionsRare { bound } => match lang {
            Lang::De => format!(
                "Landeslösungen sind selten: unter {bound} % aller eingesetzten Komponenten (alle neun beantwortet)"
            ),
            Lang::En => format!(
                "state (Land) solutions are rare: under {bound} % of all components in use (all nine answered)"
            ),
        },
    }
}

/// The test that decides a claim, in `lang`.
pub fn test(t: &Test, lang: Lang) -> String {
    let words = match t {
        Test::Trend => (
            "Cochran-Armitage trend, one-sided",
            "Cochran-Armitage-Trendtest, einseitig",
        ),
        Test::TwoProportions => (
            "two proportions, one-sided z-test",
            "zwei Anteile, einseitiger z-Test",
        ),
        Test::Welch => ("Welch t-test, one-sided", "Welch-t-Test, einseitig"),
        Test::WelchInHouse => (
            "Welch t-test on the municipalities' in-house shares, one-sided",
            "Welch-t-Test auf die Eigenbetriebsanteile der Kommunen, einseitig",
        ),
        Test::Ranking => (
            "ranking of shares (descriptive); smallest gap in points is the margin",
            "Rangfolge der Anteile (beschreibend); der kleinste Abstand in Punkten ist die Marge",
        ),
        Test::NoAssociation { v, alpha } => {
            return match lang {
                Lang::De => format!(
                    "Chi-Quadrat mit Cramérs V; kein Zusammenhang gilt, wenn V nachweislich unter {v} liegt: obere 95-%-Konfidenzgrenze von V unter {v}, d. h. Äquivalenztest (nichtzentrales Chi-Quadrat) p < {alpha}",
                    v = number(*v, 1, Lang::De),
                    alpha = number(*alpha, 2, Lang::De)
                ),
                Lang::En => format!(
                    "chi-square with Cramér's V; no association holds if V is shown to be below {v}: upper 95 % confidence bound of V below {v}, i.e. equivalence test (noncentral chi-square) p < {alpha}"
                ),
            }
        }
        Test::Bound { bound } => {
            return match lang {
                Lang::De => format!("beschreibende Schranke: Anteil < {bound} %"),
                Lang::En => format!("descriptive bound: share < {bound} %"),
            }
        }
    };
    lang.pick(words.1, words.0).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression (issue 28): "höher bei in der Gemeinschaft engagierte Kommunen als bei die
    /// übrigen". Every pair of groups a comparison can name reads as a German sentence (dative
    /// after "bei", a comma only where a relative clause closes) and as an English one.
    /// Regression (issue 28): the `part` column of a German figures table said "0 base
    /// components". No part a computation names keeps an English word in German.
    #[test]
    fn every_part_has_its_german_label() {
        let source = include_str!("../../../figures/definitions.rs");
        let english = [
            "base",
            "component",
            "offering",
            "among",
            "engaged",
            "grade",
            "plans",
            "mean",
            " in ",
        ];
        let mut seen = 0;
        for line in source.lines() {
            let Some(start) = line.find('"') else {
                continue;
            };
            let rest = &line[start + 1..];
            let Some(end) = rest.find('"') else { continue };
            let label = &rest[..end];
            if !english.iter().any(|w| label.contains(w))
                || label.contains('_') && !label.contains(' ')
            {
                continue;
            }
            seen += 1;
            let de = part_label(label, Lang::De);
            for w in english {
                assert!(!de.contains(w), "{label} -> {de}");
            }
        }
        assert!(seen >= 10, "{seen}");
    }

    #[test]
    fn a_comparison_names_its_groups_in_the_dative() {
        let groups = [
            GroupLabel::WithStrategy,
            GroupLabel::WithoutStrategy,
            GroupLabel::GoodInEgov,
            GroupLabel::NotGood,
            GroupLabel::Engaged,
            GroupLabel::NotEngaged,
            GroupLabel::EngagedInFibre,
            GroupLabel::EngagedInCommunity,
            GroupLabel::TheOthers,
            GroupLabel::OthersWithComponent,
        ];
        for a in &groups {
            for b in &groups {
                let higher = Statement::Higher {
                    what: Subject::BroadbandGood,
                    mean: false,
                };
                let de = statement(&higher, &[a.clone(), b.clone()], Lang::De);
                for wrong in [
                    "bei die ",
                    "engagierte Kommunen",
                    "bei gut ",
                    "bei nicht gut",
                    "bei engagiert ",
                    ",,",
                    "sind als",
                ] {
                    assert!(!de.contains(wrong), "{wrong}: {de}");
                }
                assert_eq!(
                    de.contains(", als bei "),
                    *a == GroupLabel::GoodInEgov,
                    "{de}"
                );
                assert!(!de.ends_with(','), "{de}");
                let en = statement(&higher, &[a.clone(), b.clone()], Lang::En);
                for wrong in [
                    "among good ",
                    "among not good",
                    "among engaged than",
                    "among not engaged",
                ] {
                    assert!(!en.contains(wrong), "{wrong}: {en}");
                }
            }
        }
    }
}
