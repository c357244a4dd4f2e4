//! Word-start triggers: finds every trigger word (keyword or literal) that begins where a word
//! begins, without walking an automaton over every byte.
//!
//! A SIMD pass marks word starts (an ASCII letter or a non-ASCII byte after a byte that is not
//! an ASCII letter or digit, and camelCase seams); at each one the first bytes, lower-cased, are looked
//! up in small exact tables. Ordinary text has one word start every five to ten bytes and almost
//! all of them fail the first bitmap probe, so the pass costs a fraction of an Aho-Corasick walk
//! over a thousand case-insensitive words (which steps a DFA on every byte). Words that begin
//! with anything else (`$2b$`, `-----BEGIN`, `%40`, `23andme`) are left to a small automaton.

/// Where one trigger word was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WordHit {
    pub start: usize,
    pub end: usize,
    /// Index of the word in the list the table was built from.
    pub word: usize,
}

/// Trigger words that start with an ASCII letter or a non-ASCII byte, indexed by their first
/// two, three or four lower-cased bytes.
pub struct WordTable {
    /// The words, lower-cased: compared past their eighth byte.
    words: Vec<Box<[u8]>>,
    /// Bits by [`hash16`] of the first three bytes (lower-cased) of every word of three bytes
    /// or more, and of a two-byte word followed by any byte: the one probe that stops almost
    /// every word start (a table of first two bytes let three in four through).
    first_three: Box<Bits>,
    /// Whether any word has two bytes (else `two_bits` is never probed).
    any_two: bool,
    /// The two-byte words (exact), and bits by [`hash16`] of the first three / four bytes of
    /// the three-byte / longer words: the few starts `first_three` lets through stop here.
    two_bits: Box<Bits>,
    three_bits: Box<Bits>,
    four_bits: Box<Bits>,
    /// Open addressing by key (a word's first two, three or four bytes: words have no NUL
    /// byte, so keys of different lengths differ, and 0 marks a free slot).
    slots: Box<[Slot]>,
    /// `slots` has `1 << slot_bits` entries (at least two).
    slot_bits: u32,
    /// The words of each key, next to each other, in the order given.
    candidates: Vec<Candidate>,
}

#[derive(Clone, Copy, Default)]
struct Slot {
    key: u32,
    first: u32,
    count: u32,
}

/// One word as its key's list holds it: its first eight bytes (lower-cased, little-endian,
/// zero-padded) and the mask of the bytes it has, so most words are told apart by one
/// compare, without looking the word up.
#[derive(Clone, Copy)]
struct Candidate {
    head: u64,
    mask: u64,
    len: u32,
    word: u32,
}

/// Whether `word` can be found by a [`WordTable`] (else it needs the fallback automaton).
pub fn starts_like_word(word: &str) -> bool {
    // Text past the end reads as NUL bytes: a word without any never matches there.
    word.len() >= 2
        && !word.contains('\0')
        && word
            .as_bytes()
            .first()
            .is_some_and(|&b| b.is_ascii_alphabetic() || b >= 0x80)
}

/// The first `n` (≤ 4) bytes at `at`, ASCII-lower-cased, little-endian; zero past the end.
#[inline]
fn key(hay: &[u8], at: usize, n: usize) -> u32 {
    let x = match hay.get(at..at + 4) {
        Some(b) => u32::from_le_bytes([b[0], b[1], b[2], b[3]]),
        None => {
            let mut b = [0u8; 4];
            let tail = &hay[at.min(hay.len())..];
            b[..tail.len().min(4)].copy_from_slice(&tail[..tail.len().min(4)]);
            u32::from_le_bytes(b)
        }
    };
    let x = if n == 4 {
        x
    } else {
        x & ((1u32 << (8 * n)) - 1)
    };
    lower4(x)
}

/// ASCII-lower-cases four bytes at once (see [`lower8`]).
#[inline]
fn lower4(x: u32) -> u32 {
    lower8(u64::from(x)) as u32
}

