//! Person names in free text: "Given Surname" (a middle initial and particles such as `van
//! der` allowed). The given name comes from the lexicon trigger; the surname must be a known
//! surname (census and national lists), or at least a capitalised word that is not ordinary
//! vocabulary (then the match is weak). Given names that are also common words (`Will`, `May`,
//! `Mark`, `Grant`) need a known surname.

use super::{Check, Validator};
use std::sync::LazyLock;

static SURNAMES: LazyLock<foldhash::HashSet<&'static str>> = LazyLock::new(|| {
    crate::detect::catalog::lexicon("surnames")
        .unwrap_or("")
        .lines()
        .collect()
});

/// The word lists below as sets: the validator runs on every given name followed by a
/// capitalised word, and a linear search through them showed in profiles.
static NOT_SURNAME_SET: LazyLock<foldhash::HashSet<&'static str>> =
    LazyLock::new(|| NOT_SURNAMES.iter().copied().collect());
static NOT_GIVEN_SET: LazyLock<foldhash::HashSet<&'static str>> =
    LazyLock::new(|| NOT_GIVEN.iter().copied().collect());
static WORDLIKE_GIVEN_SET: LazyLock<foldhash::HashSet<&'static str>> =
    LazyLock::new(|| WORDLIKE_GIVEN.iter().copied().collect());

/// Capitalised words that follow a given name in text without making it a person's name.
const NOT_SURNAMES: &[&str] = &[
    "The",
    "And",
    "For",
    "With",
    "From",
    "Street",
    "Road",
    "Avenue",
    "Lane",
    "Drive",
    "Square",
    "Park",
    "Inc",
    "Ltd",
    "Llc",
    "Gmbh",
    "Corp",
    "Company",
    "Group",
    "Team",
    "Support",
    "Service",
    "Services",
    "Manager",
    "University",
    "College",
    "School",
    "Hospital",
    "Hotel",
    "Airport",
    "Bank",
    "Center",
    "Centre",
    "Foundation",
    "Fund",
    "Street",
    "River",
    "Mountain",
    "City",
    "County",
    "Island",
    "Church",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Error",
    "Warning",
    "Info",
    "Debug",
    "Request",
    "Response",
    "Order",
    "Account",
    "User",
    "Admin",
    "Server",
    "Client",
    "Update",
    "Release",
    "Version",
    "Project",
    "Report",
    "Meeting",
    "Office",
    "Department",
    "Award",
    "Prize",
    "Cup",
    "Festival",
    "Museum",
    "Gallery",
    "Library",
    "Station",
    "Bridge",
    "Way",
    "Boulevard",
    "Place",
    "Court",
    "Terrace",
    "Highway",
    "You",
    "Your",
    "All",
    "Out",
    "One",
    "Two",
    "Day",
    "Days",
    "Man",
    "Men",
    "Boy",
    "Girl",
    "Baby",
    "Love",
    "Time",
    "Tall",
    "Ways",
    "Blues",
    "Song",
    "Songs",
    "Night",
    "Life",
    "World",
    "Home",
    "Heart",
    "Soul",
    "Rock",
    "Roll",
    "Dance",
    "Down",
    "Up",
    "Again",
    "Away",
    "Back",
    "Now",
    "Here",
    "There",
    "This",
    "That",
    "What",
    "Who",
    "Why",
    "How",
    "When",
    "Where",
    "Not",
    "But",
    "Are",
    "Was",
    "Is",
    "Word",
    "Excel",
    "Outlook",
    "Teams",
    "Windows",
    "Access",
    "Paint",
];

/// Words that look like given names but open place and title phrases.
const NOT_GIVEN: &[&str] = &[
    "King", "Prince", "Princess", "Queen", "Lord", "Lady", "Sir", "Santa", "San", "Saint", "New",
    "North", "South", "East", "West", "Lake", "Mount", "Fort", "Port", "Monte", "Glen",
];

/// Two-letter surnames that are not also English words.
const SHORT_SURNAMES: &[&str] = &[
    "Li", "Wu", "Le", "Ng", "Yu", "Xu", "Ho", "Ma", "Hu", "Lu", "Ye", "Oh", "Im", "Au",
];

