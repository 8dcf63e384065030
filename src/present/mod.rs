//! Presentation shared by the profile sheets ([`crate::report`]), the published figures
//! ([`crate::figures`]) and the choose-k chart ([`crate::cluster`]): the chart file format
//! ([`spec`]: everything a chart shows, versioned, written as JSON and CSV beside its picture), the
//! drawing of each kind of chart (`draw`), the backend that draws a chart as PNG or SVG with an
//! embedded font and writes picture, JSON and CSV atomically ([`backend`]), numbers in the output's
//! language ([`mod@format`]: the one decimal-comma formatter), axis ticks ([`axis`]), labels
//! ([`labels`]: the language, the data-source note, the codebook's labels) and how large charts
//! are drawn ([`look`]: size, text scale, full share axes).

pub mod axis;
pub mod backend;
mod dendrogram;
mod draw;
pub mod format;
pub mod labels;
pub mod look;
pub mod spec;

pub use backend::{draw_chart, write_chart, ImageFormat};
pub use dendrogram::{Dendrogram as DendrogramChart, DendrogramLeaf, DendrogramMerge, MAX_LEAVES};
pub use labels::{DataSource, Lang};
pub use look::{ChartLook, ChartSize};
pub use spec::{
    bars_height, palette, read_chart, sequential, Bars, Cell, Chart, Fonts, Heatmap, Highlight,
    LineErrors, LinePanel, Lines, Point, Scatter, Silhouette, CHART_FILE_VERSION, PALETTE,
};

use thiserror::Error;

#[derive(Debug, Error)]
pub enum PresentError {
    #[error("{path}: cannot draw the chart: {message}")]
    Chart { path: String, message: String },
    #[error("{path}: chart file version {found} is not supported; this typfrage reads chart files of version {supported}")]
    Version {
        path: String,
        found: String,
        supported: u32,
    },
    #[error(transparent)]
    File(#[from] crate::output::FileError),
}