/// The first eight bytes at `at` (fewer at the end), ASCII-lower-cased, little-endian,
/// zero-padded, and the mask of the bytes present.
#[inline]
fn head8(hay: &[u8], at: usize) -> (u64, u64) {
    let (x, mask) = match hay.get(at..at + 8) {
        Some(b) => (u64::from_le_bytes(b.try_into().unwrap_or([0; 8])), u64::MAX),
        None => {
            let mut b = [0u8; 8];
            let tail = &hay[at.min(hay.len())..];
            let n = tail.len().min(8);
            b[..n].copy_from_slice(&tail[..n]);
            let mask = if n == 0 { 0 } else { u64::MAX >> (64 - 8 * n) };
            (u64::from_le_bytes(b), mask)
        }
    };
    (lower8(x), mask)
}

/// ASCII-lower-cases eight bytes at once: adds 0x20 to each byte in `A..=Z`.
#[inline]
fn lower8(x: u64) -> u64 {
    // Per byte, bit 7 of `ge_a` is set when the byte is >= 'A' and of `gt_z` when > 'Z'
    // (bytes >= 0x80 are excluded by masking with !x).
    let low7 = x & 0x7f7f_7f7f_7f7f_7f7f;
    let ge_a = low7.wrapping_add(0x3f3f_3f3f_3f3f_3f3f);
    let gt_z = low7.wrapping_add(0x2525_2525_2525_2525);
    let upper = ge_a & !gt_z & !x & 0x8080_8080_8080_8080;
    x | (upper >> 2)
}

/// A 16-bit hash of a key, for the per-length bitmaps.
#[inline]
fn hash16(k: u32) -> usize {
    (k.wrapping_mul(0x9E37_79B1) >> 16) as usize
}

/// 64 Kbit: one bit per 16-bit key.
type Bits = [u64; 1024];

#[inline]
fn bit(set: &Bits, i: usize) -> bool {
    set[(i >> 6) & 1023] & (1 << (i & 63)) != 0
}

impl WordTable {
    /// Builds the table; every word must satisfy [`starts_like_word`]. Words are compared
    /// ASCII-case-insensitively.
    pub fn new(words: &[String]) -> WordTable {
        let mut t = WordTable {
            words: Vec::with_capacity(words.len()),
            first_three: Box::new([0; 1024]),
            any_two: false,
            two_bits: Box::new([0; 1024]),
            three_bits: Box::new([0; 1024]),
            four_bits: Box::new([0; 1024]),
            slots: Box::new([]),
            slot_bits: 1,
            candidates: Vec::with_capacity(words.len()),
        };
        // Keys in order of first appearance, each with its words in the order given.
        let mut by_key: Vec<(u32, Vec<Candidate>)> = Vec::new();
        let mut key_at: std::collections::HashMap<u32, usize> = Default::default();
        for (i, w) in words.iter().enumerate() {
            let lw: Box<[u8]> = w.to_ascii_lowercase().into_bytes().into_boxed_slice();
            if lw.len() >= 3 {
                let h = hash16(key(&lw, 0, 3));
                t.first_three[h >> 6] |= 1 << (h & 63);
            } else {
                t.any_two = true;
                // Whatever follows (0 past the end), so that the first probe alone can turn a
                // start away.
                let two = key(&lw, 0, 2);
                for next in 0..=255u32 {
                    let h = hash16(lower4(two | next << 16));
                    t.first_three[h >> 6] |= 1 << (h & 63);
                }
            }
            let k = key(&lw, 0, lw.len().min(4));
            match lw.len() {
                2 => t.two_bits[(k >> 6) as usize & 1023] |= 1 << (k & 63),
                3 => t.three_bits[hash16(k) >> 6] |= 1 << (hash16(k) & 63),
                _ => t.four_bits[hash16(k) >> 6] |= 1 << (hash16(k) & 63),
            }
            let (head, mask) = head8(&lw, 0);
            let candidate = Candidate {
                head,
                mask,
                len: lw.len() as u32,
                word: i as u32,
            };
            let at = *key_at.entry(k).or_insert_with(|| {
                by_key.push((k, Vec::new()));
                by_key.len() - 1
            });
            by_key[at].1.push(candidate);
            t.words.push(lw);
        }
        let mut slots = vec![Slot::default(); (by_key.len() * 2).next_power_of_two().max(2)];
        let slot_mask = slots.len() - 1;
        t.slot_bits = slots.len().trailing_zeros();
        for (key, list) in by_key {
            let mut i = slot_hash(key, t.slot_bits);
            while slots[i].key != 0 {
                i = (i + 1) & slot_mask;
            }
            slots[i] = Slot {
                key,
                first: t.candidates.len() as u32,
                count: list.len() as u32,
            };
            t.candidates.extend(list);
        }
        t.slots = slots.into_boxed_slice();
        t
    }

