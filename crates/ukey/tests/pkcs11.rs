//! A real PKCS#11 implementation (SoftHSM2) behind the card source: the unit is read from the
//! token's certificate, the PIN is checked by the token with the tries it reports, the challenge
//! is signed on the token, a token that appears or goes away is an insertion or a removal, and
//! a module path that is wrong says so. The tokens are made with the real tools
//! (`softhsm2-util`, `pkcs11-tool`) in the SoftHSM configuration `cargo xtask test` sets up.

#[path = "support/softhsm.rs"]
mod softhsm;

use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use p256::ecdsa::signature::Verifier;
use shebao_ukey::pkcs11::Pkcs11Module;
use shebao_ukey::{
    CardEvent, CardEvents, CardHandle, CardIdentity, CardPin, CardSource, KeyAlgorithm, RecvError,
    UKeyError, watch,
};
use softhsm::{Store, Unit};

const PIN: &str = "246810";

/// SoftHSM2 lists new tokens only after the module is initialised again, which the card source
/// does only while no session is open on it in the process; the tests of this file watch the
/// same module in one process, so they take turns.
static MODULE_IN_USE: Mutex<()> = Mutex::new(());

fn take_module() -> MutexGuard<'static, ()> {
    MODULE_IN_USE.lock().unwrap_or_else(PoisonError::into_inner)
}
/// Only there so that a broken stack fails the test instead of hanging it.
const PATIENCE: Duration = Duration::from_secs(20);

/// Waits for the event `wanted` accepts. Every test shares the SoftHSM store, so events about
/// the other tests' tokens pass by and are skipped.
fn wait_for<T>(
    events: &mut CardEvents,
    what: &str,
    mut wanted: impl FnMut(&CardEvent) -> Option<T>,
) -> T {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match events.recv_timeout(left) {
            Ok(event) => {
                if let Some(found) = wanted(&event) {
                    return found;
                }
            }
            Err(RecvError::Timeout) => panic!("no {what} event came"),
            Err(RecvError::Closed) => panic!("the watcher stopped while waiting for {what}"),
        }
    }
}

fn read_unit(events: &mut CardEvents, unit_no: &str) -> (CardHandle, CardIdentity) {
    wait_for(
        events,
        &format!("read of unit {unit_no}"),
        |event| match event {
            CardEvent::CardRead { card, identity } if identity.unit_no == unit_no => {
                Some((card.clone(), identity.clone()))
            }
            _ => None,
        },
    )
}

fn p256_signature_is_valid(public_key: &[u8], challenge: &[u8], signature: &[u8]) -> bool {
    let key = p256::ecdsa::VerifyingKey::from_sec1_bytes(public_key).expect("a P-256 key");
    let signature = p256::ecdsa::Signature::from_slice(signature).expect("r ‖ s");
    key.verify(challenge, &signature).is_ok()
}

#[test]
fn the_unit_is_read_from_the_token_and_the_challenge_signed_on_it_after_the_pin() {
    let Some(module) = softhsm::module() else {
        return;
    };
    let _turn = take_module();
    let dir = tempfile::tempdir().expect("temp dir");
    let unit = Unit {
        unit_no: "3501002401",
        name: "令牌测试单位",
        uscc: "91350100M000100Y43",
    };
    let token = softhsm::unit_token(
        &module,
        &Store::of_process(),
        dir.path(),
        "shebao-read-sign",
        PIN,
        &unit,
    );
    let mut events = watch(CardSource::Pkcs11(Pkcs11Module::new(&module)));
    let (card, identity) = read_unit(&mut events, unit.unit_no);
    assert_eq!(identity.unit_name, unit.name);
    assert_eq!(identity.credit_code, unit.uscc);
    assert_eq!(identity.key_algorithm, KeyAlgorithm::EcdsaP256);
    assert_eq!(identity.public_key.to_vec(), token.public_key);
    assert_eq!(card.key_algorithm(), Some(KeyAlgorithm::EcdsaP256));

    let challenge = [0x5A; 32];
    assert!(
        matches!(card.sign(challenge).wait(), Err(UKeyError::PinRequired)),
        "the token's key is private until the PIN is given"
    );
    let wrong = card.verify_pin(CardPin::new("135790")).wait();
    assert!(
        matches!(
            wrong,
            Err(UKeyError::WrongPinTriesUnknown | UKeyError::WrongPin { .. })
        ),
        "{wrong:?}"
    );
    let told = wrong.expect_err("refused").to_string();
    assert!(told.contains("Wrong PIN"), "{told}");
    card.verify_pin(CardPin::new(PIN))
        .wait()
        .expect("tries were left: the right PIN still opens the token");
    let signature = card.sign(challenge).wait().expect("signed on the token");
    assert!(p256_signature_is_valid(
        &token.public_key,
        &challenge,
        &signature.0
    ));
    token.delete();
}

