//! Retention limits: how long each kind of personal data may be kept (`13mo`, `1y`, `60d`),
//! per detector, detector family, category or by default.

use std::fmt;

/// A maximum age. Months and years are calendar months (13 months before 23 November 2026 is
/// 23 October 2025), days and weeks are exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MaxAge {
    Seconds(i64),
    Months(u32),
}

impl MaxAge {
    pub fn parse(s: &str) -> Result<MaxAge, String> {
        let t = s.trim().to_ascii_lowercase();
        let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
        let (num, unit) = t.split_at(split);
        let n: u32 = num
            .parse()
            .map_err(|_| format!("bad age '{s}' (expected e.g. 13mo, 1y, 60d, 2w, 12h)"))?;
        Ok(match unit.trim() {
            "h" | "hour" | "hours" => MaxAge::Seconds(i64::from(n) * 3600),
            "d" | "day" | "days" => MaxAge::Seconds(i64::from(n) * 86400),
            "w" | "week" | "weeks" => MaxAge::Seconds(i64::from(n) * 7 * 86400),
            "mo" | "month" | "months" => MaxAge::Months(n),
            "y" | "yr" | "year" | "years" => MaxAge::Months(n.saturating_mul(12)),
            other => {
                return Err(format!(
                    "bad age unit '{other}' in '{s}' (expected h, d, w, mo or y)"
                ))
            }
        })
    }

    /// The oldest time still within the limit at `now`: records before it are over.
    pub fn cutoff(self, now: i64) -> i64 {
        match self {
            MaxAge::Seconds(s) => now - s,
            MaxAge::Months(m) => super::time::minus_months(now, m),
        }
    }
}

impl fmt::Display for MaxAge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            MaxAge::Months(m) if m % 12 == 0 => write!(f, "{}y", m / 12),
            MaxAge::Months(m) => write!(f, "{m}mo"),
            MaxAge::Seconds(s) if s % 86400 == 0 => write!(f, "{}d", s / 86400),
            MaxAge::Seconds(s) => write!(f, "{}h", s / 3600),
        }
    }
}

/// Limits by selector: a detector id (`credit_card`), a family (`api_key` for `api_key.*`), a
/// category (`financial`) or `default`. The most specific selector wins.
#[derive(Debug, Clone, Default)]
pub struct Limits {
    entries: Vec<(String, MaxAge)>,
}

impl Limits {
    /// `13mo` (the default) or `selector=13mo`. A later value for the same selector replaces
    /// an earlier one, so the command line overrides the config file.
    pub fn add(&mut self, arg: &str) -> Result<(), String> {
        let (sel, age) = match arg.split_once('=') {
            Some((s, a)) => (s.trim().to_string(), a),
            None => ("default".to_string(), arg),
        };
        if sel.is_empty() {
            return Err(format!("bad limit '{arg}': empty selector before '='"));
        }
        let age = MaxAge::parse(age)?;
        self.entries.retain(|(s, _)| *s != sel);
        self.entries.push((sel, age));
        Ok(())
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn entries(&self) -> &[(String, MaxAge)] {
        &self.entries
    }

    /// The limit for a detector, and the selector that set it; `None` when no selector covers
    /// it (that data has no retention limit to check).
    pub fn for_detector(&self, id: &str, category: &str) -> Option<(&str, MaxAge)> {
        let family = id.split_once('.').map(|(f, _)| f);
        let find = |want: &str| {
            self.entries
                .iter()
                .find(|(s, _)| s == want)
                .map(|(s, a)| (s.as_str(), *a))
        };
        find(id)
            .or_else(|| family.and_then(find))
            .or_else(|| find(category))
            .or_else(|| find("default"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages() {
        assert_eq!(MaxAge::parse("13mo"), Ok(MaxAge::Months(13)));
        assert_eq!(MaxAge::parse("1y"), Ok(MaxAge::Months(12)));
        assert_eq!(MaxAge::parse("60d"), Ok(MaxAge::Seconds(60 * 86400)));
        assert_eq!(MaxAge::parse("2 weeks"), Ok(MaxAge::Seconds(14 * 86400)));
        assert!(MaxAge::parse("13").is_err());
        assert!(MaxAge::parse("mo").is_err());
        assert!(MaxAge::parse("3fortnights").is_err());
        assert_eq!(MaxAge::Months(24).to_string(), "2y");
    }

    #[test]
    fn most_specific_selector_wins() {
        let mut l = Limits::default();
        for a in ["1y", "credit_card=13mo", "financial=2y", "api_key=30d"] {
            l.add(a).unwrap();
        }
        assert_eq!(
            l.for_detector("credit_card", "financial").unwrap().0,
            "credit_card"
        );
        assert_eq!(l.for_detector("iban", "financial").unwrap().0, "financial");
        assert_eq!(
            l.for_detector("api_key.github", "credential").unwrap().0,
            "api_key"
        );
        assert_eq!(
            l.for_detector("email", "contact").unwrap().1,
            MaxAge::Months(12)
        );
        l.add("default=2y").unwrap();
        assert_eq!(
            l.for_detector("email", "contact").unwrap().1,
            MaxAge::Months(24)
        );
        let mut none = Limits::default();
        none.add("email=1y").unwrap();
        assert!(none.for_detector("phone", "contact").is_none());
        assert!(none.add("=1y").is_err());
    }
}
