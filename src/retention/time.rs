//! Dates and times as records write them, turned into UTC seconds since the epoch: ISO 8601 /
//! RFC 3339, `yyyy/mm/dd`, numeric day-month orders, syslog (`Mar  5 12:00:00`, no year),
//! Apache/nginx common log format (`[05/Mar/2024:12:00:00 +0000]`), RFC 2822 and epoch
//! seconds or milliseconds. No calendar crate: the civil-date conversion is a dozen lines.

use std::fmt;
use std::str::FromStr;

/// How an all-numeric date whose first two fields could both be a day or a month
/// (`01/02/2023`) is read. A date with a dot (`01.02.2023`) is always day-first, and a field
/// above 12 decides on its own (`13/02/2023` is 13 February).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DateOrder {
    /// The older of the two readings: an audit never takes a record for younger than it might
    /// be, and `redact --older-than` leaves nothing behind because of a guess.
    #[default]
    Oldest,
    Dmy,
    Mdy,
}

impl FromStr for DateOrder {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "dmy" => Ok(DateOrder::Dmy),
            "mdy" => Ok(DateOrder::Mdy),
            "oldest" | "auto" => Ok(DateOrder::Oldest),
            other => Err(format!(
                "unknown date order '{other}' (expected dmy, mdy or oldest)"
            )),
        }
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

/// The civil date of a day count since 1970-01-01.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn valid_date(y: i64, m: u32, d: u32) -> bool {
    (1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m)
}

/// `t` minus `months` calendar months; the day is clamped to the target month's length
/// (31 March minus one month is 28 or 29 February).
pub fn minus_months(t: i64, months: u32) -> i64 {
    let days = t.div_euclid(86400);
    let secs = t.rem_euclid(86400);
    let (y, m, d) = civil_from_days(days);
    let total = y * 12 + (m as i64 - 1) - months as i64;
    let (ny, nm) = (total.div_euclid(12), (total.rem_euclid(12) + 1) as u32);
    days_from_civil(ny, nm, d.min(days_in_month(ny, nm))) * 86400 + secs
}

/// Seconds since the epoch of a system time (file modification times, the clock).
pub fn unix_seconds(t: std::time::SystemTime) -> Option<i64> {
    t.duration_since(std::time::UNIX_EPOCH)
        .ok()
        .and_then(|d| i64::try_from(d.as_secs()).ok())
}

/// `YYYY-MM-DD` of a UTC time.
pub fn format_date(t: i64) -> String {
    let (y, m, d) = civil_from_days(t.div_euclid(86400));
    format!("{y:04}-{m:02}-{d:02}")
}

/// A UTC time, shown as RFC 3339.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Utc(pub i64);

impl fmt::Display for Utc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.0.rem_euclid(86400);
        write!(
            f,
            "{}T{:02}:{:02}:{:02}Z",
            format_date(self.0),
            s / 3600,
            s / 60 % 60,
            s % 60
        )
    }
}

/// Parses `--now` and `--date-field` style dates given on the command line.
pub fn parse_user_date(s: &str) -> Option<i64> {
    let b = s.trim().as_bytes();
    match parse_iso(b) {
        Some((t, n)) if n == b.len() => Some(t),
        _ => None,
    }
}

const MONTHS: [&[u8; 3]; 12] = [
    b"jan", b"feb", b"mar", b"apr", b"may", b"jun", b"jul", b"aug", b"sep", b"oct", b"nov", b"dec",
];

fn month_name(b: &[u8]) -> Option<u32> {
    let k = b.get(..3)?;
    MONTHS
        .iter()
        .position(|m| m.eq_ignore_ascii_case(k))
        .map(|i| i as u32 + 1)
}

/// Reads exactly `n` ASCII digits at `b[i..]`.
fn digits(b: &[u8], i: usize, n: usize) -> Option<u32> {
    let s = b.get(i..i + n)?;
    if !s.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(s.iter().fold(0u32, |a, &d| a * 10 + u32::from(d - b'0')))
}

/// One or two digits at `b[i..]`: the value and how many were read.
fn one_or_two(b: &[u8], i: usize) -> Option<(u32, usize)> {
    let a = digits(b, i, 1)?;
    match digits(b, i + 1, 1) {
        Some(c) => Some((a * 10 + c, 2)),
        None => Some((a, 1)),
    }
}

