//! Candidate generation: the per-byte part of the engine. These loops run over every byte, so
//! they are kept to SIMD byte-class scans and short scalar extensions around what they find.

use super::blocks;

/// Lanes of `v` in `lo..lo+n`, as one signed compare: `b + (128 - lo)` maps the range onto
/// -128..-128+n.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
pub(super) unsafe fn in_range(
    v: std::arch::x86_64::__m128i,
    lo: u8,
    n: u8,
) -> std::arch::x86_64::__m128i {
    use std::arch::x86_64::*;
    let shifted = _mm_add_epi8(v, _mm_set1_epi8(128u8.wrapping_sub(lo) as i8));
    _mm_cmplt_epi8(shifted, _mm_set1_epi8((n as i8).wrapping_sub(-128i8)))
}

/// A byte an e-mail address's local part may hold: letter, digit, `._%+-`.
#[inline]
pub fn is_local_part_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"._%+-".contains(&b)
}

/// Calls `at(p)`, in order, for every `@` at `p` with a local-part character (letter, digit,
/// `._%+-`) before it and a letter or digit after it — the only `@` an e-mail address can
/// have. Decided 64 bytes at a time, so runs of `@` or `@` in other roles cost little.
#[cfg(test)]
pub fn for_each_address_at(hay: &[u8], mut at: impl FnMut(usize)) {
    blocks::for_each_block(hay, &blocks::ByteSet::NONE, |base, m, _| {
        blocks::address_ats(hay, base, m, &mut at)
    });
}

/// The local-part bytes (letters, digits, `._%+-`) and the letters and digits of a block.
#[cfg(target_arch = "x86_64")]
#[inline]
pub(super) unsafe fn local_masks64(block: &[u8]) -> (u64, u64) {
    use std::arch::x86_64::*;
    let (mut local, mut alnum) = (0u64, 0u64);
    let eq = |v: __m128i, b: u8| _mm_cmpeq_epi8(v, _mm_set1_epi8(b as i8));
    for k in 0..4 {
        let v = _mm_loadu_si128(block.as_ptr().add(16 * k) as *const __m128i);
        let an = _mm_or_si128(
            in_range(v, b'0', 10),
            _mm_or_si128(in_range(v, b'A', 26), in_range(v, b'a', 26)),
        );
        // `-` and `.` are adjacent: `-./`, minus the `/`.
        let punct = _mm_or_si128(
            _mm_or_si128(eq(v, b'-'), eq(v, b'.')),
            _mm_or_si128(_mm_or_si128(eq(v, b'_'), eq(v, b'%')), eq(v, b'+')),
        );
        alnum |= (_mm_movemask_epi8(an) as u16 as u64) << (16 * k);
        local |= (_mm_movemask_epi8(_mm_or_si128(an, punct)) as u16 as u64) << (16 * k);
    }
    (local, alnum)
}

/// Where the first ASCII digit of `bytes` is; 16 bytes per step.
#[inline]
pub fn first_digit(bytes: &[u8]) -> Option<usize> {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::*;
        let mut chunks = bytes.chunks_exact(16);
        for (k, c) in (&mut chunks).enumerate() {
            // SAFETY: SSE2 is part of the x86_64 baseline and `c` holds 16 bytes.
            let found = unsafe {
                let v = _mm_loadu_si128(c.as_ptr() as *const __m128i);
                _mm_movemask_epi8(in_range(v, b'0', 10))
            };
            if found != 0 {
                return Some(16 * k + found.trailing_zeros() as usize);
            }
        }
        let done = bytes.len() - chunks.remainder().len();
        chunks
            .remainder()
            .iter()
            .position(u8::is_ascii_digit)
            .map(|i| done + i)
    }
    #[cfg(not(target_arch = "x86_64"))]
    bytes.iter().position(u8::is_ascii_digit)
}

/// Whether `bytes` holds an ASCII digit (keyword windows are ~100 bytes).
#[inline]
pub fn has_digit(bytes: &[u8]) -> bool {
    first_digit(bytes).is_some()
}