#[test]
fn a_token_that_appears_is_read_and_one_deleted_mid_session_is_removed() {
    let Some(module) = softhsm::module() else {
        return;
    };
    let _turn = take_module();
    let dir = tempfile::tempdir().expect("temp dir");
    let mut events = watch(CardSource::Pkcs11(Pkcs11Module::new(&module)));
    // The watch is running before the token exists: the unit must appear by itself.
    std::thread::sleep(Duration::from_millis(300));
    let unit = Unit {
        unit_no: "3501002402",
        name: "插拔测试单位",
        uscc: "91350100M000100Y43",
    };
    let token = softhsm::unit_token(
        &module,
        &Store::of_process(),
        dir.path(),
        "shebao-plug",
        PIN,
        &unit,
    );
    let (card, _) = read_unit(&mut events, unit.unit_no);
    card.verify_pin(CardPin::new(PIN))
        .wait()
        .expect("logged in");
    card.sign([1; 32]).wait().expect("the session works");

    token.delete();
    wait_for(&mut events, "removal of the token", |event| match event {
        CardEvent::CardRemoved { card: gone } if *gone == card => Some(()),
        _ => None,
    });
    assert!(!card.is_present());
    assert!(matches!(
        card.sign([2; 32]).wait(),
        Err(UKeyError::CardRemoved)
    ));
}

#[test]
fn a_token_without_a_unit_certificate_is_reported_unreadable() {
    let Some(module) = softhsm::module() else {
        return;
    };
    let _turn = take_module();
    let dir = tempfile::tempdir().expect("temp dir");
    let mut token = softhsm::init_token(&module, dir.path(), "shebao-no-cert", PIN);
    token.generate_key(dir.path());
    token.plug_into(&Store::of_process());
    let modules = Pkcs11Module::new(&module);
    let reports = shebao_ukey::pkcs11::read_tokens(&modules, Duration::from_secs(10))
        .expect("the module answers");
    let ours = reports
        .iter()
        .filter_map(|report| report.token.as_ref())
        .filter(|token| matches!(token, Err(UKeyError::NoUnitCertificate { .. })))
        .count();
    token.delete();
    assert!(ours >= 1, "{reports:?}");
}

#[test]
fn a_module_path_that_does_not_exist_or_is_not_pkcs11_is_named_in_the_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let missing = dir.path().join("libvendor-pkcs11.so");
    let error = Pkcs11Module::new(&missing)
        .check()
        .expect_err("no such file");
    assert!(
        matches!(error, UKeyError::ModuleMissing { .. }),
        "{error:?}"
    );
    let text = error.to_string();
    assert!(
        text.contains("libvendor-pkcs11.so") && text.contains("does not exist"),
        "{text}"
    );

    let not_a_library = dir.path().join("notes.so");
    std::fs::write(&not_a_library, "not a library").expect("file");
    let error = Pkcs11Module::new(&not_a_library)
        .check()
        .expect_err("not a library");
    assert!(
        matches!(error, UKeyError::NotPkcs11Module { .. }),
        "{error:?}"
    );
    assert!(
        error.to_string().contains("is not a PKCS#11 module"),
        "{error}"
    );

    // A real shared library that is not PKCS#11.
    let other = [
        "/usr/lib/x86_64-linux-gnu/libz.so.1",
        "/lib/x86_64-linux-gnu/libz.so.1",
    ]
    .into_iter()
    .map(std::path::PathBuf::from)
    .find(|path| path.is_file());
    if let Some(other) = other {
        let error = Pkcs11Module::new(&other).check().expect_err("not PKCS#11");
        assert!(
            matches!(error, UKeyError::NotPkcs11Module { .. }),
            "{error:?}"
        );
    }

    // Watching such a module says the same, as the "service" that is unavailable.
    let mut events = watch(CardSource::Pkcs11(Pkcs11Module::new(&missing)));
    let error = wait_for(&mut events, "the module's failure", |event| match event {
        CardEvent::ServiceUnavailable { error } => Some(error.clone()),
        _ => None,
    });
    assert!(
        matches!(error, UKeyError::ModuleMissing { .. }),
        "{error:?}"
    );
}
