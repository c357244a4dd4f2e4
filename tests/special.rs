//! Special categories (GDPR art. 9/10) in prose: a seeded corpus of support-ticket style
//! sentences in four languages, each labelled with the category it states about a person or
//! with none (hard negatives use the same terms about things, not people). Precision and
//! recall per category are computed here from the labels and must reach F1 ≥ 0.8. Also: a
//! birth date that makes someone a child is flagged `child`.

mod common;
use common::{jsonl, piiscan};
use std::collections::BTreeMap;

/// A category: its id, sentences about a person with `{}` for the term, the terms, and hard
/// negatives.
type Category = (
    &'static str,
    Vec<&'static str>,
    Vec<&'static str>,
    Vec<&'static str>,
);

fn templates() -> Vec<Category> {
    vec![
        (
            "health",
            vec![
                "Customer called: was diagnosed with {} last spring, asks for a refund.",
                "Note from HR: employee is on sick leave, treated for {}.",
                "Die Kundin leidet an {} und bittet um Verlängerung.",
                "Le client est atteint de {} depuis 2020.",
                "La paciente padece {} desde hace años.",
            ],
            vec![
                "asthma",
                "hepatitis C",
                "schizophrenia",
                "Parkinson's disease",
                "epilepsy",
            ],
            vec![
                "We sponsor the asthma awareness walk in May.",
                "New article on hepatitis C vaccines in the newsletter.",
                "Parkinson's disease research grant announced today.",
            ],
        ),
        (
            "religion",
            vec![
                "Profile updated: religion {}, dietary needs noted.",
                "Guest is a devout {} and asked for a prayer room.",
                "Konfession: {} laut Meldebogen.",
                "Religión: {} según el formulario.",
            ],
            vec!["Muslim", "Catholic", "Sikh", "Buddhist", "Jewish"],
            vec![
                "The Sikh temple is two blocks from the office.",
                "Buddhist art exhibition opens on Friday.",
                "Catholic University shuttle bus timetable attached.",
            ],
        ),
        (
            "political_opinion",
            vec![
                "Caller says she voted for {} and wants her data removed.",
                "Volunteer record: party member of {} since 2012.",
                "Laut Notiz Mitglied der {} im Ortsverband.",
                "Il est militant de {} depuis 2017.",
            ],
            vec![
                "Labour",
                "SPD",
                "Podemos",
                "La France Insoumise",
                "Green Party",
            ],
            vec![
                "Labour market statistics for the third quarter.",
                "Podemos hablar mañana sobre el presupuesto.",
                "Green Party conference venue booking confirmed.",
            ],
        ),
        (
            "ethnicity",
            vec![
                "Survey answer: ethnicity {}.",
                "Applicant is of {} descent according to the form.",
                "Herkunft: {} (freiwillige Angabe).",
            ],
            vec![
                "Hispanic",
                "Kurdish",
                "Roma",
                "Pacific Islander",
                "Caucasian",
            ],
            vec![
                "Kurdish language course starts next week.",
                "Pacific Islander film festival tickets on sale.",
                "Caucasian shepherd dog breeder listing.",
            ],
        ),
        (
            "sexual_orientation",
            vec![
                "He came out as {} to his manager last year.",
                "Form field sexual orientation: {}.",
                "Sexuelle Orientierung: {} (Angabe des Mitglieds).",
            ],
            vec!["gay", "bisexual", "lesbian", "asexual"],
            vec![
                "The Gay-Lussac law explains the pressure change.",
                "Asexual reproduction in plants, chapter 4.",
                "Bisexual flowers have both stamens and carpels.",
            ],
        ),
        (
            "trade_union",
            vec![
                "Payroll deducts union dues for {} membership.",
                "She is a member of {} and asked for a representative.",
                "Gewerkschaftsmitglied bei {} seit 2010.",
            ],
            vec!["UNISON", "IG Metall", "Teamsters", "CFDT"],
            vec![
                "Teamsters strike coverage in the morning paper.",
                "IG Metall press conference livestream link.",
                "The European Union published new rules.",
            ],
        ),
        (
            "criminal_record",
            vec![
                "Background check: convicted of {} in 2016.",
                "Tenant file notes he was charged with {} last year.",
                "Akte: wegen {} verurteilt.",
                "Condenado por {} en 2019 según el expediente.",
            ],
            vec!["burglary", "fraud", "assault", "shoplifting"],
            vec![
                "Fraud detection rules were updated in release 4.2.",
                "Shoplifting prevention workshop for store managers.",
                "Burglary statistics for the district are published yearly.",
            ],
        ),
    ]
}

