//! The sentences about a run's weighting, in the output's language: the line every output
//! carries (weighted by what, or unweighted) and the console's note when a weight variable holds
//! one value for everyone. The facts come from [`crate::survey::Weighting`].

use crate::lang::Lang;
use crate::show::format::shortest;
use crate::show::words::Words;
use crate::survey::Weighting;

/// Why the run is unweighted although a weight variable was named or found (it holds one value
/// for everyone), for the console.
pub fn note(w: &Weighting, words: &Words) -> Option<String> {
    let (name, value) = w.constant.as_ref()?;
    let value = shortest(*value, words.lang);
    Some(match words.lang {
        Lang::De => format!("Gewichte: {name} ist für {} {value}: gleiche Gewichte ändern nichts, die Ergebnisse sind ungewichtet", words.each_unit_accusative()),
        Lang::En => format!("weights: {name} is {value} for every {}: equal weights change nothing, the results are unweighted", words.unit()),
    })
}

/// One line for every output: whether the results are weighted, and by what.
pub fn describe(w: &Weighting, words: &Words) -> String {
    let (units, profiles) = (words.units(), words.block_profiles());
    match (&w.variable, words.lang) {
        (Some(v), Lang::De) => format!(
            "gewichtet mit {v}: k-means (Zentren, Quadratsummen), Typanteile, {profiles}, Silhouetten, Kreuztabellen und Zusammensetzung der Steckbriefe (Tests nach Rao-Scott erster Ordnung korrigiert); n zählt {units}"
        ),
        (Some(v), Lang::En) => format!(
            "weighted by {v}: k-means (centres, sums of squares), type shares, {profiles}, silhouettes, the profile sheets' cross-tabs and composition (tests Rao-Scott first-order corrected); n counts {units}"
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
            note(&constant, &Words::study(Lang::De)).unwrap(),
            "Gewichte: gewicht ist für jede Kommune 2,5: gleiche Gewichte ändern nichts, die Ergebnisse sind ungewichtet"
        );
        let fall = crate::survey::Unit {
            de: "Fall".into(),
            de_plural: "Fälle".into(),
            de_gender: Some(crate::survey::Gender::Masculine),
            ..crate::survey::Unit::default()
        };
        let words = Words::new(&fall, &crate::survey::Block::default(), Lang::De);
        assert_eq!(
            note(&constant, &words).unwrap(),
            "Gewichte: gewicht ist für jeden Fall 2,5: gleiche Gewichte ändern nichts, die Ergebnisse sind ungewichtet"
        );
        assert_eq!(note(&Weighting::none(), &Words::study(Lang::En)), None);
        assert_eq!(describe(&constant, &Words::study(Lang::En)), "unweighted");
    }
}
