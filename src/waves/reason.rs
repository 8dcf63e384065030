//! Why an identifier has the type it has in the later wave: the reasons of `switches.csv`, and the
//! one rule that gives them from the four classifications and the matching of the types.

use serde::Serialize;

use super::matching::Matching;

/// Why a municipality is where it is in the later wave.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// Its later type is the counterpart of its earlier one.
    Stayed,
    /// Its own answers moved it: under the earlier model its later answers give the earlier
    /// counterpart of its later type.
    RealChange,
    /// Under the earlier model its later answers keep it in its earlier type: the types moved.
    ReEstimation,
    /// Both moved: under the earlier model its later answers give a third type.
    Mixed,
    /// Its earlier type has no counterpart among the later types.
    TypeDissolved,
    /// Its later type has no counterpart among the earlier types.
    TypeNew,
    /// In the later wave only.
    Entered,
    /// In the earlier wave only.
    Left,
}

impl Reason {
    /// Every reason, in the order tables list them.
    pub const ALL: [Reason; 8] = [
        Reason::Stayed,
        Reason::RealChange,
        Reason::ReEstimation,
        Reason::Mixed,
        Reason::TypeDissolved,
        Reason::TypeNew,
        Reason::Entered,
        Reason::Left,
    ];

    /// The reason's name in files (the same in every language, like a type's id).
    pub fn slug(self) -> &'static str {
        match self {
            Reason::Stayed => "stayed",
            Reason::RealChange => "real_change",
            Reason::ReEstimation => "re_estimation",
            Reason::Mixed => "mixed",
            Reason::TypeDissolved => "type_dissolved",
            Reason::TypeNew => "type_new",
            Reason::Entered => "entered",
            Reason::Left => "left",
        }
    }

    /// Whether the municipality is in another type (or in one wave only).
    pub fn switched(self) -> bool {
        self != Reason::Stayed
    }
}

/// The reason for a municipality of earlier type `old` and later type `new` (`None`: not in that
/// wave), whose later answers the earlier model assigns to `new_under_old`:
///
/// 1. in one wave only: `left` or `entered` (in neither: `left`, a case [`super::compare`]
///    leaves out);
/// 2. its earlier type has no counterpart: `type_dissolved` (before 3: the type it left is gone);
/// 3. its later type has no counterpart: `type_new`;
/// 4. its later type is its earlier type's counterpart: `stayed`;
/// 5. otherwise it switched: `real_change` when the earlier model puts its later answers into the
///    earlier counterpart of its later type, `re_estimation` when into its earlier type, `mixed`
///    when into a third type.
pub fn reason(
    old: Option<usize>,
    new: Option<usize>,
    new_under_old: Option<usize>,
    m: &Matching,
) -> Reason {
    let (old, new) = match (old, new) {
        (None, None) | (Some(_), None) => return Reason::Left,
        (None, Some(_)) => return Reason::Entered,
        (Some(o), Some(n)) => (o, n),
    };
    let Some(counterpart) = m.new_of_old[old] else {
        return Reason::TypeDissolved;
    };
    let Some(earlier) = m.old_of_new[new] else {
        return Reason::TypeNew;
    };
    if counterpart == new {
        return Reason::Stayed;
    }
    match new_under_old {
        Some(c) if c == earlier => Reason::RealChange,
        Some(c) if c == old => Reason::ReEstimation,
        // a third type (or, which a later wave clustered on the same variables cannot give, no
        // type at all: then neither its own answers nor the types alone explain the switch)
        _ => Reason::Mixed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Old types 0, 1, 2 matched to new types 1, 0 and none; new type 2 is new.
    fn matching() -> Matching {
        Matching {
            new_of_old: vec![Some(1), Some(0), None],
            old_of_new: vec![Some(1), Some(0), None],
            distances: vec![vec![0.0; 3]; 3],
            threshold: vec![1.0; 3],
            pairs: vec![Some(1), Some(0), Some(2)],
        }
    }

    #[test]
    fn each_reason_by_hand() {
        let m = matching();
        // old 0's counterpart is new 1
        assert_eq!(reason(Some(0), Some(1), Some(2), &m), Reason::Stayed);
        // old 0 -> new 0 (whose counterpart is old 1); its new answers under the old model: old 1
        assert_eq!(reason(Some(0), Some(0), Some(1), &m), Reason::RealChange);
        // ... still old 0: the types moved
        assert_eq!(reason(Some(0), Some(0), Some(0), &m), Reason::ReEstimation);
        // ... old 2, a third type
        assert_eq!(reason(Some(0), Some(0), Some(2), &m), Reason::Mixed);
        assert_eq!(reason(Some(2), Some(0), Some(1), &m), Reason::TypeDissolved);
        // dissolved before new
        assert_eq!(reason(Some(2), Some(2), Some(2), &m), Reason::TypeDissolved);
        assert_eq!(reason(Some(1), Some(2), Some(1), &m), Reason::TypeNew);
        assert_eq!(reason(None, Some(2), None, &m), Reason::Entered);
        assert_eq!(reason(Some(1), None, None, &m), Reason::Left);
    }
}
