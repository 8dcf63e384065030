//! Drawing each kind of chart of the chart file format on any plotters backend, so that PNG and
//! SVG come from the same code: title at the top, the data-source note at the bottom, numbers in
//! the chart's language. Every length (text, margins, markers, lines) is its size at the
//! reference layout times the chart's [`Chart::factor`], so a larger picture is the same chart
//! with everything larger.

use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::axis::{share_axis_end, tick_label, ticks};
use super::{parse_color, sequential, Bars, Chart, Fonts, Heatmap, Lines, Scatter, Silhouette};
use crate::lang::Lang;
use crate::show::format::{number, shortest};

/// The family the backend registers the embedded font under.
pub(super) const FONT: &str = "sans-serif";

pub(super) type DrawResult<DB> =
    Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

impl Chart {
    /// Draws the chart on `root`, which has the chart's size.
    pub(super) fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let r = Ruler::of(self);
        match self {
            Chart::Bars(b) => draw_bars(b, root, &r),
            Chart::Heatmap(m) => draw_heatmap(m, root, &r),
            Chart::Scatter(s) => draw_scatter(s, root, &r),
            Chart::Silhouette(s) => draw_silhouette(s, root, &r),
            Chart::Lines(l) => draw_lines(l, root, &r),
            Chart::Dendrogram(d) => super::dendrogram::draw_dendrogram(d, root, &r),
        }
    }
}

/// A numeric axis with the ticks given (plotters' own choice of ticks cannot be told the
/// decimals its labels need).
struct Ticked {
    inner: RangedCoordf64,
    ticks: Vec<f64>,
}

fn ticked(lo: f64, hi: f64, ticks: Vec<f64>) -> Ticked {
    Ticked {
        inner: (lo..hi).into(),
        ticks,
    }
}

impl Ranged for Ticked {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        self.inner.map(value, limit)
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> std::ops::Range<f64> {
        self.inner.range()
    }
}

/// Lengths at the reference layout made the chart's lengths: times [`Chart::factor`].
pub(super) struct Ruler {
    f: f64,
    fonts: Fonts,
}

impl Ruler {
    pub(super) fn of(chart: &Chart) -> Ruler {
        Ruler {
            f: chart.factor(),
            fonts: chart.fonts(),
        }
    }

    /// A length in pixels.
    pub(super) fn px(&self, v: f64) -> i32 {
        (v * self.f).round() as i32
    }

    /// A length in pixels, at least `min`.
    pub(super) fn at_least(&self, v: f64, min: u32) -> u32 {
        ((v * self.f).round().max(0.0) as u32).max(min)
    }

    /// A line's width, at least one pixel.
    pub(super) fn stroke(&self, v: f64) -> u32 {
        self.at_least(v, 1)
    }

    /// The sizes the chart's texts are drawn with.
    pub(super) fn fonts(&self) -> &Fonts {
        &self.fonts
    }

    pub(super) fn text(&self, size: f64, c: RGBColor) -> TextStyle<'static> {
        (FONT, size).into_font().color(&c)
    }

    pub(super) fn bold(&self, size: f64, c: RGBColor) -> TextStyle<'static> {
        (FONT, size).into_font().style(FontStyle::Bold).color(&c)
    }
}

/// `root` without the margins, each shrunk in proportion where together they would leave fewer
/// than a tenth of the picture (a large text scale on a small picture): never an empty or
/// inverted area.
fn inside<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    (top, bottom, left, right): (i32, i32, i32, i32),
) -> DrawingArea<DB, Shift> {
    let (w, h) = root.dim_in_pixel();
    let fit = |a: i32, b: i32, room: u32| -> (u32, u32) {
        let (a, b) = (a.max(0) as f64, b.max(0) as f64);
        let most = room as f64 * 0.9;
        let k = if a + b > most { most / (a + b) } else { 1.0 };
        ((a * k) as u32, (b * k) as u32)
    };
    let (top, bottom) = fit(top, bottom, h);
    let (left, right) = fit(left, right, w);
    root.margin(top, bottom, left, right)
}

fn color(hex: &str) -> RGBColor {
    parse_color(hex).map_or(RGBColor(0x99, 0x99, 0x99), |(r, g, b)| RGBColor(r, g, b))
}

/// Black or white, whichever reads better on `c`.
fn ink_on(c: RGBColor) -> RGBColor {
    let lum = 0.299 * c.0 as f64 + 0.587 * c.1 as f64 + 0.114 * c.2 as f64;
    if lum > 150.0 {
        BLACK
    } else {
        WHITE
    }
}

