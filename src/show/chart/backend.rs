//! The drawing backend: the embedded font (DejaVu Sans, so that text, umlauts included, renders
//! without any system font), and pictures as PNG or SVG bytes in memory from the same drawing
//! code ([`picture`] of anything that can be drawn, [`Drawing`]). It writes no file.

use std::path::Path;
use std::sync::Once;

use image::ImageEncoder;
use plotters::prelude::*;

use super::ruler::{Area, DrawResult, FONT};

/// Picture format of a chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFormat {
    Png,
    Svg,
}

impl ImageFormat {
    pub fn extension(self) -> &'static str {
        match self {
            ImageFormat::Png => "png",
            ImageFormat::Svg => "svg",
        }
    }

    /// From a file name's extension: `.png` or `.svg` (any case); anything else is an error
    /// saying so (a picture is never written under a name that promises another format).
    pub fn from_path(path: &Path) -> Result<ImageFormat, String> {
        match path.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("svg") => Ok(ImageFormat::Svg),
            Some(e) if e.eq_ignore_ascii_case("png") => Ok(ImageFormat::Png),
            other => Err(format!(
                "cannot write a picture {}; expected a file name ending in .png or .svg",
                match other {
                    Some(e) => format!("as .{}", crate::escape::field(e)),
                    None => "without an extension".into(),
                }
            )),
        }
    }
}

/// Something drawn on a plotters area of its size: a chart.
pub trait Drawing {
    /// The picture's size in pixels.
    fn size(&self) -> (u32, u32);

    /// Draws on `root`, which has that size.
    fn draw<DB: DrawingBackend>(&self, root: &Area<DB>) -> DrawResult<DB>;
}

/// Registers the embedded DejaVu Sans once.
fn fonts() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // DejaVu Sans is a valid OpenType font; registration cannot fail for it.
        let _ = plotters::style::register_font(FONT, FontStyle::Normal, dejavu::sans::regular());
        let _ = plotters::style::register_font(FONT, FontStyle::Bold, dejavu::sans::bold());
    });
}

/// The picture of `drawing` in `format`, in memory.
pub fn picture(drawing: &impl Drawing, format: ImageFormat) -> Result<Vec<u8>, String> {
    fonts();
    let size = drawing.size();
    match format {
        ImageFormat::Svg => {
            let mut svg = String::new();
            {
                let root = Typeset {
                    inner: SVGBackend::with_string(&mut svg, size),
                    set_glyphs: false,
                }
                .into_drawing_area();
                drawing.draw(&root).map_err(|e| e.to_string())?;
                root.present().map_err(|e| e.to_string())?;
            }
            Ok(svg.into_bytes())
        }
        ImageFormat::Png => {
            let (w, h) = size;
            let mut rgb = vec![0u8; 3 * w as usize * h as usize];
            {
                let root = Typeset {
                    inner: BitMapBackend::with_buffer(&mut rgb, size),
                    set_glyphs: true,
                }
                .into_drawing_area();
                drawing.draw(&root).map_err(|e| e.to_string())?;
                root.present().map_err(|e| e.to_string())?;
            }
            // the encoder and settings plotters uses when it saves a PNG file itself
            let mut png = Vec::new();
            image::codecs::png::PngEncoder::new(&mut png)
                .write_image(&rgb, w, h, image::ColorType::Rgb8)
                .map_err(|e| e.to_string())?;
            Ok(png)
        }
    }
}

/// A backend with text measured, and in a bitmap set, with the face it is drawn in. plotters
/// measures bold text with the regular face (so a bold label wraps too late and runs into its
/// neighbour) and places each glyph's ink at the pen position, dropping the glyph's left side
/// bearing and its position within a pixel, so that small text looks unevenly spaced
/// ("Optimi erer"). Here text is measured with its own face, and in a bitmap (`set_glyphs`)
/// every glyph is placed at its exact pen position with its bearing; anchors and rotation are
/// plotters' own. Everything else is drawn by the wrapped backend itself.
struct Typeset<B> {
    inner: B,
    set_glyphs: bool,
}

/// The embedded regular and bold faces, for [`Typeset`].
static FACES: std::sync::LazyLock<
    Option<(ab_glyph::FontRef<'static>, ab_glyph::FontRef<'static>)>,
> = std::sync::LazyLock::new(|| {
    let regular = ab_glyph::FontRef::try_from_slice(dejavu::sans::regular()).ok()?;
    let bold = ab_glyph::FontRef::try_from_slice(dejavu::sans::bold()).ok()?;
    Some((regular, bold))
});

use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind,
};

