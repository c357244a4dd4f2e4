//! Latitude/longitude pairs: two decimal numbers in range, with enough decimals to place a
//! person (three decimals ≈ 100 m).

use super::{Check, Validator};

pub struct GeoCoordinates;
impl Validator for GeoCoordinates {
    fn check(&self, c: &[u8]) -> Check {
        let s = String::from_utf8_lossy(c);
        let nums: Vec<&str> = s
            .split(|ch: char| !(ch.is_ascii_digit() || ch == '.' || ch == '-'))
            .filter(|p| p.contains('.') && p.chars().any(|c| c.is_ascii_digit()))
            .collect();
        if nums.len() != 2 {
            return Check::Invalid;
        }
        let (Ok(lat), Ok(lon)) = (nums[0].parse::<f64>(), nums[1].parse::<f64>()) else {
            return Check::Invalid;
        };
        let precise = nums
            .iter()
            .all(|n| n.rsplit('.').next().is_some_and(|d| d.len() >= 3));
        Check::from_bool(
            lat.abs() <= 90.0 && lon.abs() <= 180.0 && precise && !(lat == 0.0 && lon == 0.0),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::super::assert_table;
    use super::*;
    #[test]
    fn table() {
        assert_table(
            &GeoCoordinates,
            &["48.8584, 2.2945", "\"lat\": 40.7128, \"lon\": -74.0060"],
            &["95.1234, 2.2945", "48.8, 2.2", "0.000, 0.000", "12.3456"],
        );
    }
}
