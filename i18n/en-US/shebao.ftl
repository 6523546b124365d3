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
