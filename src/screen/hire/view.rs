//! What the hire page draws: the buttons and the table, or the form.

use iced::widget::{button, checkbox, column, row, scrollable, text, text_input};
use iced::{Alignment, Element, Length};
use shebao_core::reference::CodeTable;

use super::fields::FormField;
use super::form::{self, HireForm, Lookup, Mode};
use super::{Hire, Message, table};
use crate::fl;
use crate::widget::Field;
use crate::widget::date_input::date_input;

pub fn page(hire: &Hire) -> Element<'_, Message> {
    let loaded = match &hire.loaded {
        None => return text(fl!("page-loading")).into(),
        Some(Err(failure)) => {
            return column![
                text(failure.message()).style(text::danger),
                button(text(fl!("page-close"))).on_press(Message::Close),
            ]
            .spacing(12)
            .into();
        }
        Some(Ok(loaded)) => loaded,
    };
    let mut page = column![].spacing(10);
    if loaded.demo_reference {
        page = page.push(text(fl!("hire-demo-reference")).style(text::warning));
    }
    if let Some(problem) = &hire.problem {
        page = page.push(text(problem.as_str()).style(text::danger));
    }
    if let Some(form) = &hire.form {
        return page.push(form_view(hire, form)).into();
    }
    if let Some(panel) = &hire.import {
        return page.push(panel.view().map(Message::Import)).into();
    }
    let selected = hire.selected();
    let toolbar = row![
        button(text(fl!("hire-new"))).on_press(Message::New),
        button(text(fl!("hire-resume"))).on_press(Message::Resume),
        button(text(fl!("hire-edit"))).on_press_maybe(selected.map(|_| Message::Edit)),
        button(text(fl!("hire-delete")))
            .style(button::danger)
            .on_press_maybe(selected.map(|_| Message::Delete)),
        button(text(fl!("hire-import"))).on_press(Message::OpenImport),
        button(text(fl!("hire-go-submit"))).on_press(Message::GoSubmit),
        button(text(fl!("page-close")))
            .style(button::secondary)
            .on_press(Message::Close),
    ]
    .spacing(8);
    page = page
        .push(toolbar)
        .push(text(fl!("hire-shortcuts")).size(13))
        .push(text(fl!("hire-count", count = hire.rows().len())));
    if let Some(index) = hire.confirm_delete
        && let Some(row) = hire.rows().get(index)
    {
        page = page.push(
            row![
                text(fl!(
                    "hire-delete-question",
                    name = row.name.clone(),
                    number = row.document_no.clone()
                )),
                button(text(fl!("hire-delete-yes")))
                    .style(button::danger)
                    .on_press(Message::DeleteConfirmed),
                button(text(fl!("hire-delete-no")))
                    .style(button::secondary)
                    .on_press(Message::DeleteCancelled),
            ]
            .spacing(10)
            .align_y(Alignment::Center),
        );
    } else if let Some(problem) = selected.and_then(|i| hire.rows()[i].first_problem.as_deref()) {
        page = page.push(text(problem).size(13).style(text::danger));
    }
    page.push(table::view(
        hire.rows(),
        &hire.table,
        Message::Scrolled,
        Message::Select,
    ))
    .into()
}

