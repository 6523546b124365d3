//! Papers to print in the tests and the bench: a unit, people with valid resident IDs and
//! names common and rare, and a form or receipt of every kind.

#![allow(dead_code)]

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime};
use shebao_core::declaration::{
    HireItem, Items, LeaveItem, PersonChangeItem, UnitChangeItem, WageItem,
};
use shebao_core::id::check_character;
use shebao_core::month::Month;
use shebao_core::reference::ReferenceData;
use shebao_core::state::Outcome;
use shebao_print::{
    Before, DeclarationForm, DeclarationRef, Person, PersonRecord, Receipt, ReceiptLine, Unit,
    Verdict,
};

pub const RARE_SURNAME: &str = "𠮷"; // U+20BB7, CJK Extension B
pub const RARE_GIVEN: &str = "䶮"; // U+4DAE, CJK Extension A

/// Names that test the layout: rare characters, a long name that wraps in its cell, a
/// passport name in Latin letters.
pub const SPECIAL_NAMES: &[&str] = &[
    "𠮷祥云",
    "刘䶮",
    "阿卜杜热合曼·买买提依明·艾则孜",
    "欧阳诸葛慕容皇甫端木上官司徒",
];

const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤";
const GIVEN: &str = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕晨辉鹏志海波宁欣怡佳琪子涵梓萱浩宇轩博文雨泽思远嘉怡若曦晓峰雅琴建国淑珍慧颖俊凯睿哲";

pub fn unit() -> Unit {
    Unit {
        number: "3501000001".into(),
        name: "福州榕城软件技术有限公司".into(),
        credit_code: "91350100M000100Y43".into(),
    }
}

pub fn period() -> Month {
    Month::parse("2026-03").expect("a month")
}

pub fn printed_at() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 3, 5)
        .and_then(|d| d.and_hms_opt(14, 30, 0))
        .expect("a time")
}

pub fn reference() -> ReferenceData {
    ReferenceData::demo()
}

/// A valid resident ID for person `i`.
pub fn resident_id(i: usize) -> String {
    let year = 1965 + i % 40;
    let month = 1 + i % 12;
    let day = 1 + i % 28;
    let first17 = format!("350102{year:04}{month:02}{day:02}{:03}", i % 1000);
    let check = check_character(&first17).expect("17 digits");
    format!("{first17}{check}")
}

/// `n` people: (document number, name); the first ones have the special names.
pub fn people(n: usize) -> Vec<(String, String)> {
    let surnames: Vec<char> = SURNAMES.chars().collect();
    let given: Vec<char> = GIVEN.chars().collect();
    let mut seed: u64 = 0x5eba0;
    let mut next = move |m: usize| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) as usize % m
    };
    (0..n)
        .map(|i| {
            let name = match SPECIAL_NAMES.get(i) {
                Some(special) => (*special).to_owned(),
                None => {
                    let mut name = String::new();
                    name.push(surnames[next(surnames.len())]);
                    for _ in 0..1 + next(2) {
                        name.push(given[next(given.len())]);
                    }
                    name
                }
            };
            (resident_id(i), name)
        })
        .collect()
}

fn declaration() -> Option<DeclarationRef> {
    Some(DeclarationRef {
        key: "0d7c7e2a-5c1e-4d0e-9f43-8a1b2c3d4e5f".into(),
        agency_id: Some("D2026030500042".into()),
    })
}

pub fn form(items: Items) -> DeclarationForm {
    DeclarationForm {
        unit: unit(),
        declaration: declaration(),
        period: period(),
        items,
        clerk: Some("林晓峰".into()),
        phone: Some("0591-87654321".into()),
        before: Before::default(),
    }
}

pub fn hire_form(n: usize) -> DeclarationForm {
    let items = people(n)
        .into_iter()
        .enumerate()
        .map(|(i, (document_no, name))| HireItem {
            document_type: "01".into(),
            document_no,
            name,
            household_type: ["10", "20", "30", "40"][i % 4].into(),
            employment_form: "01".into(),
            first_employed_on: "2020-05-01".into(),
            insured_from: "2026-03".into(),
            insurance_types: ["110", "210", "310", "410", "510"]
                .map(String::from)
                .to_vec(),
            wage: format!("{}.00", 4000 + (i * 137) % 20000),
            reason: "11".into(),
            ..HireItem::default()
        })
        .collect();
    form(Items::Hire(items))
}