/// `HH:MM[:SS[.frac]]` at `b[i..]`: seconds into the day and the end.
fn time_of_day(b: &[u8], i: usize) -> Option<(i64, usize)> {
    let h = digits(b, i, 2)?;
    if b.get(i + 2) != Some(&b':') {
        return None;
    }
    let m = digits(b, i + 3, 2)?;
    let mut end = i + 5;
    let mut s = 0;
    if b.get(end) == Some(&b':') {
        s = digits(b, end + 1, 2)?;
        end += 3;
        if matches!(b.get(end), Some(b'.') | Some(b',')) {
            let frac = b[end + 1..]
                .iter()
                .take_while(|c| c.is_ascii_digit())
                .count();
            if frac > 0 {
                end += 1 + frac;
            }
        }
    }
    (h < 24 && m < 60 && s < 61).then_some((i64::from(h * 3600 + m * 60 + s.min(59)), end))
}

/// `Z`, `±HH:MM`, `±HHMM` or `±HH` at `b[i..]`, optionally after one space: seconds east of
/// UTC and the end. Nothing there is UTC.
fn zone(b: &[u8], i: usize) -> (i64, usize) {
    let j = if b.get(i) == Some(&b' ') && matches!(b.get(i + 1), Some(b'+') | Some(b'-')) {
        i + 1
    } else {
        i
    };
    match b.get(j) {
        Some(b'Z') | Some(b'z') => (0, j + 1),
        Some(&sign @ (b'+' | b'-')) => {
            let Some(h) = digits(b, j + 1, 2) else {
                return (0, i);
            };
            let (m, end) = if b.get(j + 3) == Some(&b':') {
                (digits(b, j + 4, 2), j + 6)
            } else {
                (digits(b, j + 3, 2), j + 5)
            };
            let (m, end) = match m {
                Some(m) => (m, end),
                None => (0, j + 3),
            };
            let off = i64::from(h * 3600 + m * 60);
            (if sign == b'-' { -off } else { off }, end)
        }
        _ => (0, i),
    }
}

fn at(y: i64, m: u32, d: u32, secs: i64, offset: i64) -> Option<i64> {
    valid_date(y, m, d).then(|| days_from_civil(y, m, d) * 86400 + secs - offset)
}

/// Optional `[T ]time[zone]` after a date ending at `i`.
fn time_after(b: &[u8], i: usize) -> (i64, i64, usize) {
    if matches!(b.get(i), Some(b'T') | Some(b't') | Some(b' ') | Some(b':')) {
        if let Some((secs, end)) = time_of_day(b, i + 1) {
            let (off, end) = zone(b, end);
            return (secs, off, end);
        }
    }
    (0, 0, i)
}

/// `YYYY-MM-DD` or `YYYY/MM/DD`, with an optional time and zone.
pub fn parse_iso(b: &[u8]) -> Option<(i64, usize)> {
    let y = digits(b, 0, 4)?;
    let sep = *b.get(4)?;
    if sep != b'-' && sep != b'/' {
        return None;
    }
    let m = digits(b, 5, 2)?;
    if b.get(7) != Some(&sep) {
        return None;
    }
    let d = digits(b, 8, 2)?;
    if b.get(10).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let (secs, off, end) = time_after(b, 10);
    Some((at(i64::from(y), m, d, secs, off)?, end))
}

/// `dd/mm/yyyy`, `mm/dd/yyyy`, `dd.mm.yyyy`, `dd-mm-yyyy`, with an optional time.
pub fn parse_numeric(b: &[u8], order: DateOrder) -> Option<(i64, usize)> {
    let (a, na) = one_or_two(b, 0)?;
    let sep = *b.get(na)?;
    if !matches!(sep, b'/' | b'.' | b'-') {
        return None;
    }
    let (c, nc) = one_or_two(b, na + 1)?;
    if b.get(na + 1 + nc) != Some(&sep) {
        return None;
    }
    let ys = na + 1 + nc + 1;
    let y = digits(b, ys, 4)?;
    if b.get(ys + 4).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let (secs, off, end) = time_after(b, ys + 4);
    let y = i64::from(y);
    let dmy = at(y, c, a, secs, off);
    let mdy = at(y, a, c, secs, off);
    let t = match (sep, order) {
        (b'.', _) => dmy,
        (_, DateOrder::Dmy) => dmy.or(mdy),
        (_, DateOrder::Mdy) => mdy.or(dmy),
        (_, DateOrder::Oldest) => match (dmy, mdy) {
            (Some(x), Some(z)) => Some(x.min(z)),
            (x, z) => x.or(z),
        },
    }?;
    Some((t, end))
}

/// `Mar  5 12:00:00` (BSD syslog): no year, so the latest such date not after `now` + 1 day.
pub fn parse_syslog(b: &[u8], now: i64) -> Option<(i64, usize)> {
    let m = month_name(b)?;
    if b.get(3) != Some(&b' ') {
        return None;
    }
    let i = if b.get(4) == Some(&b' ') { 5 } else { 4 };
    let (d, nd) = one_or_two(b, i)?;
    if b.get(i + nd) != Some(&b' ') {
        return None;
    }
    let (secs, end) = time_of_day(b, i + nd + 1)?;
    let (year, _, _) = civil_from_days(now.div_euclid(86400));
    let t = at(year, m, d, secs, 0).filter(|t| *t <= now + 86400);
    let t = t.or_else(|| at(year - 1, m, d, secs, 0))?;
    Some((t, end))
}

