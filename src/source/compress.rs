//! Compressed files (`.gz`, `.zst`, `.bz2`, `.xz`) are read through a decoder, recognised by
//! name or magic bytes, with limits against decompression bombs: a total expanded size and an
//! expansion ratio past which reading stops with an error (the bytes read so far are scanned).

use std::io::{self, Read, Write};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    Gzip,
    Zstd,
    Bzip2,
    Xz,
}

impl Compression {
    pub fn as_str(self) -> &'static str {
        match self {
            Compression::Gzip => "gzip",
            Compression::Zstd => "zstd",
            Compression::Bzip2 => "bzip2",
            Compression::Xz => "xz",
        }
    }

    /// The name of the content: `users.csv.gz` → `users.csv`.
    pub fn inner_name(self, path: &str) -> String {
        let lower = path.to_ascii_lowercase();
        for ext in [".gz", ".tgz", ".zst", ".bz2", ".xz", ".gzip", ".zstd"] {
            if lower.ends_with(ext) {
                return path[..path.len() - ext.len()].to_string();
            }
        }
        path.to_string()
    }
}

/// Recognises a compressed file by its magic bytes (names can lie).
pub fn detect(head: &[u8]) -> Option<Compression> {
    if head.starts_with(&[0x1f, 0x8b]) {
        Some(Compression::Gzip)
    } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        Some(Compression::Zstd)
    } else if head.starts_with(b"BZh") && head.get(3).is_some_and(|b| (b'1'..=b'9').contains(b)) {
        Some(Compression::Bzip2)
    } else if head.starts_with(&[0xfd, b'7', b'z', b'X', b'Z', 0x00]) {
        Some(Compression::Xz)
    } else {
        None
    }
}

/// Limits on what a compressed input may expand to.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Total decompressed bytes.
    pub max_expanded: u64,
    /// Decompressed / compressed, checked once past 64 MiB of output.
    pub max_ratio: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_expanded: 16 << 30,
            max_ratio: 1000,
        }
    }
}

/// A decoder over `inner` that stops with an error when a limit is hit.
pub struct Decoded<R: Read> {
    inner: Box<dyn Read + Send>,
    compressed: std::sync::Arc<std::sync::atomic::AtomicU64>,
    expanded: u64,
    limits: Limits,
    _marker: std::marker::PhantomData<R>,
}

/// Counts the compressed bytes the decoder pulls, for the ratio limit.
struct Counting<R> {
    inner: R,
    count: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count
            .fetch_add(n as u64, std::sync::atomic::Ordering::Relaxed);
        Ok(n)
    }
}

pub fn decode<R: Read + Send + 'static>(
    c: Compression,
    inner: R,
    limits: Limits,
) -> io::Result<Decoded<R>> {
    let count = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let counted = Counting {
        inner,
        count: count.clone(),
    };
    let reader: Box<dyn Read + Send> = match c {
        Compression::Gzip => Box::new(flate2::read::MultiGzDecoder::new(counted)),
        Compression::Zstd => Box::new(zstd::stream::read::Decoder::new(counted)?),
        Compression::Bzip2 => Box::new(bzip2::read::MultiBzDecoder::new(counted)),
        Compression::Xz => Box::new(liblzma::read::XzDecoder::new_multi_decoder(counted)),
    };
    Ok(Decoded {
        inner: reader,
        compressed: count,
        expanded: 0,
        limits,
        _marker: std::marker::PhantomData,
    })
}

impl<R: Read> Read for Decoded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf).map_err(|e| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "corrupt or truncated compressed data after {} bytes: {e}",
                    self.expanded
                ),
            )
        })?;
        self.expanded += n as u64;
        if self.expanded > self.limits.max_expanded {
            return Err(io::Error::other(format!("expanded past the limit of {} bytes (a decompression bomb?); the rest was not scanned", self.limits.max_expanded)));
        }
        let compressed = self
            .compressed
            .load(std::sync::atomic::Ordering::Relaxed)
            .max(1);
        if self.expanded > 64 << 20 && self.expanded / compressed > self.limits.max_ratio {
            return Err(io::Error::other(format!(
                "expands more than {}:1 (a decompression bomb?); the rest was not scanned",
                self.limits.max_ratio
            )));
        }
        Ok(n)
    }
}

