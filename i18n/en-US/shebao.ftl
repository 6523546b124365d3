## The home page's modules and their functions

module-declarations = Declarations
module-submission = Submission
module-queries = Queries
module-system = System

function-hire = New hires
function-leave = Leavers
function-wage = Wage bases
function-unit-change = Unit changes
function-person-change = Employee changes
function-submit = Submit
function-declaration-query = Declarations
function-unit-info = Unit record
function-people = Insured people
function-dues = Dues
function-password = Change password
function-settings = Settings
function-backup = Backup and restore
function-about = About

## Pages in the work area

page-close = Back to home
page-loading = Loading…

## About

about-version = Version
about-data = Data folder
about-log = Log file
about-agency = Agency address
about-reference = Reference data version
about-reference-none = Not downloaded yet (comes with the first sync after login)

## New hires

hire-document-type = Document type
hire-document-no = Document number
hire-name = Name
hire-sex = Sex
hire-birth-date = Date of birth
hire-nationality = Nationality
hire-first-employed-on = First employed on
hire-wage = Monthly wage
hire-reason = Reason for the hire
hire-household-type = Household type
hire-employment-form = Employment form
hire-insured-from = Insured from (month)
hire-ethnicity = Ethnicity
hire-phone = Phone
hire-remarks = Remarks
hire-insurance-types = Insurance types
hire-validity = Check
hire-valid = Valid
hire-valid-with-warnings = Warnings
hire-invalid = Errors
hire-demo-reference = No reference data from the agency yet: the demo code tables stand in until the next refresh online.
hire-new = New enrolment
hire-resume = Resumed enrolment
hire-edit = Edit row
hire-edit-title = Edit a hire
hire-delete = Delete
hire-import = Import
hire-go-submit = Go to submission
hire-shortcuts = Keys: Ctrl+N new, Ctrl+R resumed, Ctrl+E edit, Delete delete, Ctrl+Enter submission, ↑↓ select
hire-count = { $count } hire(s) not yet submitted
hire-delete-question = Delete the hire of { $name } ({ $number })?
hire-delete-yes = Delete
hire-delete-no = Cancel
hire-resume-hint = Type the document number: if the agency already knows the person, their data fills the form.
hire-lookup-looking = Looking the person up…
hire-lookup-found = The agency knows this person; their data was filled in. Please check it.
hire-lookup-roster = The agency cannot be reached; the unit's roster filled in what it knows. Please check it.
hire-lookup-none = The agency knows nothing of this person; fill the form as for a new enrolment.
hire-lookup-failed = The look-up failed: { $reason }
hire-saved = The hire of { $name } is saved; type the next person.
hire-save = Save
hire-close-form = Close
hire-form-keys = Tab next, Shift+Tab previous, Enter save, Esc close
hire-from-number = (from the document number)