type BackendResult<B> = Result<(), DrawingErrorKind<<B as DrawingBackend>::ErrorType>>;

/// The face of a text style: bold or regular.
fn face<S: BackendTextStyle>(style: &S) -> Option<&'static ab_glyph::FontRef<'static>> {
    let (regular, bold) = FACES.as_ref()?;
    Some(match style.style() {
        plotters_backend::FontStyle::Bold => bold,
        _ => regular,
    })
}

/// A face's glyph ids, unscaled advances and kerning pairs, kept per thread as they are looked up:
/// laying out a chart measures the same few characters thousands of times (wrapping a label
/// measures every prefix of it), and a cmap or kerning lookup costs far more than reading a slot.
/// Each is a direct-mapped cache (a key's slot is its hash; a new key takes the slot over), so it
/// stays the same size whatever text a survey brings. The values are the face's own, scaled
/// exactly as ab_glyph scales them, so a width is the same to the bit with or without the cache.
struct Metrics {
    glyphs: Vec<Option<(char, ab_glyph::GlyphId, f32)>>,
    kerning: Vec<Option<(u32, f32)>>,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics {
            glyphs: vec![None; 1 << Self::SLOT_BITS],
            kerning: vec![None; 1 << Self::SLOT_BITS],
        }
    }
}

impl Metrics {
    const SLOT_BITS: u32 = 12;

    /// Fibonacci hashing of `key` onto a slot.
    fn slot(key: u32) -> usize {
        (key.wrapping_mul(0x9E37_79B9) >> (32 - Self::SLOT_BITS)) as usize
    }

    fn glyph(&mut self, face: &ab_glyph::FontRef<'static>, c: char) -> (ab_glyph::GlyphId, f32) {
        use ab_glyph::Font;
        let slot = &mut self.glyphs[Self::slot(c as u32)];
        match *slot {
            Some((cached, id, advance)) if cached == c => (id, advance),
            _ => {
                let id = face.glyph_id(c);
                let advance = face.h_advance_unscaled(id);
                *slot = Some((c, id, advance));
                (id, advance)
            }
        }
    }

    fn kern(
        &mut self,
        face: &ab_glyph::FontRef<'static>,
        first: ab_glyph::GlyphId,
        second: ab_glyph::GlyphId,
    ) -> f32 {
        use ab_glyph::Font;
        let key = u32::from(first.0) << 16 | u32::from(second.0);
        let slot = &mut self.kerning[Self::slot(key)];
        match *slot {
            Some((cached, kern)) if cached == key => kern,
            _ => {
                let kern = face.kern_unscaled(first, second);
                *slot = Some((key, kern));
                kern
            }
        }
    }
}

thread_local! {
    /// The regular face's metrics and the bold face's, for [`advance`].
    static METRICS: std::cell::RefCell<[Metrics; 2]> = Default::default();
}

/// The advance of `text` in `face` at `size` pixels, kerning included: ab_glyph's
/// `h_advance` and `kern` (the unscaled value times the face's scale factor), from [`Metrics`].
fn advance(face: &ab_glyph::FontRef<'static>, size: f32, text: &str) -> f32 {
    use ab_glyph::{Font, ScaleFont};
    let factor = face.as_scaled(size).h_scale_factor();
    let bold = FACES
        .as_ref()
        .is_some_and(|(_, bold)| std::ptr::eq(face, bold));
    METRICS.with(|metrics| {
        let metrics = &mut metrics.borrow_mut()[usize::from(bold)];
        let mut pen = 0f32;
        let mut previous = None;
        for c in text.chars() {
            let (id, unscaled) = metrics.glyph(face, c);
            if let Some(p) = previous {
                pen += factor * metrics.kern(face, p, id);
            }
            pen += factor * unscaled;
            previous = Some(id);
        }
        pen
    })
}