const GREY_TEXT: RGBColor = RGBColor(0x55, 0x55, 0x55);

fn text_width<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &str,
    style: &TextStyle,
) -> i32 {
    area.estimate_text_size(s, style)
        .map_or(8 * s.chars().count() as u32, |(w, _)| w) as i32
}

/// Splits `text` into lines no wider than `max` pixels (at most `max_lines`, the last shortened
/// with an ellipsis).
fn wrap<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    style: &TextStyle,
    max: u32,
    max_lines: usize,
) -> Vec<String> {
    let width = |s: &str| area.estimate_text_size(s, style).map_or(0, |(w, _)| w);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if width(&candidate) <= max || line.is_empty() {
            line = candidate;
        } else {
            lines.push(std::mem::replace(&mut line, word.to_string()));
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    if lines.len() > max_lines {
        lines.truncate(max_lines);
        let last = lines.last_mut().expect("max_lines > 0");
        while !last.is_empty() && width(&format!("{last} …")) > max {
            last.pop();
        }
        last.push_str(" …");
    }
    lines
}

/// Row labels wrapped to at most two lines within 36 % of the width, and the widest line's width.
fn row_labels<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    rows: &[String],
    style: &TextStyle,
) -> (Vec<Vec<String>>, u32) {
    let max = (root.dim_in_pixel().0 as f64 * 0.36) as u32;
    let wrapped: Vec<Vec<String>> = rows.iter().map(|r| wrap(root, r, style, max, 2)).collect();
    let width = wrapped
        .iter()
        .flatten()
        .map(|l| root.estimate_text_size(l, style).map_or(0, |(w, _)| w))
        .max()
        .unwrap_or(0);
    (wrapped, width)
}

/// A row label's lines, right-aligned at `x`, centred on `y`, `step` pixels apart.
fn draw_row_label<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    lines: &[String],
    (x, y): (i32, i32),
    style: &TextStyle,
    step: i32,
) -> DrawResult<DB> {
    let first = y - step * (lines.len() as i32 - 1) / 2;
    for (l, line) in lines.iter().enumerate() {
        root.draw(&Text::new(
            line.clone(),
            (x, first + step * l as i32),
            style.clone().pos(Pos::new(HPos::Right, VPos::Center)),
        ))?;
    }
    Ok(())
}

fn title_style(r: &Ruler) -> TextStyle<'static> {
    r.bold(r.fonts.title, BLACK)
}

/// Title at the top left, note at the bottom left.
fn frame<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    note: &str,
    r: &Ruler,
) -> DrawResult<DB> {
    root.fill(&WHITE)?;
    let (w, h) = root.dim_in_pixel();
    let style = title_style(r);
    let lines = wrap(
        root,
        title,
        &style,
        w.saturating_sub(2 * r.px(20.0) as u32),
        2,
    );
    for (i, line) in lines.iter().enumerate() {
        root.draw(&Text::new(
            line.clone(),
            (r.px(20.0), r.px(12.0 + 28.0 * i as f64)),
            style.clone(),
        ))?;
    }
    root.draw(&Text::new(
        note.to_string(),
        (r.px(20.0), h as i32 - r.px(24.0)),
        r.text(r.fonts.note, GREY_TEXT),
    ))?;
    Ok(())
}

fn title_height<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, title: &str, r: &Ruler) -> i32 {
    let (w, _) = root.dim_in_pixel();
    let lines = wrap(
        root,
        title,
        &title_style(r),
        w.saturating_sub(2 * r.px(20.0) as u32),
        2,
    );
    r.px(16.0 + 28.0 * lines.len() as f64)
}

fn legend_entries(names: &[String], colors: &[String]) -> Vec<(String, RGBColor)> {
    names
        .iter()
        .zip(colors)
        .map(|(n, c)| (n.clone(), color(c)))
        .collect()
}

/// Legend entries flowing left to right from `(x, y)` within `width`; returns the height used.
fn legend<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    (x, y): (i32, i32),
    width: i32,
    entries: &[(String, RGBColor)],
    draw: bool,
    r: &Ruler,
) -> Result<i32, DrawingAreaErrorKind<DB::ErrorType>> {
    let style = r.text(r.fonts.label, BLACK);
    let (mut cx, mut cy) = (x, y);
    for (label, c) in entries {
        let item = r.px(46.0) + text_width(root, label, &style);
        if cx > x && cx + item > x + width {
            cx = x;
            cy += r.px(24.0);
        }
        if draw {
            root.draw(&Rectangle::new(
                [(cx, cy), (cx + r.px(16.0), cy + r.px(16.0))],
                c.filled(),
            ))?;
            root.draw(&Text::new(
                label.clone(),
                (cx + r.px(22.0), cy + r.px(8.0)),
                style.clone().pos(Pos::new(HPos::Left, VPos::Center)),
            ))?;
        }
        cx += item;
    }
    Ok(cy - y + r.px(24.0))
}

