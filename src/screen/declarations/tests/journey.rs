//! Against the real agency in this process: a declaration comes back with one refused item, the
//! clerk opens it (the agency learns it was viewed), declares the refused item again from a
//! draft that keeps the reason, and the corrected one succeeds; the person's history shows both.

use std::collections::BTreeMap;

use crate::screen::journey_tests::common::{TestAgency, hire_item};
use crate::screen::journey_tests::logged_in;
use shebao_agency::processing::{Decision, Judgement};
use shebao_store::this_month;

use super::*;
use crate::screen::session::{self};
use crate::screen::testing::Readers;

const REASON: &str = "缴费工资与劳动合同不符";

fn process(agency: &TestAgency, remote_id: &str, decision: Decision) {
    let id: i64 = remote_id.parse().unwrap();
    let app = &agency.server.as_ref().unwrap().app;
    let judgement = Judgement::new(
        app.reference.clone(),
        decision,
        chrono::Local::now().date_naive(),
        chrono::Utc::now().timestamp(),
    );
    agency
        .db()
        .write(|tx| shebao_agency::storage::sqlite::processing::process(tx, id, &judgement))
        .unwrap();
}

fn viewed_at_agency(agency: &TestAgency, remote_id: &str) -> bool {
    let id: i64 = remote_id.parse().unwrap();
    agency
        .db()
        .read(
            |conn| -> Result<bool, shebao_agency::storage::StorageError> {
                Ok(
                    conn.query_row("SELECT viewed FROM declarations WHERE id = ?1", [id], |r| {
                        r.get(0)
                    })?,
                )
            },
        )
        .unwrap()
}

fn remote_ids(session: &Session) -> Vec<String> {
    let declarations = session.store().declarations(None).unwrap();
    declarations
        .into_iter()
        .filter_map(|d| d.remote_id)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_item_is_viewed_corrected_and_declared_again() {
    let agency = TestAgency::start(None).await;
    let data = tempfile::tempdir().unwrap();
    let mut readers = Readers::empty();
    let session = logged_in(&agency, data.path(), &mut readers).await;
    let period = this_month();

    // Two hires go out; the agency refuses the second.
    {
        let mut store = session.store();
        for n in [1, 2] {
            store
                .save_draft(&NewDraft {
                    kind: DeclarationKind::Hire,
                    period: period.clone(),
                    item: hire_item(n, &period),
                })
                .unwrap();
        }
        store.queue_drafts(None).unwrap();
    }
    session::refresh(session.clone()).await.unwrap();
    let remote = remote_ids(&session).remove(0);
    process(
        &agency,
        &remote,
        Decision::Reject(BTreeMap::from([(2, REASON.to_owned())])),
    );
    let snapshot = session::refresh(session.clone()).await.unwrap();
    assert_eq!(snapshot.counts.partly_succeeded_unviewed, 1);

    // The clerk opens it from its home-page row: the agency learns it was viewed.
    let mut page = loaded(&session, Some(HomeBucket::PartlySucceededUnviewed));
    assert_eq!(page.shown.len(), 1);
    let _ = page.update(Message::Selected(0));
    let id = page.detail.as_ref().unwrap().row.id;
    let job = session.clone();
    let opened = tokio::task::spawn_blocking(move || open_declaration(&job, id, true))
        .await
        .unwrap();
    assert!(matches!(opened, Ok((_, Viewed::Told))));
    let _ = page.update(Message::Opened(opened));
    assert!(viewed_at_agency(&agency, &remote));
    let mut ui = simulator(page.view());
    assert!(ui.find(REASON).is_ok());
    assert!(ui.find(fl!("query-viewed-told").as_str()).is_ok());
    drop(ui);

    // 改正后重新申报: a draft of the refused item, with the reason, and the hire page opens.
    let _ = page.update(Message::ItemSelected(1));
    let corrected = session
        .store()
        .draft_from_refused_item(id, 2)
        .map_err(Failure::from);
    assert!(matches!(
        page.update(Message::Corrected(corrected)),
        Action::Open(Function::Hire)
    ));
    let draft = session.store().drafts(None).unwrap().remove(0);
    assert_eq!(draft.problems[0].message, REASON);
    let mut item = draft.item.clone();
    item["wage"] = json!("7200.00");
    {
        let mut store = session.store();
        store.update_draft(draft.id, &item).unwrap();
        store.queue_drafts(None).unwrap();
    }
    session::refresh(session.clone()).await.unwrap();
    let again = remote_ids(&session)
        .into_iter()
        .find(|r| *r != remote)
        .unwrap();
    process(&agency, &again, Decision::AcceptAll);
    let snapshot = session::refresh(session.clone()).await.unwrap();
    assert_eq!(snapshot.counts.succeeded_unviewed, 1);

    // The person's history holds the refusal and then the success.
    let person = item["document_no"].as_str().unwrap().to_owned();
    let history = session.store().person_history(&person).unwrap();
    let verdicts: Vec<_> = history.iter().map(|e| e.accepted).collect();
    assert_eq!(verdicts, [Some(false), Some(true)]);
    assert_eq!(history[0].reason.as_deref(), Some(REASON));
}