/// Given names that are ordinary English words or log vocabulary.
const WORDLIKE_GIVEN: &[&str] = &[
    "Will",
    "May",
    "June",
    "April",
    "August",
    "Grant",
    "Bill",
    "Mark",
    "Rose",
    "Summer",
    "Hope",
    "Faith",
    "Joy",
    "Art",
    "Chase",
    "Miles",
    "Dean",
    "Frank",
    "Guy",
    "Jack",
    "Pat",
    "Penny",
    "Ray",
    "Rich",
    "Sue",
    "Wade",
    "Don",
    "Carol",
    "Gay",
    "Harmony",
    "Page",
    "Sky",
    "Star",
    "Dawn",
    "Eve",
    "Ivy",
    "Iris",
    "Holly",
    "Lane",
    "Lee",
    "Max",
    "Nick",
    "Rob",
    "Sam",
    "Tom",
    "Val",
    "Van",
    "Bob",
    "Ken",
    "Kim",
    "Job",
    "Wayne",
    "Royal",
    "Young",
    "Major",
    "Earl",
    "Duke",
    "King",
    "Prince",
    "Price",
    "Sterling",
    "Golden",
    "Forest",
    "Christian",
    "Angel",
    "Crystal",
    "Amber",
    "Jade",
    "Pearl",
    "Ruby",
    "Diamond",
    "Precious",
    "Unique",
    "Destiny",
    "Tuesday",
    "Allen",
    "Case",
    "Buck",
    "Cash",
    "Dusty",
    "Hunter",
    "Ward",
    "Bishop",
];

/// A given name that is also an ordinary English word or log vocabulary (`Will`, `Mark`), or
/// that opens place and title phrases (`Santa`, `King`).
pub(super) fn is_wordlike_given(name: &str) -> bool {
    WORDLIKE_GIVEN_SET.contains(name) || NOT_GIVEN_SET.contains(name)
}

pub struct PersonName;
impl Validator for PersonName {
    fn check(&self, c: &[u8]) -> Check {
        let Ok(text) = std::str::from_utf8(c) else {
            return Check::Invalid;
        };
        let mut words = text.split(' ').filter(|w| !w.is_empty());
        // Two words at least: the last is the surname.
        let (Some(given), Some(last)) = (words.next(), words.next_back()) else {
            return Check::Invalid;
        };
        // A possessive is not part of the name: `Leone's` is `Leone`.
        let surname = last.strip_suffix("'s").unwrap_or(last);
        let surname = surname.trim_end_matches(['\'', '-']);
        if NOT_GIVEN_SET.contains(given)
            || NOT_SURNAME_SET.contains(surname)
            || (surname.len() == 2 && !SHORT_SURNAMES.contains(&surname))
        {
            return Check::Invalid;
        }
        let known =
            SURNAMES.contains(surname) || surname.split('-').all(|part| SURNAMES.contains(part));
        if known {
            return Check::Valid;
        }
        if WORDLIKE_GIVEN_SET.contains(given)
            || surname.len() < 2
            || surname.chars().skip(1).all(|ch| ch.is_uppercase())
        {
            return Check::Invalid;
        }
        Check::Weak
    }
}

#[cfg(test)]
mod tests {
    use super::super::assert_table;
    use super::*;
    #[test]
    fn table() {
        assert_table(
            &PersonName,
            &[
                "Jane Doe",
                "Maria Gonçalves",
                "Jan van der Berg",
                "Emma Schmidt-Weber",
                "Priya Q. Patel",
                "Lukas Zorbinski",
            ],
            &[
                "Jane",
                "Mark Complete",
                "May Update",
                "Grant Application",
                "Anna Street",
                "Will Server",
                "Jane ABC",
                "Love In",
                "Santa Monica",
                "Frances Street",
                "King George",
            ],
        );
        assert_eq!(PersonName.check(b"Lukas Zorbinski"), Check::Weak);
        assert_eq!(PersonName.check(b"Mark Johnson"), Check::Valid);
        assert_eq!(PersonName.check(b"Anna Schmidt's"), Check::Valid);
    }
}
