//! Drawing each kind of chart of the chart file format on any plotters backend, so that PNG and
//! SVG come from the same code: title at the top, the data-source note at the bottom, numbers in
//! the chart's language.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::format::{number, shortest};
use super::spec::{parse_color, sequential, Bars, Chart, Heatmap, Lines, Scatter, Silhouette};
use super::Lang;

/// The family the backend registers the embedded font under.
pub(super) const FONT: &str = "sans-serif";

pub(super) type DrawResult<DB> =
    Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

impl Chart {
    /// Draws the chart on `root`, which has the chart's size.
    pub(super) fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        match self {
            Chart::Bars(b) => draw_bars(b, root),
            Chart::Heatmap(m) => draw_heatmap(m, root),
            Chart::Scatter(s) => draw_scatter(s, root),
            Chart::Silhouette(s) => draw_silhouette(s, root),
            Chart::Lines(l) => draw_lines(l, root),
            Chart::Dendrogram(d) => super::dendrogram::draw_dendrogram(d, root),
        }
    }
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

fn text_style(size: u32, c: RGBColor) -> TextStyle<'static> {
    (FONT, size).into_font().color(&c)
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

/// A row label's lines, right-aligned at `x`, centred on `y`.
fn draw_row_label<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    lines: &[String],
    (x, y): (i32, i32),
    style: &TextStyle,
) -> DrawResult<DB> {
    let first = y - 9 * (lines.len() as i32 - 1);
    for (l, line) in lines.iter().enumerate() {
        root.draw(&Text::new(
            line.clone(),
            (x, first + 18 * l as i32),
            style.clone().pos(Pos::new(HPos::Right, VPos::Center)),
        ))?;
    }
    Ok(())
}

/// Title at the top left, note at the bottom left.
fn frame<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    note: &str,
) -> DrawResult<DB> {
    root.fill(&WHITE)?;
    let (w, h) = root.dim_in_pixel();
    let style = (FONT, 24).into_font().style(FontStyle::Bold).color(&BLACK);
    let lines = wrap(root, title, &style, w - 40, 2);
    for (i, line) in lines.iter().enumerate() {
        root.draw(&Text::new(
            line.clone(),
            (20, 12 + 28 * i as i32),
            style.clone(),
        ))?;
    }
    let note_style = text_style(13, RGBColor(0x55, 0x55, 0x55));
    root.draw(&Text::new(
        note.to_string(),
        (20, h as i32 - 24),
        note_style,
    ))?;
    Ok(())
}

