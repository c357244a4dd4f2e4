//! Validators: checksums and parsers that decide whether a regex candidate is a real identifier.
//! One validator per file, each behind the one-method [`Validator`] trait and each with its own
//! table of valid and invalid numbers in its tests. Pattern packs name them by `validator = "…"`.

mod aadhaar;
mod aba;
mod address;
mod au_tfn;
mod be_nn;
mod br_cpf;
mod crypto;
mod date;
mod de_id_card;
mod de_tax_id;
mod email;
mod entropy;
mod es_dni;
mod fr_insee;
mod geo;
mod given_name;
mod iban;
mod in_pan;
mod ip;
mod it_fiscal;
mod jwt;
mod lone_given_name;
mod luhn;
mod mac;
mod nl_bsn;
mod person_name;
mod phone;
mod pl_pesel;
mod postal;
mod se_pnr;
mod sg_nric;
mod uk_nhs;
mod uk_nino;
mod us_itin;
mod us_ssn;

pub use jwt::personal_claims;

/// A phone number in E.164 form, trying the supported regions for national formats.
pub fn normalize_phone(s: &str) -> Option<String> {
    phone::normalize(s, phone::REGIONS)
}

/// What a validator says of a candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// A well-formed identifier: checksum or structure rules hold.
    Valid,
    /// Plausible but unproven (no checksum exists, or only a loose shape holds): confidence is
    /// lowered by one level.
    Weak,
    /// Not this kind of data.
    Invalid,
}

impl Check {
    pub(crate) fn from_bool(ok: bool) -> Check {
        if ok {
            Check::Valid
        } else {
            Check::Invalid
        }
    }
}

/// A named check applied to a candidate match (the raw matched bytes).
pub trait Validator: Send + Sync {
    fn check(&self, candidate: &[u8]) -> Check;
}

/// Every validator a pattern pack may name, with its name.
pub fn all() -> &'static [(&'static str, &'static dyn Validator)] {
    &[
        ("luhn", &luhn::Luhn),
        ("credit_card", &luhn::CreditCard),
        ("imei", &luhn::Imei),
        ("ca_sin", &luhn::CaSin),
        ("iban", &iban::Iban),
        ("aba_routing", &aba::AbaRouting),
        ("us_ssn", &us_ssn::UsSsn),
        ("us_itin", &us_itin::UsItin),
        ("uk_nino", &uk_nino::UkNino),
        ("uk_nhs", &uk_nhs::UkNhs),
        ("fr_insee", &fr_insee::FrInsee),
        ("de_tax_id", &de_tax_id::DeTaxId),
        ("de_id_card", &de_id_card::DeIdCard),
        ("es_dni", &es_dni::EsDni),
        ("es_nie", &es_dni::EsNie),
        ("it_fiscal_code", &it_fiscal::ItFiscalCode),
        ("nl_bsn", &nl_bsn::NlBsn),
        ("be_national_number", &be_nn::BeNationalNumber),
        ("pl_pesel", &pl_pesel::PlPesel),
        ("se_personnummer", &se_pnr::SePersonnummer),
        ("in_aadhaar", &aadhaar::InAadhaar),
        ("in_pan", &in_pan::InPan),
        ("br_cpf", &br_cpf::BrCpf),
        ("au_tfn", &au_tfn::AuTfn),
        ("sg_nric", &sg_nric::SgNric),
        ("ipv4", &ip::Ipv4),
        ("ipv6", &ip::Ipv6),
        ("mac_address", &mac::MacAddress),
        ("email", &email::Email),
        ("phone", &phone::Phone),
        ("bitcoin", &crypto::Bitcoin),
        ("ethereum", &crypto::Ethereum),
        ("crypto_wallet", &crypto::CryptoWallet),
        ("jwt", &jwt::Jwt),
        ("date", &date::Date),
        ("high_entropy", &entropy::HighEntropy),
        ("geo_coordinates", &geo::GeoCoordinates),
        ("street_address", &address::StreetAddress),
        ("postal_code", &postal::PostalCode),
        ("person_name", &person_name::PersonName),
        ("given_name", &given_name::GivenName),
        ("lone_given_name", &lone_given_name::LoneGivenName),
    ]
}

/// Looks a validator up by the name a pattern pack uses.
pub fn by_name(name: &str) -> Option<&'static dyn Validator> {
    all().iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
}

/// The decimal digits of a candidate, separators dropped.
pub(crate) fn digits(candidate: &[u8]) -> Vec<u8> {
    candidate
        .iter()
        .filter(|b| b.is_ascii_digit())
        .map(|b| b - b'0')
        .collect()
}

/// The ASCII alphanumerics of a candidate, upper-cased, separators dropped.
pub(crate) fn alnum_upper(candidate: &[u8]) -> Vec<u8> {
    candidate
        .iter()
        .filter(|b| b.is_ascii_alphanumeric())
        .map(|b| b.to_ascii_uppercase())
        .collect()
}

/// Runs a table of (input, expected) pairs through a validator; used by every validator's tests.
#[cfg(test)]
pub(crate) fn assert_table(v: &dyn Validator, valid: &[&str], invalid: &[&str]) {
    for s in valid {
        assert_ne!(v.check(s.as_bytes()), Check::Invalid, "expected valid: {s}");
    }
    for s in invalid {
        assert_eq!(
            v.check(s.as_bytes()),
            Check::Invalid,
            "expected invalid: {s}"
        );
    }
}
