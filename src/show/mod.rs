//! Presentation shared by the profile sheets ([`crate::report`]), the published figures
//! ([`crate::figures`]) and the cluster commands: charts ([`chart`]: the chart file format, each
//! kind's drawing, PNG/SVG), tables ([`table`]: CSV and workbooks), numbers in the output's
//! language ([`mod@format`]) and the codebook's labels ([`labels`]).

pub mod chart;
pub mod format;
pub mod labels;
pub mod table;
