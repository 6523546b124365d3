//! The fields of the hire form: their wire names, labels, ids and the order Tab visits them.

use iced::widget::Id;

use crate::fl;

/// A field of the hire form the cursor can be in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FormField {
    DocumentType,
    DocumentNo,
    Name,
    Sex,
    BirthDate,
    Nationality,
    FirstEmployedOn,
    Wage,
    Reason,
    HouseholdType,
    EmploymentForm,
    InsuredFrom,
    Ethnicity,
    Phone,
    Remarks,
}

impl FormField {
    /// The order Tab visits the fields: what must be typed for every person first (number,
    /// name, first employment, wage), then the choices that have a usual value filled in, so
    /// a usual hire is four fields and Enter.
    pub const TAB_ORDER: [FormField; 15] = [
        FormField::DocumentType,
        FormField::DocumentNo,
        FormField::Name,
        FormField::Sex,
        FormField::BirthDate,
        FormField::Nationality,
        FormField::FirstEmployedOn,
        FormField::Wage,
        FormField::Reason,
        FormField::HouseholdType,
        FormField::EmploymentForm,
        FormField::InsuredFrom,
        FormField::Ethnicity,
        FormField::Phone,
        FormField::Remarks,
    ];

    /// The wire name, which is also how a check names the field it objects to.
    pub fn wire(self) -> &'static str {
        match self {
            FormField::DocumentType => "document_type",
            FormField::DocumentNo => "document_no",
            FormField::Name => "name",
            FormField::Sex => "sex",
            FormField::BirthDate => "birth_date",
            FormField::Nationality => "nationality",
            FormField::FirstEmployedOn => "first_employed_on",
            FormField::Wage => "wage",
            FormField::Reason => "reason",
            FormField::HouseholdType => "household_type",
            FormField::EmploymentForm => "employment_form",
            FormField::InsuredFrom => "insured_from",
            FormField::Ethnicity => "ethnicity",
            FormField::Phone => "phone",
            FormField::Remarks => "remarks",
        }
    }

    pub fn id(self) -> Id {
        Id::new(match self {
            FormField::DocumentType => "hire-document-type",
            FormField::DocumentNo => "hire-document-no",
            FormField::Name => "hire-name",
            FormField::Sex => "hire-sex",
            FormField::BirthDate => "hire-birth-date",
            FormField::Nationality => "hire-nationality",
            FormField::FirstEmployedOn => "hire-first-employed-on",
            FormField::Wage => "hire-wage",
            FormField::Reason => "hire-reason",
            FormField::HouseholdType => "hire-household-type",
            FormField::EmploymentForm => "hire-employment-form",
            FormField::InsuredFrom => "hire-insured-from",
            FormField::Ethnicity => "hire-ethnicity",
            FormField::Phone => "hire-phone",
            FormField::Remarks => "hire-remarks",
        })
    }

    pub fn label(self) -> String {
        match self {
            FormField::DocumentType => fl!("hire-document-type"),
            FormField::DocumentNo => fl!("hire-document-no"),
            FormField::Name => fl!("hire-name"),
            FormField::Sex => fl!("hire-sex"),
            FormField::BirthDate => fl!("hire-birth-date"),
            FormField::Nationality => fl!("hire-nationality"),
            FormField::FirstEmployedOn => fl!("hire-first-employed-on"),
            FormField::Wage => fl!("hire-wage"),
            FormField::Reason => fl!("hire-reason"),
            FormField::HouseholdType => fl!("hire-household-type"),
            FormField::EmploymentForm => fl!("hire-employment-form"),
            FormField::InsuredFrom => fl!("hire-insured-from"),
            FormField::Ethnicity => fl!("hire-ethnicity"),
            FormField::Phone => fl!("hire-phone"),
            FormField::Remarks => fl!("hire-remarks"),
        }
    }
}