fn format_value(v: f64, percent: bool, lang: Lang) -> String {
    if percent {
        format!("{} %", number(v, 0, lang))
    } else if v.abs() >= 100.0 {
        number(v, 0, lang)
    } else {
        number(v, 2, lang)
    }
}

/// The base beside a value: `n = 120`.
fn base_label(base: u64) -> String {
    format!("n = {base}")
}

/// Axis ticks from `lo` to `hi` and their labels' formatter.
fn axis(lo: f64, hi: f64, target: usize, lang: Lang) -> (Vec<f64>, impl Fn(&f64) -> String) {
    let (t, decimals) = ticks(lo, hi, target);
    (t, move |v: &f64| tick_label(*v, decimals, lang))
}

/// The end of the bar chart's value axis: a share axis fits its longest bar (stacked: its
/// longest row) unless the whole range is asked for.
fn bars_axis_end(b: &Bars) -> f64 {
    if !b.percent || b.full_scale || b.range[0] != 0.0 {
        return b.range[1];
    }
    let longest = b
        .cells
        .iter()
        .map(|row| {
            let values = row.iter().filter_map(|c| c.value);
            if b.stacked {
                values.filter(|v| *v > 0.0).sum()
            } else {
                values.fold(0.0, f64::max)
            }
        })
        .fold(0.0, f64::max);
    share_axis_end(longest).min(b.range[1])
}

