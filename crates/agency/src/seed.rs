//! `seed-demo`: a demo unit with its card file, a roster of a few hundred people with valid
//! resident ID numbers, announcements with an attachment, and a year of dues.
//!
//! Everything it makes is fictitious: the people's numbers pass the GB 11643 check but are
//! generated, and their names are drawn from common characters.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use chrono::{Duration, NaiveDate};
use rand::Rng;
use rand::SeedableRng;
use rand::rngs::StdRng;
use shebao_core::month::Month;
use shebao_core::reference::ReferenceData;
use sm2::dsa::SigningKey;

use crate::auth::card::DEFAULT_USER_ID;
use crate::auth::password;
use crate::clock::Clock;
use crate::dues;
use crate::storage::{
    CardKeyAlgorithm, MonthlyDue, NewAnnouncement, NewUnit, PersonRecord, RosterEntry, Seed,
    Storage, StorageError,
};

pub const DEMO_UNIT_NO: &str = "3501000001";
pub const DEMO_UNIT_NAME: &str = "福州示例科技有限公司（演示）";
pub const DEMO_USCC: &str = "91350100M000100Y43";
pub const DEMO_PASSWORD: &str = "888888";
pub const DEMO_PIN: &str = "123456";
/// The card file `shebao-card-sim` reads, in the data directory.
pub const CARD_FILE: &str = "demo-card.toml";
const ROSTER_SIZE: usize = 300;

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("the demo unit {0} already exists in this data directory")]
    AlreadySeeded(String),
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error(transparent)]
    Password(#[from] password::PasswordHashError),
    #[error("cannot make the demo card key")]
    CardKey,
    #[error("cannot write the card file {0}: {1}")]
    CardFile(PathBuf, std::io::Error),
}

/// The SM2 key of a card, written as the card simulator's TOML file.
pub fn card_file(
    unit_no: &str,
    name: &str,
    uscc: &str,
    secret_key: &[u8],
    pin: Option<&str>,
) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# A shebao-ukey/1 card for shebao-card-sim. Demo only: the secret key is in clear."
    );
    let _ = writeln!(out, "unit_no = {}", toml_string(unit_no));
    let _ = writeln!(out, "name = {}", toml_string(name));
    let _ = writeln!(out, "uscc = {}", toml_string(uscc));
    let _ = writeln!(
        out,
        "secret_key = {}",
        toml_string(&hex::encode(secret_key))
    );
    if let Some(pin) = pin {
        let _ = writeln!(out, "pin = {}", toml_string(pin));
    }
    out
}

