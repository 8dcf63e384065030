//! An SPSS file's cases: the data after the dictionary, uncompressed, bytecode-compressed or
//! zlib-compressed (a .zsav file's blocks, as its trailer lists them: each in order and once,
//! inflated to exactly the size the trailer declares and bytecode-decompressed block by block),
//! as 8-byte elements. The elements are bounded by [`MAX_SAV_VALUES`] however well the file
//! compresses.

use std::io::Read;

use super::bytes::Bytes;
use super::{Compression, SavResult, SYSMIS};
use crate::survey::limits::{MAX_SAV_VALUES, MAX_ZLIB_BLOCK};

/// The cases' elements, end to end, read from where `r` is (after the dictionary); a case has
/// `case_size` elements.
pub(super) fn elements(
    r: &mut Bytes,
    compression: Compression,
    bias: f64,
    case_size: usize,
) -> SavResult<Vec<[u8; 8]>> {
    let (bytes, big, data_start) = (r.bytes, r.big, r.pos);
    let limit = MAX_SAV_VALUES - MAX_SAV_VALUES % case_size.max(1);
    match compression {
        Compression::None => {
            let data = &bytes[data_start..];
            let whole = data.len() / 8;
            if whole > limit {
                return Err(too_many(data_start));
            }
            Ok((0..whole)
                .map(|k| data[8 * k..8 * k + 8].try_into().expect("8"))
                .collect())
        }
        Compression::Bytecode => {
            let mut d = Decompressor::new(bias, big, limit);
            d.feed(&bytes[data_start..], data_start)?;
            d.finish(data_start + (bytes.len() - data_start))
        }
        Compression::Zlib => inflate(r, Decompressor::new(bias, big, limit)),
    }
}

/// The error of a file whose cases hold more values than [`MAX_SAV_VALUES`].
fn too_many(at: usize) -> String {
    format!(
        "its cases from byte {at} hold more than {MAX_SAV_VALUES} values (8 bytes each), the most typfrage reads from an SPSS file; save the survey as CSV, which is read in blocks"
    )
}

/// Bytecode decompression fed piece by piece (a .zsav file's blocks): each unit of 8 command
/// bytes with the 8-byte values its 253 commands need is decompressed once it is whole; the
/// bytes of a unit cut by a block's end wait for the next block.
struct Decompressor {
    bias: f64,
    big: bool,
    /// The most elements the cases may hold.
    limit: usize,
    out: Vec<[u8; 8]>,
    /// Bytes fed but not yet decompressed (less than a unit).
    pending: Vec<u8>,
    /// Where `pending` starts in the data (for messages).
    pending_at: usize,
    /// Whether the end-of-data command (252) was seen.
    ended: bool,
}

impl Decompressor {
    fn new(bias: f64, big: bool, limit: usize) -> Decompressor {
        Decompressor {
            bias,
            big,
            limit,
            out: Vec::new(),
            pending: Vec::new(),
            pending_at: 0,
            ended: false,
        }
    }

    fn number(&self, x: f64) -> [u8; 8] {
        if self.big {
            x.to_be_bytes()
        } else {
            x.to_le_bytes()
        }
    }

    /// Room for a unit's elements, grown by doubling but never far beyond the limit (so a file
    /// over the limit is refused before its elements take twice the limit's memory).
    fn make_room(&mut self) {
        if self.out.capacity() - self.out.len() < 8 {
            let more = self
                .out
                .capacity()
                .max(1 << 12)
                .min(self.limit + 8 - self.out.len().min(self.limit));
            self.out.reserve_exact(more);
        }
    }

    /// Decompresses the whole units of `pending` + `data` (which starts at `at` in the file, for
    /// messages) and keeps the rest.
    fn feed(&mut self, data: &[u8], at: usize) -> SavResult<()> {
        if self.ended {
            return Ok(());
        }
        let joined;
        let (data, start) = if self.pending.is_empty() {
            (data, at)
        } else {
            let mut bytes = std::mem::take(&mut self.pending);
            bytes.extend_from_slice(data);
            joined = bytes;
            (joined.as_slice(), self.pending_at)
        };
        let mut pos = 0;
        while pos + 8 <= data.len() && !self.ended {
            let commands: [u8; 8] = data[pos..pos + 8].try_into().expect("8");
            let literals = commands.iter().take_while(|&&c| c != 252);
            let need = 8 + 8 * literals.filter(|&&c| c == 253).count();
            if pos + need > data.len() {
                break;
            }
            pos += 8;
            self.make_room();
            for c in commands {
                match c {
                    0 => {}
                    1..=251 => self.out.push(self.number(f64::from(c) - self.bias)),
                    252 => {
                        self.ended = true;
                        break;
                    }
                    253 => {
                        self.out
                            .push(data[pos..pos + 8].try_into().expect("8 bytes are there"));
                        pos += 8;
                    }
                    254 => self.out.push(*b"        "),
                    255 => self.out.push(self.number(SYSMIS)),
                }
            }
            if self.out.len() > self.limit {
                return Err(too_many(start));
            }
        }
        self.pending = data[pos..].to_vec();
        self.pending_at = start + pos;
        Ok(())
    }