/// Calls `at(p)`, in order, for the digits `p` that lie in a run of at least `min_run` bytes
/// that are all digits or number separators — the only places a digit cluster of that span can
/// start. `at` returns where to resume (digits before it are not offered again). Most digits of
/// a log (times, counters, durations, ids inside hashes) are in short runs and skipped here a
/// block at a time.
#[cfg(test)]
pub fn for_each_digit_in_long_run(hay: &[u8], min_run: usize, mut at: impl FnMut(usize) -> usize) {
    let mut runs = blocks::LongRuns::new(min_run);
    blocks::for_each_block(hay, &blocks::ByteSet::NONE, |base, m, next| {
        runs.block(base, m, next, &mut at)
    });
}

/// Calls `at(s, e)`, in order, for every ASCII alphanumeric token `s..e` that holds a digit,
/// whose first byte `first` allows and that is at least `min_len` long (tokens shorter than any
/// token detector accepts — `1`, `GET`, `12` — are dropped by a mask before any is looked at;
/// a few shorter ones at block ends may come too).
#[cfg(test)]
pub fn for_each_digit_token(
    hay: &[u8],
    first: &[bool; 256],
    min_len: usize,
    mut at: impl FnMut(usize, usize),
) {
    let mut tokens = blocks::DigitTokens::new(min_len);
    let set = blocks::ByteSet::new(first);
    blocks::for_each_block(hay, &set, |base, m, _| tokens.block(hay, base, m, &mut at));
}

/// Bytes that may separate digit groups inside one number (`+44 (0)20 7946-0958`).
pub const NUMBER_SEPARATORS: &[u8] = b" -./()+";

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
        let run_end = digit_run_end(hay, i);
        digits += run_end - i;
        i = run_end;
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
        if i - start >= 16 {
            // Past any date: the rest of a long cluster by masks.
            let (end, more) = cluster_rest(hay, i);
            return Cluster {
                start,
                end,
                digits: digits + more,
            };
        }
    }
    Cluster { start, end, digits }
}

/// The rest of a cluster from the digit at `i`, 62 bytes per step (`1 2 3 4 …` cost a few
/// branches per digit group): where it ends and how many digits it holds from `i`. As in
/// [`cluster_at`], it ends after the last digit before the first byte that is neither a digit
/// nor a number separator, or that begins three separators in a row.
fn cluster_rest(hay: &[u8], i: usize) -> (usize, usize) {
    // Whether a byte begins three separators needs the two after it: 62 of 64 are decided.
    const STEP: usize = 62;
    let mut base = i;
    let mut digits = 0;
    let mut end = i;
    let mut masks = [blocks::Masks::default()];
    loop {
        let len = (hay.len() - base).min(blocks::BLOCK);
        blocks::classify_stripe(hay, base, &blocks::ByteSet::NONE, &mut masks);
        let (d, x) = (masks[0].digit, masks[0].num);
        let (valid, decided) = if len == blocks::BLOCK {
            (!0u64, (1u64 << STEP) - 1)
        } else {
            ((1u64 << len) - 1, !0u64)
        };
        let sep = x & !d;
        let three = sep & (sep >> 1) & (sep >> 2);
        let stop = (!x | three | !valid) & decided;
        let own = if stop != 0 {
            (1u64 << stop.trailing_zeros()) - 1
        } else {
            decided
        };
        let own_digits = d & own;
        digits += own_digits.count_ones() as usize;
        if own_digits != 0 {
            end = base + 64 - own_digits.leading_zeros() as usize;
        }
        if stop != 0 {
            return (end, digits);
        }
        base += STEP;
    }
}

/// ASCII digits, as `(first byte, count)` ranges for [`run_end`].
const DIGITS: &[(u8, u8)] = &[(b'0', 10)];
/// ASCII letters and digits.
const ALNUM: &[(u8, u8)] = &[(b'0', 10), (b'A', 26), (b'a', 26)];

/// The end of the run of digits starting at `i`.
#[inline]
pub fn digit_run_end(hay: &[u8], mut i: usize) -> usize {
    // Most runs are short (`12`, `2026`): byte by byte first.
    for _ in 0..4 {
        if i >= hay.len() || !hay[i].is_ascii_digit() {
            return i;
        }
        i += 1;
    }
    run_end(hay, i, DIGITS)
}