pub fn leave_form(n: usize) -> DeclarationForm {
    let items = people(n)
        .into_iter()
        .map(|(document_no, name)| LeaveItem {
            document_type: "01".into(),
            document_no,
            name,
            reason: "21".into(),
            left_on: "2026-02-27".into(),
            stop_month: "2026-03".into(),
            remarks: Some("合同期满，本人不再续签".into()),
        })
        .collect();
    form(Items::Leave(items))
}

/// Wages below, inside and above the demo limits, so the clamp is marked both ways.
pub fn wage_form(n: usize) -> DeclarationForm {
    let items = people(n)
        .into_iter()
        .enumerate()
        .map(|(i, (document_no, name))| WageItem {
            document_type: "01".into(),
            document_no,
            name,
            year: "2026".into(),
            average_monthly_wage: ["3000.00", "8000.00", "40000.00"][i % 3].into(),
        })
        .collect();
    form(Items::Wage(items))
}

pub fn unit_change_form() -> DeclarationForm {
    let changes = BTreeMap::from([
        (
            "address".to_owned(),
            "福州市鼓楼区软件大道 89 号 A 区 18 座".to_owned(),
        ),
        ("contact_phone".to_owned(), "0591-88886666".to_owned()),
        ("name".to_owned(), "福州榕城数字科技有限公司".to_owned()),
    ]);
    let mut f = form(Items::UnitChange(vec![UnitChangeItem { changes }]));
    f.before.unit = BTreeMap::from([
        ("address".to_owned(), "福州市鼓楼区工业路 523 号".to_owned()),
        ("contact_phone".to_owned(), "0591-87654321".to_owned()),
        ("name".to_owned(), "福州榕城软件技术有限公司".to_owned()),
    ]);
    f
}

pub fn person_change_form(n: usize) -> DeclarationForm {
    let people = people(n);
    let items = people
        .iter()
        .map(|(document_no, _)| PersonChangeItem {
            document_type: "01".into(),
            document_no: document_no.clone(),
            changes: BTreeMap::from([
                ("phone".to_owned(), "13905910001".to_owned()),
                ("household_type".to_owned(), "10".to_owned()),
            ]),
        })
        .collect();
    let mut f = form(Items::PersonChange(items));
    for (document_no, name) in people {
        f.before.people.insert(
            document_no,
            PersonRecord {
                name,
                fields: BTreeMap::from([
                    ("phone".to_owned(), "13800000000".to_owned()),
                    ("household_type".to_owned(), "30".to_owned()),
                ]),
            },
        );
    }
    f
}

pub fn receipt(n: usize) -> Receipt {
    let people = people(n);
    let lines = people
        .into_iter()
        .enumerate()
        .map(|(i, (document_no, name))| {
            let refused = i % 4 == 1;
            ReceiptLine {
                line: i as u32 + 1,
                person: Some(Person {
                    document_type: "01".into(),
                    document_no,
                    name,
                }),
                verdict: if refused {
                    Verdict::Refused
                } else {
                    Verdict::Accepted
                },
                reason: refused.then(|| "此人已在其他单位参保，请先办理转出".to_owned()),
            }
        })
        .collect();
    Receipt {
        unit: unit(),
        key: "0d7c7e2a-5c1e-4d0e-9f43-8a1b2c3d4e5f".into(),
        agency_id: "D2026030500042".into(),
        kind: shebao_core::declaration::DeclarationKind::Hire,
        period: period(),
        received_at: chrono::DateTime::parse_from_rfc3339("2026-03-05T09:12:00+08:00").ok(),
        processed_at: chrono::DateTime::parse_from_rfc3339("2026-03-05T10:40:00+08:00").ok(),
        outcome: Outcome::PartlySucceeded,
        lines,
    }
}
