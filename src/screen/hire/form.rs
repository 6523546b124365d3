//! The hire form (职工新参保 / 职工续保 / 修改一行): every field of a hire item, the usual
//! choices filled in, sex and birth date read from the ID number as it is typed, and each
//! field checked by shebao-core's rules when the clerk leaves it and all of them at 保存.
//!
//! iced 0.14's text input has no "focus lost" event, so "leaving a field" is the Tab, Shift-Tab
//! or Enter the page sees; a field that shows an error is also checked again on every
//! keystroke, so the message goes away as soon as it is fixed.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveDate;
use serde_json::Value;
use shebao_core::declaration::HireItem;
use shebao_core::id::{DocumentNumber, DocumentType};
use shebao_core::month::Month;
use shebao_core::reference::{CodeTable, ReferenceData};
use shebao_core::validate::Context;
use shebao_store::DraftId;

use super::fields::FormField;
use crate::widget::CodeChoice;
use crate::widget::date_input::normalized;

/// Why the form is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// 职工新参保: a person new to the unit.
    New,
    /// 职工续保: the ID number is looked up and what the agency knows fills the form.
    Resume,
    /// 修改一行: a saved draft.
    Edit(DraftId),
}

#[derive(Debug, Clone)]
pub enum Message {
    Input(FormField, String),
    /// A match of a code choice was clicked.
    Pick(FormField, String),
    InsuranceType(String, bool),
    /// Enter in any field: 保存.
    Save,
}

/// What the page must do after the form took a message.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    None,
    /// Every field passed: store this item.
    Save(Box<HireItem>),
    /// Fields have errors; the cursor belongs in the first.
    Refused(FormField),
    /// 职工续保: a complete ID number was typed; look the person up.
    LookUp(String),
}

/// What a 职工续保 look-up found, shown under the ID number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    Looking,
    FoundAtAgency,
    FoundInRoster,
    NotFound,
    Failed(String),
}

pub struct HireForm {
    reference: Arc<ReferenceData>,
    pub mode: Mode,
    period: Month,
    today: NaiveDate,
    pub document_type: CodeChoice,
    pub document_no: String,
    pub name: String,
    pub sex: String,
    pub birth_date: String,
    pub nationality: String,
    pub first_employed_on: String,
    pub wage: String,
    pub reason: CodeChoice,
    pub household_type: CodeChoice,
    pub employment_form: CodeChoice,
    pub insured_from: String,
    pub ethnicity: CodeChoice,
    pub insurance_types: Vec<String>,
    pub phone: String,
    pub remarks: String,
    /// The message beside each field, by wire name, and whether it blocks 保存 (an error)
    /// or only asks the clerk to look again (a warning).
    errors: HashMap<String, (String, bool)>,
    /// The field the cursor is in, as far as the page moved it or the clerk typed in it.
    pub focus: FormField,
    pub lookup: Option<Lookup>,
    /// The number last looked up, so each keystroke after it does not ask again.
    looked_up: Option<String>,
}

impl HireForm {
    /// An empty form for `period`, with the usual choices filled in.
    pub fn new(reference: Arc<ReferenceData>, mode: Mode, period: Month, today: NaiveDate) -> Self {
        let choice = |table| CodeChoice::new(codes(&reference, table));
        let mut form = Self {
            mode,
            period,
            today,
            document_type: choice(CodeTable::DocumentTypes),
            document_no: String::new(),
            name: String::new(),
            sex: String::new(),
            birth_date: String::new(),
            nationality: String::new(),
            first_employed_on: String::new(),
            wage: String::new(),
            reason: choice(CodeTable::HireReasons),
            household_type: choice(CodeTable::HouseholdTypes),
            employment_form: choice(CodeTable::EmploymentForms),
            insured_from: period.to_string(),
            ethnicity: choice(CodeTable::Ethnicities),
            insurance_types: Vec::new(),
            phone: String::new(),
            remarks: String::new(),
            errors: HashMap::new(),
            focus: FormField::DocumentNo,
            lookup: None,
            looked_up: None,
            reference,
        };
        form.fill_defaults();
        form
    }

    /// A form holding a saved draft.
    pub fn editing(
        reference: Arc<ReferenceData>,
        id: DraftId,
        item: &HireItem,
        period: Month,
        today: NaiveDate,
    ) -> Self {
        let mut form = Self::new(reference, Mode::Edit(id), period, today);
        form.load(item);
        form
    }