/// The end of the run of ASCII letters and digits starting at `i`.
#[inline]
pub(super) fn alnum_run_end(hay: &[u8], i: usize) -> usize {
    run_end(hay, i, ALNUM)
}

/// The end of the run, starting at `i`, of bytes in one of `ranges`: 16 bytes per step (a
/// long run byte by byte made all-digit input crawl).
#[inline(always)]
fn run_end(hay: &[u8], mut i: usize, ranges: &[(u8, u8)]) -> usize {
    #[cfg(target_arch = "x86_64")]
    while i + 16 <= hay.len() {
        use std::arch::x86_64::*;
        // SAFETY: SSE2 is part of the x86_64 baseline; 16 bytes from `i` are in bounds.
        let mask = unsafe {
            let v = _mm_loadu_si128(hay.as_ptr().add(i) as *const __m128i);
            let hit = ranges.iter().fold(_mm_setzero_si128(), |acc, &(lo, n)| {
                _mm_or_si128(acc, in_range(v, lo, n))
            });
            _mm_movemask_epi8(hit) as u32
        };
        if mask != 0xffff {
            return i + (!mask).trailing_zeros() as usize;
        }
        i += 16;
    }
    let in_ranges = |b: &u8| ranges.iter().any(|&(lo, n)| b.wrapping_sub(lo) < n);
    i + hay[i..].iter().take_while(|b| in_ranges(b)).count()
}

fn is_iso_date(s: &[u8]) -> bool {
    s.len() == 10 && s[4] == b'-' && s[7] == b'-'
}