/// Re-compresses redacted output in the input's format.
pub enum Encoder<'a> {
    Gzip(flate2::write::GzEncoder<&'a mut dyn Write>),
    Zstd(zstd::stream::write::Encoder<'static, &'a mut dyn Write>),
    Bzip2(bzip2::write::BzEncoder<&'a mut dyn Write>),
    Xz(liblzma::write::XzEncoder<&'a mut dyn Write>),
}

impl<'a> Encoder<'a> {
    pub fn new(c: Compression, out: &'a mut dyn Write) -> io::Result<Encoder<'a>> {
        Ok(match c {
            Compression::Gzip => Encoder::Gzip(flate2::write::GzEncoder::new(
                out,
                flate2::Compression::default(),
            )),
            Compression::Zstd => Encoder::Zstd(zstd::stream::write::Encoder::new(out, 3)?),
            Compression::Bzip2 => Encoder::Bzip2(bzip2::write::BzEncoder::new(
                out,
                bzip2::Compression::default(),
            )),
            Compression::Xz => Encoder::Xz(liblzma::write::XzEncoder::new(out, 6)),
        })
    }

    pub fn finish(self) -> io::Result<()> {
        match self {
            Encoder::Gzip(e) => e.finish().map(drop),
            Encoder::Zstd(e) => e.finish().map(drop),
            Encoder::Bzip2(e) => e.finish().map(drop),
            Encoder::Xz(e) => e.finish().map(drop),
        }
    }
}

impl Write for Encoder<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Encoder::Gzip(e) => e.write(buf),
            Encoder::Zstd(e) => e.write(buf),
            Encoder::Bzip2(e) => e.write(buf),
            Encoder::Xz(e) => e.write(buf),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        match self {
            Encoder::Gzip(e) => e.flush(),
            Encoder::Zstd(e) => e.flush(),
            Encoder::Bzip2(e) => e.flush(),
            Encoder::Xz(e) => e.flush(),
        }
    }
}

/// Archive members are read into memory up to this size (scanning and redaction alike).
pub const MEMBER_MAX: u64 = 256 << 20;

/// Why an archive member was not read.
#[derive(Debug)]
pub enum MemberError {
    TooLarge,
    /// The archive's expansion budget ran out (a decompression bomb?).
    Bomb,
    Unreadable(String),
}

impl MemberError {
    /// The reason for coverage and manifests, ending in what was not done (`not scanned`).
    pub fn reason(&self, not_done: &str) -> String {
        match self {
            MemberError::TooLarge => format!("member larger than {MEMBER_MAX} bytes: {not_done}"),
            MemberError::Bomb => {
                format!("expansion limit hit (a decompression bomb?): {not_done}")
            }
            MemberError::Unreadable(e) => format!("unreadable member: {e}"),
        }
    }
}

/// Reads one archive member (as a stream, never extracted) within [`MEMBER_MAX`] and what is
/// left of the archive's expansion `budget`, which it spends.
pub fn read_member(
    r: &mut dyn Read,
    size_hint: u64,
    budget: &mut u64,
) -> Result<Vec<u8>, MemberError> {
    if size_hint > MEMBER_MAX {
        return Err(MemberError::TooLarge);
    }
    let cap = MEMBER_MAX.min(*budget);
    let mut data = Vec::with_capacity(size_hint.min(cap) as usize);
    r.take(cap + 1)
        .read_to_end(&mut data)
        .map_err(|e| MemberError::Unreadable(e.to_string()))?;
    if data.len() as u64 > cap {
        return Err(MemberError::Bomb);
    }
    *budget -= data.len() as u64;
    Ok(data)
}

/// A zip member's modification time (local time as stored, read as UTC) in Unix seconds.
pub fn zip_time(d: zip::DateTime) -> Option<i64> {
    if d.month() < 1 {
        return None;
    }
    let day = crate::retention::time::days_from_civil(
        i64::from(d.year()),
        u32::from(d.month()),
        u32::from(d.day()),
    );
    let secs = i64::from(d.hour()) * 3600 + i64::from(d.minute()) * 60 + i64::from(d.second());
    Some(day * 86400 + secs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn round_trips_and_limits() {
        let data = b"mail jane.doe@example.com\n".repeat(100);
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(&data).unwrap();
        let gz = gz.finish().unwrap();
        assert_eq!(detect(&gz), Some(Compression::Gzip));
        let mut out = Vec::new();
        decode(
            Compression::Gzip,
            std::io::Cursor::new(gz.clone()),
            Limits::default(),
        )
        .unwrap()
        .read_to_end(&mut out)
        .unwrap();
        assert_eq!(out, data);
        let tight = Limits {
            max_expanded: 100,
            max_ratio: 1000,
        };
        let mut out = Vec::new();
        assert!(
            decode(Compression::Gzip, std::io::Cursor::new(gz.clone()), tight)
                .unwrap()
                .read_to_end(&mut out)
                .is_err()
        );
        let cut = gz[..gz.len() / 2].to_vec();
        let mut out = Vec::new();
        assert!(decode(
            Compression::Gzip,
            std::io::Cursor::new(cut),
            Limits::default()
        )
        .unwrap()
        .read_to_end(&mut out)
        .is_err());
        assert_eq!(
            Compression::Gzip.inner_name("exports/users.csv.gz"),
            "exports/users.csv"
        );
        let z = zstd::encode_all(&data[..], 3).unwrap();
        assert_eq!(detect(&z), Some(Compression::Zstd));
    }
}