fn draw_bars<DB: DrawingBackend>(
    b: &Bars,
    root: &DrawingArea<DB, Shift>,
    r: &Ruler,
) -> DrawResult<DB> {
    frame(root, &b.title, &b.note, r)?;
    let (w, h) = root.dim_in_pixel();
    let top = title_height(root, &b.title, r) + r.px(8.0);
    let entries = legend_entries(&b.series, &b.colors);
    let show_legend = b.series.len() > 1;
    let legend_h = if show_legend {
        legend(
            root,
            (r.px(20.0), 0),
            w as i32 - r.px(40.0),
            &entries,
            false,
            r,
        )?
    } else {
        0
    };
    let label_style = r.text(r.fonts.label, BLACK);
    let (wrapped, label_w) = row_labels(root, &b.rows, &label_style);
    let label_w = label_w + r.at_least(16.0, 0);
    let bottom = r.px(48.0) + legend_h;
    let area = inside(root, (top, bottom, r.px(20.0), r.px(40.0)));
    let n = b.rows.len();
    let end = bars_axis_end(b);
    let (key_points, tick_text) = if b.percent {
        let (t, decimals) = ticks(b.range[0], end, 6);
        let lang = b.lang;
        let f: Box<dyn Fn(&f64) -> String> =
            Box::new(move |v: &f64| format!("{} %", tick_label(*v, decimals, lang)));
        (t, f)
    } else {
        let (t, f) = axis(b.range[0], end, 6, b.lang);
        let f: Box<dyn Fn(&f64) -> String> = Box::new(f);
        (t, f)
    };
    let mut chart = ChartBuilder::on(&area)
        .x_label_area_size(r.at_least(44.0, 0))
        .y_label_area_size(label_w)
        .build_cartesian_2d(ticked(b.range[0], end, key_points), 0.0..n as f64)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(0)
        .x_label_formatter(&tick_text)
        .x_desc(b.value_label.clone())
        .label_style((FONT, r.fonts.tick))
        .axis_desc_style((FONT, r.fonts.label))
        .set_all_tick_mark_size(r.at_least(5.0, 1))
        .axis_style(BLACK.stroke_width(r.stroke(1.0)))
        .light_line_style(WHITE)
        .bold_line_style(RGBColor(0xdd, 0xdd, 0xdd).stroke_width(r.stroke(1.0)))
        .draw()?;
    let k = b.series.len();
    let value_style = r.text(r.fonts.value, BLACK);
    let right_edge = w as i32 - r.px(6.0);
    for (i, cells) in b.cells.iter().enumerate() {
        let y_top = (n - i) as f64 - 0.12;
        let y_bottom = (n - i - 1) as f64 + 0.12;
        if b.stacked {
            let mut x = b.range[0];
            for (s, cell) in cells.iter().enumerate() {
                let Some(v) = cell.value else { continue };
                let c = color(&b.colors[s]);
                let x1 = (x + v).min(end);
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(x, y_bottom), (x1, y_top)],
                    c.filled(),
                )))?;
                let (px0, py) = chart.backend_coord(&(x, (y_top + y_bottom) / 2.0));
                let (px1, _) = chart.backend_coord(&(x1, y_bottom));
                let label = if cell.small() {
                    "<5".to_string()
                } else {
                    format_value(v, b.percent, b.lang)
                };
                if px1 - px0 >= text_width(root, &label, &value_style) + r.px(6.0) {
                    root.draw(&Text::new(
                        label,
                        ((px0 + px1) / 2, py),
                        value_style
                            .clone()
                            .color(&ink_on(c))
                            .pos(Pos::new(HPos::Center, VPos::Center)),
                    ))?;
                }
                x = x1;
            }
        } else {
            // a share's base beside its value where the bars of the row have different bases
            // (one base for the whole row stands in the row label)
            let bases: Vec<Option<u64>> = cells.iter().map(|c| c.base).collect();
            let own_bases = b.percent && bases.windows(2).any(|w| w[0] != w[1]);
            let band = (y_top - y_bottom) / k as f64;
            for (s, cell) in cells.iter().enumerate() {
                let y1 = y_top - band * s as f64;
                let y0 = y1 - band * 0.9;
                let c = color(&b.colors[s]);
                let (bar_start, _) = chart.backend_coord(&(b.range[0], y0));
                let (px, py) = match cell.value {
                    Some(v) => {
                        let x1 = v.clamp(b.range[0], end);
                        chart.draw_series(std::iter::once(Rectangle::new(
                            [(b.range[0], y0), (x1, y1)],
                            c.filled(),
                        )))?;
                        chart.backend_coord(&(x1, (y0 + y1) / 2.0))
                    }
                    None => chart.backend_coord(&(b.range[0], (y0 + y1) / 2.0)),
                };
                let mut label = match cell.value {
                    None => "–".to_string(),
                    Some(_) if cell.small() => "<5".to_string(),
                    Some(v) => format_value(v, b.percent, b.lang),
                };
                if let (true, Some(base)) = (own_bases, cell.base) {
                    label = format!("{label} ({})", base_label(base));
                }
                let tw = text_width(root, &label, &value_style);
                // beside the bar, or inside its end where the picture ends first
                if px + r.px(4.0) + tw > right_edge && px - r.px(4.0) - tw > bar_start {
                    root.draw(&Text::new(
                        label,
                        (px - r.px(4.0), py),
                        value_style
                            .clone()
                            .color(&ink_on(c))
                            .pos(Pos::new(HPos::Right, VPos::Center)),
                    ))?;
                } else {
                    root.draw(&Text::new(
                        label,
                        (px + r.px(4.0), py),
                        value_style.clone().pos(Pos::new(HPos::Left, VPos::Center)),
                    ))?;
                }
            }
        }
        // the row label, right-aligned against the axis, vertically centred on the row
        let (px, py) = chart.backend_coord(&(b.range[0], (y_top + y_bottom) / 2.0));
        draw_row_label(
            root,
            &wrapped[i],
            (px - r.px(8.0), py),
            &label_style,
            r.px(18.0),
        )?;
    }
    if show_legend {
        legend(
            root,
            (r.px(20.0), h as i32 - r.px(40.0) - legend_h),
            w as i32 - r.px(40.0),
            &entries,
            true,
            r,
        )?;
    }
    Ok(())
}

