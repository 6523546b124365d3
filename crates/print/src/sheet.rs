//! A paper as texts, before layout: the template, the header's fields, the table, the lines
//! under it, and what the QR code of each page will say.

use chrono::{DateTime, FixedOffset, NaiveDate};
use shebao_core::reference::ReferenceData;
use shebao_core::state::Outcome;

use crate::digest::Digest;
use crate::error::PrintError;
use crate::model::{DeclarationForm, Paper, Receipt, Unit};
use crate::qr::{self, FormKind, QrPayload};
use crate::rows::{self, Context};
use crate::template::{Template, fill};

pub struct Sheet {
    pub template: Template,
    /// (label, value) pairs of the header, in order.
    pub header: Vec<(String, String)>,
    /// A line under the header (a form printed from drafts says so).
    pub notice: Option<String>,
    pub rows: Vec<Vec<String>>,
    pub totals: String,
    pub note: Option<String>,
    pub clerk: Option<String>,
    pub phone: Option<String>,
    /// The QR payload of page 1 of 1; pages fill in their numbers.
    pub qr: QrPayload,
}

impl Sheet {
    pub fn of(
        paper: &Paper,
        reference: Option<&ReferenceData>,
        today: NaiveDate,
    ) -> Result<Sheet, PrintError> {
        match paper {
            Paper::Form(form) => Sheet::form(form, reference, today),
            Paper::Receipt(receipt) => Sheet::receipt(receipt, reference, today),
        }
    }

    fn form(
        form: &DeclarationForm,
        reference: Option<&ReferenceData>,
        today: NaiveDate,
    ) -> Result<Sheet, PrintError> {
        let kind = FormKind::Declaration(form.kind());
        let template = Template::of(kind)?;
        let ctx = Context {
            template: &template,
            reference,
            today,
            period: form.period,
        };
        let table = rows::declaration(&ctx, &form.items, &form.before);
        let mut header = unit_header(&template, &form.unit);
        header.push((template.word("period").into(), form.period.to_string()));
        let mut notice = None;
        match &form.declaration {
            Some(d) => match &d.agency_id {
                Some(agency) => header.push((template.word("declaration").into(), agency.clone())),
                None => header.push((template.word("local_key").into(), d.key.clone())),
            },
            None => notice = Some(template.word("drafts").to_owned()),
        }
        let qr = QrPayload {
            unit: form.unit.number.clone(),
            form: kind,
            declaration: form.declaration.as_ref().map(|d| qr::carried(&d.key)),
            page: 1,
            pages: 1,
            digest: Digest::of_declaration(form.period, &form.items),
        };
        Ok(finish(
            template,
            header,
            notice,
            table,
            form.clerk.clone(),
            form.phone.clone(),
            qr,
        ))
    }

    fn receipt(
        receipt: &Receipt,
        reference: Option<&ReferenceData>,
        today: NaiveDate,
    ) -> Result<Sheet, PrintError> {
        let template = Template::of(FormKind::Receipt)?;
        let ctx = Context {
            template: &template,
            reference,
            today,
            period: receipt.period,
        };
        let table = rows::receipt(&ctx, receipt.kind, &receipt.lines);
        let t = &template;
        let time = |at: Option<DateTime<FixedOffset>>| {
            at.map_or_else(
                || t.word("unknown_time").to_owned(),
                |at| at.format("%Y-%m-%d %H:%M").to_string(),
            )
        };
        let outcome = t.word(match receipt.outcome {
            Outcome::Succeeded => "succeeded",
            Outcome::Failed => "failed",
            Outcome::PartlySucceeded => "partly_succeeded",
        });
        let mut header = unit_header(t, &receipt.unit);
        header.extend([
            (t.word("declaration").into(), receipt.agency_id.clone()),
            (t.word("kind").into(), receipt.kind.label().into()),
            (t.word("period").into(), receipt.period.to_string()),
            (t.word("received_at").into(), time(receipt.received_at)),
            (t.word("processed_at").into(), time(receipt.processed_at)),
            (t.word("outcome").into(), outcome.into()),
        ]);
        let qr = QrPayload {
            unit: receipt.unit.number.clone(),
            form: FormKind::Receipt,
            declaration: Some(qr::carried(&receipt.key)),
            page: 1,
            pages: 1,
            digest: Digest::of_receipt(&receipt.agency_id, &receipt.lines),
        };
        Ok(finish(template, header, None, table, None, None, qr))
    }
}

fn unit_header(t: &Template, unit: &Unit) -> Vec<(String, String)> {
    let mut header = vec![
        (t.word("unit_no").into(), unit.number.clone()),
        (t.word("unit_name").into(), unit.name.clone()),
    ];
    if !unit.credit_code.is_empty() {
        header.push((t.word("credit_code").into(), unit.credit_code.clone()));
    }
    header
}

fn finish(
    template: Template,
    header: Vec<(String, String)>,
    notice: Option<String>,
    table: rows::Table,
    clerk: Option<String>,
    phone: Option<String>,
    qr: QrPayload,
) -> Sheet {
    let figures: Vec<(&str, &str)> = table
        .figures
        .iter()
        .map(|(k, v)| (*k, v.as_str()))
        .collect();
    let totals = fill(&template.totals, &figures);
    let note = template
        .note
        .as_ref()
        .filter(|_| table.note_applies)
        .map(|n| fill(n, &figures));
    Sheet {
        template,
        header,
        notice,
        rows: table.rows,
        totals,
        note,
        clerk: clerk.filter(|c| !c.trim().is_empty()),
        phone: phone.filter(|p| !p.trim().is_empty()),
        qr,
    }
}
