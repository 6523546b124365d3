//! Time to PDF of a hire form (在职增员) of 1,000 people and of 10, with the pages and the
//! file size of each printed once. Goals (issue 18): 1,000 people in under 1 s, under 1 MB.

#[path = "../tests/common/mod.rs"]
mod common;

use criterion::{Criterion, criterion_group, criterion_main};
use shebao_print::{Paper, PrintFont, Printing};

fn hire_forms(c: &mut Criterion) {
    let font = PrintFont::shared().expect("the print font");
    let reference = common::reference();
    let printing = Printing {
        font,
        reference: Some(&reference),
        printed_at: common::printed_at(),
    };
    let mut group = c.benchmark_group("print");
    group.sample_size(10);
    for people in [1_000, 10] {
        let papers = [Paper::Form(common::hire_form(people))];
        let printed = printing.render(&papers).expect("rendered");
        println!(
            "hire form of {people} people: {} pages, {:.0} KB",
            printed.pages,
            printed.pdf.len() as f64 / 1024.0
        );
        group.bench_function(format!("hire form, {people} people, to PDF"), |b| {
            b.iter(|| printing.render(&papers).expect("rendered"))
        });
    }
    group.finish();
}

criterion_group!(benches, hire_forms);
criterion_main!(benches);
