//! Candidate generation: the per-byte part of the engine. These loops run over every byte, so
//! they are kept to SIMD byte-class scans and short scalar extensions around what they find.

/// Position of the first ASCII digit at or after `from`.
#[inline]
pub fn next_digit(hay: &[u8], from: usize) -> Option<usize> {
    #[cfg(target_arch = "x86_64")]
    {
        next_digit_sse2(hay, from)
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        hay.get(from..)?
            .iter()
            .position(u8::is_ascii_digit)
            .map(|p| p + from)
    }
}

#[cfg(target_arch = "x86_64")]
#[inline]
fn next_digit_sse2(hay: &[u8], mut i: usize) -> Option<usize> {
    use std::arch::x86_64::{
        __m128i, _mm_and_si128, _mm_cmpgt_epi8, _mm_cmplt_epi8, _mm_loadu_si128, _mm_movemask_epi8,
        _mm_set1_epi8,
    };
    let n = hay.len();
    // SAFETY: SSE2 is part of the x86_64 baseline; every load reads 16 bytes at `i` with
    // `i + 16 <= n`, so it stays inside `hay`.
    unsafe {
        let lo = _mm_set1_epi8((b'0' - 1) as i8);
        let hi = _mm_set1_epi8((b'9' + 1) as i8);
        while i + 16 <= n {
            let v = _mm_loadu_si128(hay.as_ptr().add(i) as *const __m128i);
            let m = _mm_and_si128(_mm_cmpgt_epi8(v, lo), _mm_cmplt_epi8(v, hi));
            let mask = _mm_movemask_epi8(m) as u32;
            if mask != 0 {
                return Some(i + mask.trailing_zeros() as usize);
            }
            i += 16;
        }
    }
    while i < n {
        if hay[i].is_ascii_digit() {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// Bytes that may separate digit groups inside one number (`+44 (0)20 7946-0958`).
#[inline]
fn is_number_separator(b: u8) -> bool {
    matches!(b, b' ' | b'-' | b'.' | b'/' | b'(' | b')' | b'+')
}

/// A run of digits with separators between groups: the candidate region for digit detectors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cluster {
    pub start: usize,
    pub end: usize,
    pub digits: usize,
}

/// Extends a cluster from the digit at `start`. An ISO date (`2026-11-23`) followed by a time
/// ends its own cluster, so a timestamp is never glued to the number after it.
#[inline]
pub fn cluster_at(hay: &[u8], start: usize) -> Cluster {
    let n = hay.len();
    let mut i = start;
    let mut digits = 0;
    let mut end;
    loop {
        while i < n && hay[i].is_ascii_digit() {
            i += 1;
            digits += 1;
        }
        end = i;
        if end - start == 10 && digits == 8 && is_iso_date(&hay[start..end]) {
            break;
        }
        let mut j = i;
        while j < n && j - i < 2 && is_number_separator(hay[j]) {
            j += 1;
        }
        if j > i && j < n && hay[j].is_ascii_digit() {
            i = j;
        } else {
            break;
        }
    }
    Cluster { start, end, digits }
}

fn is_iso_date(s: &[u8]) -> bool {
    s.len() == 10 && s[4] == b'-' && s[7] == b'-'
}

/// True for a cluster that is exactly a calendar date in a common layout; such clusters feed
/// no digit detector (dates of birth are found through their keywords).
pub fn is_plain_date(s: &[u8]) -> bool {
    if s.len() != 10 {
        return false;
    }
    let sep = |i: usize| matches!(s[i], b'-' | b'/' | b'.');
    (sep(4) && sep(7) && s[4] == s[7]) || (sep(2) && sep(5) && s[2] == s[5])
}

/// The alphanumeric token around `pos`.
#[inline]
pub fn token_around(hay: &[u8], pos: usize) -> (usize, usize) {
    let mut s = pos;
    while s > 0 && hay[s - 1].is_ascii_alphanumeric() {
        s -= 1;
    }
    let mut e = pos;
    while e < hay.len() && hay[e].is_ascii_alphanumeric() {
        e += 1;
    }
    (s, e)
}

/// Whether the `:` at `pos` could be inside an IPv6 or MAC address: hex on the left and hex or
/// another `:` on the right, and the surrounding hex/colon run has enough groups.
#[inline]
pub fn hexcolon_region(hay: &[u8], pos: usize) -> Option<(usize, usize)> {
    let hexc = |b: u8| b.is_ascii_hexdigit() || b == b':';
    let left_ok = pos > 0 && hay[pos - 1].is_ascii_hexdigit();
    let right = hay.get(pos + 1).copied().unwrap_or(0);
    let plausible = right == b':' || (left_ok && right.is_ascii_hexdigit());
    if !plausible {
        return None;
    }
    let mut s = pos;
    while s > 0 && hexc(hay[s - 1]) && pos - s < 45 {
        s -= 1;
    }
    let mut e = pos;
    while e < hay.len() && hexc(hay[e]) && e - pos < 45 {
        e += 1;
    }
    let region = &hay[s..e];
    let colons = region.iter().filter(|&&b| b == b':').count();
    let double = region.windows(2).any(|w| w == b"::");
    (colons >= 5 || (double && colons >= 2)).then_some((s, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_digits_across_simd_blocks() {
        let mut hay = vec![b'x'; 100];
        hay[37] = b'7';
        assert_eq!(next_digit(&hay, 0), Some(37));
        assert_eq!(next_digit(&hay, 38), None);
        hay[99] = b'0';
        assert_eq!(next_digit(&hay, 38), Some(99));
        let high: Vec<u8> = (0x80..=0xff).collect();
        assert_eq!(next_digit(&high, 0), None);
    }

    #[test]
    fn clusters() {
        let hay = b"call +44 (0)20 7946-0958 now";
        let c = cluster_at(hay, 6);
        assert_eq!(&hay[c.start..c.end], b"44 (0)20 7946-0958");
        assert_eq!(c.digits, 13);
        let ts = b"2026-11-23 20:53:11 card 4111";
        let c = cluster_at(ts, 0);
        assert_eq!(&ts[c.start..c.end], b"2026-11-23");
        assert!(is_plain_date(&ts[c.start..c.end]));
    }

    #[test]
    fn hexcolon() {
        let hay = b"from 2001:db8::1 at 10:22:33";
        assert!(hexcolon_region(hay, 9).is_some());
        assert!(hexcolon_region(hay, 22).is_none());
        assert!(hexcolon_region(b"{\"a\":\"b\"}", 4).is_none());
    }
}