/// Seeded choice, so the corpus is the same on every run.
struct Rng(u64);
impl Rng {
    fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        &v[(self.0 % v.len() as u64) as usize]
    }
}

#[test]
fn special_categories_in_prose_reach_f1_0_8_per_category() {
    let mut rng = Rng(0x0a11_ce5e);
    let mut lines = Vec::new(); // (text, label)
    for (cat, tmpls, terms, negatives) in templates() {
        for _ in 0..30 {
            let template = *rng.pick(&tmpls);
            let term = *rng.pick(&terms);
            let t = template.replace("{}", term);
            lines.push((t, Some(cat)));
        }
        for n in &negatives {
            lines.push((n.to_string(), None));
        }
    }
    // Neutral support traffic.
    for n in [
        "Order 4411 shipped, tracking number sent.",
        "Password reset requested from the login page.",
        "Invoice total corrected after a pricing error.",
    ] {
        lines.push((n.to_string(), None));
    }
    let text: String = lines.iter().map(|(l, _)| format!("{l}\n")).collect();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("tickets.txt"), &text).unwrap();
    let out = piiscan()
        .current_dir(dir.path())
        .args([
            "scan",
            "tickets.txt",
            "--only",
            "special_category",
            "--format",
            "jsonl",
        ])
        .output()
        .unwrap();
    let found: BTreeMap<u64, String> = jsonl(&out.stdout)
        .iter()
        .map(|f| {
            (
                f["line"].as_u64().unwrap(),
                f["detector"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let mut tp: BTreeMap<&str, f64> = BTreeMap::new();
    let mut fp: BTreeMap<String, f64> = BTreeMap::new();
    let mut fn_: BTreeMap<&str, f64> = BTreeMap::new();
    for (i, (_, label)) in lines.iter().enumerate() {
        let got = found.get(&(i as u64 + 1));
        match (label, got) {
            (Some(l), Some(g)) if g == l => *tp.entry(l).or_default() += 1.0,
            (Some(l), Some(g)) => {
                *fn_.entry(l).or_default() += 1.0;
                *fp.entry(g.clone()).or_default() += 1.0;
            }
            (Some(l), None) => *fn_.entry(l).or_default() += 1.0,
            (None, Some(g)) => *fp.entry(g.clone()).or_default() += 1.0,
            (None, None) => {}
        }
    }
    let mut report = String::new();
    let mut worst: f64 = 1.0;
    for (cat, ..) in templates() {
        let t = tp.get(cat).copied().unwrap_or(0.0);
        let p = t / (t + fp.get(cat).copied().unwrap_or(0.0)).max(1.0);
        let r = t / (t + fn_.get(cat).copied().unwrap_or(0.0)).max(1.0);
        let f1 = if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        };
        report.push_str(&format!("{cat}: P={p:.2} R={r:.2} F1={f1:.2}\n"));
        worst = worst.min(f1);
    }
    eprintln!("{report}");
    assert!(worst >= 0.8, "{report}");
}

#[test]
fn a_birth_date_under_16_years_ago_is_childrens_data() {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let year = 1970 + now / 31_556_952; // the current year, near enough for ±5 years
    let csv = format!(
        "name,date_of_birth\nAna,{}-06-15\nBo,{}-06-15\n",
        year - 6,
        year - 40
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("members.csv"), csv).unwrap();
    let out = piiscan()
        .current_dir(dir.path())
        .args([
            "scan",
            "members.csv",
            "--only",
            "date_of_birth",
            "--format",
            "jsonl",
        ])
        .output()
        .unwrap();
    let f = jsonl(&out.stdout);
    assert_eq!(f.len(), 2);
    assert_eq!(f[0]["sensitivity"], "child");
    assert_eq!(f[1]["sensitivity"], "personal");
    // In prose, with the month written out.
    let out = piiscan()
        .args(["scan", "-", "--only", "date_of_birth", "--format", "jsonl"])
        .write_stdin(format!(
            "Ticket: born March 3, {}; guardian born 3 March {}\n",
            year - 7,
            year - 45
        ))
        .output()
        .unwrap();
    let f = jsonl(&out.stdout);
    assert_eq!(f.len(), 2);
    assert_eq!(f[0]["sensitivity"], "child");
    assert_eq!(f[1]["sensitivity"], "personal");
}