/// `05/Mar/2024:12:00:00 +0000` (common log format, without the brackets).
pub fn parse_clf(b: &[u8]) -> Option<(i64, usize)> {
    let d = digits(b, 0, 2)?;
    if b.get(2) != Some(&b'/') || b.get(6) != Some(&b'/') {
        return None;
    }
    let m = month_name(b.get(3..6)?)?;
    let y = digits(b, 7, 4)?;
    if b.get(11) != Some(&b':') {
        return None;
    }
    let (secs, end) = time_of_day(b, 12)?;
    let (off, end) = zone(b, end);
    Some((at(i64::from(y), m, d, secs, off)?, end))
}

/// `Tue, 05 Mar 2024 12:00:00 +0000` or `5 Mar 2024` (RFC 2822 and friends).
pub fn parse_rfc2822(b: &[u8]) -> Option<(i64, usize)> {
    let mut i = 0;
    if b.len() > 5 && b[..3].iter().all(u8::is_ascii_alphabetic) && b[3] == b',' {
        i = 4;
        while b.get(i) == Some(&b' ') {
            i += 1;
        }
    }
    let (d, nd) = one_or_two(b, i)?;
    i += nd;
    if b.get(i) != Some(&b' ') {
        return None;
    }
    let m = month_name(b.get(i + 1..i + 4)?)?;
    i += 4;
    // A full month name (`5 March 2024`) or an abbreviation with a dot (`5 Mar. 2024`).
    while b
        .get(i)
        .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'.')
    {
        i += 1;
    }
    if b.get(i) != Some(&b' ') {
        return None;
    }
    let y = digits(b, i + 1, 4)?;
    let (secs, off, end) = time_after(b, i + 5);
    Some((at(i64::from(y), m, d, secs, off)?, end))
}

/// `March 5, 2024` / `Mar 5 2024` (month first, as written in US English).
pub fn parse_month_first(b: &[u8]) -> Option<(i64, usize)> {
    let m = month_name(b)?;
    let mut i = 3;
    while b
        .get(i)
        .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'.')
    {
        i += 1;
    }
    if b.get(i) != Some(&b' ') {
        return None;
    }
    let (d, nd) = one_or_two(b, i + 1)?;
    i += 1 + nd;
    if b.get(i) == Some(&b',') {
        i += 1;
    }
    if b.get(i) != Some(&b' ') {
        return None;
    }
    let y = digits(b, i + 1, 4)?;
    let (secs, off, end) = time_after(b, i + 5);
    Some((at(i64::from(y), m, d, secs, off)?, end))
}