fn title_height<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, title: &str) -> u32 {
    let (w, _) = root.dim_in_pixel();
    let style: TextStyle = (FONT, 24).into_font().style(FontStyle::Bold).into();
    16 + 28 * wrap(root, title, &style, w - 40, 2).len() as u32
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
) -> Result<i32, DrawingAreaErrorKind<DB::ErrorType>> {
    let style = text_style(14, BLACK);
    let (mut cx, mut cy) = (x, y);
    for (label, c) in entries {
        let tw = root
            .estimate_text_size(label, &style)
            .map_or(8 * label.len() as u32, |(w, _)| w) as i32;
        let item = 18 + 6 + tw + 22;
        if cx > x && cx + item > x + width {
            cx = x;
            cy += 24;
        }
        if draw {
            root.draw(&Rectangle::new([(cx, cy), (cx + 16, cy + 16)], c.filled()))?;
            root.draw(&Text::new(
                label.clone(),
                (cx + 22, cy + 8),
                style.clone().pos(Pos::new(HPos::Left, VPos::Center)),
            ))?;
        }
        cx += item;
    }
    Ok(cy - y + 24)
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

/// Axis tick labels: as few decimals as the tick spacing needs.
fn tick(v: f64, lang: Lang) -> String {
    let decimals = if (v - v.round()).abs() < 1e-9 { 0 } else { 1 };
    number(v, decimals, lang)
}

fn draw_bars<DB: DrawingBackend>(b: &Bars, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
    frame(root, &b.title, &b.note)?;
    let (w, h) = root.dim_in_pixel();
    let top = title_height(root, &b.title) as i32 + 8;
    let entries = legend_entries(&b.series, &b.colors);
    let show_legend = b.series.len() > 1;
    let legend_h = if show_legend {
        legend(root, (20, 0), w as i32 - 40, &entries, false)?
    } else {
        0
    };
    let label_style = text_style(14, BLACK);
    let (wrapped, label_w) = row_labels(root, &b.rows, &label_style);
    let label_w = label_w + 16;
    let bottom = 40 + legend_h + 8;
    let area = root.margin(top as u32, bottom as u32, 20, 40);
    let n = b.rows.len();
    let mut chart = ChartBuilder::on(&area)
        .x_label_area_size(44)
        .y_label_area_size(label_w)
        .build_cartesian_2d(b.range[0]..b.range[1], 0.0..n as f64)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(0)
        .x_labels(6)
        .x_label_formatter(&|v| {
            if b.percent {
                format!("{} %", number(*v, 0, b.lang))
            } else {
                tick(*v, b.lang)
            }
        })
        .x_desc(b.value_label.clone())
        .label_style((FONT, 13))
        .axis_desc_style((FONT, 14))
        .light_line_style(WHITE)
        .bold_line_style(RGBColor(0xdd, 0xdd, 0xdd))
        .draw()?;
    let k = b.series.len();
    let value_style = text_style(12, BLACK);
    for (i, cells) in b.cells.iter().enumerate() {
        let y_top = (n - i) as f64 - 0.12;
        let y_bottom = (n - i - 1) as f64 + 0.12;
        if b.stacked {
            let mut x = b.range[0];
            for (s, cell) in cells.iter().enumerate() {
                let Some(v) = cell.value else { continue };
                let c = color(&b.colors[s]);
                let x1 = (x + v).min(b.range[1]);
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
                let tw = root
                    .estimate_text_size(&label, &value_style)
                    .map_or(40, |(w, _)| w) as i32;
                if px1 - px0 >= tw + 6 {
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
            let band = (y_top - y_bottom) / k as f64;
            for (s, cell) in cells.iter().enumerate() {
                let y1 = y_top - band * s as f64;
                let y0 = y1 - band * 0.9;
                let c = color(&b.colors[s]);
                let (px, py) = match cell.value {
                    Some(v) => {
                        let x1 = v.clamp(b.range[0], b.range[1]);
                        chart.draw_series(std::iter::once(Rectangle::new(
                            [(b.range[0], y0), (x1, y1)],
                            c.filled(),
                        )))?;
                        chart.backend_coord(&(x1, (y0 + y1) / 2.0))
                    }
                    None => chart.backend_coord(&(b.range[0], (y0 + y1) / 2.0)),
                };
                let label = match cell.value {
                    None => "–".to_string(),
                    Some(_) if cell.small() => "<5".to_string(),
                    Some(v) => format_value(v, b.percent, b.lang),
                };
                root.draw(&Text::new(
                    label,
                    (px + 4, py),
                    value_style.clone().pos(Pos::new(HPos::Left, VPos::Center)),
                ))?;
            }
        }
        // the row label, right-aligned against the axis, vertically centred on the row
        let (px, py) = chart.backend_coord(&(b.range[0], (y_top + y_bottom) / 2.0));
        draw_row_label(root, &wrapped[i], (px - 8, py), &label_style)?;
    }
    if show_legend {
        legend(
            root,
            (20, h as i32 - 40 - legend_h),
            w as i32 - 40,
            &entries,
            true,
        )?;
    }
    Ok(())
}

fn draw_heatmap<DB: DrawingBackend>(m: &Heatmap, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
    frame(root, &m.title, &m.note)?;
    let (w, h) = root.dim_in_pixel();
    let top = title_height(root, &m.title) as i32 + 44;
    let label_style = text_style(14, BLACK);
    let (wrapped, label_w) = row_labels(root, &m.rows, &label_style);
    let label_w = label_w as i32 + 30;
    let (x0, x1) = (label_w, w as i32 - 30);
    let (y0, y1) = (top, h as i32 - 50);
    // at least a few pixels per cell, however many columns and rows a narrow chart has
    let cw = ((x1 - x0) / m.columns.len() as i32).max(9);
    let ch = ((y1 - y0) / m.rows.len() as i32).max(2);
    let column_style: TextStyle = (FONT, 14).into_font().style(FontStyle::Bold).color(&BLACK);
    for (j, col) in m.columns.iter().enumerate() {
        let lines = wrap(root, col, &column_style, cw as u32 - 8, 2);
        for (l, line) in lines.iter().enumerate() {
            root.draw(&Text::new(
                line.clone(),
                (x0 + cw * j as i32 + cw / 2, y0 - 36 + 18 * l as i32),
                column_style
                    .clone()
                    .pos(Pos::new(HPos::Center, VPos::Center)),
            ))?;
        }
    }
    let scale = sequential(101);
    for (i, row) in m.values.iter().enumerate() {
        let cy = y0 + ch * i as i32;
        draw_row_label(root, &wrapped[i], (x0 - 10, cy + ch / 2), &label_style)?;
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
                [(cx + 1, cy + 1), (cx + cw - 1, cy + ch - 1)],
                fill.filled(),
            ))?;
            let label = v.map_or("–".to_string(), |v| number(v, m.decimals, m.lang));
            root.draw(&Text::new(
                label,
                (cx + cw / 2, cy + ch / 2),
                text_style(14, ink_on(fill)).pos(Pos::new(HPos::Center, VPos::Center)),
            ))?;
        }
    }
    Ok(())
}

