//! The inventory as one self-contained HTML page for a privacy officer: a summary, a store ×
//! category heatmap, a bar chart per category, a sortable and filterable table of stores, and
//! the coverage section. No external assets (styles, script and chart are inline; works
//! offline). Everything is rendered server-side, so the page reads without JavaScript; the
//! inline script adds sorting (click a column header, or `#sort=findings-desc` in the URL)
//! and filtering. Values appear only masked, as in every inventory.

use super::inventory::{Inventory, Store};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// HTML-escapes text for element content and attribute values.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

fn findings_of(st: &Store) -> u64 {
    st.detectors.iter().map(|d| d.count).sum()
}

/// `source · table.column` / `source · $.key.path` / `source`.
fn store_label(st: &Store) -> String {
    let place = match (&st.table, &st.column, &st.key_path) {
        (Some(t), Some(c), _) => format!("{t}.{c}"),
        (None, Some(c), _) => c.clone(),
        (_, _, Some(k)) => k.clone(),
        (Some(t), None, None) => t.clone(),
        (None, None, None) => return st.source.clone(),
    };
    format!("{} · {place}", st.source)
}

const STYLE: &str = r#"
:root{--fg:#1d2330;--muted:#5b6475;--line:#dfe3ea;--bg:#f6f7f9;--accent:#2f5bd3;--warn:#b3261e}
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header,section{max-width:1200px;margin:0 auto;padding:16px 24px}
header h1{margin:8px 0 4px;font-size:24px}header p{margin:0;color:var(--muted)}
h2{font-size:18px;margin:8px 0 12px}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(170px,1fr));gap:12px}
.card{background:#fff;border:1px solid var(--line);border-radius:8px;padding:12px 14px}
.card .n{font-size:24px;font-weight:650}.card .l{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em}
.card.alert .n{color:var(--warn)}
.panel{background:#fff;border:1px solid var(--line);border-radius:8px;padding:12px;overflow:auto}
table{border-collapse:collapse;width:100%}th,td{padding:6px 8px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
th{font-size:12px;color:var(--muted);text-transform:uppercase;letter-spacing:.03em;white-space:nowrap}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
#stores-table th{cursor:pointer;user-select:none}#stores-table th[aria-sort=ascending]::after{content:" ▲"}#stores-table th[aria-sort=descending]::after{content:" ▼"}
.heat td.cell{text-align:center;min-width:64px;font-variant-numeric:tabular-nums}
.heat th.rowhead{text-transform:none;letter-spacing:0;font-size:13px;color:var(--fg);font-weight:500}
.heat th.rot{writing-mode:vertical-rl;transform:rotate(180deg);height:120px;text-align:left}
.tag{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;margin:1px 2px;background:#eef1f8}
.tag.special{background:#fde8e6;color:var(--warn)}.tag.quasi{background:#fff3d6;color:#7a5600}
code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12px}
input[type=search]{padding:6px 10px;border:1px solid var(--line);border-radius:6px;width:320px;max-width:100%;margin-bottom:10px}
ul.reasons{margin:4px 0 12px;padding-left:18px}.muted{color:var(--muted)}
"#;

const SCRIPT: &str = r#"
(function () {
  var table = document.getElementById('stores-table');
  var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
  function sortBy(key, dir) {
    var idx = heads.findIndex(function (th) { return th.dataset.key === key; });
    if (idx < 0) return false;
    var numeric = heads[idx].dataset.type === 'num';
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = a.cells[idx].dataset.v, y = b.cells[idx].dataset.v;
      var c = numeric ? (parseFloat(x) - parseFloat(y)) : x.localeCompare(y);
      return dir === 'desc' ? -c : c;
    });
    rows.forEach(function (r) { body.appendChild(r); });
    heads.forEach(function (th) { th.removeAttribute('aria-sort'); });
    heads[idx].setAttribute('aria-sort', dir === 'desc' ? 'descending' : 'ascending');
    table.dataset.sorted = key + '-' + dir;
    return true;
  }
  heads.forEach(function (th) {
    th.addEventListener('click', function () {
      var dir = th.getAttribute('aria-sort') === 'descending' ? 'asc' : 'desc';
      sortBy(th.dataset.key, dir);
      history.replaceState(null, '', '#sort=' + th.dataset.key + '-' + dir);
    });
  });
  var filter = document.getElementById('store-filter');
  filter.addEventListener('input', function () {
    var q = filter.value.toLowerCase();
    var shown = 0;
    Array.prototype.forEach.call(table.tBodies[0].rows, function (r) {
      var hit = r.textContent.toLowerCase().indexOf(q) >= 0;
      r.hidden = !hit;
      if (hit) shown++;
    });
    document.getElementById('store-count').textContent = shown;
  });
  var m = /sort=([a-z_]+)-(asc|desc)/.exec(location.hash);
  if (m) sortBy(m[1], m[2]);
  document.body.dataset.ready = '1';
})();
"#;

/// Renders the inventory as one HTML document.
pub fn to_html(inv: &Inventory) -> String {
    let mut h = String::with_capacity(64 << 10);
    let total: u64 = inv.stores.iter().map(findings_of).sum();
    let special = inv.stores.iter().filter(|s| s.special_category).count();
    let quasi = inv.stores.iter().filter(|s| s.quasi_identifier).count();
    let cov = &inv.coverage;
    let not_scanned = cov.skipped.len() + cov.errors.len();
    let _ = write!(
        h,
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Personal data inventory</title><style>{STYLE}</style></head>\n<body>\n\
         <header><h1>Personal data inventory</h1><p>piiscan inventory · schema {} · values shown \
         masked only</p></header>\n",
        inv.schema
    );

    // Summary.
    h.push_str("<section id=\"summary\"><h2>Summary</h2><div class=\"cards\">");
    let cards: [(&str, &str, String, bool); 7] = [
        (
            "stores",
            "stores with personal data",
            inv.stores.len().to_string(),
            false,
        ),
        ("findings", "findings", total.to_string(), false),
        (
            "special",
            "special-category stores",
            special.to_string(),
            special > 0,
        ),
        ("quasi", "quasi-identifier stores", quasi.to_string(), false),
        ("files", "files scanned", cov.files.to_string(), false),
        (
            "bytes",
            "bytes scanned",
            super::human_bytes(cov.bytes),
            false,
        ),
        (
            "not-scanned",
            "inputs not scanned",
            not_scanned.to_string(),
            not_scanned > 0,
        ),
    ];
    for (key, label, value, alert) in cards {
        let _ = write!(
            h,
            "<div class=\"card{}\" data-metric=\"{key}\"><div class=\"n\">{}</div>\
             <div class=\"l\">{}</div></div>",
            if alert { " alert" } else { "" },
            esc(&value),
            esc(label)
        );
    }
    h.push_str("</div></section>\n");

    // Heatmap: one row per file or table, one column per category.
    let categories: Vec<&String> = inv.categories.keys().collect();
    let mut groups: BTreeMap<String, BTreeMap<&str, u64>> = BTreeMap::new();
    for st in &inv.stores {
        let group = match &st.table {
            Some(t) => format!("{} · {t}", st.source),
            None => st.source.clone(),
        };
        let m = groups.entry(group).or_default();
        for d in &st.detectors {
            *m.entry(d.category.as_str()).or_insert(0) += d.count;
        }
    }
    let max = groups
        .values()
        .flat_map(|m| m.values().copied())
        .max()
        .unwrap_or(0);
    h.push_str(
        "<section id=\"heatmap\"><h2>Where personal data lives</h2>\
         <p class=\"muted\">Findings per file or table and category; darker is more.</p>\
         <div class=\"panel\"><table class=\"heat\"><thead><tr><th>file / table</th>",
    );
    for c in &categories {
        let _ = write!(h, "<th class=\"rot\">{}</th>", esc(c));
    }
    h.push_str("</tr></thead><tbody>");
    for (group, cells) in &groups {
        let _ = write!(
            h,
            "<tr data-group=\"{g}\"><th scope=\"row\" class=\"rowhead\">{g}</th>",
            g = esc(group)
        );
        for c in &categories {
            let n = cells.get(c.as_str()).copied().unwrap_or(0);
            if n == 0 {
                h.push_str("<td class=\"cell\"></td>");
                continue;
            }
            // Log scale, so one huge table does not wash out the rest.
            let t = ((n as f64).ln_1p() / (max as f64).ln_1p()).clamp(0.08, 1.0);
            let light = 96.0 - 58.0 * t;
            let color = if light < 60.0 { "#fff" } else { "#1d2330" };
            let _ = write!(
                h,
                "<td class=\"cell\" data-category=\"{}\" data-count=\"{n}\" style=\"background:hsl(222 70% {light:.0}%);color:{color}\">{n}</td>",
                esc(c)
            );
        }
        h.push_str("</tr>");
    }
    h.push_str("</tbody></table></div></section>\n");

    // Bar chart per category (inline SVG).
    let bar_max = inv
        .categories
        .values()
        .map(|r| r.count)
        .max()
        .unwrap_or(0)
        .max(1);
    let row_h = 26;
    let height = row_h * inv.categories.len().max(1) + 8;
    let _ = write!(
        h,
        "<section id=\"categories\"><h2>Findings per category</h2><div class=\"panel\">\
         <svg id=\"category-chart\" role=\"img\" aria-label=\"findings per category\" \
         viewBox=\"0 0 900 {height}\" width=\"100%\" height=\"{height}\" \
         xmlns=\"http://www.w3.org/2000/svg\" font-size=\"12\">"
    );
    for (i, (cat, r)) in inv.categories.iter().enumerate() {
        let y = i * row_h + 4;
        let w = (560.0 * r.count as f64 / bar_max as f64).max(2.0);
        let _ = write!(
            h,
            "<g class=\"bar\" data-category=\"{c}\" data-count=\"{n}\"><text x=\"150\" y=\"{ty}\" \
             text-anchor=\"end\" fill=\"#1d2330\">{c}</text><rect x=\"160\" y=\"{y}\" \
             width=\"{w:.1}\" height=\"18\" rx=\"3\" fill=\"#2f5bd3\"/><text x=\"{tx:.1}\" \
             y=\"{ty}\" fill=\"#5b6475\">{n} in {s} store{pl}</text></g>",
            c = esc(cat),
            n = r.count,
            s = r.stores,
            pl = if r.stores == 1 { "" } else { "s" },
            ty = y + 13,
            tx = 166.0 + w,
        );
    }
    h.push_str("</svg></div></section>\n");

    // Stores table.
    let _ = write!(
        h,
        "<section id=\"stores\"><h2>Stores (<span id=\"store-count\">{}</span>)</h2>\
         <input type=\"search\" id=\"store-filter\" placeholder=\"Filter stores, detectors, flags…\">\
         <div class=\"panel\"><table id=\"stores-table\"><thead><tr>\
         <th data-key=\"source\">source</th><th data-key=\"place\">table / column / key</th>\
         <th data-key=\"detectors\">detectors</th>\
         <th data-key=\"findings\" data-type=\"num\" class=\"num\">findings</th>\
         <th data-key=\"distinct\" data-type=\"num\" class=\"num\">distinct</th>\
         <th data-key=\"rows\" data-type=\"num\" class=\"num\">rows</th>\
         <th data-key=\"sensitivity\">sensitivity</th><th data-key=\"flags\">flags</th>\
         <th data-key=\"age\">records</th></tr></thead><tbody>",
        inv.stores.len()
    );
    for st in &inv.stores {
        let place = match (&st.table, &st.column, &st.key_path) {
            (Some(t), Some(c), _) => format!("{t}.{c}"),
            (None, Some(c), _) => c.clone(),
            (_, _, Some(k)) => k.clone(),
            (Some(t), None, None) => t.clone(),
            (None, None, None) => "(whole file)".into(),
        };
        let mut dets = String::new();
        let mut names = Vec::new();
        for d in &st.detectors {
            names.push(d.detector.clone());
            let _ = write!(
                dets,
                "<div><code>{}</code> ×{} <span class=\"muted\">{}</span> {}</div>",
                esc(&d.detector),
                d.count,
                esc(&d.confidence.to_string()),
                d.examples
                    .iter()
                    .map(|e| format!("<code class=\"muted\">{}</code>", esc(e)))
                    .collect::<Vec<_>>()
                    .join(" ")
            );
        }
        let distinct: u64 = st.detectors.iter().map(|d| d.distinct).sum();
        let mut sens: Vec<&str> = st
            .detectors
            .iter()
            .map(|d| d.sensitivity.as_str())
            .collect();
        sens.sort_unstable();
        sens.dedup();
        let mut flags = String::new();
        let mut flag_text = Vec::new();
        if st.special_category {
            flags.push_str("<span class=\"tag special\">special category</span>");
            flag_text.push("special");
        }
        if st.quasi_identifier {
            flags.push_str("<span class=\"tag quasi\">quasi-identifier</span>");
            flag_text.push("quasi");
        }
        if let Some(hd) = &st.holds {
            let _ = write!(
                flags,
                "<span class=\"tag\">holds {} ({:.0}% of rows)</span>",
                esc(&hd.detector),
                hd.share * 100.0
            );
            flag_text.push("holds");
        }
        let age = st
            .record_age
            .as_ref()
            .map_or(String::new(), |a| match (&a.oldest, &a.newest) {
                (Some(o), Some(n)) => format!("{o} … {n}"),
                _ => "undated".into(),
            });
        let rows = st.rows_scanned.map_or(String::new(), |r| r.to_string());
        let _ = write!(
            h,
            "<tr data-store=\"{label}\"><td data-v=\"{src}\">{src}</td><td data-v=\"{pl}\"><code>{pl}</code></td>\
             <td data-v=\"{names}\">{dets}</td><td class=\"num\" data-v=\"{f}\">{f}</td>\
             <td class=\"num\" data-v=\"{distinct}\">{distinct}</td>\
             <td class=\"num\" data-v=\"{rv}\">{rows}</td><td data-v=\"{sens}\">{sens}</td>\
             <td data-v=\"{ft}\">{flags}</td><td data-v=\"{age}\">{age}</td></tr>",
            label = esc(&store_label(st)),
            src = esc(&st.source),
            pl = esc(&place),
            names = esc(&names.join(",")),
            f = findings_of(st),
            rv = st.rows_scanned.unwrap_or(0),
            sens = esc(&sens.join(", ")),
            ft = flag_text.join(","),
            age = esc(&age),
        );
    }
    h.push_str("</tbody></table></div></section>\n");

    // Coverage.
    let _ = write!(
        h,
        "<section id=\"coverage\"><h2>Coverage</h2><div class=\"panel\">\
         <p><span data-metric=\"coverage-files\">{}</span> files · {} · {} with structure · \
         <span data-metric=\"coverage-skipped\">{}</span> skipped · \
         <span data-metric=\"coverage-errors\">{}</span> errors · {} read partly as text</p>",
        cov.files,
        super::human_bytes(cov.bytes),
        cov.structured,
        cov.skipped.len(),
        cov.errors.len(),
        cov.partial_structure.len()
    );
    if not_scanned == 0 && cov.partial_structure.is_empty() {
        h.push_str("<p>Every input was scanned.</p>");
    }
    for (id, title, list) in [
        ("skipped", "Not scanned", &cov.skipped),
        ("errors", "Errors", &cov.errors),
        (
            "partial",
            "Structure read only in part",
            &cov.partial_structure,
        ),
    ] {
        if list.is_empty() {
            continue;
        }
        let _ = write!(
            h,
            "<h3>{title}</h3><ul class=\"reasons\" id=\"coverage-{id}\">"
        );
        for x in list {
            let _ = write!(
                h,
                "<li><code>{}</code> — {}</li>",
                esc(&x.path),
                esc(&x.reason)
            );
        }
        h.push_str("</ul>");
    }
    let _ = write!(
        h,
        "</div></section>\n<script>{SCRIPT}</script>\n</body></html>\n"
    );
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            esc("<b>\"O'Brien\" & co</b>"),
            "&lt;b&gt;&quot;O&#39;Brien&quot; &amp; co&lt;/b&gt;"
        );
    }
}
