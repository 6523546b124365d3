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

## Declarations (query)

query-bucket-not-submitted = Not submitted
query-bucket-waiting = Submitted, waiting
query-bucket-processing = Processing
query-bucket-succeeded-unviewed = Succeeded, not yet viewed
query-bucket-failed-unviewed = Failed, not yet viewed
query-bucket-partly-unviewed = Partly succeeded, not yet viewed
query-state-queued = Waiting to be sent
query-state-succeeded = Succeeded
query-state-failed = Failed
query-state-partly = Partly succeeded
query-state-unknown = Unknown state
query-item-accepted = Accepted
query-item-refused = Refused
query-item-pending = Pending
query-item-elsewhere = (declared from another computer)
query-all-states = All states
query-all-kinds = All kinds
query-period-placeholder = Period, e.g. 2026-11
query-search-placeholder = Name or ID number
query-count = { $shown } of { $total } declarations
query-col-kind = Kind
query-col-period = Period
query-col-people = People
query-col-items = Items
query-col-state = State
query-col-created = Declared at
query-col-line = Line
query-col-name = Name
query-col-document = ID number
query-col-verdict = Result
query-col-reason = Reason for refusal
query-items-failed = { $items } ({ $failed } refused)
query-period-is = Period: { $period }
query-items-summary = { $items } people, { $failed } refused
query-back-to-list = Back to the list
query-person-history = Person's history
query-correct-and-redeclare = Correct and declare again
query-viewed-told = Viewed; the agency has been told.
query-viewed-queued = Viewed; the agency cannot be reached now and is told when the connection returns.

## A person's history

history-heading = Declarations about { $name } ({ $document })
history-back = Back
history-none = This computer holds no declaration about this person.

## Export

export-to = Export to
export-csv = Export CSV
export-done = { $rows } rows exported.

## Insured people

people-col-wage = Declared wage
people-col-insurance = Insurance types
people-col-insured-from = Insured from
people-refresh = Update from the agency
people-refreshing = Updating…
people-none = No list of insured people on this computer yet; when online, press “Update from the agency”.
people-count = { $shown } of { $total } people

## Unit record

unit-field-unit-no = Unit number
unit-field-name = Unit name
unit-field-uscc = Unified social credit code
unit-field-address = Address
unit-field-postal-code = Postal code
unit-field-legal-representative = Legal representative
unit-field-contact-person = Contact person
unit-field-contact-phone = Contact phone
unit-field-bank-name = Bank
unit-field-bank-account = Bank account
unit-none = No unit record on this computer yet; when online, press “Update from the agency”.

## Dues

dues-col-month = Month
dues-col-insurance = Insurance type
dues-col-base = Base
dues-col-unit = Unit share
dues-col-personal = Personal share
dues-col-status = Status
dues-paid = Paid
dues-owed = Owed
dues-totals = Unit total { $unit }, personal total { $personal }, of which owed { $owed }
dues-chart = Dues per month (red: something owed)
dues-preview = The { $people } hires not yet submitted would add this month: unit { $unit }, personal { $personal }
dues-preview-none = No hires waiting to be submitted.
dues-preview-unavailable = The hires not yet submitted cannot be costed: { $reason }
dues-no-reference = no reference data on this computer yet; sync when online