/// Epoch seconds (10 digits, optional fraction) or milliseconds (13 digits) between 2001 and
/// 2286: shorter numbers are too often something else.
pub fn parse_epoch(b: &[u8]) -> Option<(i64, usize)> {
    let n = b.iter().take_while(|c| c.is_ascii_digit()).count();
    let v: i64 = std::str::from_utf8(&b[..n]).ok()?.parse().ok()?;
    let mut end = n;
    let t = match n {
        10 => {
            if b.get(n) == Some(&b'.') {
                end += 1 + b[n + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
            }
            v
        }
        13 => v / 1000,
        _ => return None,
    };
    if b.get(end).is_some_and(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    Some((t, end))
}

/// A whole value of a date column or key: any of the formats above, quotes and blanks aside.
pub fn parse_value(raw: &[u8], order: DateOrder, now: i64) -> Option<i64> {
    let mut b = raw.trim_ascii();
    if b.len() >= 2 && (b[0] == b'"' || b[0] == b'\'') && b[b.len() - 1] == b[0] {
        b = b[1..b.len() - 1].trim_ascii();
    }
    let whole = |r: Option<(i64, usize)>| r.filter(|(_, n)| b[*n..].trim_ascii().is_empty());
    whole(parse_iso(b))
        .or_else(|| whole(parse_numeric(b, order)))
        .or_else(|| whole(parse_epoch(b)))
        .or_else(|| whole(parse_rfc2822(b)))
        .or_else(|| whole(parse_month_first(b)))
        .or_else(|| whole(parse_clf(b)))
        .or_else(|| whole(parse_syslog(b, now)))
        .map(|(t, _)| t)
}

/// A timestamp at the very start of `b`, in any of the log formats.
pub fn parse_leading(b: &[u8], order: DateOrder, now: i64) -> Option<i64> {
    parse_iso(b)
        .or_else(|| parse_syslog(b, now))
        .or_else(|| parse_numeric(b, order))
        .or_else(|| parse_rfc2822(b))
        .or_else(|| parse_clf(b))
        .or_else(|| parse_epoch(b))
        .map(|(t, _)| t)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i64, m: u32, d: u32) -> i64 {
        days_from_civil(y, m, d) * 86400
    }

    #[test]
    fn civil_round_trips() {
        for z in [-800_000i64, -1, 0, 1, 11_016, 19_000, 20_513, 2_000_000] {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
        }
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
    }

    #[test]
    fn month_arithmetic_clamps_the_day() {
        assert_eq!(minus_months(ymd(2026, 3, 31), 1), ymd(2026, 2, 28));
        assert_eq!(minus_months(ymd(2024, 3, 31), 1), ymd(2024, 2, 29));
        assert_eq!(minus_months(ymd(2026, 11, 23), 13), ymd(2025, 10, 23));
        assert_eq!(minus_months(ymd(2026, 1, 15), 12), ymd(2025, 1, 15));
    }

    #[test]
    fn formats() {
        let now = ymd(2026, 11, 23);
        let t = ymd(2024, 3, 5) + 12 * 3600;
        let cases: &[(&[u8], DateOrder, i64)] = &[
            (b"2024-03-05T12:00:00Z x", DateOrder::Oldest, t),
            (b"2024-03-05 13:00:00+01:00", DateOrder::Oldest, t),
            (b"2024/03/05 12:00:00 [error]", DateOrder::Oldest, t),
            (b"2024-03-05T12:00:00.123456Z", DateOrder::Oldest, t),
            (b"05/Mar/2024:12:00:00 +0000]", DateOrder::Oldest, t),
            (b"Tue, 05 Mar 2024 12:00:00 GMT", DateOrder::Oldest, t),
            (b"1709640000 login", DateOrder::Oldest, t),
            (b"1709640000123,", DateOrder::Oldest, t),
            (b"05.03.2024 12:00", DateOrder::Mdy, t),
            // syslog has no year: the latest such date not after now.
            (
                b"Mar  5 12:00:00 host",
                DateOrder::Oldest,
                ymd(2026, 3, 5) + 43200,
            ),
            (
                b"Dec 24 08:00:00 host",
                DateOrder::Oldest,
                ymd(2025, 12, 24) + 28800,
            ),
        ];
        for (input, order, want) in cases {
            assert_eq!(
                parse_leading(input, *order, now),
                Some(*want),
                "{}",
                String::from_utf8_lossy(input)
            );
        }
    }

    #[test]
    fn month_names_in_full() {
        let now = ymd(2026, 11, 23);
        for s in [
            &b"5 March 2024"[..],
            b"5 Mar. 2024",
            b"March 5, 2024",
            b"Mar 5 2024",
        ] {
            assert_eq!(
                parse_value(s, DateOrder::Oldest, now),
                Some(ymd(2024, 3, 5)),
                "{}",
                String::from_utf8_lossy(s)
            );
        }
    }

    #[test]
    fn rejects_what_is_not_a_date() {
        let now = ymd(2026, 11, 23);
        for s in [
            &b"2024-13-05"[..],
            b"2024-02-30",
            b"12345",
            b"v1.2.3",
            b"2024-03-051",
            b"170964000",
            b"31/31/2024",
        ] {
            assert_eq!(
                parse_value(s, DateOrder::Oldest, now),
                None,
                "{}",
                String::from_utf8_lossy(s)
            );
        }
    }

    #[test]
    fn ambiguous_numeric_dates_follow_the_order() {
        let now = ymd(2026, 11, 23);
        assert_eq!(
            parse_value(b"01/02/2023", DateOrder::Dmy, now),
            Some(ymd(2023, 2, 1))
        );
        assert_eq!(
            parse_value(b"01/02/2023", DateOrder::Mdy, now),
            Some(ymd(2023, 1, 2))
        );
        assert_eq!(
            parse_value(b"01/02/2023", DateOrder::Oldest, now),
            Some(ymd(2023, 1, 2))
        );
        assert_eq!(
            parse_value(b"02/01/2023", DateOrder::Oldest, now),
            Some(ymd(2023, 1, 2))
        );
        // A field above 12 decides, whatever the order.
        assert_eq!(
            parse_value(b"13/02/2023", DateOrder::Mdy, now),
            Some(ymd(2023, 2, 13))
        );
        assert_eq!(
            parse_value(b"02/13/2023", DateOrder::Dmy, now),
            Some(ymd(2023, 2, 13))
        );
        // Dots are day-first.
        assert_eq!(
            parse_value(b"01.02.2023", DateOrder::Mdy, now),
            Some(ymd(2023, 2, 1))
        );
    }
}
