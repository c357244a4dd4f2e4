//! One classification of every 64-byte block for all the engine's per-byte passes.
//!
//! The digit-run, token, `@`, `:` and word-start passes each need a few byte classes of every
//! block. Loading and comparing the bytes once per pass cost more than the candidates they
//! find; here a stripe of blocks is classified once (AVX2 where the CPU has it) and each pass
//! derives its candidates from the same masks with a few bit operations per block. Each pass
//! keeps its own state between blocks, so the passes may run block by block, interleaved,
//! and still offer exactly the candidates they offer when run one after the other.

/// Byte classes of one block of up to 64 bytes, one bit per byte (bits past the end are 0).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Masks {
    pub digit: u64,
    /// Digits and number separators (` -./()+`, see `scanner::NUMBER_SEPARATORS`).
    pub num: u64,
    pub upper: u64,
    pub lower: u64,
    /// Bytes >= 0x80.
    pub high: u64,
    pub at: u64,
    pub colon: u64,
    /// Hexadecimal digits (`0-9a-fA-F`).
    pub hex: u64,
    /// Bytes of the [`ByteSet`] the blocks were classified with.
    pub set: u64,
}

/// A set of ASCII bytes that the classification marks in [`Masks::set`] (the first bytes a
/// token detector allows): one SIMD look-up per 32 bytes instead of a table look-up per
/// candidate. Bytes >= 0x80 are never members.
#[derive(Debug, Clone)]
pub(super) struct ByteSet {
    /// Per low nibble, a bit per high nibble 0..=7 of the members (`pshufb` tables).
    by_low: [u8; 16],
}

impl ByteSet {
    pub const NONE: ByteSet = ByteSet { by_low: [0; 16] };

    /// The ASCII bytes `table` holds (others are dropped).
    pub fn new(table: &[bool; 256]) -> ByteSet {
        let mut set = ByteSet::NONE;
        for (b, _) in table.iter().enumerate().take(128).filter(|(_, &on)| on) {
            set.by_low[b & 15] |= 1 << (b >> 4);
        }
        set
    }

    #[inline]
    pub fn contains(&self, b: u8) -> bool {
        b < 0x80 && self.by_low[usize::from(b & 15)] >> (b >> 4) & 1 != 0
    }
}

impl Masks {
    #[inline]
    pub fn letter(&self) -> u64 {
        self.upper | self.lower
    }

    #[inline]
    pub fn alnum(&self) -> u64 {
        self.upper | self.lower | self.digit
    }
}

/// Blocks per stripe: the masks of a stripe (plus one block of look-ahead) stay in L1.
pub(super) const STRIPE_BLOCKS: usize = 32;
pub(super) const BLOCK: usize = 64;

/// Calls `f(base, masks, next)` for every block of `hay` in order, where `next` are the masks
/// of the block after it (all 0 after the last).
#[inline]
pub(super) fn for_each_block(hay: &[u8], set: &ByteSet, mut f: impl FnMut(usize, &Masks, &Masks)) {
    let mut stripe = [Masks::default(); STRIPE_BLOCKS + 1];
    let zero = Masks::default();
    let mut base = 0;
    while base < hay.len() {
        let n = classify_stripe(hay, base, set, &mut stripe);
        let own = n.min(STRIPE_BLOCKS);
        for i in 0..own {
            let next = if i + 1 < n { &stripe[i + 1] } else { &zero };
            f(base + BLOCK * i, &stripe[i], next);
        }
        base += BLOCK * own;
    }
}

/// Classifies the blocks of `hay` from `base` into `out`, as many as fit or as `hay` holds;
/// returns how many.
pub(super) fn classify_stripe(hay: &[u8], base: usize, set: &ByteSet, out: &mut [Masks]) -> usize {
    #[cfg(target_arch = "x86_64")]
    let mut n = if std::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU has AVX2 (checked above).
        unsafe { classify_avx2(hay, base, set, out) }
    } else {
        // SAFETY: SSE2 is part of the x86_64 baseline.
        unsafe { classify_sse2(hay, base, set, out) }
    };
    #[cfg(not(target_arch = "x86_64"))]
    let mut n = 0;
    while n < out.len() && base + BLOCK * n < hay.len() {
        let start = base + BLOCK * n;
        out[n] = classify_scalar(&hay[start..(start + BLOCK).min(hay.len())], set);
        n += 1;
    }
    n
}

