//! The surveyed municipalities nearest to a point (for `position` and `feedback`), found through
//! the survey's distinct answer patterns rather than every municipality: a survey of ratings
//! repeats its patterns, so one distance per pattern is computed, the nearest few patterns are
//! picked in one pass, and only their members are sorted. The order is that of sorting every
//! municipality by (distance, identifier, row), and the distances have the same bits.

use rayon::prelude::*;

/// One municipality near a point.
#[derive(Debug, Clone, PartialEq)]
pub struct Near {
    /// Its row in the survey.
    pub row: usize,
    pub distance: f64,
}

/// The points of the surveyed municipalities, grouped by equal points (value for value, bit for
/// bit), each group's members in order of identifier, then row.
pub struct NearestIndex {
    /// Each row's place in the order of (identifier, row).
    rank: Vec<u32>,
    /// One point per pattern.
    points: Vec<Vec<f64>>,
    /// The rows of each pattern.
    members: Vec<Vec<usize>>,
}

impl NearestIndex {
    /// Indexes the rows with a point for which `listed` holds (the others are never listed).
    pub fn new(
        points: &[Option<Vec<f64>>],
        ids: &[String],
        listed: impl Fn(usize) -> bool,
    ) -> NearestIndex {
        let mut by_id: Vec<usize> = (0..points.len()).collect();
        by_id.par_sort_by(|&a, &b| ids[a].cmp(&ids[b]).then(a.cmp(&b)));
        let mut rank = vec![0u32; points.len()];
        for (place, &r) in by_id.iter().enumerate() {
            rank[r] = place as u32;
        }
        let mut rows: Vec<usize> = (0..points.len())
            .filter(|&r| points[r].is_some() && listed(r))
            .collect();
        let point = |r: usize| points[r].as_deref().expect("rows with a point");
        let bits = |r: usize| point(r).iter().map(|v| v.to_bits());
        rows.par_sort_unstable_by(|&a, &b| bits(a).cmp(bits(b)).then(rank[a].cmp(&rank[b])));
        let mut index = NearestIndex {
            rank,
            points: Vec::new(),
            members: Vec::new(),
        };
        for (t, &r) in rows.iter().enumerate() {
            if t == 0 || bits(rows[t - 1]).ne(bits(r)) {
                index.points.push(point(r).to_vec());
                index.members.push(Vec::new());
            }
            index.members.last_mut().expect("a pattern").push(r);
        }
        index
    }

    /// How many distinct points the municipalities have.
    pub fn patterns(&self) -> usize {
        self.points.len()
    }

    /// The `count` municipalities nearest to `point` (Euclidean distance), leaving out row
    /// `skip`; on equal distances by identifier, then row.
    pub fn nearest(&self, point: &[f64], skip: Option<usize>, count: usize) -> Vec<Near> {
        let distances: Vec<f64> = self
            .points
            .iter()
            .map(|p| {
                point
                    .iter()
                    .zip(p.iter())
                    .map(|(a, b)| (a - b) * (a - b))
                    .sum::<f64>()
                    .sqrt()
            })
            .collect();
        // every pattern holds a municipality, so the count + 1 nearest patterns hold enough of
        // them besides `skip`; all patterns as near as the last of those are candidates too
        let enough = count + 1;
        let bound = if distances.len() > enough {
            let mut sorted = distances.clone();
            let (_, nth, _) = sorted.select_nth_unstable_by(enough - 1, |a, b| a.total_cmp(b));
            Some(*nth)
        } else {
            None
        };
        let mut list: Vec<Near> = distances
            .iter()
            .enumerate()
            .filter(|(_, d)| bound.is_none_or(|b| d.total_cmp(&b).is_le()))
            .flat_map(|(p, &distance)| {
                self.members[p]
                    .iter()
                    .filter(|&&row| Some(row) != skip)
                    .map(move |&row| Near { row, distance })
            })
            .collect();
        list.sort_by(|a, b| {
            a.distance
                .total_cmp(&b.distance)
                .then(self.rank[a.row].cmp(&self.rank[b.row]))
        });
        list.truncate(count);
        list
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Every municipality sorted by (distance, identifier, row): what the index must give.
    fn by_sorting_all(
        points: &[Option<Vec<f64>>],
        ids: &[String],
        point: &[f64],
        skip: Option<usize>,
        count: usize,
    ) -> Vec<Near> {
        let mut all: Vec<Near> = points
            .iter()
            .enumerate()
            .filter(|(r, p)| p.is_some() && Some(*r) != skip)
            .map(|(row, p)| Near {
                row,
                distance: point
                    .iter()
                    .zip(p.as_ref().unwrap())
                    .map(|(a, b)| (a - b) * (a - b))
                    .sum::<f64>()
                    .sqrt(),
            })
            .collect();
        all.sort_by(|a, b| {
            a.distance
                .total_cmp(&b.distance)
                .then_with(|| ids[a.row].cmp(&ids[b.row]))
        });
        all.truncate(count);
        all
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        #[test]
        fn the_index_finds_what_sorting_everyone_finds(
            cells in proptest::collection::vec(proptest::option::weighted(0.9, proptest::collection::vec(1u8..=3, 3)), 1..120),
            names in proptest::collection::vec(0u8..30, 120),
            query in proptest::collection::vec(1u8..=3, 3),
            skip in proptest::option::of(0usize..120),
            count in 1usize..8,
        ) {
            let points: Vec<Option<Vec<f64>>> = cells
                .iter()
                .map(|c| c.as_ref().map(|v| v.iter().map(|&x| f64::from(x)).collect()))
                .collect();
            let ids: Vec<String> = (0..points.len()).map(|i| format!("M{}", names[i])).collect();
            let point: Vec<f64> = query.iter().map(|&x| f64::from(x)).collect();
            let index = NearestIndex::new(&points, &ids, |_| true);
            prop_assert_eq!(
                index.nearest(&point, skip, count),
                by_sorting_all(&points, &ids, &point, skip, count)
            );
        }
    }
}
