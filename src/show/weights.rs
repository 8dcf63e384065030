//! The sentences about a run's weighting, in the output's language: the line every output
//! carries (weighted by what, or unweighted) and the console's note when a weight variable holds
//! one value for everyone. The facts come from [`crate::survey::Weighting`].

use crate::lang::Lang;
use crate::show::format::shortest;
use crate::survey::Weighting;

/// Why the run is unweighted although a weight variable was named or found (it holds one value
/// for everyone), for the console.
pub fn note(w: &Weighting, lang: Lang) -> Option<String> {
    let (name, value) = w.constant.as_ref()?;
    let value = shortest(*value, lang);
    Some(lang.pick(
        &format!("Gewichte: {name} ist für jede Kommune {value}: gleiche Gewichte ändern nichts, die Ergebnisse sind ungewichtet"),
        &format!("weights: {name} is {value} for every municipality: equal weights change nothing, the results are unweighted"),
    ).to_string())
}

/// One line for every output: whether the results are weighted, and by what.
pub fn describe(w: &Weighting, lang: Lang) -> String {
    match (&w.variable, lang) {
        (Some(v), Lang::De) => format!(
            "gewichtet mit {v}: k-means (Zentren, Quadratsummen), Typanteile, Zielprofile, Silhouetten, Kreuztabellen und Zusammensetzung der Steckbriefe (Tests nach Rao-Scott erster Ordnung korrigiert); n zählt Kommunen"
        ),
        (Some(v), Lang::En) => format!(
            "weighted by {v}: k-means (centres, sums of squares), type shares, goal profiles, silhouettes, the profile sheets' cross-tabs and composition (tests Rao-Scott first-order corrected); n counts municipalities"
        ),
        (None, Lang::De) => "ungewichtet".into(),
        (None, Lang::En) => "unweighted".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_constant_weight_is_named_with_its_value_in_the_language() {
        let constant = Weighting {
            constant: Some(("gewicht".into(), 2.5)),
            ..Weighting::none()
        };
        assert_eq!(
            note(&constant, Lang::De).unwrap(),
            "Gewichte: gewicht ist für jede Kommune 2,5: gleiche Gewichte ändern nichts, die Ergebnisse sind ungewichtet"
        );
        assert_eq!(note(&Weighting::none(), Lang::En), None);
        assert_eq!(describe(&constant, Lang::En), "unweighted");
    }
}
