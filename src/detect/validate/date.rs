//! Calendar dates in the layouts people write them (ISO, day/month/year either way round,
//! month names in English, German, French and Spanish): the date must exist.

use super::{Check, Validator};

const MONTHS: &[(&str, u32)] = &[
    ("jan", 1),
    ("feb", 2),
    ("mar", 3),
    ("apr", 4),
    ("may", 5),
    ("jun", 6),
    ("jul", 7),
    ("aug", 8),
    ("sep", 9),
    ("oct", 10),
    ("nov", 11),
    ("dec", 12),
    ("mär", 3),
    ("mai", 5),
    ("okt", 10),
    ("dez", 12),
    ("janv", 1),
    ("févr", 2),
    ("fev", 2),
    ("avr", 4),
    ("juin", 6),
    ("juil", 7),
    ("aoû", 8),
    ("aou", 8),
    ("déc", 12),
    ("ene", 1),
    ("abr", 4),
    ("ago", 8),
    ("dic", 12),
];

fn month_from_name(word: &str) -> Option<u32> {
    let w = word.to_lowercase();
    MONTHS
        .iter()
        .filter(|(m, _)| w.starts_with(m))
        .max_by_key(|(m, _)| m.len())
        .map(|(_, n)| *n)
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Parses a date into (year, month, day). Numeric dates with both fields ≤ 12 are read
/// day-first unless `month_first`.
pub fn parse_date(s: &str, month_first: bool) -> Option<(u32, u32, u32)> {
    let parts: Vec<&str> = s
        .split(['-', '/', '.', ' ', ','])
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() != 3 {
        return None;
    }
    let num = |p: &str| p.parse::<u32>().ok();
    let (y, m, d) = if parts[0].len() == 4 {
        (num(parts[0])?, num(parts[1])?, num(parts[2])?)
    } else if let Some(m) = month_from_name(parts[1]).filter(|_| num(parts[1]).is_none()) {
        (num(parts[2])?, m, num(parts[0])?)
    } else if let Some(m) = month_from_name(parts[0]).filter(|_| num(parts[0]).is_none()) {
        (num(parts[2])?, m, num(parts[1])?)
    } else {
        let (a, b, y) = (num(parts[0])?, num(parts[1])?, num(parts[2])?);
        let (m, d) = if a > 12 || (!month_first && b <= 12) {
            (b, a)
        } else {
            (a, b)
        };
        (y, m, d)
    };
    let y = if y < 100 {
        if y > 30 {
            1900 + y
        } else {
            2000 + y
        }
    } else {
        y
    };
    ((1870..=2100).contains(&y) && (1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m))
        .then_some((y, m, d))
}

pub struct Date;
impl Validator for Date {
    fn check(&self, c: &[u8]) -> Check {
        let s = String::from_utf8_lossy(c);
        // 1900-01-01 is the usual placeholder for an unknown date (and what masking writes).
        let real = |d: Option<(u32, u32, u32)>| d.is_some_and(|d| d != (1900, 1, 1));
        Check::from_bool(real(parse_date(&s, false)) || real(parse_date(&s, true)))
    }
}

#[cfg(test)]
mod tests {
    use super::super::assert_table;
    use super::*;
    #[test]
    fn table() {
        assert_table(
            &Date,
            &[
                "1985-03-14",
                "14/03/1985",
                "03/14/1985",
                "14.03.85",
                "14 March 1985",
                "March 14, 1985",
                "29.02.2000",
            ],
            &[
                "1985-13-14",
                "31/04/1985",
                "29.02.1900",
                "32/01/1990",
                "1700-01-01",
            ],
        );
        assert_eq!(parse_date("01/02/2023", false), Some((2023, 2, 1)));
        assert_eq!(parse_date("01/02/2023", true), Some((2023, 1, 2)));
    }
}
