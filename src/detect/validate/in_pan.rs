//! Indian PAN: AAAAA9999A where the fourth letter names the holder type.

use super::{alnum_upper, Check, Validator};

pub struct InPan;
impl Validator for InPan {
    fn check(&self, c: &[u8]) -> Check {
        let s = alnum_upper(c);
        Check::from_bool(
            s.len() == 10
                && s[..5].iter().all(u8::is_ascii_uppercase)
                && s[5..9].iter().all(u8::is_ascii_digit)
                && s[9].is_ascii_uppercase()
                && b"ABCFGHLJPT".contains(&s[3])
                && s[5..9] != *b"0000",
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
            &InPan,
            &["ABCPE1234F", "AAAPL1234C"],
            &["ABCDE1234F", "ABCPE0000F", "ABCP12345F"],
        );
    }
}
