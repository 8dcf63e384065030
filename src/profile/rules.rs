//! The numbers the profile sheets' rules are stated with (see [`crate::profile`]).

/// Residual size that flags an answer as over- or under-represented.
pub const RESIDUAL_FLAG: f64 = 1.96;
/// Significance level of a cross-tab for strengths and lessons.
pub const ALPHA: f64 = 0.05;
/// Minimum gap, in percentage points, for a lesson from another type.
pub const LESSON_GAP: f64 = 10.0;
/// How many strengths, lessons, flags and typical municipalities a sheet lists.
pub const LIST_LENGTH: usize = 6;
pub const TYPICAL: usize = 5;