fn draw_scatter<DB: DrawingBackend>(s: &Scatter, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
    frame(root, &s.title, &s.note)?;
    let (w, h) = root.dim_in_pixel();
    let top = title_height(root, &s.title) as i32 + 8;
    let entries = legend_entries(&s.groups, &s.colors);
    let legend_h = legend(root, (20, 0), w as i32 - 40, &entries, false)?;
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
    let area = root.margin(top as u32, (40 + legend_h + 8) as u32, 20, 40);
    let mut chart = ChartBuilder::on(&area)
        .x_label_area_size(44)
        .y_label_area_size(56)
        .build_cartesian_2d(xl..xh, yl..yh)?;
    chart
        .configure_mesh()
        .x_desc(s.x_label.clone())
        .y_desc(s.y_label.clone())
        .x_label_formatter(&|v| tick(*v, s.lang))
        .y_label_formatter(&|v| tick(*v, s.lang))
        .label_style((FONT, 13))
        .axis_desc_style((FONT, 14))
        .light_line_style(WHITE)
        .bold_line_style(RGBColor(0xe2, 0xe2, 0xe2))
        .draw()?;
    chart.draw_series(
        s.points
            .iter()
            .map(|p| Circle::new((p.x, p.y), 3, color(&s.colors[p.group]).mix(0.7).filled())),
    )?;
    for c in &s.centres {
        let col = color(&s.colors[c.group]);
        chart.draw_series(std::iter::once(Cross::new(
            (c.x, c.y),
            9,
            BLACK.stroke_width(5),
        )))?;
        chart.draw_series(std::iter::once(Cross::new(
            (c.x, c.y),
            8,
            col.stroke_width(3),
        )))?;
    }
    legend(
        root,
        (20, h as i32 - 40 - legend_h),
        w as i32 - 40,
        &entries,
        true,
    )?;
    Ok(())
}

fn draw_silhouette<DB: DrawingBackend>(
    s: &Silhouette,
    root: &DrawingArea<DB, Shift>,
) -> DrawResult<DB> {
    frame(root, &s.title, &s.note)?;
    let top = title_height(root, &s.title) as i32 + 8;
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
    let label_style = text_style(14, BLACK);
    let label_w = s
        .groups
        .iter()
        .map(|g| {
            root.estimate_text_size(g, &label_style)
                .map_or(0, |(w, _)| w)
        })
        .max()
        .unwrap_or(0)
        + 16;
    let high = s.values.iter().flatten().copied().fold(0.0f64, f64::max);
    let high = ((high + 0.05) * 10.0).ceil() / 10.0;
    let area = root.margin(top as u32, 48, 20, 40);
    let mut chart = ChartBuilder::on(&area)
        .x_label_area_size(44)
        .y_label_area_size(label_w)
        .build_cartesian_2d((low - 0.05)..high.min(1.0), 0.0..height.max(1.0))?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(0)
        .x_label_formatter(&|v| tick(*v, s.lang))
        .x_desc("Silhouette")
        .label_style((FONT, 13))
        .axis_desc_style((FONT, 14))
        .light_line_style(WHITE)
        .bold_line_style(RGBColor(0xe2, 0xe2, 0xe2))
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
        let (px, py) = chart.backend_coord(&(low - 0.05, mid));
        let mean = values.iter().sum::<f64>() / values.len().max(1) as f64;
        root.draw(&Text::new(
            s.groups[g].clone(),
            (px - 8, py - 9),
            label_style.clone().pos(Pos::new(HPos::Right, VPos::Center)),
        ))?;
        root.draw(&Text::new(
            format!(
                "n = {}, {} {}",
                values.len(),
                s.lang.pick("Mittel", "mean"),
                number(mean, 2, s.lang)
            ),
            (px - 8, py + 9),
            text_style(12, RGBColor(0x55, 0x55, 0x55)).pos(Pos::new(HPos::Right, VPos::Center)),
        ))?;
        y = start - values.len() as f64 - gap;
    }
    let all: Vec<f64> = s.values.iter().flatten().copied().collect();
    if !all.is_empty() {
        let mean = all.iter().sum::<f64>() / all.len() as f64;
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(mean, 0.0), (mean, height)],
            RED.stroke_width(2),
        )))?;
    }
    Ok(())
}