    /// The words whose key is `key`, and the index of the first in `candidates`.
    #[inline]
    fn with_key(&self, key: u32) -> (usize, &[Candidate]) {
        let slot_mask = self.slots.len() - 1;
        let mut i = slot_hash(key, self.slot_bits);
        loop {
            let slot = self.slots[i];
            if slot.key == key {
                let first = slot.first as usize;
                return (first, &self.candidates[first..first + slot.count as usize]);
            }
            if slot.key == 0 {
                return (0, &[]);
            }
            i = (i + 1) & slot_mask;
        }
    }

    /// Calls `found` for every word that starts at a word start of `hay`, in order of start
    /// (words sharing a start: shorter first).
    #[cfg(test)]
    pub fn for_each_hit(&self, hay: &[u8], mut found: impl FnMut(WordHit)) {
        let mut memo = HeadMemo::default();
        for_each_word_start(hay, |s| self.hits_at(hay, s, &mut memo, &mut found));
    }

    /// Calls `found` for every word starting at `s` (a word start).
    #[inline]
    pub fn hits_at(
        &self,
        hay: &[u8],
        s: usize,
        memo: &mut HeadMemo,
        found: &mut impl FnMut(WordHit),
    ) {
        let k4 = key(hay, s, 4);
        let k2 = k4 & 0xffff;
        let k3 = k4 & 0xff_ffff;
        let h3 = hash16(k3);
        if !bit(&self.first_three, h3) {
            return;
        }
        let two = self.any_two && bit(&self.two_bits, k2 as usize);
        // One loop over the keys that can have words here (the two-byte words first, then
        // the three-byte ones, then the longer: shorter first).
        let keys = [
            two.then_some(k2),
            bit(&self.three_bits, h3).then_some(k3),
            bit(&self.four_bits, hash16(k4)).then_some(k4),
        ];
        if keys == [None; 3] {
            return;
        }
        // Read only now: the bits stop most word starts.
        let (k8, _) = head8(hay, s);
        let slot = &mut memo.slots[HeadMemo::slot(k8)];
        if slot.head == k8 {
            for &i in &slot.at[..slot.count as usize] {
                self.report(hay, s, &self.candidates[i as usize], found);
            }
            return;
        }
        let mut remembered = MemoSlot {
            head: k8,
            ..MemoSlot::default()
        };
        for key in keys.into_iter().flatten() {
            let (first, list) = self.with_key(key);
            for (j, c) in list.iter().enumerate() {
                // A byte past the end reads as 0, which no word has.
                if (k8 ^ c.head) & c.mask != 0 {
                    continue;
                }
                match (
                    remembered.at.get_mut(remembered.count as usize),
                    u16::try_from(first + j),
                ) {
                    (Some(at), Ok(i)) => {
                        *at = i;
                        remembered.count += 1;
                    }
                    // Too many to remember: this head is looked up every time.
                    _ => remembered.head = 0,
                }
                self.report(hay, s, c, found);
            }
        }
        // The first byte of a word start is a letter or non-ASCII: no head is 0.
        if remembered.head != 0 {
            *slot = remembered;
        }
    }

