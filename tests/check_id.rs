//! The `shebao check-id` command as support staff use it: numbers in, a verdict per line out,
//! and an exit code a script can test.

use std::io::Write;
use std::process::{Command, Stdio};

fn shebao() -> Command {
    Command::new(env!("CARGO_BIN_EXE_shebao"))
}

#[test]
fn good_numbers_pass_and_say_sex_and_birth_date() {
    let out = shebao()
        .args(["check-id", "11010519491231002x", "110105491231002"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("1\tOK\t女 1949-12-31"), "{text}");
    assert!(text.contains("2\tOK\t女 1949-12-31"), "{text}");
}

#[test]
fn a_bad_number_is_explained_and_fails_the_exit_code() {
    let mut child = shebao()
        .arg("check-id")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"440524188001010014\n440524188001010015\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("1\tOK"), "{text}");
    assert!(text.contains("2\tERROR\t身份号码校验位应为 4"), "{text}");
    // The number itself is not echoed back.
    assert!(!text.contains("440524188001010015"), "{text}");
}

#[test]
fn credit_codes() {
    let out = shebao()
        .args([
            "check-id",
            "--uscc",
            "91350100M000100Y43",
            "91350100M000100Y4I",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("1\tOK\t91350100M000100Y43"), "{text}");
    assert!(text.contains("2\tERROR"), "{text}");
}