    /// The first entry of each table is the usual one (the agency publishes them so: resident
    /// ID, 新参加工作, 本地城镇, 合同制); for 续保 the reason is 续保 where the table has it.
    fn fill_defaults(&mut self) {
        let first = |table| {
            self.reference
                .codes(table)
                .next()
                .map(|(c, _)| c.to_owned())
                .unwrap_or_default()
        };
        let document_type = first(CodeTable::DocumentTypes);
        let household = first(CodeTable::HouseholdTypes);
        let form = first(CodeTable::EmploymentForms);
        let reason = match self.mode {
            Mode::Resume => self
                .reference
                .resolve(CodeTable::HireReasons, "续保")
                .map(str::to_owned)
                .unwrap_or_else(|| first(CodeTable::HireReasons)),
            _ => first(CodeTable::HireReasons),
        };
        self.document_type.set(&document_type);
        self.household_type.set(&household);
        self.employment_form.set(&form);
        self.reason.set(&reason);
        self.insurance_types = self.types_of_form(&form);
    }

    /// The insurance types an employment form may join (all of them when it does not say).
    fn types_of_form(&self, form: &str) -> Vec<String> {
        match self
            .reference
            .employment_form(form)
            .and_then(|f| f.insurance_types.clone())
        {
            Some(types) => types,
            None => self
                .reference
                .codes(CodeTable::InsuranceTypes)
                .map(|(c, _)| c.to_owned())
                .collect(),
        }
    }

    pub fn reference(&self) -> &ReferenceData {
        &self.reference
    }