impl<B: DrawingBackend> DrawingBackend for Typeset<B> {
    type ErrorType = B::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }

    fn ensure_prepared(&mut self) -> BackendResult<B> {
        self.inner.ensure_prepared()
    }

    fn present(&mut self) -> BackendResult<B> {
        self.inner.present()
    }

    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> BackendResult<B> {
        self.inner.draw_pixel(point, color)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> BackendResult<B> {
        self.inner.draw_line(from, to, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> BackendResult<B> {
        self.inner.draw_rect(upper_left, bottom_right, style, fill)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> BackendResult<B> {
        self.inner.draw_path(path, style)
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> BackendResult<B> {
        self.inner.draw_circle(center, radius, style, fill)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> BackendResult<B> {
        self.inner.fill_polygon(vert, style)
    }

    fn blit_bitmap(&mut self, pos: BackendCoord, size: (u32, u32), src: &[u8]) -> BackendResult<B> {
        self.inner.blit_bitmap(pos, size, src)
    }

    fn estimate_text_size<TStyle: BackendTextStyle>(
        &self,
        text: &str,
        style: &TStyle,
    ) -> Result<(u32, u32), DrawingErrorKind<Self::ErrorType>> {
        match face(style) {
            Some(face) => {
                let size = style.size();
                let width = advance(face, size as f32, text);
                Ok((width.max(0.0) as u32, (size / 1.24) as u32))
            }
            None => self.inner.estimate_text_size(text, style),
        }
    }

    fn draw_text<TStyle: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &TStyle,
        pos: BackendCoord,
    ) -> BackendResult<B> {
        use ab_glyph::{Font, ScaleFont};
        let face = match face(style) {
            Some(face) if self.set_glyphs => face,
            _ => return self.inner.draw_text(text, style, pos),
        };
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        // plotters' layout (a box as wide as the text and 1/1.24 of the size high, the anchor,
        // the turn), with the width measured in the text's own face
        let (width, height) = self.estimate_text_size(text, style)?;
        let (width, height) = (width as i32, height as i32);
        let dx = match style.anchor().h_pos {
            plotters_backend::text_anchor::HPos::Left => 0,
            plotters_backend::text_anchor::HPos::Right => -width,
            plotters_backend::text_anchor::HPos::Center => -width / 2,
        };
        let dy = match style.anchor().v_pos {
            plotters_backend::text_anchor::VPos::Top => 0,
            plotters_backend::text_anchor::VPos::Center => -height / 2,
            plotters_backend::text_anchor::VPos::Bottom => -height,
        };
        let turn = style.transform();
        let (w, h) = self.get_size();
        let size = style.size() as f32;
        let scaled = face.as_scaled(size);
        let mut pen = 0f32;
        let mut previous = None;
        for c in text.chars() {
            let id = scaled.glyph_id(c);
            if let Some(p) = previous {
                pen += scaled.kern(p, id);
            }
            // the baseline where plotters puts it: half the size below the box's top
            let glyph = id.with_scale_and_position(size, ab_glyph::point(pen, size / 2.0));
            if let Some(outline) = face.outline_glyph(glyph) {
                let bounds = outline.px_bounds();
                let mut result = Ok(());
                outline.draw(|x, y, coverage| {
                    if result.is_err() || coverage <= 0.0 {
                        return;
                    }
                    let gx = bounds.min.x as i32 + x as i32;
                    let gy = bounds.min.y as i32 + y as i32;
                    let (tx, ty) = turn.transform(gx + dx, gy + dy);
                    let (px, py) = (pos.0 + tx, pos.1 + ty);
                    if px >= 0 && px < w as i32 && py >= 0 && py < h as i32 {
                        result = self.inner.draw_pixel(
                            (px, py),
                            BackendColor {
                                alpha: color.alpha * f64::from(coverage.min(1.0)),
                                rgb: color.rgb,
                            },
                        );
                    }
                });
                result?;
            }
            pen += scaled.h_advance(id);
            previous = Some(id);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// ab_glyph's own measure, without the cache.
    fn uncached(face: &ab_glyph::FontRef<'static>, size: f32, text: &str) -> f32 {
        use ab_glyph::{Font, ScaleFont};
        let scaled = face.as_scaled(size);
        let mut pen = 0f32;
        let mut previous = None;
        for c in text.chars() {
            let id = scaled.glyph_id(c);
            if let Some(p) = previous {
                pen += scaled.kern(p, id);
            }
            pen += scaled.h_advance(id);
            previous = Some(id);
        }
        pen
    }

    #[test]
    fn cached_widths_equal_the_faces_own_to_the_bit() {
        let (regular, bold) = FACES.as_ref().expect("embedded faces parse");
        // more distinct characters and pairs than the caches have slots, so slots are taken over
        let many: String = (0x20u32..0x2400).filter_map(char::from_u32).collect();
        let texts = [
            "Bedächtige",
            "AVAWAY To Ta",
            "Optimierer ‒ Serviceorientierte",
            many.as_str(),
            "Bedächtige",
        ];
        for face in [regular, bold] {
            for size in [9.0, 12.5, 33.0] {
                for text in texts {
                    let want = uncached(face, size, text);
                    assert_eq!(
                        advance(face, size, text).to_bits(),
                        want.to_bits(),
                        "{text}"
                    );
                }
            }
        }
    }
}
