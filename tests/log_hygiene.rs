//! The client's log: a support person finds it in the data folder, and it never holds an
//! identity number, a password, the session token or a captcha answer, over a clerk's whole
//! working session: login, the forced password change, import, submission, the agency's
//! feedback, viewing the result, logout. Nor does any other file of the data folder hold the
//! token in the clear.

#[path = "../crates/sync/tests/common/mod.rs"]
mod common;

use std::process::{Command, Stdio};

use std::time::Duration;

use common::{CAPTCHA, INITIAL_PASSWORD, PASSWORD, SoftwareCard, TestAgency, resident_id};
use shebao_store::{DataDir, Store, StoreKey};
use shebao_sync::TokenHome;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_working_session_is_logged_without_personal_data() {
    // The agency processes each declaration by itself shortly after it arrives.
    let agency = TestAgency::start(Some(Duration::from_millis(50))).await;
    let files = tempfile::tempdir().unwrap();
    let unit_no = "3501000088";
    let card_path = files.path().join("card.toml");
    let card =
        shebao_ukey::sim::CardFile::generate(unit_no, "日志单位", "91350100M000100Y43", None);
    card.save(&card_path).unwrap();
    let secret: Vec<u8> = (0..card.secret_key.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&card.secret_key[i..i + 2], 16).unwrap())
        .collect();
    agency.open_unit(&SoftwareCard::from_secret(unit_no, &secret).unwrap());
    let data = files.path().join("client");
    let ids: Vec<String> = (0..5).map(resident_id).collect();
    let csv = files.path().join("hires.csv");
    let mut rows = String::from(
        "证件类型,身份证号码,姓名,户口性质,用工形式,参加工作日期,参保日期,险种,月工资,增员原因\n",
    );
    for id in &ids {
        rows.push_str(&format!(
            "01,{id},张三,10,01,2026-11-02,2026-11,110 310,6000,11\n"
        ));
    }
    std::fs::write(&csv, rows).unwrap();

    let shebao = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_shebao"))
            .arg("--data-dir")
            .arg(&data)
            .arg("--agency")
            .arg(agency.url())
            .arg("--ca")
            .arg(agency.ca())
            .arg("--sim-card")
            .arg(&card_path)
            .args(args)
            .env("SHEBAO_STORE_PASSPHRASE", "log-passphrase")
            .env("SHEBAO_PASSWORD", INITIAL_PASSWORD)
            .env("SHEBAO_NEW_PASSWORD", PASSWORD)
            .env("SHEBAO_LOG", "debug")
            .stdin(Stdio::null())
            .output()
            .unwrap()
    };
    shebao(&["login"]);
    assert_eq!(
        shebao(&["login", "--captcha", CAPTCHA]).status.code(),
        Some(5)
    );
    let import = shebao(&["drafts", "import", csv.to_str().unwrap()]);
    assert!(
        import.status.success(),
        "{}",
        String::from_utf8_lossy(&import.stderr)
    );
    shebao(&["check-id", &ids[0]]);

    let succeeded = |args: &[&str]| {
        let out = shebao(args);
        assert!(
            out.status.success(),
            "shebao {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    succeeded(&["password"]);
    succeeded(&["sync"]);
    succeeded(&["submit"]);
    let mut finished = false;
    for _ in 0..50 {
        succeeded(&["sync"]);
        if succeeded(&["declarations", "--state", "succeeded"]).contains("(not viewed)") {
            finished = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(finished, "the agency's feedback arrived");
    let view = succeeded(&["view", "1"]);
    assert!(view.contains("成功"), "{view}");
    succeeded(&["sync"]);

    // The token the session used, read from the encrypted store before logging out.
    let store_path = DataDir::at(&data).unit_store(unit_no).unwrap();
    let store = Store::open(
        &store_path,
        unit_no,
        StoreKey::Passphrase("log-passphrase".into()),
    )
    .unwrap();
    let token = TokenHome::Store.require(&store).unwrap().token;
    drop(store);
    // Nor is the token readable anywhere in the data folder: it lives inside the encrypted store.
    let mut folders = vec![data.clone()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                folders.push(path);
            } else {
                let bytes = std::fs::read(&path).unwrap();
                assert!(
                    !bytes.windows(token.len()).any(|w| w == token.as_bytes()),
                    "the session token is readable in {}",
                    path.display()
                );
            }
        }
    }
    succeeded(&["logout"]);

    let log = std::fs::read_to_string(data.join("logs").join("shebao.log")).unwrap();
    assert!(log.contains("shebao started"), "{log}");
    assert!(log.contains("command=\"drafts\""), "{log}");
    assert!(log.contains("declaration accepted"), "{log}");
    for secret in
        ids.iter()
            .map(String::as_str)
            .chain([INITIAL_PASSWORD, PASSWORD, CAPTCHA, token.as_str()])
    {
        assert!(!log.contains(secret), "{secret} is in the log:\n{log}");
    }
}