    /// The message beside a field (by wire name).
    pub fn error(&self, wire: &str) -> Option<&str> {
        self.errors.get(wire).map(|(message, _)| message.as_str())
    }

    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }

    /// The document type chosen, when it is one the rules know.
    pub fn document_kind(&self) -> Option<DocumentType> {
        self.document_type.code().and_then(DocumentType::from_code)
    }

    /// Whether sex and birth date are typed (passports) rather than read from the number.
    pub fn asks_birth_and_sex(&self) -> bool {
        self.document_kind()
            .is_some_and(|t| !t.encodes_birth_and_sex())
    }

    pub fn asks_nationality(&self) -> bool {
        self.document_kind().is_some_and(DocumentType::is_foreign)
    }

    /// Whether the cursor can be in `field` now (the passport fields only for passports).
    pub fn shows(&self, field: FormField) -> bool {
        match field {
            FormField::Sex | FormField::BirthDate => self.asks_birth_and_sex(),
            FormField::Nationality => self.asks_nationality(),
            _ => true,
        }
    }

    /// The item as typed.
    pub fn item(&self) -> HireItem {
        let optional = |s: &str| {
            let s = s.trim();
            (!s.is_empty()).then(|| s.to_owned())
        };
        let passport = self.asks_birth_and_sex();
        HireItem {
            document_type: self.document_type.value(),
            document_no: self.document_no.trim().to_owned(),
            name: self.name.trim().to_owned(),
            ethnicity: optional(&self.ethnicity.value()),
            household_type: self.household_type.value(),
            employment_form: self.employment_form.value(),
            first_employed_on: normalized(&self.first_employed_on)
                .unwrap_or_else(|| self.first_employed_on.trim().to_owned()),
            insured_from: self.insured_from.trim().to_owned(),
            insurance_types: self.insurance_types.clone(),
            wage: self.wage.trim().to_owned(),
            reason: self.reason.value(),
            phone: optional(&self.phone),
            remarks: optional(&self.remarks),
            sex: if passport { optional(&self.sex) } else { None },
            birth_date: if passport {
                optional(&self.birth_date).map(|b| normalized(&b).unwrap_or(b))
            } else {
                None
            },
            nationality: if self.asks_nationality() {
                optional(&self.nationality)
            } else {
                None
            },
        }
    }

    fn problems(&self) -> HashMap<String, (String, bool)> {
        let ctx = Context {
            reference: &self.reference,
            today: self.today,
            period: self.period,
        };
        let mut found = HashMap::new();
        for problem in self.item().validate(&ctx) {
            let blocks = problem.is_error();
            let entry = found
                .entry(problem.field.into_owned())
                .or_insert((problem.message.clone(), blocks));
            // An error outranks a warning on the same field.
            if blocks && !entry.1 {
                *entry = (problem.message, true);
            }
        }
        found
    }

    /// Check one field (it was left, or it shows an error and changed).
    pub fn check(&mut self, field: FormField) {
        self.check_wire(field.wire());
        if field == FormField::EmploymentForm {
            self.check_wire("insurance_types");
        }
    }

    fn check_wire(&mut self, wire: &str) {
        match self.problems().remove(wire) {
            Some(message) => self.errors.insert(wire.to_owned(), message),
            None => self.errors.remove(wire),
        };
    }

    /// Check every field; the first with an error, in Tab order, if any. Warnings stay
    /// beside their fields and do not hold 保存 back.
    pub fn check_all(&mut self) -> Option<FormField> {
        self.errors = self.problems();
        let blocks = |wire: &str| self.errors.get(wire).is_some_and(|(_, error)| *error);
        FormField::TAB_ORDER
            .into_iter()
            .find(|f| blocks(f.wire()))
            .or_else(|| {
                // Errors of fields the cursor cannot be in (险种) leave it where it is.
                self.errors
                    .values()
                    .any(|(_, error)| *error)
                    .then_some(self.focus)
            })
    }

    /// The clerk leaves the field the cursor is in: choices take their first match, dates
    /// their wire form, and the field is checked.
    pub fn leave(&mut self) {
        let field = self.focus;
        match field {
            FormField::DocumentType
            | FormField::Reason
            | FormField::HouseholdType
            | FormField::EmploymentForm
            | FormField::Ethnicity => {
                if let Some(choice) = self.choice_mut(field) {
                    choice.commit();
                }
                if field == FormField::EmploymentForm
                    && let Some(form) = self.employment_form.code().map(str::to_owned)
                {
                    self.insurance_types = self.types_of_form(&form);
                }
            }
            FormField::FirstEmployedOn => {
                if let Some(date) = normalized(&self.first_employed_on) {
                    self.first_employed_on = date;
                }
            }
            FormField::BirthDate => {
                if let Some(date) = normalized(&self.birth_date) {
                    self.birth_date = date;
                }
            }
            _ => {}
        }
        self.check(field);
    }

    /// The next (or previous) field the cursor can be in, in Tab order, wrapping around.
    pub fn next_field(&self, forward: bool) -> FormField {
        let order = FormField::TAB_ORDER;
        let at = order.iter().position(|f| *f == self.focus).unwrap_or(0);
        let len = order.len();
        (1..len)
            .map(|step| {
                if forward {
                    order[(at + step) % len]
                } else {
                    order[(at + len - step) % len]
                }
            })
            .find(|f| self.shows(*f))
            .unwrap_or(FormField::DocumentNo)
    }

    fn choice_mut(&mut self, field: FormField) -> Option<&mut CodeChoice> {
        Some(match field {
            FormField::DocumentType => &mut self.document_type,
            FormField::Reason => &mut self.reason,
            FormField::HouseholdType => &mut self.household_type,
            FormField::EmploymentForm => &mut self.employment_form,
            FormField::Ethnicity => &mut self.ethnicity,
            _ => return None,
        })
    }

    pub fn update(&mut self, message: Message) -> Outcome {
        match message {
            Message::Input(field, value) => {
                self.focus = field;
                self.input(field, value)
            }
            Message::Pick(field, code) => {
                self.focus = field;
                if let Some(choice) = self.choice_mut(field) {
                    choice.set(&code);
                }
                self.leave();
                Outcome::None
            }
            Message::InsuranceType(code, on) => {
                self.insurance_types.retain(|c| *c != code);
                if on {
                    self.insurance_types.push(code);
                    // The order of the table, whatever order they were ticked in.
                    let order: Vec<String> = codes(&self.reference, CodeTable::InsuranceTypes)
                        .into_iter()
                        .map(|(c, _)| c)
                        .collect();
                    self.insurance_types
                        .sort_by_key(|c| order.iter().position(|o| o == c));
                }
                self.check_wire("insurance_types");
                Outcome::None
            }
            Message::Save => {
                self.leave();
                match self.check_all() {
                    Some(first) => Outcome::Refused(first),
                    None => Outcome::Save(Box::new(self.item())),
                }
            }
        }
    }

    fn input(&mut self, field: FormField, value: String) -> Outcome {
        let mut outcome = Outcome::None;
        match field {
            FormField::DocumentNo => {
                self.document_no = value.to_uppercase();
                self.read_number();
                if self.mode == Mode::Resume
                    && let Some(number) = self.valid_number()
                    && self.looked_up.as_deref() != Some(number.as_str())
                {
                    self.looked_up = Some(number.clone());
                    self.lookup = Some(Lookup::Looking);
                    outcome = Outcome::LookUp(number);
                }
            }
            FormField::Name => self.name = value,
            FormField::Sex => self.sex = value,
            FormField::BirthDate => self.birth_date = value,
            FormField::Nationality => self.nationality = value.to_uppercase(),
            FormField::FirstEmployedOn => self.first_employed_on = value,
            FormField::Wage => self.wage = value,
            FormField::InsuredFrom => self.insured_from = value,
            FormField::Phone => self.phone = value,
            FormField::Remarks => self.remarks = value,
            FormField::DocumentType
            | FormField::Reason
            | FormField::HouseholdType
            | FormField::EmploymentForm
            | FormField::Ethnicity => {
                if let Some(choice) = self.choice_mut(field) {
                    choice.input(value);
                }
                if field == FormField::DocumentType {
                    self.read_number();
                }
            }
        }
        if self.errors.contains_key(field.wire()) {
            self.check(field);
        }
        outcome
    }

    /// The number, when it is complete and valid for the document type.
    fn valid_number(&self) -> Option<String> {
        let kind = self.document_kind()?;
        DocumentNumber::parse_on(kind, &self.document_no, self.today)
            .ok()
            .map(|n| n.as_str().to_owned())
    }

    /// Sex and birth date as the number says, as soon as it is complete.
    fn read_number(&mut self) {
        if self.asks_birth_and_sex() {
            return;
        }
        let parsed = self
            .document_kind()
            .and_then(|kind| DocumentNumber::parse_on(kind, &self.document_no, self.today).ok());
        let (sex, birth) = parsed
            .map(|n| (n.sex(), n.birth_date()))
            .unwrap_or((None, None));
        self.sex = sex.map(|s| s.label().to_owned()).unwrap_or_default();
        self.birth_date = birth
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default();
    }

    /// Fill the form from a saved item.
    fn load(&mut self, item: &HireItem) {
        self.document_type.set(&item.document_type);
        self.document_no = item.document_no.clone();
        self.name = item.name.clone();
        self.sex = item.sex.clone().unwrap_or_default();
        self.birth_date = item.birth_date.clone().unwrap_or_default();
        self.nationality = item.nationality.clone().unwrap_or_default();
        match &item.ethnicity {
            Some(e) => self.ethnicity.set(e),
            None => self.ethnicity.clear(),
        }
        self.household_type.set(&item.household_type);
        self.employment_form.set(&item.employment_form);
        self.first_employed_on = item.first_employed_on.clone();
        self.insured_from = item.insured_from.clone();
        self.insurance_types = item.insurance_types.clone();
        self.wage = item.wage.clone();
        self.reason.set(&item.reason);
        self.phone = item.phone.clone().unwrap_or_default();
        self.remarks = item.remarks.clone().unwrap_or_default();
        self.read_number();
    }

    /// 职工续保: what the agency (or the cached roster) knows of the person fills the fields
    /// that describe them; the fields of this employment (wage, insured from) stay as typed.
    pub fn fill_from_person(&mut self, person: &Value, lookup: Lookup) {
        let known: HireItem = serde_json::from_value(person.clone()).unwrap_or_default();
        let set_text = |target: &mut String, value: &str| {
            if !value.trim().is_empty() {
                *target = value.to_owned();
            }
        };
        set_text(&mut self.name, &known.name);
        set_text(&mut self.first_employed_on, &known.first_employed_on);
        if let Some(phone) = &known.phone {
            set_text(&mut self.phone, phone);
        }
        if let Some(nationality) = &known.nationality {
            set_text(&mut self.nationality, nationality);
        }
        if self.asks_birth_and_sex() {
            if let Some(sex) = &known.sex {
                set_text(&mut self.sex, sex);
            }
            if let Some(birth) = &known.birth_date {
                set_text(&mut self.birth_date, birth);
            }
        }
        if let Some(ethnicity) = known.ethnicity.as_deref().filter(|e| !e.is_empty()) {
            self.ethnicity.set(ethnicity);
        }
        if !known.household_type.is_empty() {
            self.household_type.set(&known.household_type);
        }
        if !known.employment_form.is_empty() {
            self.employment_form.set(&known.employment_form);
            self.insurance_types = self.types_of_form(&known.employment_form);
        }
        self.lookup = Some(lookup);
        for field in [FormField::Name, FormField::FirstEmployedOn] {
            if self.errors.contains_key(field.wire()) {
                self.check(field);
            }
        }
    }

    /// 保存 succeeded for a new person: an empty form for the next one, in the same mode.
    pub fn cleared(&self) -> HireForm {
        HireForm::new(self.reference.clone(), self.mode, self.period, self.today)
    }
}

/// `(code, name)` of a table, owned, for a [`CodeChoice`].
fn codes(reference: &ReferenceData, table: CodeTable) -> Vec<(String, String)> {
    reference
        .codes(table)
        .map(|(c, n)| (c.to_owned(), n.to_owned()))
        .collect()
}