/// The ring around the x a panel marks, and the band behind the highlighted x.
const MARK: RGBColor = RGBColor(0xD5, 0x5E, 0x00);
const BAND: RGBColor = RGBColor(0xE2, 0xE2, 0xE2);

fn draw_lines<DB: DrawingBackend>(l: &Lines, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
    frame(root, &l.title, &l.note)?;
    let (w, _) = root.dim_in_pixel();
    // the legend under the title: what the ring and the band mean, flowing onto a second row
    // where the two do not fit on one
    let style = text_style(14, BLACK);
    let (mut x, mut y) = (20, title_height(root, &l.title) as i32 + 4);
    let mut entries = vec![(false, &l.mark_label)];
    entries.extend(l.highlight.iter().map(|h| (true, &h.label)));
    for (band, label) in entries {
        let tw = root
            .estimate_text_size(label, &style)
            .map_or(8 * label.len() as u32, |(w, _)| w) as i32;
        if x > 20 && x + 22 + tw > w as i32 - 20 {
            (x, y) = (20, y + 24);
        }
        if band {
            root.draw(&Rectangle::new([(x, y), (x + 16, y + 16)], BAND.filled()))?;
        } else {
            root.draw(&Circle::new((x + 8, y + 8), 7, MARK.stroke_width(2)))?;
        }
        root.draw(&Text::new(
            label.clone(),
            (x + 22, y + 8),
            style.clone().pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
        x += 22 + tw + 30;
    }
    let area = root.margin((y + 28) as u32, 40, 10, 20);
    let rows = l.panels.len().div_ceil(l.columns);
    let cells = area.split_evenly((rows, l.columns));
    for (panel, cell) in l.panels.iter().zip(&cells) {
        draw_line_panel(l, panel, cell)?;
    }
    Ok(())
}

/// One panel: its title over a line through the values, error bars, the band behind the
/// highlighted x and a ring around the marked one.
fn draw_line_panel<DB: DrawingBackend>(
    l: &Lines,
    p: &super::spec::LinePanel,
    area: &DrawingArea<DB, Shift>,
) -> DrawResult<DB> {
    let (w, _) = area.dim_in_pixel();
    let title_style: TextStyle = (FONT, 16).into_font().style(FontStyle::Bold).color(&BLACK);
    let lines = wrap(area, &p.title, &title_style, w.saturating_sub(20), 2);
    for (i, line) in lines.iter().enumerate() {
        area.draw(&Text::new(
            line.clone(),
            (w as i32 / 2, 10 + 20 * i as i32),
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
    let mut chart = ChartBuilder::on(&area.margin(12 + 20 * lines.len() as u32, 4, 4, 12))
        .x_label_area_size(40)
        .y_label_area_size(64)
        .build_cartesian_2d(x0..x1, lo..hi)?;
    if let Some(h) = &l.highlight {
        chart.draw_series(std::iter::once(Rectangle::new(
            [(h.x - 0.3 * step, lo), (h.x + 0.3 * step, hi)],
            BAND.filled(),
        )))?;
    }
    chart
        .configure_mesh()
        .x_desc(l.x_label.clone())
        .x_labels(l.x.len())
        .y_labels(8)
        .x_label_formatter(&|v| shortest(*v, l.lang))
        .y_label_formatter(&|v| shortest(*v, l.lang))
        .label_style((FONT, 13))
        .axis_desc_style((FONT, 14))
        .light_line_style(WHITE.mix(0.0))
        .bold_line_style(RGBColor(0xd0, 0xd0, 0xd0))
        .draw()?;
    let c = color(&l.color);
    for run in points.split(Option::is_none) {
        chart.draw_series(LineSeries::new(
            run.iter().flatten().copied(),
            c.stroke_width(2),
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
                    BLACK.stroke_width(1),
                )))?;
            }
        }
    }
    chart.draw_series(
        points
            .iter()
            .flatten()
            .map(|&p| Circle::new(p, 4, c.filled())),
    )?;
    if let Some(mark) = p.mark {
        if let Some((x, y)) = points.iter().flatten().find(|p| p.0 == mark) {
            chart.draw_series(std::iter::once(Circle::new(
                (*x, *y),
                10,
                MARK.stroke_width(3),
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
) -> Result<u32, DrawingAreaErrorKind<DB::ErrorType>> {
    frame(root, title, note)?;
    Ok(title_height(root, title))
}

/// An axis tick of a chart drawn outside this file, as [`tick`] writes it.
pub(super) fn axis_tick(v: f64, lang: Lang) -> String {
    tick(v, lang)
}
