//! A given name standing alone in prose, as the subject of a verb of someone's own story
//! ("Nancy is a member of…", "Andrew received his BTS…"): the name must be in the given-name
//! lexicon, must not be an ordinary word (`Will`, `May`, `Grace`), and must not be more often a
//! place, a product or an opening word of one (`Jordan`, `Georgia`, `Alexa`, `Santa`).

use super::{given_name, person_name, Check, Validator};

/// Given names that, before `is` or `has`, are far more often a place, a product or a virtue.
const NOT_ALONE: &[&str] = &[
    "Jordan",
    "Georgia",
    "Victoria",
    "Austin",
    "Sydney",
    "Florence",
    "Dallas",
    "Houston",
    "Madison",
    "Charlotte",
    "Lincoln",
    "Phoenix",
    "Chelsea",
    "Paris",
    "Virginia",
    "Carolina",
    "Adelaide",
    "Regina",
    "Savannah",
    "Aurora",
    "Orlando",
    "Denver",
    "Brooklyn",
    "Israel",
    "India",
    "China",
    "Kenya",
    "Alexa",
    "Siri",
    "Tesla",
    "Mercedes",
    "Ford",
    "Dell",
    "Grace",
    "Charity",
    "Patience",
    "Prudence",
    "Constance",
    "Felicity",
    "Trinity",
    "Genesis",
    "Honor",
    "Liberty",
    "Justice",
    "Serenity",
    "Echo",
    "Nova",
    "Luna",
    "Stella",
    "Java",
    "Ruby",
];

pub struct LoneGivenName;
impl Validator for LoneGivenName {
    fn check(&self, c: &[u8]) -> Check {
        let Ok(name) = std::str::from_utf8(c) else {
            return Check::Invalid;
        };
        if NOT_ALONE.contains(&name) || person_name::is_wordlike_given(name) {
            return Check::Invalid;
        }
        given_name::GivenName.check(c)
    }
}

#[cfg(test)]
mod tests {
    use super::super::assert_table;
    use super::*;

    #[test]
    fn table() {
        assert_table(
            &LoneGivenName,
            &["Nancy", "Andrew", "Janet", "María", "Lukas"],
            &[
                "Jordan", "May", "Will", "Grace", "Santa", "Alexa", "nancy", "Customer", "",
            ],
        );
    }
}