fn form_view<'a>(hire: &'a Hire, form: &'a HireForm) -> Element<'a, Message> {
    let title = match form.mode {
        Mode::New => fl!("hire-new"),
        Mode::Resume => fl!("hire-resume"),
        Mode::Edit(_) => fl!("hire-edit-title"),
    };
    let mut heading = column![text(title).size(18)].spacing(4);
    if form.mode == Mode::Resume {
        heading = heading.push(text(fl!("hire-resume-hint")).size(13));
    }
    if let Some(lookup) = &form.lookup {
        let line = match lookup {
            Lookup::Looking => text(fl!("hire-lookup-looking")),
            Lookup::FoundAtAgency => text(fl!("hire-lookup-found")).style(text::success),
            Lookup::FoundInRoster => text(fl!("hire-lookup-roster")).style(text::success),
            Lookup::NotFound => text(fl!("hire-lookup-none")).style(text::warning),
            Lookup::Failed(why) => {
                text(fl!("hire-lookup-failed", reason = why.clone())).style(text::danger)
            }
        };
        heading = heading.push(line.size(13));
    }
    if let Some(name) = &hire.last_saved {
        heading = heading.push(
            text(fl!("hire-saved", name = name.clone()))
                .size(13)
                .style(text::success),
        );
    }
    let fields = FormField::TAB_ORDER
        .into_iter()
        .filter(|f| form.shows(*f) || matches!(f, FormField::Sex | FormField::BirthDate))
        .fold(column![].spacing(6), |fields, field| {
            let fields = fields.push(field_view(hire, form, field));
            if field == FormField::EmploymentForm {
                fields.push(insurance_types(hire, form))
            } else {
                fields
            }
        });
    let buttons = row![
        button(text(fl!("hire-save")))
            .on_press_maybe((!hire.saving).then_some(Message::Form(form::Message::Save))),
        button(text(fl!("hire-close-form")))
            .style(button::secondary)
            .on_press(Message::CloseForm),
        text(fl!("hire-form-keys")).size(13),
    ]
    .spacing(10)
    .align_y(Alignment::Center);
    column![heading, scrollable(fields).height(Length::Fill), buttons]
        .spacing(10)
        .into()
}

fn field_view<'a>(hire: &'a Hire, form: &'a HireForm, field: FormField) -> Element<'a, Message> {
    let input = move |v: String| Message::Form(form::Message::Input(field, v));
    let pick = move |code: String| Message::Form(form::Message::Pick(field, code));
    let save = Message::Form(form::Message::Save);
    let plain = |value: &'a str| -> Element<'a, Message> {
        text_input("", value)
            .id(field.id())
            .on_input(input)
            .on_submit(save.clone())
            .width(Length::Fixed(220.0))
            .into()
    };
    let widget: Element<'a, Message> = match field {
        FormField::DocumentType => form.document_type.view(field.id(), input, pick, save),
        FormField::Reason => form.reason.view(field.id(), input, pick, save),
        FormField::HouseholdType => form.household_type.view(field.id(), input, pick, save),
        FormField::EmploymentForm => form.employment_form.view(field.id(), input, pick, save),
        FormField::Ethnicity => form.ethnicity.view(field.id(), input, pick, save),
        FormField::DocumentNo => plain(&form.document_no),
        FormField::Name => plain(&form.name),
        FormField::Nationality => plain(&form.nationality),
        FormField::Wage => plain(&form.wage),
        FormField::InsuredFrom => plain(&form.insured_from),
        FormField::Phone => plain(&form.phone),
        FormField::Remarks => plain(&form.remarks),
        FormField::FirstEmployedOn => date_input(field.id(), &form.first_employed_on, input, save),
        FormField::Sex | FormField::BirthDate if !form.asks_birth_and_sex() => {
            let value = if field == FormField::Sex {
                &form.sex
            } else {
                &form.birth_date
            };
            let shown = if value.is_empty() {
                fl!("hire-from-number")
            } else {
                value.clone()
            };
            text(shown).width(Length::Fixed(220.0)).into()
        }
        FormField::Sex => plain(&form.sex),
        FormField::BirthDate => date_input(field.id(), &form.birth_date, input, save),
    };
    let required = !matches!(
        field,
        FormField::Ethnicity | FormField::Phone | FormField::Remarks
    ) && form.shows(field);
    let field_row = Field::new(hire.label(field), widget).error(form.error(field.wire()));
    if required {
        field_row.required().into()
    } else {
        field_row.into()
    }
}

fn insurance_types<'a>(hire: &'a Hire, form: &'a HireForm) -> Element<'a, Message> {
    let boxes = row(form
        .reference()
        .codes(CodeTable::InsuranceTypes)
        .map(|(code, name)| {
            let code = code.to_owned();
            let on = form.insurance_types.contains(&code);
            checkbox(on)
                .label(name.to_owned())
                .on_toggle(move |on| Message::Form(form::Message::InsuranceType(code.clone(), on)))
                .into()
        }))
    .spacing(12);
    Field::new(&hire.insurance_label, boxes)
        .required()
        .error(form.error("insurance_types"))
        .into()
}