    /// The elements, after the last unit fed (a unit cut short by the data's end, at `end` in the
    /// file, is an error where a value is missing; its commands before that are read).
    fn finish(mut self, end: usize) -> SavResult<Vec<[u8; 8]>> {
        if self.ended || self.pending.len() < 8 {
            return Ok(self.out);
        }
        let commands: [u8; 8] = self.pending[..8].try_into().expect("8");
        let mut pos = 8;
        for c in commands {
            match c {
                0 => {}
                1..=251 => self.out.push(self.number(f64::from(c) - self.bias)),
                252 => break,
                253 => {
                    let Some(raw) = self.pending.get(pos..pos + 8) else {
                        return Err(format!(
                            "the file ends at byte {end} inside a compressed value: the file is truncated"
                        ));
                    };
                    self.out.push(raw.try_into().expect("8"));
                    pos += 8;
                }
                254 => self.out.push(*b"        "),
                255 => self.out.push(self.number(SYSMIS)),
            }
        }
        if self.out.len() > self.limit {
            return Err(too_many(self.pending_at));
        }
        Ok(self.out)
    }
}

/// The zlib-compressed data of a .zsav file, inflated block by block as its trailer lists them
/// and bytecode-decompressed by `d`. The blocks must follow one another in the file (each is read
/// once), each no larger inflated than the trailer's block size, and each must inflate to exactly
/// the size the trailer declares for it.
fn inflate(r: &mut Bytes, mut d: Decompressor) -> SavResult<Vec<[u8; 8]>> {
    let what = "the zlib data header";
    let header_at = r.pos;
    let _ = r.i64(what)?;
    let trailer_at = r.i64(what)?;
    let trailer_len = r.i64(what)?;
    let bad = |m: &str| format!("its zlib data {m}: the file is damaged or truncated");
    if trailer_at < 0 || trailer_at as usize > r.bytes.len() || trailer_len < 24 {
        return Err(bad(&format!(
            "header at byte {header_at} points past the end of the file ({trailer_at})"
        )));
    }
    let trailer_at = trailer_at as usize;
    let mut t = Bytes {
        bytes: r.bytes,
        pos: trailer_at,
        big: r.big,
    };
    t.i64("the zlib trailer")?;
    t.i64("the zlib trailer")?;
    let block_size = t.i32("the zlib trailer")?;
    if block_size <= 0 || block_size as usize > MAX_ZLIB_BLOCK {
        return Err(bad(&format!(
            "trailer at byte {trailer_at} gives a block size of {block_size} bytes; expected 1 to {MAX_ZLIB_BLOCK}"
        )));
    }
    let blocks = t.count(24, "the zlib trailer's block count")?;
    let mut next = header_at + 24;
    let mut inflated = Vec::new();
    for k in 0..blocks {
        let entry_at = t.pos;
        let _ = t.i64("a zlib block entry")?;
        let at = t.i64("a zlib block entry")?;
        let size = t.i32("a zlib block entry")?;
        let compressed = t.i32("a zlib block entry")?;
        let (Ok(at), Ok(size), Ok(compressed)) = (
            usize::try_from(at),
            usize::try_from(size),
            usize::try_from(compressed),
        ) else {
            return Err(bad(&format!(
                "trailer's entry {} (byte {entry_at}) has a negative offset or size",
                k + 1
            )));
        };
        if at < next || at.saturating_add(compressed) > trailer_at {
            return Err(bad(&format!(
                "trailer's entry {} (byte {entry_at}) names a block at byte {at} of {compressed} bytes, which is not after the block before it (byte {next}) and before the trailer (byte {trailer_at}); each block is read once, in order",
                k + 1
            )));
        }
        if size > block_size as usize {
            return Err(bad(&format!(
                "trailer's entry {} (byte {entry_at}) declares a block of {size} bytes inflated, more than the trailer's block size ({block_size})",
                k + 1
            )));
        }
        let block = &r.bytes[at..at + compressed];
        inflated.clear();
        flate2::read::ZlibDecoder::new(block)
            .take(size as u64 + 1)
            .read_to_end(&mut inflated)
            .map_err(|e| bad(&format!("block at byte {at} cannot be inflated ({e})")))?;
        if inflated.len() != size {
            let more = if inflated.len() > size {
                "more"
            } else {
                "fewer"
            };
            return Err(bad(&format!(
                "block at byte {at} inflates to {more} than the {size} bytes its trailer entry (byte {entry_at}) declares"
            )));
        }
        d.feed(&inflated, at)?;
        next = at + compressed;
    }
    d.finish(next)
}