/// The definition of [`Masks`], one byte at a time (the short last block, other CPUs, tests).
pub(super) fn classify_scalar(block: &[u8], byte_set: &ByteSet) -> Masks {
    let mut m = Masks::default();
    for (i, &b) in block.iter().enumerate() {
        let bit = 1u64 << i;
        let set = |mask: &mut u64, yes: bool| *mask |= if yes { bit } else { 0 };
        set(&mut m.digit, b.is_ascii_digit());
        set(
            &mut m.num,
            b.is_ascii_digit() || super::scanner::NUMBER_SEPARATORS.contains(&b),
        );
        set(&mut m.upper, b.is_ascii_uppercase());
        set(&mut m.lower, b.is_ascii_lowercase());
        set(&mut m.high, b >= 0x80);
        set(&mut m.at, b == b'@');
        set(&mut m.colon, b == b':');
        set(&mut m.hex, b.is_ascii_hexdigit());
        set(&mut m.set, byte_set.contains(b));
    }
    m
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn classify_avx2(hay: &[u8], base: usize, set: &ByteSet, out: &mut [Masks]) -> usize {
    use std::arch::x86_64::*;
    // Lanes in `lo..lo+n` as one signed compare: `b + (128 - lo)` maps the range onto
    // -128..-128+n.
    macro_rules! in_range {
        ($v:expr, $lo:expr, $n:expr) => {
            _mm256_cmpgt_epi8(
                _mm256_set1_epi8(($n as i8).wrapping_sub(-128i8)),
                _mm256_add_epi8($v, _mm256_set1_epi8(128u8.wrapping_sub($lo) as i8)),
            )
        };
    }
    macro_rules! eq {
        ($v:expr, $b:expr) => {
            _mm256_cmpeq_epi8($v, _mm256_set1_epi8($b as i8))
        };
    }
    macro_rules! bits {
        ($lo:expr, $hi:expr) => {
            _mm256_movemask_epi8($lo) as u32 as u64
                | (_mm256_movemask_epi8($hi) as u32 as u64) << 32
        };
    }
    // `-./0123456789`, `()`, `+`, space: digits and the number separators.
    macro_rules! num {
        ($v:expr) => {
            _mm256_or_si256(
                _mm256_or_si256(in_range!($v, b'-', 13), in_range!($v, b'(', 2)),
                _mm256_or_si256(eq!($v, b'+'), eq!($v, b' ')),
            )
        };
    }
    // The letters of hex digits: `a-f` once lower-cased by setting bit 5.
    macro_rules! hex_letter {
        ($v:expr) => {
            in_range!(_mm256_or_si256($v, _mm256_set1_epi8(0x20)), b'a', 6)
        };
    }
    // Set membership by nibbles: `by_low[low]` has bit `high` for each member; the high
    // nibble's bit comes from a second table (0 for 8..=15: no byte >= 0x80 is a member).
    let by_low =
        _mm256_broadcastsi128_si256(_mm_loadu_si128(set.by_low.as_ptr() as *const __m128i));
    let high_bit = _mm256_setr_epi8(
        1, 2, 4, 8, 16, 32, 64, -128, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 64, -128, 0, 0,
        0, 0, 0, 0, 0, 0,
    );
    let nibble = _mm256_set1_epi8(0x0f);
    let zero = _mm256_setzero_si256();
    macro_rules! outside_set {
        ($v:expr) => {
            _mm256_cmpeq_epi8(
                _mm256_and_si256(
                    _mm256_shuffle_epi8(by_low, _mm256_and_si256($v, nibble)),
                    _mm256_shuffle_epi8(
                        high_bit,
                        _mm256_and_si256(_mm256_srli_epi16($v, 4), nibble),
                    ),
                ),
                zero,
            )
        };
    }
    let mut n = 0;
    while n < out.len() && base + BLOCK * (n + 1) <= hay.len() {
        let p = hay.as_ptr().add(base + BLOCK * n);
        let a = _mm256_loadu_si256(p as *const __m256i);
        let b = _mm256_loadu_si256(p.add(32) as *const __m256i);
        let digit = bits!(in_range!(a, b'0', 10), in_range!(b, b'0', 10));
        out[n] = Masks {
            digit,
            num: bits!(num!(a), num!(b)),
            upper: bits!(in_range!(a, b'A', 26), in_range!(b, b'A', 26)),
            lower: bits!(in_range!(a, b'a', 26), in_range!(b, b'a', 26)),
            high: bits!(a, b),
            at: bits!(eq!(a, b'@'), eq!(b, b'@')),
            colon: bits!(eq!(a, b':'), eq!(b, b':')),
            hex: digit | bits!(hex_letter!(a), hex_letter!(b)),
            set: !bits!(outside_set!(a), outside_set!(b)),
        };
        n += 1;
    }
    n
}

#[cfg(target_arch = "x86_64")]
unsafe fn classify_sse2(hay: &[u8], base: usize, set: &ByteSet, out: &mut [Masks]) -> usize {
    use super::scanner::in_range;
    use std::arch::x86_64::*;
    let eq = |v: __m128i, b: u8| _mm_cmpeq_epi8(v, _mm_set1_epi8(b as i8));
    let mut n = 0;
    while n < out.len() && base + BLOCK * (n + 1) <= hay.len() {
        let mut m = Masks::default();
        for k in 0..4 {
            let v = _mm_loadu_si128(hay.as_ptr().add(base + BLOCK * n + 16 * k) as *const __m128i);
            let num = _mm_or_si128(
                _mm_or_si128(in_range(v, b'-', 13), in_range(v, b'(', 2)),
                _mm_or_si128(eq(v, b'+'), eq(v, b' ')),
            );
            let bits = |x: __m128i| (_mm_movemask_epi8(x) as u16 as u64) << (16 * k);
            m.digit |= bits(in_range(v, b'0', 10));
            m.num |= bits(num);
            m.upper |= bits(in_range(v, b'A', 26));
            m.lower |= bits(in_range(v, b'a', 26));
            m.high |= bits(v);
            m.at |= bits(eq(v, b'@'));
            m.colon |= bits(eq(v, b':'));
            // The letters of hex digits: `a-f` once lower-cased by setting bit 5.
            m.hex |= bits(in_range(_mm_or_si128(v, _mm_set1_epi8(0x20)), b'a', 6));
        }
        m.hex |= m.digit;
        // No byte shuffle in SSE2: a look-up per byte (CPUs without AVX2 only).
        let block = &hay[base + BLOCK * n..base + BLOCK * (n + 1)];
        for (i, &b) in block.iter().enumerate() {
            m.set |= (set.contains(b) as u64) << i;
        }
        out[n] = m;
        n += 1;
    }
    n
}

/// `x & x >> 1 & … & x >> (T - 1)`: the positions that start `T` set bits in a row, in
/// O(log T) steps.
#[inline(always)]
fn runs_of<const T: usize>(x: u128) -> u128 {
    let (mut w, mut len) = (x, 1);
    while len * 2 <= T {
        w &= w >> len;
        len *= 2;
    }
    if len < T {
        w &= w >> (T - len);
    }
    w
}

/// `w | w << 1 | … | w << (T - 1)`: the positions covered by runs of `T` starting at `w`.
#[inline(always)]
fn spread<const T: usize>(w: u128) -> u128 {
    let (mut c, mut len) = (w, 1);
    while len * 2 <= T {
        c |= c << len;
        len *= 2;
    }
    if len < T {
        c |= c << (T - len);
    }
    c
}

/// The positions of `x` (the low 64 bits: this block; the high: the next) covered by a run of
/// at least `t` (1..=9) set bits that starts in this block. `t` is fixed for a scan, so the
/// branch is always predicted and each arm's shifts are constants.
#[inline]
fn covered_by_runs(x: u128, t: usize) -> u128 {
    macro_rules! arms {
        ($($n:literal)*) => {
            match t {
                $($n => spread::<$n>(runs_of::<$n>(x) & u64::MAX as u128),)*
                _ => spread::<9>(runs_of::<9>(x) & u64::MAX as u128),
            }
        };
    }
    arms!(1 2 3 4 5 6 7 8)
}

/// The positions of `x` that start a run of at least `t` (1..=8) set bits within it.
#[inline]
fn starts_of_runs(x: u64, t: usize) -> u64 {
    macro_rules! arms {
        ($($n:literal)*) => {
            match t {
                $($n => runs_of::<$n>(x as u128) as u64,)*
                _ => runs_of::<8>(x as u128) as u64,
            }
        };
    }
    arms!(1 2 3 4 5 6 7)
}

/// The digit-run pass: the digits that lie in a run of at least `t` (1..=9) bytes that are all
/// digits or number separators — the only places a digit cluster of that span can start.
pub(super) struct LongRuns {
    t: usize,
    /// Coverage spilled from the previous block's runs.
    carry: u64,
    /// Digits before this are not offered again.
    resume: usize,
}

impl LongRuns {
    pub fn new(min_run: usize) -> LongRuns {
        LongRuns {
            t: min_run.clamp(1, 9),
            carry: 0,
            resume: 0,
        }
    }

    /// Calls `at(p)`, in order, for the candidates of the block at `base`; `at` returns where
    /// to resume.
    #[inline]
    pub fn block(
        &mut self,
        base: usize,
        m: &Masks,
        next: &Masks,
        mut at: impl FnMut(usize) -> usize,
    ) {
        let x = m.num as u128 | (next.num as u128) << 64;
        let cover = covered_by_runs(x, self.t);
        let mut cand = m.digit & (cover as u64 | self.carry);
        self.carry = (cover >> 64) as u64;
        if self.resume > base {
            if self.resume - base >= BLOCK {
                return;
            }
            cand &= !0u64 << (self.resume - base);
        }
        while cand != 0 {
            let p = base + cand.trailing_zeros() as usize;
            self.resume = at(p).max(p + 1);
            if self.resume - base >= BLOCK {
                return;
            }
            cand &= !0u64 << (self.resume - base);
        }
    }
}

/// The token pass: ASCII alphanumeric tokens holding a digit, whose first byte a table allows,
/// at least the shortest length any token detector accepts.
pub(super) struct DigitTokens {
    t: usize,
    /// Starts in the block's last `t - 1` bytes may go on into the next block: kept.
    open_end: u64,
    prev_alnum: u64,
}

impl DigitTokens {
    pub fn new(min_len: usize) -> DigitTokens {
        let t = min_len.clamp(1, 8);
        DigitTokens {
            t,
            open_end: if t > 1 { !0u64 << (65 - t) } else { 0 },
            prev_alnum: 0,
        }
    }

    /// Calls `at(s, e)`, in order, for the tokens starting in the block at `base` whose first
    /// byte is in the set the blocks were classified with ([`Masks::set`]).
    #[inline]
    pub fn block(&mut self, hay: &[u8], base: usize, m: &Masks, mut at: impl FnMut(usize, usize)) {
        let alnum = m.alnum();
        let starts = alnum & !((alnum << 1) | self.prev_alnum);
        self.prev_alnum = alnum >> 63;
        if starts == 0 {
            return;
        }
        // The first bytes allowed: the set the blocks were classified with.
        let mut wanted = starts & (starts_of_runs(alnum, self.t) | self.open_end) & m.set;
        let len = (hay.len() - base).min(BLOCK);
        while wanted != 0 {
            let i = wanted.trailing_zeros() as usize;
            wanted &= wanted - 1;
            let s = base + i;
            // The end from the mask when the token ends in this block.
            let rest = !alnum >> i;
            let (e, digit) = if rest != 0 && i + (rest.trailing_zeros() as usize) < len {
                let n = rest.trailing_zeros() as usize;
                (s + n, (m.digit >> i) & ((1u64 << n) - 1) != 0)
            } else {
                let e = super::scanner::alnum_run_end(hay, s);
                (e, super::scanner::has_digit(&hay[s..e]))
            };
            if digit {
                at(s, e);
            }
        }
    }
}

/// The word-start pass: an ASCII letter or non-ASCII byte after a byte that is not an ASCII
/// letter or digit (so the letters inside hex strings and `21T22` start nothing), and an
/// upper-case letter after a lower-case one (`customerEmail`).
#[derive(Default)]
pub(super) struct WordStarts {
    prev_alnum: u64,
    prev_lower: u64,
}

impl WordStarts {
    /// The word starts of the block, as bits.
    #[inline]
    pub fn block(&mut self, m: &Masks) -> u64 {
        let alnum = m.alnum();
        let prev_a = (alnum << 1) | self.prev_alnum;
        let prev_w = (m.lower << 1) | self.prev_lower;
        self.prev_alnum = alnum >> 63;
        self.prev_lower = m.lower >> 63;
        ((m.letter() | m.high) & !prev_a) | (m.upper & prev_w)
    }
}

/// [`super::scanner::hexcolon_region`] for the `:` at bit `i` of the block at `base`, from the
/// block's masks: `None` when the answer needs bytes outside the block (the run reaches an
/// edge of the block or a side longer than the scalar walk's limit), and the caller asks the
/// scalar walk instead.
#[inline]
#[allow(clippy::option_option)]
pub(super) fn hexcolon_in_block(
    base: usize,
    i: usize,
    m: &Masks,
) -> Option<Option<(usize, usize, bool)>> {
    if i == 0 || i >= BLOCK - 1 {
        return None;
    }
    let left_ok = m.hex >> (i - 1) & 1 != 0;
    let right_colon = m.colon >> (i + 1) & 1 != 0;
    let right_hex = m.hex >> (i + 1) & 1 != 0;
    if !(right_colon || (left_ok && right_hex)) {
        return Some(None);
    }
    let run = m.hex | m.colon;
    // The run's first byte: after the last byte below `i` that is outside it.
    let below = !run & ((1u64 << i) - 1);
    let above = !run & (!0u64 << (i + 1));
    if below == 0 || above == 0 {
        return None;
    }
    let s = 64 - below.leading_zeros() as usize;
    let e = above.trailing_zeros() as usize;
    // The scalar walk stops 45 bytes from the colon on either side.
    if i - s >= 45 || e - i >= 45 {
        return None;
    }
    let region = (!0u64 << s) & ((1u64 << e) - 1);
    let colons = m.colon & region;
    let n = colons.count_ones();
    let double = colons & (colons >> 1) != 0;
    Some(Some((base + s, base + e, n >= 5 || (double && n >= 2))))
}

/// The colons of the block that can begin an address region: a colon before another, or
/// between two hex digits (those at the block's edges, whose neighbours are in other blocks,
/// count as such). The others (`"key":`, `host:port`) are passed over: the scalar walk gives
/// them no region either.
#[inline]
pub(super) fn plausible_colons(m: &Masks) -> u64 {
    let between_hex = (m.hex << 1) & (m.hex >> 1);
    m.colon & ((m.colon >> 1) | between_hex | 1 | 1 << 63)
}

/// Whether no `:` of the block can be in a region [`hexcolon_in_block`] would report as
/// enough for an address: none doubled, none in a hex/colon run that reaches an edge of the
/// block (where the run may go on), and fewer than three between two hex digits. Then every
/// colon's region is a run inside the block without `::` (or part of one, where the walk
/// stops 45 bytes from the colon), and such a run has fewer than five colons: its colons are
/// between hex digits except at its first and last byte. The per-colon checks can be
/// skipped. Timestamps put two colons in most rows of a log or an export, and JSON a colon
/// after every key (`"ts":"2026-…T19:14:48Z"`: seven in a block, two between hex digits).
#[inline]
pub(super) fn colons_cannot_start_region(m: &Masks) -> bool {
    let colons = m.colon;
    if colons & (colons >> 1) != 0 {
        return false;
    }
    // Fewer than three: two lowest bits cleared leave none.
    let mut rest = colons & (m.hex << 1) & (m.hex >> 1);
    for _ in 0..2 {
        rest &= rest.wrapping_sub(1);
    }
    if rest != 0 {
        return false;
    }
    let outside = !(m.hex | colons);
    if outside == 0 {
        return false;
    }
    // The runs at the edges: below the first byte outside any run, above the last.
    let leading = (1u64 << outside.trailing_zeros()) - 1;
    let last = 63 - outside.leading_zeros();
    let trailing = if last == 63 { 0 } else { !0u64 << (last + 1) };
    colons & (leading | trailing) == 0
}

/// Calls `at(p)`, in order, for every `@` of the block at `base` with a local-part character
/// (letter, digit, `._%+-`) before it and a letter or digit after it — the only `@` an e-mail
/// address can have.
#[inline]
pub(super) fn address_ats(hay: &[u8], base: usize, m: &Masks, mut at: impl FnMut(usize)) {
    if m.at == 0 {
        return;
    }
    use super::scanner::is_local_part_byte;
    #[cfg(target_arch = "x86_64")]
    if base + BLOCK <= hay.len() {
        // SAFETY: SSE2 is part of the x86_64 baseline; 64 bytes from `base` are in bounds.
        let (local, alnum) = unsafe { super::scanner::local_masks64(&hay[base..base + BLOCK]) };
        let prev_local = base > 0 && is_local_part_byte(hay[base - 1]);
        let next_alnum = hay.get(base + BLOCK).is_some_and(u8::is_ascii_alphanumeric);
        let mut cand =
            m.at & ((local << 1) | prev_local as u64) & ((alnum >> 1) | (next_alnum as u64) << 63);
        while cand != 0 {
            at(base + cand.trailing_zeros() as usize);
            cand &= cand - 1;
        }
        return;
    }
    let mut ats = m.at;
    while ats != 0 {
        let p = base + ats.trailing_zeros() as usize;
        ats &= ats - 1;
        if p > 0
            && is_local_part_byte(hay[p - 1])
            && hay.get(p + 1).is_some_and(u8::is_ascii_alphanumeric)
        {
            at(p);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every SIMD path classifies every byte value as the scalar definition does, at every
    /// alignment and for short last blocks.
    #[test]
    fn stripes_classify_as_the_definition() {
        let all: Vec<u8> = (0..=255u8).cycle().take(256 * 3 + 17).collect();
        // Members in every high nibble 0..=7, and bytes >= 0x80 asked for (never members).
        let mut table = [false; 256];
        for &b in b"\x00\x1f !/013ABZ_`bqr~\x7f\x80\xe9\xff" {
            table[b as usize] = true;
        }
        let set = ByteSet::new(&table);
        assert!(!set.contains(0xe9) && set.contains(b'r') && set.contains(0));
        let mixed = super::super::scanner::pseudo_random_text(3, 5000, &all);
        for hay in [&all[..], &mixed[..]] {
            for skew in [0, 1, 7, 31] {
                let hay = &hay[skew..];
                let mut out = [Masks::default(); STRIPE_BLOCKS + 1];
                let mut base = 0;
                while base < hay.len() {
                    let n = classify_stripe(hay, base, &set, &mut out);
                    assert!(n > 0);
                    for (i, m) in out[..n].iter().enumerate() {
                        let s = base + BLOCK * i;
                        let want = classify_scalar(&hay[s..(s + BLOCK).min(hay.len())], &set);
                        assert_eq!(*m, want, "skew {skew} block at {s}");
                    }
                    base += BLOCK * n;
                }
                #[cfg(target_arch = "x86_64")]
                {
                    let n = unsafe { classify_sse2(hay, 0, &set, &mut out) };
                    for (i, m) in out[..n].iter().enumerate() {
                        let s = BLOCK * i;
                        assert_eq!(*m, classify_scalar(&hay[s..s + BLOCK], &set), "sse2 at {s}");
                    }
                }
            }
        }
    }

    /// The block answer, wherever it gives one, is the scalar walk's.
    #[test]
    fn hexcolon_regions_from_masks_match_the_scalar_walk() {
        let texts = (1..30).map(|seed| {
            super::super::scanner::pseudo_random_text(
                seed,
                2000,
                b"0123456789abcdefABCDEF:::: .-xyz",
            )
        });
        let mut answered = 0;
        for hay in texts {
            let mut out = [Masks::default(); STRIPE_BLOCKS + 1];
            let n = classify_stripe(&hay, 0, &ByteSet::NONE, &mut out);
            for (k, m) in out[..n].iter().enumerate() {
                let mut colons = m.colon;
                while colons != 0 {
                    let i = colons.trailing_zeros() as usize;
                    colons &= colons - 1;
                    let pos = BLOCK * k + i;
                    if let Some(got) = hexcolon_in_block(BLOCK * k, i, m) {
                        answered += 1;
                        assert_eq!(
                            got,
                            super::super::scanner::hexcolon_region(&hay, pos),
                            "at {pos}"
                        );
                    }
                }
            }
        }
        assert!(answered > 1000, "only {answered} answered from the masks");
    }

    /// A block whose colons are skipped has no colon whose region the scalar walk reports as
    /// enough, and a colon passed over has no region at all; most blocks of timestamps are
    /// skipped.
    #[test]
    fn skipped_colon_blocks_have_no_address_region() {
        let mut texts: Vec<Vec<u8>> = (1..40)
            .map(|seed| {
                super::super::scanner::pseudo_random_text(
                    seed,
                    3000,
                    b"0123456789abcdefABCDEF:: .-xyzT",
                )
            })
            .collect();
        texts.push(
            b"2026-01-11T17:29:08.233Z,cafe,fe80::1, 00:1a:2b:3c:4d:5e 12:34:56 ab:cd:ef:01:23"
                .repeat(40),
        );
        // Five colons of which only three lie between hex digits (the run's first and last
        // byte are colons): the fewest a region with enough colons can have.
        for pad in 0..8 {
            let mut t = vec![b' '; pad];
            t.extend_from_slice(&b"say :1:2:3:4: now then ".repeat(12));
            texts.push(t);
        }
        // JSON: a colon after every key, few between hex digits, now and then an address.
        for k in 0..7 {
            let mut json = Vec::new();
            for i in 0..60 {
                json.extend_from_slice(
                    format!(
                        r#"{{"ts":"2026-12-04T19:14:{:02}.070Z","a":1,"b":"c{}"#,
                        i % 60,
                        k
                    )
                    .as_bytes(),
                );
                if i % (k + 2) == 0 {
                    json.extend_from_slice(br#","mac":"00:1a:2b:3c:4d:5e""#);
                }
                json.extend_from_slice(b"}\n");
            }
            texts.push(json);
        }
        let mut skipped = 0;
        for hay in texts {
            let mut out = [Masks::default(); STRIPE_BLOCKS + 1];
            let mut base = 0;
            while base < hay.len() {
                let n = classify_stripe(&hay, base, &ByteSet::NONE, &mut out);
                for (k, m) in out[..n].iter().enumerate() {
                    let mut passed_over = m.colon & !plausible_colons(m);
                    while passed_over != 0 {
                        let pos = base + BLOCK * k + passed_over.trailing_zeros() as usize;
                        passed_over &= passed_over - 1;
                        let region = super::super::scanner::hexcolon_region(&hay, pos);
                        assert_eq!(region, None, "at {pos}");
                    }
                    if m.colon == 0 || !colons_cannot_start_region(m) {
                        continue;
                    }
                    skipped += 1;
                    let mut colons = m.colon;
                    while colons != 0 {
                        let pos = base + BLOCK * k + colons.trailing_zeros() as usize;
                        colons &= colons - 1;
                        let region = super::super::scanner::hexcolon_region(&hay, pos);
                        assert!(!matches!(region, Some((_, _, true))), "at {pos}");
                    }
                }
                base += BLOCK * STRIPE_BLOCKS;
            }
        }
        assert!(skipped > 300, "only {skipped} blocks skipped");
    }

    #[test]
    fn runs_and_spreads_match_their_shift_loops() {
        let xs = [
            0u128,
            !0,
            0b1011_1110_0111,
            0xf0f0_ff00_1234_5678_9abc_def0_0fff_fff1,
        ];
        for x in xs {
            for t in 1..=9 {
                let mut w = x;
                for k in 1..t {
                    w &= x >> k;
                }
                w &= u64::MAX as u128;
                let mut c = w;
                for k in 1..t {
                    c |= w << k;
                }
                assert_eq!(covered_by_runs(x, t), c, "cover t {t}");
                if t <= 8 {
                    let mut w = x as u64;
                    for k in 1..t {
                        w &= (x as u64) >> k;
                    }
                    assert_eq!(starts_of_runs(x as u64, t), w, "starts t {t}");
                }
            }
        }
    }
}
