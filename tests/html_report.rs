//! The HTML inventory in a real headless browser (Debian's Chromium, installed by `.ci/run`):
//! the page loads from a file with no network, its script runs (sorting from the URL), and
//! the numbers it shows are those of the JSON inventory of the same inputs. A screenshot is
//! written to the test's target directory.

mod common;
use common::{piiscan, repo};
use std::path::{Path, PathBuf};
use std::process::Command;

fn chromium() -> PathBuf {
    for name in ["chromium", "chromium-browser", "google-chrome"] {
        for dir in std::env::var("PATH").unwrap_or_default().split(':') {
            let p = Path::new(dir).join(name);
            if p.is_file() {
                return p;
            }
        }
    }
    panic!("Chromium not found: .ci/run installs it with apt-get install chromium");
}

/// Runs headless Chromium on `url` with `extra` arguments; returns stdout.
fn browse(profile: &Path, url: &str, extra: &[&str]) -> String {
    let out = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--virtual-time-budget=5000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(url)
        .output()
        .expect("start chromium");
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The text of the first element after `marker` (`<… marker …>text<`).
fn text_after<'a>(html: &'a str, marker: &str) -> &'a str {
    let at = html
        .find(marker)
        .unwrap_or_else(|| panic!("{marker} not in the page"));
    let rest = &html[at..];
    let open = rest.find("\"n\">").map(|i| i + 4).unwrap_or(0);
    let rest = &rest[open..];
    &rest[..rest.find('<').unwrap()]
}

/// Every `data-v` of the findings column, in the order the rows appear.
fn findings_column(html: &str) -> Vec<u64> {
    let body = &html[html.find("id=\"stores-table\"").unwrap()..];
    let body = &body[..body.find("</tbody>").unwrap()];
    body.split("<tr data-store=")
        .skip(1)
        .map(|row| {
            // Cells: source, place, detectors, findings …
            let cells: Vec<&str> = row.split("data-v=\"").skip(1).collect();
            cells[3][..cells[3].find('"').unwrap()].parse().unwrap()
        })
        .collect()
}

#[test]
fn html_inventory_renders_in_a_headless_browser() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = [
        repo().join("samples"),
        repo().join("../shared/realdata/chinook.pg_dump.sql"),
    ];
    let html_path = dir.path().join("inventory.html");
    piiscan()
        .args(["inventory", "--format", "html", "--output"])
        .arg(&html_path)
        .args(&inputs)
        .assert()
        .code(1);
    let json = piiscan()
        .args(["inventory", "--format", "json"])
        .args(&inputs)
        .output()
        .unwrap();
    let inv: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let stores = inv["stores"].as_array().unwrap();
    let counts: Vec<u64> = stores
        .iter()
        .map(|s| {
            s["detectors"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| d["count"].as_u64().unwrap())
                .sum()
        })
        .collect();
    let total: u64 = counts.iter().sum();

    // Self-contained: nothing is fetched from anywhere.
    let raw = std::fs::read_to_string(&html_path).unwrap();
    for external in ["src=\"http", "href=\"http", "@import", "url(http"] {
        assert!(!raw.contains(external), "external asset: {external}");
    }
    // Values only masked: a customer's address from the dump is not in the page.
    assert!(raw.contains("@e") || raw.contains('*'));
    assert!(!raw.contains("luisg@embraer.com.br"));

    let url = format!("file://{}#sort=findings-desc", html_path.display());
    let profile = dir.path().join("profile");
    let dom = browse(&profile, &url, &["--dump-dom"]);

    // The script ran and sorted the stores by findings, as the URL asked.
    assert!(dom.contains("data-ready=\"1\""), "script did not run");
    assert!(dom.contains("data-sorted=\"findings-desc\""));
    assert!(dom.contains("aria-sort=\"descending\""));
    let shown = findings_column(&dom);
    assert_eq!(shown.len(), stores.len());
    assert!(shown.windows(2).all(|w| w[0] >= w[1]), "{shown:?}");
    assert_eq!(shown[0], *counts.iter().max().unwrap());
    let mut sorted_json = counts.clone();
    sorted_json.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(shown, sorted_json);

    // The summary shows the JSON inventory's numbers.
    assert_eq!(
        text_after(&dom, "data-metric=\"stores\""),
        stores.len().to_string()
    );
    assert_eq!(
        text_after(&dom, "data-metric=\"findings\""),
        total.to_string()
    );
    let special = stores
        .iter()
        .filter(|s| s["special_category"] == true)
        .count();
    assert_eq!(
        text_after(&dom, "data-metric=\"special\""),
        special.to_string()
    );
    assert_eq!(
        text_after(&dom, "data-metric=\"files\""),
        inv["coverage"]["files"].to_string()
    );
    // The heatmap and the bar chart account for every finding.
    let sum_attr = |html: &str, marker: &str| -> u64 {
        html.split(marker)
            .skip(1)
            .map(|s| s[..s.find('"').unwrap()].parse::<u64>().unwrap())
            .sum()
    };
    let heat = &dom[dom.find("id=\"heatmap\"").unwrap()..dom.find("id=\"categories\"").unwrap()];
    assert_eq!(sum_attr(heat, "data-count=\""), total);
    let chart =
        &dom[dom.find("id=\"category-chart\"").unwrap()..dom.find("id=\"stores\"").unwrap()];
    assert_eq!(sum_attr(chart, "data-count=\""), total);
    for cat in inv["categories"].as_object().unwrap().keys() {
        assert!(chart.contains(&format!("data-category=\"{cat}\"")), "{cat}");
    }
    assert!(dom.contains("id=\"coverage\""));

    // A screenshot of the rendered page, kept for people to look at.
    let shot = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("html-inventory.png");
    let _ = std::fs::remove_file(&shot);
    browse(
        &profile,
        &url,
        &[
            &format!("--screenshot={}", shot.display()),
            "--window-size=1280,2000",
            "--hide-scrollbars",
        ],
    );
    let png = std::fs::read(&shot).expect("screenshot written");
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
    let width = u32::from_be_bytes(png[16..20].try_into().unwrap());
    let height = u32::from_be_bytes(png[20..24].try_into().unwrap());
    assert_eq!((width, height), (1280, 2000));
    assert!(
        png.len() > 20_000,
        "a blank page compresses to almost nothing"
    );
}
