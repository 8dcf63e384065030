//! Reading numbers and byte runs from an SPSS file, each checked against the file's end, in the
//! byte order its header states.

use super::SavResult;

/// Reads numbers and byte runs from the file, each checked against its end.
pub(super) struct Bytes<'a> {
    pub bytes: &'a [u8],
    pub pos: usize,
    pub big: bool,
}

impl<'a> Bytes<'a> {
    pub fn take(&mut self, n: usize, what: &str) -> SavResult<&'a [u8]> {
        match self.pos.checked_add(n) {
            Some(end) if end <= self.bytes.len() => {
                let slice = &self.bytes[self.pos..end];
                self.pos = end;
                Ok(slice)
            }
            _ => Err(format!(
                "the file ends at byte {} inside {what} (it needs {n} more bytes from byte {}): the file is truncated",
                self.bytes.len(),
                self.pos
            )),
        }
    }

    pub fn i32(&mut self, what: &str) -> SavResult<i32> {
        let b: [u8; 4] = self.take(4, what)?.try_into().expect("4 bytes");
        Ok(if self.big {
            i32::from_be_bytes(b)
        } else {
            i32::from_le_bytes(b)
        })
    }

    pub fn f64(&mut self, what: &str) -> SavResult<f64> {
        let b: [u8; 8] = self.take(8, what)?.try_into().expect("8 bytes");
        Ok(self.float(b))
    }

    pub fn i64(&mut self, what: &str) -> SavResult<i64> {
        let b: [u8; 8] = self.take(8, what)?.try_into().expect("8 bytes");
        Ok(if self.big {
            i64::from_be_bytes(b)
        } else {
            i64::from_le_bytes(b)
        })
    }

    pub fn float(&self, b: [u8; 8]) -> f64 {
        if self.big {
            f64::from_be_bytes(b)
        } else {
            f64::from_le_bytes(b)
        }
    }

    /// A count that must fit in the bytes left, each item `each` bytes long.
    pub fn count(&mut self, each: usize, what: &str) -> SavResult<usize> {
        let n = self.i32(what)?;
        let left = self.bytes.len() - self.pos;
        if n < 0 || (n as usize).saturating_mul(each) > left {
            return Err(format!(
                "{what} at byte {} is {n}, which does not fit in the {left} bytes left: the file is damaged or truncated",
                self.pos - 4
            ));
        }
        Ok(n as usize)
    }
}
