//! Criterion benches of the engine alone (no I/O): the whole default catalogue over typical
//! log, CSV and JSON lines, and over adversarial inputs (all digits, all `@`).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use piiscan::detect::{Catalog, Engine, EngineOptions};

fn corpus_lines() -> Vec<u8> {
    let mut out = Vec::new();
    for i in 0..4000u32 {
        let line = match i % 3 {
            0 => format!("2026-11-20T08:14:{:02}.{:03}Z INFO [http] GET /api/v1/items/{i}?page=2 200 {}ms id={} v2.{}.3\n", i % 60, i % 1000, i % 900, i * 7919, i % 10),
            1 => format!("{i},widget-{i},{}.{:02},2026-11-{:02},ok\n", i % 500, i % 100, i % 28 + 1),
            _ => format!("{{\"ts\":\"2026-11-20T09:00:00Z\",\"event\":\"view\",\"latency_ms\":{},\"req\":\"{:016x}\"}}\n", i % 3000, (i as u64) * 0x9e37_79b9),
        };
        out.extend_from_slice(line.as_bytes());
        if i % 50 == 0 {
            out.extend_from_slice(
                format!(
                    "contact user{i}@example.com +44 20 7946 0{:03} card 4111 1111 1111 1111\n",
                    i % 1000
                )
                .as_bytes(),
            );
        }
    }
    out
}

fn bench(c: &mut Criterion) {
    let engine = Engine::new(
        &Catalog::builtin().expect("builtin packs"),
        &EngineOptions::default(),
    )
    .expect("engine");
    let mut state = engine.new_state();
    let mixed = corpus_lines();
    let digits: Vec<u8> = (0..1_000_000u32).map(|i| b'0' + (i % 10) as u8).collect();
    let ats = vec![b'@'; 1_000_000];
    let mut g = c.benchmark_group("engine");
    for (name, data) in [
        ("mixed_lines", &mixed),
        ("all_digits", &digits),
        ("all_at", &ats),
    ] {
        g.throughput(Throughput::Bytes(data.len() as u64));
        g.bench_function(name, |b| b.iter(|| engine.scan(data, &mut state).len()));
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