/// Whether an ISO date (`2026-11-23`, no digit after it) starts at `at`: [`cluster_at`] ends
/// its cluster there, whatever follows, and no digit detector takes a plain date, so the digit
/// pass skips it without building the cluster (every row of a timestamped export or log has
/// one).
#[inline]
pub fn iso_date_at(hay: &[u8], at: usize) -> bool {
    let Some(s) = hay.get(at..at + 10) else {
        return false;
    };
    if hay.get(at + 10).is_some_and(u8::is_ascii_digit) {
        return false;
    }
    let digits = u64::from_le_bytes([s[0], s[1], s[2], s[3], s[5], s[6], s[8], s[9]]);
    // Every byte in `0`..=`9`. Bytes below 0x80 add without carrying into the next: `+ 0x50`
    // sets bit 7 from 0x30 up, `+ 0x46` from 0x3a up.
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let ge_0 = digits.wrapping_add(0x5050_5050_5050_5050) & HIGH == HIGH;
    let gt_9 = digits.wrapping_add(0x4646_4646_4646_4646) & HIGH != 0;
    digits & HIGH == 0 && ge_0 && !gt_9 && s[4] == b'-' && s[7] == b'-'
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

/// The hex/colon run around the `:` at `pos` when it could hold an IPv6 or MAC address (hex
/// on the left and hex or another `:` on the right), and whether it has enough groups for one.
/// The caller skips the rest of a run either way (a timestamp's second colon is not looked at
/// again).
#[inline]
pub fn hexcolon_region(hay: &[u8], pos: usize) -> Option<(usize, usize, bool)> {
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
    Some((s, e, colons >= 5 || (double && colons >= 2)))
}

/// `n` bytes drawn from `alphabet` by a seeded linear congruential generator, for tests that
/// compare a SIMD scan with its byte-by-byte definition.
#[cfg(test)]
pub(crate) fn pseudo_random_text(seed: u32, n: usize, alphabet: &[u8]) -> Vec<u8> {
    let mut r = seed;
    (0..n)
        .map(|_| {
            r = r.wrapping_mul(1_103_515_245).wrapping_add(12345);
            alphabet[(r >> 16) as usize % alphabet.len()]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

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

    /// Long clusters end by masks after their first 16 bytes: the same cluster as group by
    /// group, on generated text of digits, every separator, and other bytes.
    #[test]
    fn long_clusters_end_where_group_by_group_ends() {
        let by_groups = |hay: &[u8], start: usize| {
            let (mut i, mut digits) = (start, 0);
            let end = loop {
                let run_end = digit_run_end(hay, i);
                digits += run_end - i;
                i = run_end;
                let end = i;
                if end - start == 10 && digits == 8 && is_iso_date(&hay[start..end]) {
                    break end;
                }
                let mut j = i;
                while j < hay.len() && j - i < 2 && is_number_separator(hay[j]) {
                    j += 1;
                }
                if j > i && j < hay.len() && hay[j].is_ascii_digit() {
                    i = j;
                } else {
                    break end;
                }
            };
            (end, digits)
        };
        for seed in 1..40 {
            let alphabet: &[u8] = if seed % 2 == 0 {
                b"0123456789 -./()+x"
            } else {
                b"0123456789012345678 .-"
            };
            let hay = pseudo_random_text(seed, 3000, alphabet);
            for start in 0..hay.len() {
                if hay[start].is_ascii_digit() && (start == 0 || !hay[start - 1].is_ascii_digit()) {
                    let c = cluster_at(&hay, start);
                    assert_eq!(
                        (c.end, c.digits),
                        by_groups(&hay, start),
                        "seed {seed} at {start}"
                    );
                }
            }
        }
    }

    /// The digits in long runs, one byte at a time, as the scanner offers them when every
    /// callback resumes right after the digit.
    fn long_run_digits_naive(hay: &[u8], min_run: usize) -> Vec<usize> {
        let t = min_run.clamp(1, 9);
        let x = |b: u8| b.is_ascii_digit() || is_number_separator(b);
        (0..hay.len())
            .filter(|&p| hay[p].is_ascii_digit())
            .filter(|&p| {
                let mut s = p;
                while s > 0 && x(hay[s - 1]) {
                    s -= 1;
                }
                let mut e = p;
                while e < hay.len() && x(hay[e]) {
                    e += 1;
                }
                e - s >= t
            })
            .collect()
    }

    #[test]
    fn long_runs_match_the_definition_across_blocks() {
        let hay = pseudo_random_text(7, 4000, b"0123456789 -.a:(+x/");
        for t in [1, 4, 7, 9, 12] {
            for len in [0, 5, 56, 63, 64, 65, 120, 4000] {
                let mut got = Vec::new();
                for_each_digit_in_long_run(&hay[..len], t, |p| {
                    got.push(p);
                    p + 1
                });
                assert_eq!(
                    got,
                    long_run_digits_naive(&hay[..len], t),
                    "t {t} len {len}"
                );
            }
        }
        // Resuming further skips what lies before.
        let hay = b"a 1234567 b 7654321 c";
        let mut got = Vec::new();
        for_each_digit_in_long_run(hay, 7, |p| {
            got.push(p);
            p + 7
        });
        assert_eq!(got, vec![2, 12]);
    }

    /// Tokens against the definition, for every minimum length, on fixed text and on
    /// generated text whose tokens cross 64-byte blocks.
    #[test]
    fn digit_tokens() {
        let mut first = [false; 256];
        first[b'G' as usize] = true;
        first[b'1' as usize] = true;
        first[b'a' as usize] = true;
        let mut fixed = b"GB82 x GB 1a b1 -G9 ".repeat(7);
        fixed.extend_from_slice(&[b'G'; 100]);
        fixed.extend_from_slice(b"7 G");
        let texts = (1..12)
            .map(|seed| pseudo_random_text(seed, 700, b"G1a9 -.GGGG1111aaaa"))
            .chain([fixed]);
        for hay in texts {
            for min_len in [0, 1, 2, 4, 7, 8, 12] {
                let mut got = Vec::new();
                for_each_digit_token(&hay, &first, min_len, |s, e| got.push((s, e)));
                let mut want = Vec::new();
                let mut i = 0;
                while i < hay.len() {
                    if !hay[i].is_ascii_alphanumeric() {
                        i += 1;
                        continue;
                    }
                    let mut e = i;
                    while e < hay.len() && hay[e].is_ascii_alphanumeric() {
                        e += 1;
                    }
                    if first[hay[i] as usize] && hay[i..e].iter().any(u8::is_ascii_digit) {
                        want.push((i, e));
                    }
                    i = e;
                }
                // Tokens of at least `min_len` (up to 8) must all come; shorter ones may.
                got.retain(|&(s, e)| e - s >= min_len);
                want.retain(|&(s, e)| e - s >= min_len);
                assert_eq!(got, want, "min_len {min_len}");
            }
        }
    }

    #[test]
    fn address_ats_match_the_definition_across_blocks() {
        for seed in 1..20 {
            let hay = pseudo_random_text(seed, 700, b"@@@@a.Z9_%+- \n/:");
            for len in [0, 1, 63, 64, 65, 128, 129, 700] {
                let hay = &hay[..len];
                let want: Vec<usize> = (0..hay.len())
                    .filter(|&p| hay[p] == b'@' && p > 0 && is_local_part_byte(hay[p - 1]))
                    .filter(|&p| hay.get(p + 1).is_some_and(u8::is_ascii_alphanumeric))
                    .collect();
                let mut got = Vec::new();
                for_each_address_at(hay, |p| got.push(p));
                assert_eq!(got, want, "seed {seed} len {len}");
            }
        }
    }

    #[test]
    fn run_ends_and_digit_tests_match_the_definition() {
        for seed in 1..20 {
            let hay = pseudo_random_text(seed, 300, b"0123456789012345aZ -");
            let naive_end = |i: usize, f: fn(&u8) -> bool| {
                hay[i..]
                    .iter()
                    .position(|b| !f(b))
                    .map_or(hay.len(), |n| i + n)
            };
            for i in 0..hay.len() {
                assert_eq!(digit_run_end(&hay, i), naive_end(i, u8::is_ascii_digit));
                assert_eq!(
                    alnum_run_end(&hay, i),
                    naive_end(i, u8::is_ascii_alphanumeric)
                );
                assert_eq!(
                    has_digit(&hay[i..]),
                    hay[i..].iter().any(u8::is_ascii_digit)
                );
            }
        }
        assert_eq!(digit_run_end(&[b'7'; 100], 3), 100);
    }

    /// Where `iso_date_at` says so, the cluster from there is exactly a plain date; on
    /// generated dates, near-dates and digits.
    #[test]
    fn iso_dates_are_the_clusters_that_end_as_plain_dates() {
        let pieces: [&[u8]; 9] = [
            b"2026-11-23",
            b"1999-01-0",
            b"7",
            b"-",
            b"T",
            b" ",
            b"2026-11-2a",
            b"/",
            b"\x80",
        ];
        let mut hits = 0;
        for seed in 1..40 {
            let hay: Vec<u8> = pseudo_random_text(seed, 600, b"012345678")
                .iter()
                .flat_map(|&k| pieces[(k - b'0') as usize].iter().copied())
                .collect();
            for p in 0..hay.len() {
                if !hay[p].is_ascii_digit() {
                    continue;
                }
                let naive = hay.get(p..p + 10).is_some_and(|s| {
                    s.iter().enumerate().all(|(i, b)| {
                        if i == 4 || i == 7 {
                            *b == b'-'
                        } else {
                            b.is_ascii_digit()
                        }
                    })
                }) && !hay.get(p + 10).is_some_and(u8::is_ascii_digit);
                assert_eq!(iso_date_at(&hay, p), naive, "at {p}");
                if naive {
                    hits += 1;
                    let c = cluster_at(&hay, p);
                    assert_eq!((c.start, c.end), (p, p + 10));
                    assert!(is_plain_date(&hay[c.start..c.end]));
                }
            }
        }
        assert!(iso_date_at(b"x 2026-11-23T10:00", 2));
        assert!(!iso_date_at(b"x 2026-11-234", 2));
        assert!(!iso_date_at(b"x 2026-1a-23", 2));
        assert!(hits > 20, "{hits} dates generated");
    }

    #[test]
    fn hexcolon() {
        let hay = b"from 2001:db8::1 at 10:22:33";
        assert!(hexcolon_region(hay, 9).is_some_and(|r| r.2));
        assert!(hexcolon_region(hay, 22).is_some_and(|r| !r.2));
        assert!(hexcolon_region(b"{\"a\":\"b\"}", 4).is_none());
    }
}