/// A TOML basic string.
fn toml_string(value: &str) -> String {
    let mut out = String::from("\"");
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A fictitious resident ID number born between 1966 and 2004 in a Fuzhou district.
fn resident_id(rng: &mut impl Rng) -> String {
    const AREAS: [&str; 6] = ["350102", "350103", "350104", "350105", "350111", "350121"];
    let area = AREAS[rng.gen_range(0..AREAS.len())];
    let born = NaiveDate::from_ymd_opt(1966, 1, 1).unwrap_or_default()
        + Duration::days(rng.gen_range(0..14_000));
    let sequence: u32 = rng.gen_range(0..1000);
    let first17 = format!("{area}{}{sequence:03}", born.format("%Y%m%d"));
    // Seventeen digits by construction, so a check character always exists.
    let check = shebao_core::id::check_character(&first17).unwrap_or('0');
    format!("{first17}{check}")
}

fn person_name(rng: &mut impl Rng) -> String {
    const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢";
    const GIVEN: &str = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂华建国文辉玲晨宇欣怡浩然子涵梓轩思雨佳琪俊杰";
    let surnames: Vec<char> = SURNAMES.chars().collect();
    let given: Vec<char> = GIVEN.chars().collect();
    let mut name = String::new();
    name.push(surnames[rng.gen_range(0..surnames.len())]);
    for _ in 0..rng.gen_range(1..=2) {
        name.push(given[rng.gen_range(0..given.len())]);
    }
    name
}

/// Seeds the demo data, writes the card file into `data_dir`, and answers a report.
pub async fn seed_demo(
    storage: &Storage,
    reference: &ReferenceData,
    data_dir: &Path,
    clock: &dyn Clock,
) -> Result<String, SeedError> {
    let now = clock.now().timestamp();
    let this_month = Month::of(clock.today());
    // A fixed seed keeps the demo roster the same from one run to the next.
    let mut rng = StdRng::seed_from_u64(0x5348_4542_414f);
    let secret = sm2::SecretKey::random(&mut rand::rngs::OsRng);
    let card = SigningKey::new(DEFAULT_USER_ID, &secret).map_err(|_| SeedError::CardKey)?;
    let public_key = card.verifying_key().to_sec1_bytes().to_vec();
    let hash = tokio::task::spawn_blocking(|| password::hash(DEMO_PASSWORD))
        .await
        .map_err(|e| StorageError::Task(e.to_string()))??;

    let all_types: Vec<String> = reference
        .tables
        .insurance_types
        .iter()
        .map(|t| t.code.clone())
        .collect();
    let document_type = reference
        .tables
        .document_types
        .first()
        .map(|t| t.code.clone())
        .unwrap_or_else(|| "01".to_owned());
    let first_month = Month::new(this_month.year() - 1, this_month.month()).unwrap_or(this_month);
    let mut roster = Vec::with_capacity(ROSTER_SIZE);
    let mut seen = std::collections::HashSet::new();
    while roster.len() < ROSTER_SIZE {
        let document_no = resident_id(&mut rng);
        if !seen.insert(document_no.clone()) {
            continue;
        }
        roster.push(RosterEntry {
            document_type: document_type.clone(),
            document_no,
            name: person_name(&mut rng),
            declared_wage_fen: rng.gen_range(3_500..25_000) * 100,
            insurance_types: all_types.clone(),
            insured_from: first_month.to_string(),
        });
    }
    // The year before this month is settled and paid; this month is computed and owed.
    let mut settled = Vec::new();
    let mut month = first_month;
    while month < this_month {
        settled.extend(
            dues::from_roster(reference, &roster, month)
                .into_iter()
                .map(|due| MonthlyDue { paid: true, ..due }),
        );
        month = month.next();
    }
    let notice = "2026 年度社会保险缴费基数申报说明（演示）\r\n\r\n\
         各参保单位：请于每年 7 月底前完成本单位职工缴费工资申报。本文件为演示附件。\r\n";
    let seed = Seed {
        unit: NewUnit {
            unit_no: DEMO_UNIT_NO.to_owned(),
            name: DEMO_UNIT_NAME.to_owned(),
            uscc: DEMO_USCC.to_owned(),
            card_public_key: public_key,
            card_key_algorithm: CardKeyAlgorithm::Sm2,
            password_hash: hash,
        },
        record: vec![
            ("address", "福建省福州市鼓楼区示例路 1 号".to_owned()),
            ("contact_person", "林经办".to_owned()),
            ("contact_phone", "0591-00000000".to_owned()),
        ],
        roster: roster
            .into_iter()
            .map(|entry| {
                let person = PersonRecord {
                    key: entry.key(),
                    name: entry.name.clone(),
                    details: serde_json::json!({ "name": entry.name }).to_string(),
                };
                (entry, person)
            })
            .collect(),
        dues: settled,
        announcements: vec![
            NewAnnouncement {
                title: "关于开展年度缴费基数申报工作的通知（演示）".to_owned(),
                body: "各参保单位：请在规定时间内通过 shebao 客户端完成本单位职工年度缴费工资申报，详见附件。"
                    .to_owned(),
                attachments: vec![("缴费基数申报说明.txt".to_owned(), notice.as_bytes().to_vec())],
                published_at: now - 3 * 86_400,
            },
            NewAnnouncement {
                title: "系统维护公告（演示）".to_owned(),
                body: "本系统将于周六 22:00 至 24:00 进行维护，期间暂停申报业务。".to_owned(),
                attachments: Vec::new(),
                published_at: now - 86_400,
            },
        ],
        now,
    };
    if storage.seed(seed).await?.is_none() {
        return Err(SeedError::AlreadySeeded(DEMO_UNIT_NO.to_owned()));
    }

    let card_path = data_dir.join(CARD_FILE);
    write_owner_only(
        &card_path,
        &card_file(
            DEMO_UNIT_NO,
            DEMO_UNIT_NAME,
            DEMO_USCC,
            &secret.to_bytes(),
            Some(DEMO_PIN),
        ),
    )
    .map_err(|e| SeedError::CardFile(card_path.clone(), e))?;
    Ok(format!(
        "seeded demo unit {DEMO_UNIT_NO} ({DEMO_UNIT_NAME}), initial password {DEMO_PASSWORD}, \
         {ROSTER_SIZE} insured people, 2 announcements, dues {first_month} to {}; card file {} (PIN {DEMO_PIN})",
        this_month,
        card_path.display()
    ))
}

/// Writes the card file, which holds the card's secret key and PIN, readable by its owner only
/// (0600 on Unix) from the moment it exists.
fn write_owner_only(path: &Path, contents: &str) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let _ = std::fs::remove_file(path);
    std::io::Write::write_all(&mut options.open(path)?, contents.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_numbers_pass_the_national_check() {
        let mut rng = StdRng::seed_from_u64(1);
        for _ in 0..100 {
            let number = resident_id(&mut rng);
            let today = NaiveDate::from_ymd_opt(2026, 1, 1).expect("date");
            assert!(
                shebao_core::id::ResidentId::parse_on(&number, today).is_ok(),
                "{number}"
            );
        }
    }

    #[cfg(unix)]
    #[test]
    fn the_card_file_is_readable_by_its_owner_only_even_over_an_older_one() {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("shebao-seed-card-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let path = dir.join(CARD_FILE);
        std::fs::write(&path, "old").expect("an older file");
        write_owner_only(&path, "unit_no = \"1\"\n").expect("written");
        let mode = std::fs::metadata(&path)
            .expect("written")
            .permissions()
            .mode();
        let text = std::fs::read_to_string(&path).expect("readable");
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(mode & 0o777, 0o600, "mode {mode:o}");
        assert_eq!(text, "unit_no = \"1\"\n");
    }

    #[test]
    fn the_card_file_is_toml_with_the_agreed_keys() {
        let file = card_file(
            "3501000001",
            "单位 \"甲\"",
            "91350100M000100Y43",
            &[0xab; 32],
            Some("123456"),
        );
        assert!(file.contains("unit_no = \"3501000001\""));
        assert!(file.contains("name = \"单位 \\\"甲\\\"\""));
        assert!(file.contains(&format!("secret_key = \"{}\"", "ab".repeat(32))));
        assert!(file.contains("pin = \"123456\""));
    }
}