    /// Calls `found` when the word of `c`, whose first eight bytes (or fewer) match at `s`,
    /// matches whole. Always inlined: out of line, the caller's closure would be built in
    /// memory at every word start, before the bitmaps turn most of them away.
    #[inline(always)]
    fn report(&self, hay: &[u8], s: usize, c: &Candidate, found: &mut impl FnMut(WordHit)) {
        let e = s + c.len as usize;
        if c.len <= 8
            || (e <= hay.len()
                && hay[s + 8..e].eq_ignore_ascii_case(&self.words[c.word as usize][8..]))
        {
            found(WordHit {
                start: s,
                end: e,
                word: c.word as usize,
            });
        }
    }
}

/// The words whose first eight bytes match a word start's, remembered by those bytes (lower-
/// cased): a text that repeats its trigger words (a column of labels, a form, a flood of
/// keywords) compares each key's list of words once per distinct head, not at every start.
/// Which words' heads match depends on those eight bytes alone, so a remembered answer is
/// exact; one memo belongs to one [`WordTable`].
pub struct HeadMemo {
    slots: [MemoSlot; HeadMemo::SLOTS],
}

impl Default for HeadMemo {
    fn default() -> HeadMemo {
        HeadMemo {
            slots: [MemoSlot::default(); HeadMemo::SLOTS],
        }
    }
}

impl HeadMemo {
    const SLOTS: usize = 256;

    #[inline]
    fn slot(head: u64) -> usize {
        (head.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 56) as usize
    }
}

/// One remembered head (0: none) and the indexes of its matching candidates, in the order
/// they are reported.
#[derive(Clone, Copy, Default)]
struct MemoSlot {
    head: u64,
    count: u8,
    at: [u16; 7],
}

/// The slot of a key in a table of `1 << bits` slots: the product's high bits, which every
/// byte of the key reaches (keys sharing their first bytes must not share a slot).
#[inline]
fn slot_hash(k: u32, bits: u32) -> usize {
    (k.wrapping_mul(0x9E37_79B1) >> (32 - bits)) as usize
}

/// A 64 Kbit membership filter over exact words (first, middle and last byte and length):
/// most capitalised words of a text are not in the name lexicons, and one bit test is cheaper
/// than hashing the word for the map lookup.
pub struct ExactWordFilter {
    bits: Box<Bits>,
}

impl Default for ExactWordFilter {
    fn default() -> ExactWordFilter {
        ExactWordFilter {
            bits: Box::new([0; 1024]),
        }
    }
}

impl ExactWordFilter {
    #[inline]
    fn slot(w: &[u8]) -> usize {
        let n = w.len();
        let Some((&first, &last)) = w.first().zip(w.last()) else {
            return 0;
        };
        let k = first as u64 | (w[n / 2] as u64) << 8 | (last as u64) << 16 | (n as u64) << 24;
        (k.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 48) as usize
    }

    pub fn insert(&mut self, w: &[u8]) {
        let i = Self::slot(w);
        self.bits[i >> 6] |= 1 << (i & 63);
    }

    /// False when `w` was certainly never inserted.
    #[inline]
    pub fn may_contain(&self, w: &[u8]) -> bool {
        bit(&self.bits, Self::slot(w))
    }
}

