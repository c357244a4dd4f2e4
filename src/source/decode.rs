//! Binary and encoding detection. UTF-8 and Latin-1 are scanned as bytes (every pattern is
//! ASCII); UTF-16 is transcoded to UTF-8 with a map back to the original byte offsets.

/// What the first bytes of a file say about how to read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8, ASCII or a single-byte encoding: scanned as is.
    Bytes,
    Utf16Le,
    Utf16Be,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniffed {
    Text(Encoding),
    Binary,
}

/// Looks at the start of a file. A BOM decides; otherwise NUL bytes in alternating positions
/// mean BOM-less UTF-16, and any other NUL means binary.
pub fn sniff(head: &[u8]) -> Sniffed {
    if head.starts_with(&[0xFF, 0xFE]) {
        return Sniffed::Text(Encoding::Utf16Le);
    }
    if head.starts_with(&[0xFE, 0xFF]) {
        return Sniffed::Text(Encoding::Utf16Be);
    }
    let n = head.len().min(8192) & !1;
    let sample = &head[..n];
    if memchr::memchr(0, sample).is_none() {
        return Sniffed::Text(Encoding::Bytes);
    }
    let pairs = n / 2;
    if pairs >= 4 {
        let even_nul = sample.iter().step_by(2).filter(|&&b| b == 0).count();
        let odd_nul = sample
            .iter()
            .skip(1)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count();
        if odd_nul * 10 >= pairs * 7 && even_nul * 20 <= pairs {
            return Sniffed::Text(Encoding::Utf16Le);
        }
        if even_nul * 10 >= pairs * 7 && odd_nul * 20 <= pairs {
            return Sniffed::Text(Encoding::Utf16Be);
        }
    }
    Sniffed::Binary
}

/// UTF-16 text transcoded to UTF-8, with the original byte offset of every UTF-8 byte (and
/// one past the end) so findings point into the file as it is on disk.
pub struct Transcoded {
    pub text: Vec<u8>,
    pub offsets: Vec<u64>,
}

impl Transcoded {
    pub fn original(&self, utf8_pos: usize) -> u64 {
        self.offsets
            .get(utf8_pos)
            .copied()
            .unwrap_or_else(|| self.offsets.last().copied().unwrap_or(0))
    }
}

pub fn transcode_utf16(bytes: &[u8], enc: Encoding) -> Transcoded {
    let bom = matches!(
        (enc, bytes.get(..2)),
        (Encoding::Utf16Le, Some([0xFF, 0xFE])) | (Encoding::Utf16Be, Some([0xFE, 0xFF]))
    );
    let start = if bom { 2 } else { 0 };
    let units = bytes[start..].chunks_exact(2).map(|c| match enc {
        Encoding::Utf16Be => u16::from_be_bytes([c[0], c[1]]),
        _ => u16::from_le_bytes([c[0], c[1]]),
    });
    let mut text = Vec::with_capacity(bytes.len() / 2);
    let mut offsets = Vec::with_capacity(bytes.len() / 2 + 1);
    let mut pos = start as u64;
    for r in char::decode_utf16(units) {
        let (ch, width) = match r {
            Ok(c) => (c, c.len_utf16() as u64 * 2),
            Err(_) => (char::REPLACEMENT_CHARACTER, 2),
        };
        let mut buf = [0u8; 4];
        for &b in ch.encode_utf8(&mut buf).as_bytes() {
            text.push(b);
            offsets.push(pos);
        }
        pos += width;
    }
    offsets.push(pos);
    Transcoded { text, offsets }
}

/// UTF-16 bytes (after any BOM) as a string, or `None` when they are not valid UTF-16 (an odd
/// length or an unpaired surrogate): such a file cannot be rewritten without loss.
pub fn utf16_to_string(bytes: &[u8], enc: Encoding) -> Option<String> {
    if bytes.len() % 2 != 0 {
        return None;
    }
    let units = bytes.chunks_exact(2).map(|p| match enc {
        Encoding::Utf16Be => u16::from_be_bytes([p[0], p[1]]),
        _ => u16::from_le_bytes([p[0], p[1]]),
    });
    char::decode_utf16(units)
        .collect::<Result<String, _>>()
        .ok()
}

/// A string as UTF-16 bytes in the given byte order (no BOM).
pub fn string_to_utf16(text: &str, enc: Encoding) -> Vec<u8> {
    text.encode_utf16()
        .flat_map(|u| match enc {
            Encoding::Utf16Be => u.to_be_bytes(),
            _ => u.to_le_bytes(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn sniffs() {
        assert_eq!(sniff(b"hello"), Sniffed::Text(Encoding::Bytes));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Sniffed::Binary);
        let le: Vec<u8> = "hello world"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        assert_eq!(sniff(&le), Sniffed::Text(Encoding::Utf16Le));
        let be: Vec<u8> = "hello world"
            .encode_utf16()
            .flat_map(|u| u.to_be_bytes())
            .collect();
        assert_eq!(sniff(&be), Sniffed::Text(Encoding::Utf16Be));
    }
    #[test]
    fn transcodes_with_offsets() {
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend("aé@x".encode_utf16().flat_map(|u| u.to_le_bytes()));
        let t = transcode_utf16(&bytes, Encoding::Utf16Le);
        assert_eq!(t.text, "aé@x".as_bytes());
        assert_eq!(t.original(0), 2);
        assert_eq!(t.original(1), 4);
        assert_eq!(t.original(3), 6);
        assert_eq!(t.original(t.text.len()), 10);
    }
}
