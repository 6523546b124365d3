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

## Declaration forms (shared by leavers, wages, unit and employee changes)

drafting-no-reference = This computer has no reference data from the agency yet (code tables and base limits), so nothing can be checked; connect and press Refresh on the home page.
drafting-save = Save
drafting-save-edit = Save changes
drafting-clear = Clear
drafting-edit = Edit row
drafting-delete = Delete
drafting-name = Name
drafting-document-no = Document number
drafting-problems = Problems

## Picking people from the roster

roster-search = Search by name or document number
roster-count = { $found } found, { $total } on the roster
roster-cached = Roster saved on this computer; asking the agency for the latest…
roster-fresh = Roster updated from the agency
roster-offline = The agency cannot be reached; showing the roster saved on this computer
roster-empty = The roster is empty (it downloads when online)
roster-picked = Pick
roster-insured-from = Insured here since

## Leavers

leave-reason = Reason
leave-reason-placeholder = Choose the reason for leaving
leave-left-on = Leaving date
leave-stop-month = Stop month
leave-remarks = Remarks
leave-picked = { $count } picked (click people in the roster to pick or unpick them)
leave-pick-someone = Pick the leavers in the roster first
leave-saved = Saved { $count } leaver record(s)
leave-drafts = Leavers not yet submitted: { $count }

## Unit changes

unit-change-field = Field
unit-change-current = Value held by the agency
unit-change-new = Change to
unit-change-changed = changed
unit-change-name = Unit name
unit-change-uscc = Unified social credit code
unit-change-address = Address
unit-change-postal-code = Postal code
unit-change-legal-representative = Legal representative
unit-change-contact-person = Contact person
unit-change-contact-phone = Contact phone
unit-change-bank-name = Bank
unit-change-bank-account = Bank account
unit-change-saved = Change saved, waiting to be submitted
unit-change-discard = Discard changes
unit-change-discarded = Changes discarded
unit-change-has-draft = This unit has an unsubmitted change of its record; edit and save it here, submit it under Submit
unit-change-offline = The agency cannot be reached; showing the unit record saved on this computer
unit-change-no-record = No unit record on this computer yet (it downloads when online)

## Wage bases

wage-year = Year
wage-last = Current wage
wage-typed = Last year's monthly average
wage-base = Base
wage-clamp = Limit applied
wage-change = Change
wage-raised = Below the lower limit: { $lower }
wage-lowered = Above the upper limit: { $upper }
wage-limits = Bases follow the limits in force in { $period }: lower { $lower }, upper { $upper }
wage-last-source = "Current wage" is the person's wage on the agency's roster now; "—" where it holds none, and no change is computed
wage-only-changed = Only changes above
wage-shown = { $shown } shown, { $total } on the roster
wage-nothing-typed = No one's average monthly wage has been typed yet
wage-saved = Saved the wage declaration of { $count } person(s)

## Employee changes

person-change-pick-someone = Pick the person to change in the roster on the left first
person-change-person = { $name } ({ $number })
person-change-hint = Fill in only what changes; empty fields stay as they are. The grey text is the roster's current value
person-change-name = Name
person-change-ethnicity = Ethnicity
person-change-household-type = Household type
person-change-employment-form = Employment form
person-change-phone = Phone
person-change-address = Address
person-change-unchanged = Unchanged
person-change-saved = Saved the change for { $name }
person-change-changes = Changes
person-change-drafts = Employee changes not yet submitted: { $count }

## Submit

submit-kind = Kind
submit-count = Records
submit-state = Check
submit-people = { $count }
submit-valid = Valid
submit-unchecked = Not checked (no reference data)
submit-with-errors = { $count } with errors, cannot be submitted
submit-with-warnings = { $count } with warnings, can be submitted
submit-nothing = Nothing waiting to be submitted
submit-submit = Submit selected
submit-blocked = The selected kinds hold records with errors; nothing was submitted. Correct the records listed below, or untick their kind, and submit again.
submit-problems = Records to correct: { $count }
submit-already-queued = { $count } declaration(s) already queued are sent along
submit-progress = Sent { $done } of { $total } declaration(s) ({ $items } records)
submit-cancel = Stop sending
submit-accepted = The agency accepted { $count } declaration(s); the results arrive by themselves
submit-returned = The agency refused { $count } declaration(s); their records are back among the unsubmitted ones with the reasons
submit-offline = The agency cannot be reached: { $count } declaration(s) are kept in the queue on this computer and are sent when the connection returns
submit-cancelled = Stopped: { $count } declaration(s) stay queued and are sent at the next refresh