/// Trigger words that do not begin like a word (`$2b$`, `-----BEGIN`, `%40`, `23andMe`): each
/// is found with SIMD substring search, then compared whole, case-insensitively. A word is
/// searched by its leading bytes up to the first letter (case does not matter there), unless
/// those are short and common in data (`23` of `23andMe`): then by the whole word as written,
/// lower-cased and upper-cased.
pub struct OtherWords {
    words: Vec<Box<[u8]>>,
    /// Distinct search keys (none a prefix of another) searched one by one (keys shorter than
    /// three bytes, or all when there is no SIMD searcher).
    heads: Vec<(memchr::memmem::Finder<'static>, SearchKey)>,
    /// The keys of three bytes or more in one SIMD multi-substring pass (Teddy): one pass
    /// instead of one per key (`-----`, `%40`, the three casings of `23andMe`: ≈ 4 ms each per
    /// 64 MB).
    packed: Option<(aho_corasick::packed::Searcher, Vec<SearchKey>)>,
}

/// A search key: the words it may start, and, for a key of one repeated byte whose words all
/// go on past a run of it (`-----` of `-----BEGIN`), that byte and each word's leading run:
/// in a run of the byte a word can start only where its own leading run reaches the end, so a
/// run of dashes costs one search, not one per byte.
struct SearchKey {
    members: Vec<u32>,
    run_of: Option<(u8, Vec<usize>)>,
    len: usize,
}

impl SearchKey {
    /// Verifies the key's hit at `at` and says where the search resumes: one byte on, so a
    /// key inside a longer run of its own bytes (`------BEGIN`) is found where the word
    /// starts, or past the run the key repeats.
    fn hit(&self, hay: &[u8], at: usize, verify: &mut impl FnMut(usize, &[u32])) -> usize {
        let Some((b, leads)) = &self.run_of else {
            verify(at, &self.members);
            return at + 1;
        };
        // Another key cannot start earlier in the run: it would begin with this key, and keys
        // are not prefixes of each other.
        let end = at + self.len;
        let run_end = end + hay[end..].iter().take_while(|&c| c == b).count();
        for (member, lead) in self.members.iter().zip(leads) {
            if let Some(start) = run_end.checked_sub(*lead) {
                verify(start, std::slice::from_ref(member));
            }
        }
        run_end + 1 - self.len
    }
}

impl OtherWords {
    /// `words` as written in the packs (their casing is one of the searched variants).
    pub fn new(words: &[String]) -> OtherWords {
        let lower: Vec<Box<[u8]>> = words
            .iter()
            .map(|w| w.to_ascii_lowercase().into_bytes().into_boxed_slice())
            .collect();
        let mut keys: Vec<(Vec<u8>, u32)> = Vec::new();
        for (i, w) in words.iter().enumerate() {
            let b = w.as_bytes();
            let head = b
                .iter()
                .position(|b| b.is_ascii_alphabetic())
                .unwrap_or(b.len())
                .max(1);
            // Digits are everywhere in data; a digit head shorter than four bytes would be
            // found constantly.
            if b[0].is_ascii_digit() && head < 4 && head < b.len() {
                for v in [b.to_vec(), b.to_ascii_lowercase(), b.to_ascii_uppercase()] {
                    keys.push((v, i as u32));
                }
            } else {
                keys.push((b[..head].to_vec(), i as u32));
            }
        }
        let mut distinct: Vec<Vec<u8>> = keys.iter().map(|(k, _)| k.clone()).collect();
        distinct.sort();
        distinct.dedup();
        let distinct: Vec<Vec<u8>> = distinct
            .iter()
            .filter(|h| !distinct.iter().any(|o| o != *h && h.starts_with(o)))
            .cloned()
            .collect();
        let members_of = |h: &[u8]| {
            let mut members: Vec<u32> = keys
                .iter()
                .filter(|(k, _)| k.starts_with(h))
                .map(|&(_, i)| i)
                .collect();
            members.sort_unstable();
            members.dedup();
            members
        };
        let (long, short): (Vec<Vec<u8>>, Vec<Vec<u8>>) =
            distinct.into_iter().partition(|h| h.len() >= 3);
        let packed = (long.len() >= 2)
            .then(|| {
                aho_corasick::packed::Config::new()
                    .match_kind(aho_corasick::packed::MatchKind::LeftmostFirst)
                    .builder()
                    .extend(&long)
                    .build()
            })
            .flatten();
        let one_by_one = match packed {
            Some(_) => short,
            None => short.into_iter().chain(long.iter().cloned()).collect(),
        };
        let search_key = |h: &[u8]| {
            let members = members_of(h);
            let b = h[0];
            let leads: Vec<usize> = members
                .iter()
                .map(|&i| lower[i as usize].iter().take_while(|&&c| c == b).count())
                .collect();
            let repeated = h.iter().all(|&c| c == b);
            let words_go_on = members
                .iter()
                .zip(&leads)
                .all(|(&i, &lead)| lower[i as usize].len() > lead);
            SearchKey {
                run_of: (repeated && words_go_on).then_some((b, leads)),
                len: h.len(),
                members,
            }
        };
        let heads = one_by_one
            .iter()
            .map(|h| (memchr::memmem::Finder::new(h).into_owned(), search_key(h)))
            .collect();
        let packed = packed.map(|p| (p, long.iter().map(|h| search_key(h)).collect()));
        OtherWords {
            words: lower,
            heads,
            packed,
        }
    }