fn draw_heatmap<DB: DrawingBackend>(
    m: &Heatmap,
    root: &DrawingArea<DB, Shift>,
    r: &Ruler,
) -> DrawResult<DB> {
    frame(root, &m.title, &m.note, r)?;
    let (w, h) = root.dim_in_pixel();
    let top = title_height(root, &m.title, r) + r.px(44.0);
    let label_style = r.text(r.fonts.label, BLACK);
    let (wrapped, label_w) = row_labels(root, &m.rows, &label_style);
    let label_w = label_w as i32 + r.px(30.0);
    let (x0, x1) = (label_w, w as i32 - r.px(30.0));
    let (y0, y1) = (top, h as i32 - r.px(50.0));
    // at least a few pixels per cell, however many columns and rows a narrow chart has
    let cw = ((x1 - x0) / m.columns.len() as i32).max(9);
    let ch = ((y1 - y0) / m.rows.len() as i32).max(2);
    let column_style = r.bold(r.fonts.label, BLACK);
    for (j, col) in m.columns.iter().enumerate() {
        let lines = wrap(root, col, &column_style, (cw - r.px(8.0)).max(1) as u32, 2);
        for (l, line) in lines.iter().enumerate() {
            root.draw(&Text::new(
                line.clone(),
                (
                    x0 + cw * j as i32 + cw / 2,
                    y0 - r.px(36.0) + r.px(18.0) * l as i32,
                ),
                column_style
                    .clone()
                    .pos(Pos::new(HPos::Center, VPos::Center)),
            ))?;
        }
    }
    let scale = sequential(101);
    let gap = r.at_least(1.0, 1) as i32;
    for (i, row) in m.values.iter().enumerate() {
        let cy = y0 + ch * i as i32;
        draw_row_label(
            root,
            &wrapped[i],
            (x0 - r.px(10.0), cy + ch / 2),
            &label_style,
            r.px(18.0),
        )?;
        for (j, v) in row.iter().enumerate() {
            let cx = x0 + cw * j as i32;
            let fill = match v {
                Some(v) => {
                    let t = ((v - m.range[0]) / (m.range[1] - m.range[0])).clamp(0.0, 1.0);
                    color(&scale[(t * 100.0).round() as usize])
                }
                None => RGBColor(0xf2, 0xf2, 0xf2),
            };
            root.draw(&Rectangle::new(
                [(cx + gap, cy + gap), (cx + cw - gap, cy + ch - gap)],
                fill.filled(),
            ))?;
            let label = v.map_or("–".to_string(), |v| number(v, m.decimals, m.lang));
            root.draw(&Text::new(
                label,
                (cx + cw / 2, cy + ch / 2),
                r.text(r.fonts.label, ink_on(fill))
                    .pos(Pos::new(HPos::Center, VPos::Center)),
            ))?;
        }
    }
    Ok(())
}

fn draw_scatter<DB: DrawingBackend>(
    s: &Scatter,
    root: &DrawingArea<DB, Shift>,
    r: &Ruler,
) -> DrawResult<DB> {
    frame(root, &s.title, &s.note, r)?;
    let (w, h) = root.dim_in_pixel();
    let top = title_height(root, &s.title, r) + r.px(8.0);
    let entries = legend_entries(&s.groups, &s.colors);
    let legend_h = legend(
        root,
        (r.px(20.0), 0),
        w as i32 - r.px(40.0),
        &entries,
        false,
        r,
    )?;
    let all = s.points.iter().chain(&s.centres);
    let (mut xl, mut xh, mut yl, mut yh) = (
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
    );
    for p in all {
        xl = xl.min(p.x);
        xh = xh.max(p.x);
        yl = yl.min(p.y);
        yh = yh.max(p.y);
    }
    if !(xl.is_finite() && yl.is_finite()) {
        (xl, xh, yl, yh) = (-1.0, 1.0, -1.0, 1.0);
    }
    let pad = |lo: f64, hi: f64| {
        let p = ((hi - lo) * 0.05).max(0.1);
        (lo - p, hi + p)
    };
    let ((xl, xh), (yl, yh)) = (pad(xl, xh), pad(yl, yh));
    let area = inside(root, (top, r.px(48.0) + legend_h, r.px(20.0), r.px(40.0)));
    let (x_ticks, x_text) = axis(xl, xh, 8, s.lang);
    let (y_ticks, y_text) = axis(yl, yh, 8, s.lang);
    let mut chart = ChartBuilder::on(&area)
        .x_label_area_size(r.at_least(48.0, 0))
        .y_label_area_size(r.at_least(64.0, 0))
        .build_cartesian_2d(ticked(xl, xh, x_ticks), ticked(yl, yh, y_ticks))?;
    chart
        .configure_mesh()
        .x_desc(s.x_label.clone())
        .y_desc(s.y_label.clone())
        .x_label_formatter(&x_text)
        .y_label_formatter(&y_text)
        .label_style((FONT, r.fonts.tick))
        .axis_desc_style((FONT, r.fonts.label))
        .set_all_tick_mark_size(r.at_least(5.0, 1))
        .axis_style(BLACK.stroke_width(r.stroke(1.0)))
        .light_line_style(WHITE)
        .bold_line_style(RGBColor(0xe2, 0xe2, 0xe2).stroke_width(r.stroke(1.0)))
        .draw()?;
    let dot = r.at_least(3.0, 1) as i32;
    chart.draw_series(
        s.points
            .iter()
            .map(|p| Circle::new((p.x, p.y), dot, color(&s.colors[p.group]).mix(0.7).filled())),
    )?;
    for c in &s.centres {
        let col = color(&s.colors[c.group]);
        chart.draw_series(std::iter::once(Cross::new(
            (c.x, c.y),
            r.px(9.0),
            BLACK.stroke_width(r.stroke(5.0)),
        )))?;
        chart.draw_series(std::iter::once(Cross::new(
            (c.x, c.y),
            r.px(8.0),
            col.stroke_width(r.stroke(3.0)),
        )))?;
    }
    legend(
        root,
        (r.px(20.0), h as i32 - r.px(40.0) - legend_h),
        w as i32 - r.px(40.0),
        &entries,
        true,
        r,
    )?;
    Ok(())
}

