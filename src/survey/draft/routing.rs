//! Routing proposed from the data: for a variable that holds the not-applicable code in some
//! cases, the first coded variable before it whose codes tell those cases apart from the others
//! (every code of it occurs only in cases that hold the not-applicable code, or only in cases that
//! do not). Each candidate's cases are kept once per code, as a bit set where the code is frequent
//! and as a list where it is rare, so that testing a candidate against a variable takes a few word
//! operations per 64 cases (and a look at each case of a rare code) instead of a look at every
//! case; and no candidate takes more than about eight bytes per case.

use std::collections::BTreeMap;

/// The cases as a bit set.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Cases {
    words: Vec<u64>,
}

impl Cases {
    pub fn new(n: usize) -> Cases {
        Cases {
            words: vec![0; n.div_ceil(64)],
        }
    }

    pub fn insert(&mut self, case: usize) {
        self.words[case / 64] |= 1 << (case % 64);
    }

    pub fn contains(&self, case: usize) -> bool {
        self.words[case / 64] >> (case % 64) & 1 == 1
    }

    /// How many cases are in both.
    fn common(&self, other: &Cases) -> usize {
        self.words
            .iter()
            .zip(&other.words)
            .map(|(a, b)| (a & b).count_ones() as usize)
            .sum()
    }
}

/// The cases of one code: a bit set when they are at least one in 32 of all, else a list.
enum CodeCases {
    Bits(Cases),
    List(Vec<u32>),
}

impl CodeCases {
    /// How many of them are in `routed`.
    fn common(&self, routed: &Cases) -> usize {
        match self {
            CodeCases::Bits(cases) => cases.common(routed),
            CodeCases::List(list) => list
                .iter()
                .filter(|&&c| routed.contains(c as usize))
                .count(),
        }
    }
}

/// A coded variable as a candidate filter: the cases that hold each of its codes (cases that hold
/// none of them, a missing code, or a number that is not whole, are in none).
pub(super) struct Filter {
    /// The variable's position in the file.
    pub variable: usize,
    /// Each code with its cases and how many they are.
    codes: Vec<(i64, CodeCases, usize)>,
}

impl Filter {
    /// The filter of the variable at `variable` whose values are `values` (case by case);
    /// `skip(x)` says which values are in no code's cases.
    pub fn new(variable: usize, values: &[f64], skip: impl Fn(f64) -> bool) -> Filter {
        let mut by_code: BTreeMap<i64, Vec<u32>> = BTreeMap::new();
        for (case, &x) in values.iter().enumerate() {
            if skip(x) || x.fract() != 0.0 {
                continue;
            }
            by_code.entry(x as i64).or_default().push(case as u32);
        }
        let codes = by_code
            .into_iter()
            .map(|(code, list)| {
                let n = list.len();
                let cases = if n * 32 >= values.len() {
                    let mut bits = Cases::new(values.len());
                    for c in list {
                        bits.insert(c as usize);
                    }
                    CodeCases::Bits(bits)
                } else {
                    CodeCases::List(list)
                };
                (code, cases, n)
            })
            .collect();
        Filter { variable, codes }
    }

    /// The codes of the cases outside `routed` when every code's cases lie wholly inside or wholly
    /// outside `routed` and some lie outside; `None` otherwise.
    pub fn asked_codes(&self, routed: &Cases) -> Option<Vec<i64>> {
        let mut asked = Vec::new();
        for (code, cases, n) in &self.codes {
            match cases.common(routed) {
                0 => asked.push(*code),
                k if k == *n => {}
                _ => return None,
            }
        }
        (!asked.is_empty()).then_some(asked)
    }
}

/// The first of `filters` (in the file's order, each before `variable`) whose codes tell `routed`
/// apart, with the codes of the cases asked.
pub(super) fn proposed<'f>(
    filters: &'f [Filter],
    variable: usize,
    routed: &Cases,
) -> Option<(&'f Filter, Vec<i64>)> {
    filters
        .iter()
        .take_while(|f| f.variable < variable)
        .find_map(|f| f.asked_codes(routed).map(|codes| (f, codes)))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    /// The rule as first written: the codes of the asked and of the routed cases, compared.
    fn by_sets(values: &[f64], routed: &[bool], skip: impl Fn(f64) -> bool) -> Option<Vec<i64>> {
        let (mut asked, mut past) = (BTreeSet::new(), BTreeSet::new());
        for (&r, &x) in routed.iter().zip(values) {
            if skip(x) || x.fract() != 0.0 {
                continue;
            }
            if r {
                past.insert(x as i64);
            } else {
                asked.insert(x as i64);
            }
        }
        (!asked.is_empty() && asked.is_disjoint(&past)).then(|| asked.into_iter().collect())
    }

    proptest::proptest! {
        #[test]
        fn bit_sets_find_the_filter_the_sets_of_codes_find(
            rows in proptest::collection::vec((0u8..6, proptest::bool::ANY), 1..200)
        ) {
            let values: Vec<f64> = rows.iter().map(|&(x, _)| if x == 5 { -9.0 } else { f64::from(x) }).collect();
            let routed: Vec<bool> = rows.iter().map(|&(_, r)| r).collect();
            let skip = |x: f64| x == -9.0;
            let filter = Filter::new(0, &values, skip);
            let mut cases = Cases::new(values.len());
            for (i, _) in routed.iter().enumerate().filter(|(_, &r)| r) {
                cases.insert(i);
            }
            proptest::prop_assert_eq!(filter.asked_codes(&cases), by_sets(&values, &routed, skip));
        }
    }
}