    /// Every occurrence of every word, sorted by start.
    pub fn hits(&self, hay: &[u8]) -> Vec<WordHit> {
        let mut out = Vec::new();
        let mut verify = |s: usize, members: &[u32]| {
            for &i in members {
                let w = &self.words[i as usize];
                let e = s + w.len();
                if e <= hay.len() && hay[s..e].eq_ignore_ascii_case(w) {
                    out.push(WordHit {
                        start: s,
                        end: e,
                        word: i as usize,
                    });
                }
            }
        };
        for (finder, key) in &self.heads {
            let mut at = 0;
            while let Some(i) = finder.find(&hay[at..]) {
                at = key.hit(hay, at + i, &mut verify);
            }
        }
        if let Some((searcher, keys)) = &self.packed {
            let mut at = 0;
            while at < hay.len() {
                let Some(m) = searcher.find_in(hay, aho_corasick::Span::from(at..hay.len())) else {
                    break;
                };
                at = keys[m.pattern().as_usize()].hit(hay, m.start(), &mut verify);
            }
        }
        out.sort_by_key(|h| (h.start, h.end));
        out.dedup();
        out
    }
}

/// Calls `at` with every word start of `hay`, ascending: a byte that is an ASCII letter or
/// non-ASCII, after a byte that is not an ASCII letter or digit (or at 0; so the letters inside
/// hex strings and `21T22` start nothing), and an upper-case letter
/// after a lower-case one (`customerEmail`).
#[cfg(test)]
pub fn for_each_word_start(hay: &[u8], mut at: impl FnMut(usize)) {
    let mut words = super::blocks::WordStarts::default();
    super::blocks::for_each_block(hay, &super::blocks::ByteSet::NONE, |base, m, _| {
        let mut starts = words.block(m);
        while starts != 0 {
            at(base + starts.trailing_zeros() as usize);
            starts &= starts - 1;
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_word_filter_keeps_every_inserted_word_and_rejects_most_others() {
        let names = include_str!("../../patterns/lexicons/given_names.txt");
        let mut filter = ExactWordFilter::default();
        names.lines().for_each(|w| filter.insert(w.as_bytes()));
        assert!(names.lines().all(|w| filter.may_contain(w.as_bytes())));
        // Capitalised English words that are not given names: the filter must let through
        // only a small share (it exists to skip the map lookup for them).
        let others: Vec<String> = (0..2000).map(|i| format!("Word{i}x")).collect();
        let passed = others
            .iter()
            .filter(|w| filter.may_contain(w.as_bytes()))
            .count();
        assert!(passed < 400, "{passed} of 2000 passed the filter");
    }

    fn starts(hay: &[u8]) -> Vec<usize> {
        let mut v = Vec::new();
        for_each_word_start(hay, |s| v.push(s));
        v
    }

    /// The word starts by the definition, one byte at a time.
    fn starts_naive(hay: &[u8]) -> Vec<usize> {
        (0..hay.len())
            .filter(|&i| {
                let b = hay[i];
                let prev = if i == 0 { None } else { Some(hay[i - 1]) };
                let starter = b.is_ascii_alphabetic() || b >= 0x80;
                (starter && !prev.is_some_and(|p| p.is_ascii_alphanumeric()))
                    || (b.is_ascii_uppercase() && prev.is_some_and(|p| p.is_ascii_lowercase()))
            })
            .collect()
    }

    #[test]
    fn word_starts_match_the_definition_across_blocks() {
        let hay = super::super::scanner::pseudo_random_text(12345, 5000, b"aZ q0_-\xc3\xa9Mm.:\n7");
        for len in [0, 1, 63, 64, 65, 127, 128, 129, 5000] {
            assert_eq!(starts(&hay[..len]), starts_naive(&hay[..len]), "len {len}");
        }
        assert_eq!(starts(b"customerEmail x"), vec![0, 8, 14]);
    }

    #[test]
    fn finds_words_at_word_starts_only() {
        let words: Vec<String> = [
            "ip",
            "dob",
            "email",
            "e-mail=",
            "ssn",
            "électeur",
            "date of birth",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let t = WordTable::new(&words);
        let hay = "x dob: 1; customerEmail=a; remail ip=1; DATE OF BIRTH; Électeur électeur ssn"
            .as_bytes();
        let mut hits = Vec::new();
        t.for_each_hit(hay, |h| {
            hits.push((&hay[h.start..h.end], words[h.word].as_str()))
        });
        let found: Vec<&str> = hits.iter().map(|(_, w)| *w).collect();
        assert_eq!(
            found,
            vec!["dob", "email", "ip", "date of birth", "électeur", "ssn"]
        );
    }

    /// Every word at every word start, compared byte by byte (sorted).
    fn naive_hits(words: &[String], hay: &[u8]) -> Vec<(usize, usize, usize)> {
        let mut want = Vec::new();
        for_each_word_start(hay, |s| {
            for (i, w) in words.iter().enumerate() {
                let e = s + w.len();
                if e <= hay.len() && hay[s..e].eq_ignore_ascii_case(w.as_bytes()) {
                    want.push((s, e, i));
                }
            }
        });
        want.sort_unstable();
        want
    }

    /// Every word that starts at a word start is found, and nothing else: words that share
    /// their first bytes (keys of two, three and four bytes, heads past eight bytes), in
    /// generated text of any case, cut anywhere (words that run past the end).
    #[test]
    fn word_table_matches_a_naive_search() {
        let mut rng = crate::format::test_rng(7);
        let mut pick = |n: usize| rng(n as u32) as usize;
        let alphabet = b"abe_ -";
        let mut words: Vec<String> = Vec::new();
        while words.len() < 300 {
            let len = 2 + pick(13);
            let mut w = vec![b"ab"[pick(2)]];
            w.extend((1..len).map(|_| alphabet[pick(alphabet.len())]));
            let w = String::from_utf8(w).unwrap_or_default();
            if !words.contains(&w) {
                words.push(w);
            }
        }
        let table = WordTable::new(&words);
        for round in 0..40 {
            let mut hay = Vec::new();
            while hay.len() < 400 {
                if pick(3) == 0 {
                    hay.extend(words[pick(words.len())].bytes().map(|b| {
                        if pick(2) == 0 {
                            b.to_ascii_uppercase()
                        } else {
                            b
                        }
                    }));
                } else {
                    hay.push(b"abe_ -.Z"[pick(8)]);
                }
            }
            hay.truncate(hay.len() - pick(20));
            let mut got = Vec::new();
            table.for_each_hit(&hay, |h| got.push((h.start, h.end, h.word)));
            got.sort_unstable();
            let want = naive_hits(&words, &hay);
            assert!(round > 0 || want.len() > 20, "{} hits", want.len());
            assert_eq!(got, want, "round {round}");
        }
    }

    /// The head memo answers a repeated head as the lists do: heads with more matching words
    /// than a slot holds (nine words prefixes of one another), heads of long words whose
    /// tails differ, and one memo kept across texts that repeat the same heads differently.
    #[test]
    fn head_memo_answers_as_the_word_lists() {
        let words: Vec<String> = [
            "ab",
            "abc",
            "abcd",
            "abcde",
            "abcdef",
            "abcdefg",
            "abcdefgh",
            "abcdefghij",
            "abcdefghik",
            "pass",
            "password",
            "passport",
            "password_hash",
            "passwort",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let table = WordTable::new(&words);
        let texts: [&[u8]; 3] = [
            b"abcdefghij abcdefghik abcdefghij PASSWORD_hash password passwort abcdefghiX",
            b"abcdefghik abcdefghij abcdefghi password_hasX Password_Hash passport pass",
            b"abcdefghij, abcdefghij; abcdefghik abcdefgh abc passwordhash password_hash",
        ];
        let mut memo = HeadMemo::default();
        for round in 0..3 {
            for hay in texts {
                let mut got = Vec::new();
                for_each_word_start(hay, |s| {
                    table.hits_at(hay, s, &mut memo, &mut |h| {
                        got.push((h.start, h.end, h.word))
                    })
                });
                got.sort_unstable();
                let want = naive_hits(&words, hay);
                assert!(want.len() > 20, "{} hits", want.len());
                assert_eq!(got, want, "round {round}: {}", String::from_utf8_lossy(hay));
            }
        }
    }

    #[test]
    fn lower4_lowercases_ascii_letters_only() {
        for b in 0..=255u8 {
            let x = u32::from_le_bytes([b, b'Q', 0xC3, b'@']);
            let want = u32::from_le_bytes([b.to_ascii_lowercase(), b'q', 0xC3, b'@']);
            assert_eq!(lower4(x), want, "byte {b:#x}");
        }
    }

    /// Runs of a key's one repeated byte are skipped to their end: every occurrence is still
    /// found, compared with a naive search over generated text of dashes and near-words.
    #[test]
    fn other_words_in_runs_match_a_naive_search() {
        let words: Vec<String> = ["-----BEGIN", "--x9", "===x", "%40"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let t = OtherWords::new(&words);
        let mut r: u32 = 7;
        for _ in 0..300 {
            let hay: Vec<u8> = (0..200)
                .map(|_| {
                    r = r.wrapping_mul(1_103_515_245).wrapping_add(12345);
                    b"-----=-=xX9BEGIN%40 "[(r >> 16) as usize % 20]
                })
                .collect();
            let got: Vec<(usize, usize)> = t.hits(&hay).iter().map(|h| (h.start, h.word)).collect();
            let mut want = Vec::new();
            for s in 0..hay.len() {
                for (i, w) in words.iter().enumerate() {
                    let e = s + w.len();
                    if e <= hay.len() && hay[s..e].eq_ignore_ascii_case(w.as_bytes()) {
                        want.push((s, i));
                    }
                }
            }
            assert_eq!(got, want, "{}", String::from_utf8_lossy(&hay));
        }
        let mut long = vec![b'-'; 10_000];
        long.extend_from_slice(b"BEGIN");
        let hits = t.hits(&long);
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].start, 10_000 - 5);
    }

    #[test]
    fn finds_other_words_anywhere() {
        let words: Vec<String> = ["$2b$", "$argon2", "-----BEGIN", "%40", "23andMe"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let t = OtherWords::new(&words);
        let hay = b"x$2b$10 -----BEGIN jane%40ex 23andMe 2023 $argon2id $2a$ 23ANDME 23andme";
        let found: Vec<&str> = t.hits(hay).iter().map(|h| words[h.word].as_str()).collect();
        assert_eq!(
            found,
            vec![
                "$2b$",
                "-----BEGIN",
                "%40",
                "23andMe",
                "$argon2",
                "23andMe",
                "23andMe"
            ]
        );
    }
}