/// The red of the silhouette plot's mean line.
const MEAN_LINE: RGBColor = RGBColor(0xD0, 0x10, 0x10);

fn draw_silhouette<DB: DrawingBackend>(
    s: &Silhouette,
    root: &DrawingArea<DB, Shift>,
    r: &Ruler,
) -> DrawResult<DB> {
    frame(root, &s.title, &s.note, r)?;
    // room above the plot for the mean line's label
    let top = title_height(root, &s.title, r) + r.px(36.0);
    let total: usize = s.values.iter().map(Vec::len).sum();
    let gap = (total as f64 * 0.03).max(2.0);
    let height = total as f64 + gap * (s.groups.len().saturating_sub(1)) as f64;
    let low = s
        .values
        .iter()
        .flatten()
        .copied()
        .fold(0.0f64, f64::min)
        .max(-1.0);
    let label_style = r.text(r.fonts.label, BLACK);
    let small_style = r.text(r.fonts.value, GREY_TEXT);
    let stats = |values: &[f64]| {
        let mean = values.iter().sum::<f64>() / values.len().max(1) as f64;
        format!(
            "n = {}, {} {}",
            values.len(),
            s.lang.pick("Mittel", "mean"),
            number(mean, 3, s.lang)
        )
    };
    let label_w = s
        .groups
        .iter()
        .zip(&s.values)
        .map(|(g, v)| {
            text_width(root, g, &label_style).max(text_width(root, &stats(v), &small_style))
        })
        .max()
        .unwrap_or(0)
        + r.px(16.0);
    let high = s.values.iter().flatten().copied().fold(0.0f64, f64::max);
    let high = (((high + 0.05) * 10.0).ceil() / 10.0).min(1.0);
    let (x_low, x_high) = (low - 0.05, high);
    let area = inside(root, (top, r.px(48.0), r.px(20.0), r.px(40.0)));
    let (key_points, tick_text) = axis(x_low, x_high, 8, s.lang);
    let mut chart = ChartBuilder::on(&area)
        .x_label_area_size(r.at_least(48.0, 0))
        .y_label_area_size(label_w.max(0) as u32)
        .build_cartesian_2d(ticked(x_low, x_high, key_points), 0.0..height.max(1.0))?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(0)
        .x_label_formatter(&tick_text)
        .x_desc("Silhouette")
        .label_style((FONT, r.fonts.tick))
        .axis_desc_style((FONT, r.fonts.label))
        .set_all_tick_mark_size(r.at_least(5.0, 1))
        .axis_style(BLACK.stroke_width(r.stroke(1.0)))
        .light_line_style(WHITE)
        .bold_line_style(RGBColor(0xe2, 0xe2, 0xe2).stroke_width(r.stroke(1.0)))
        .draw()?;
    let mut y = height;
    for (g, values) in s.values.iter().enumerate() {
        let c = color(&s.colors[g]);
        let start = y;
        chart.draw_series(values.iter().enumerate().map(|(i, &v)| {
            let yy = start - i as f64;
            Rectangle::new([(0.0, yy - 1.0), (v, yy)], c.filled())
        }))?;
        let mid = start - values.len() as f64 / 2.0;
        let (px, py) = chart.backend_coord(&(x_low, mid));
        root.draw(&Text::new(
            s.groups[g].clone(),
            (px - r.px(8.0), py - r.px(10.0)),
            label_style.clone().pos(Pos::new(HPos::Right, VPos::Center)),
        ))?;
        root.draw(&Text::new(
            stats(values),
            (px - r.px(8.0), py + r.px(10.0)),
            small_style.clone().pos(Pos::new(HPos::Right, VPos::Center)),
        ))?;
        y = start - values.len() as f64 - gap;
    }
    let all: Vec<f64> = s.values.iter().flatten().copied().collect();
    if !all.is_empty() {
        // the mean line where the mean is, labelled with its value above the plot
        let mean = all.iter().sum::<f64>() / all.len() as f64;
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(mean, 0.0), (mean, height)],
            MEAN_LINE.stroke_width(r.stroke(2.0)),
        )))?;
        let (px, py) = chart.backend_coord(&(mean, height.max(1.0)));
        root.draw(&Text::new(
            format!(
                "{} {}",
                s.lang.pick("Mittel", "mean"),
                number(mean, 3, s.lang)
            ),
            (px, py - r.px(14.0)),
            r.bold(r.fonts.value, MEAN_LINE)
                .pos(Pos::new(HPos::Center, VPos::Center)),
        ))?;
    }
    Ok(())
}

/// The ring around the x a panel marks, and the band behind the highlighted x.
const MARK: RGBColor = RGBColor(0xD5, 0x5E, 0x00);
const BAND: RGBColor = RGBColor(0xE2, 0xE2, 0xE2);

fn draw_lines<DB: DrawingBackend>(
    l: &Lines,
    root: &DrawingArea<DB, Shift>,
    r: &Ruler,
) -> DrawResult<DB> {
    frame(root, &l.title, &l.note, r)?;
    let (w, _) = root.dim_in_pixel();
    // the legend under the title: what the ring and the band mean, flowing onto a second row
    // where the two do not fit on one
    let style = r.text(r.fonts.label, BLACK);
    let left = r.px(20.0);
    let (mut x, mut y) = (left, title_height(root, &l.title, r) + r.px(4.0));
    let mut entries = vec![(false, &l.mark_label)];
    entries.extend(l.highlight.iter().map(|h| (true, &h.label)));
    for (band, label) in entries {
        let tw = text_width(root, label, &style);
        if x > left && x + r.px(22.0) + tw > w as i32 - left {
            (x, y) = (left, y + r.px(24.0));
        }
        if band {
            root.draw(&Rectangle::new(
                [(x, y), (x + r.px(16.0), y + r.px(16.0))],
                BAND.filled(),
            ))?;
        } else {
            root.draw(&Circle::new(
                (x + r.px(8.0), y + r.px(8.0)),
                r.px(7.0),
                MARK.stroke_width(r.stroke(2.0)),
            ))?;
        }
        root.draw(&Text::new(
            label.clone(),
            (x + r.px(22.0), y + r.px(8.0)),
            style.clone().pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
        x += r.px(52.0) + tw;
    }
    let area = inside(root, (y + r.px(28.0), r.px(40.0), r.px(10.0), r.px(20.0)));
    let rows = l.panels.len().div_ceil(l.columns);
    let cells = area.split_evenly((rows, l.columns));
    for (panel, cell) in l.panels.iter().zip(&cells) {
        draw_line_panel(l, panel, cell, r)?;
    }
    Ok(())
}

/// One panel: its title over a line through the values, error bars, the band behind the
/// highlighted x and a ring around the marked one.
fn draw_line_panel<DB: DrawingBackend>(
    l: &Lines,
    p: &super::LinePanel,
    area: &DrawingArea<DB, Shift>,
    r: &Ruler,
) -> DrawResult<DB> {
    let (w, _) = area.dim_in_pixel();
    let title_style = r.bold(r.fonts.panel, BLACK);
    let lines = wrap(
        area,
        &p.title,
        &title_style,
        w.saturating_sub(r.at_least(20.0, 0)),
        2,
    );
    for (i, line) in lines.iter().enumerate() {
        area.draw(&Text::new(
            line.clone(),
            (w as i32 / 2, r.px(10.0 + 20.0 * i as f64)),
            title_style
                .clone()
                .pos(Pos::new(HPos::Center, VPos::Center)),
        ))?;
    }
    let error = |i: usize| p.errors.as_ref().map_or(0.0, |e| e.values[i]);
    let points: Vec<Option<(f64, f64)>> =
        l.x.iter()
            .zip(&p.values)
            .map(|(&x, v)| v.map(|v| (x, v)))
            .collect();
    let (lo, hi) = points
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.map(|(_, v)| (v - error(i), v + error(i))))
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), (lo, hi)| {
            (a.min(lo), b.max(hi))
        });
    let (lo, hi) = if lo.is_finite() && hi > lo {
        let pad = (hi - lo) * 0.1;
        (lo - pad, hi + pad)
    } else if lo.is_finite() {
        (lo - 1.0, lo + 1.0)
    } else {
        (0.0, 1.0)
    };
    let step =
        l.x.windows(2)
            .map(|w| w[1] - w[0])
            .fold(f64::INFINITY, f64::min);
    let step = if step.is_finite() { step } else { 1.0 };
    let (x0, x1) = (l.x[0] - 0.5 * step, l.x[l.x.len() - 1] + 0.5 * step);
    let (y_ticks, y_text) = axis(lo, hi, 6, l.lang);
    // every x a tick where they fit, else a round subset
    let x_ticks = if l.x.len() <= 12 {
        l.x.clone()
    } else {
        ticks(l.x[0], l.x[l.x.len() - 1], 8).0
    };
    let mut chart = ChartBuilder::on(&inside(
        area,
        (
            r.px(12.0 + 20.0 * lines.len() as f64),
            r.px(4.0),
            r.px(4.0),
            r.px(12.0),
        ),
    ))
    .x_label_area_size(r.at_least(44.0, 0))
    .y_label_area_size(r.at_least(64.0, 0))
    .build_cartesian_2d(ticked(x0, x1, x_ticks), ticked(lo, hi, y_ticks))?;
    if let Some(h) = &l.highlight {
        chart.draw_series(std::iter::once(Rectangle::new(
            [(h.x - 0.3 * step, lo), (h.x + 0.3 * step, hi)],
            BAND.filled(),
        )))?;
    }
    chart
        .configure_mesh()
        .x_desc(l.x_label.clone())
        .x_label_formatter(&|v| shortest(*v, l.lang))
        .y_label_formatter(&y_text)
        .label_style((FONT, r.fonts.tick))
        .axis_desc_style((FONT, r.fonts.label))
        .set_all_tick_mark_size(r.at_least(5.0, 1))
        .axis_style(BLACK.stroke_width(r.stroke(1.0)))
        .light_line_style(WHITE.mix(0.0))
        .bold_line_style(RGBColor(0xd0, 0xd0, 0xd0).stroke_width(r.stroke(1.0)))
        .draw()?;
    let c = color(&l.color);
    for run in points.split(Option::is_none) {
        chart.draw_series(LineSeries::new(
            run.iter().flatten().copied(),
            c.stroke_width(r.stroke(2.0)),
        ))?;
    }
    if let Some(e) = &p.errors {
        let cap = 0.08 * step;
        for (point, &e) in points.iter().zip(&e.values) {
            let Some((x, y)) = *point else { continue };
            for path in [
                vec![(x, y - e), (x, y + e)],
                vec![(x - cap, y - e), (x + cap, y - e)],
                vec![(x - cap, y + e), (x + cap, y + e)],
            ] {
                chart.draw_series(std::iter::once(PathElement::new(
                    path,
                    BLACK.stroke_width(r.stroke(1.0)),
                )))?;
            }
        }
    }
    chart.draw_series(
        points
            .iter()
            .flatten()
            .map(|&p| Circle::new(p, r.px(4.0), c.filled())),
    )?;
    if let Some(mark) = p.mark {
        if let Some((x, y)) = points.iter().flatten().find(|p| p.0 == mark) {
            chart.draw_series(std::iter::once(Circle::new(
                (*x, *y),
                r.px(10.0),
                MARK.stroke_width(r.stroke(3.0)),
            )))?;
        }
    }
    Ok(())
}

/// The frame of a chart drawn outside this file (title and note, as [`frame`] draws them); the
/// height the title takes.
pub(super) fn framed<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    note: &str,
    r: &Ruler,
) -> Result<i32, DrawingAreaErrorKind<DB::ErrorType>> {
    frame(root, title, note, r)?;
    Ok(title_height(root, title, r))
}

/// An axis tick of a chart drawn outside this file, as [`tick`] writes it.
pub(super) fn axis_tick(v: f64, lang: Lang) -> String {
    super::axis::tick_label(v, decimals_of(v), lang)
}

/// The decimals a value needs to be shown exactly (at most 3).
fn decimals_of(v: f64) -> usize {
    (0..=3)
        .find(|&d| {
            let scaled = v * 10f64.powi(d as i32);
            (scaled - scaled.round()).abs() < 1e-6
        })
        .unwrap_or(3)
}
