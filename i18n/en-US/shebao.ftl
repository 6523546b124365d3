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
about-key = Store key
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
export-button = Export
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

## Change password

password-rules = The agency's rules for a new password: at least 8 characters; not the same as the old one; not digits only. Mixing letters, digits and symbols is best.
password-old = Old password
password-new = New password
password-confirm = Confirm
password-old-missing = Type the old password.
password-mismatch = The two new passwords differ.
password-submit = Change
password-submitting = Sending…
password-changed = Password changed; use the new one at the next login.

## Settings

settings-agency-url = Agency address
settings-ca-file = CA certificate file
settings-ca-placeholder = Empty: trust the system's certificates only
settings-reader = Card reader
settings-reader-placeholder = Empty: the first reader holding a UKey
settings-language = Language
settings-theme = Colours
settings-theme-system = As the system
settings-theme-light = Light
settings-theme-dark = Dark
settings-poll = Feedback check interval (seconds)
settings-poll-range = Give a number of seconds between { $min } and { $max }.
settings-url-https = The agency address must start with https://.
settings-save = Save
settings-saved = Settings saved.
settings-when = The language applies as soon as you save; colours, the agency address, certificate, reader and check interval at the next start.
settings-notice-unreadable = The settings file { $path } cannot be read ({ $reason }); the defaults are used this time.
settings-notice-broken = The settings file is malformed ({ $reason }); the defaults are used this time, and saving rewrites the file.
settings-notice-field = The setting “{ $field }” has a value that cannot be used; its default is used instead. Set it again below and save.
settings-notice-unknown = The settings file has an entry “{ $field }” this version does not know; it is ignored and dropped when you save.

## Backup and restore

backup-explained = A backup is encrypted: on this computer it restores with nothing typed; once a backup password is set, it also restores with that password on a new computer, a new Windows profile or after a keyring reset.
backup-to = Back up to
backup-now = Back up now
backup-path-missing = Give the backup file's path.
backup-done = Backed up to { $path }.
backup-restore-from = Restore from
backup-restore-placeholder = A backup file's path, or pick a daily backup below
backup-restore = Restore…
backup-restore-missing = That backup file does not exist; check the path.
backup-confirm = The backup { $path } will replace all data on this computer: the { $drafts } items not yet submitted and the { $declarations } declarations now here give way to the backup's. The current database is kept as store.db.replaced- (with the time), never deleted. Restore?
backup-confirm-yes = Restore
backup-confirm-no = Cancel
backup-restored = Restored from { $path }.
backup-daily = Daily automatic backups (the last { $days } days)
backup-size = { $kb } KB
backup-use = Restore this one
backup-password-title = Backup password
backup-key-home = The store's key is kept in: { $home }
backup-password-is-set = The backup password was set on { $at }: backups made since (the daily ones too) restore on any computer with the backup password or the recovery code.
backup-password-not-set = No backup password is set: backups restore on this computer only. On a new computer, a new Windows profile or after a keyring reset they cannot be opened.
backup-password-new = New backup password (8 characters or more)
backup-password-again = Again
backup-password-save = Set backup password
backup-password-differ = The two backup passwords differ.
backup-password-set = The backup password is set.
backup-recovery-code-explained = Recovery code (shown only now): it restores backups if the backup password is forgotten. Write it down or print it, and keep it away from the computer.
backup-needs-password = This backup was made on another computer (or before the keyring was reset): type the backup password or recovery code it was made with.
backup-password-or-code = Backup password or recovery code
backup-password-needed = Type this backup's backup password or recovery code.
backup-wrong-password = The backup password or recovery code is wrong; nothing was changed. Type the backup password that was set when this backup was made.
key-home-secret-service = the system keyring (Secret Service: GNOME Keyring or KWallet), service shebao, entry { $entry }
key-home-windows = Windows Credential Manager, service shebao, entry { $entry }
key-home-macos = the macOS Keychain, service shebao, entry { $entry }
key-home-memory = memory only, for this run (tests)
key-home-passphrase = no keyring: derived from the SHEBAO_STORE_PASSPHRASE passphrase
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

## Import (workbook import on the hire, leave and wage pages)

import-title = Import from an Excel or CSV file
import-formats = xlsx, xls, ods and CSV (UTF-8 or GBK). Columns are found by their headings, in any order; rows with errors are not imported but written to an annotated copy of the file, which you can fix and import again.
import-file = File
import-file-placeholder = The file's full path, e.g. /home/user/hires.xlsx
import-all-or-nothing = Import nothing if any row has an error
import-start = Import
import-close = Close
import-no-file = Enter the path of the file to import.
import-reading = Reading the file…
import-read = { $rows } rows read, checking…
import-checked = { $done } of { $total } rows checked
import-saving = Saving { $count } drafts…
import-imported = { $count } drafts imported.
import-already = { $count } rows are drafts already and were not imported again.
import-rejected = { $count } rows have errors and were not imported.
import-refused-whole = Nothing was imported because some rows have errors.
import-report = The errors are written to { $path }. Fix them there and import that file again.
import-ignored = Columns not recognised (ignored): { $columns }
## The window

app-title = Social insurance declarations
app-title-demo = Social insurance declarations (demo)
app-card-pulled = The UKey was pulled out, so you are logged out. Everything is saved on this computer; insert the UKey to log in again.
app-agency-back = The agency can be reached again: log in to submit and sync.

## The UKey and its reader

card-looking = Looking for card readers
card-no-service = Smart-card service not running
card-no-reader = No card reader found
card-insert = Insert the UKey
card-reading = Reading the UKey
card-ready = UKey ready
card-unreadable = UKey cannot be read
card-advice-no-reader = No card reader was found: plug in your unit's UKey; if it is plugged in, try another USB port.
card-advice-insert = Insert your unit's UKey; the unit number and name appear by themselves.

## Login

login-heading = Social insurance declarations · Unit login
login-card-state = UKey
login-unit-no = Unit number
login-unit-name = Unit name
login-password = Unit password
login-pin = PIN
login-pin-placeholder = UKey PIN
login-captcha = Captcha
login-captcha-loading = Fetching the captcha…
login-captcha-another = Hard to read? Another one
login-submit = Log in
login-submitting = Logging in…
login-insert-card = Insert your unit's UKey first.
login-password-missing = Enter the unit password.
login-captcha-missing = Enter the captcha.
login-pin-missing = Enter the UKey's PIN.
login-captcha-none = There is no captcha yet: click "Another one".
login-pin-required = This UKey wants its PIN first.
login-offline-offer = The agency cannot be reached right now. You can work offline on the drafts on this computer and log in to submit them once the connection is back.
login-offline-work = Work offline
login-offline-opening = Opening the data on this computer…

## Change password

password-heading = Change password
password-explain = Unit { $unit_no } { $unit_name } still uses its initial password. Change it before anything else.
password-old = Old password
password-new = New password
password-confirm = Confirm
password-confirm-placeholder = Type it again
password-submit = OK
password-submitting = Submitting…
password-old-missing = Enter the old password.
password-too-short = The new password needs at least { $min } characters.
password-same = The new password must differ from the old one.
password-digits-only = The new password cannot be digits only.
password-mismatch = The two new passwords differ.

## Home

home-unit-no = Unit number: { $unit_no }
home-unit-name = Unit name: { $unit_name }
home-nav-home = Home
home-refresh = Refresh
home-refreshing = Refreshing…
home-log-out = Log out
home-log-in = Log in
home-exit = Exit
home-online = Online
home-offline = Offline
home-connecting = Connecting
home-never-synced = Not synced yet
home-synced-at = Last sync: { $at }
home-outbox = To send: { $count } declarations
home-new-feedback = New results have arrived; please look at them.
home-offline-work = Working offline: the drafts on this computer can be edited; submitting and queries wait until the connection is back and you log in.
home-buckets = Declarations
home-bucket-not-submitted = Not submitted
home-bucket-waiting = Submitted, waiting
home-bucket-processing = Being processed
home-bucket-succeeded-unviewed = Succeeded, not yet viewed
home-bucket-failed-unviewed = Failed, not yet viewed
home-bucket-partly-succeeded-unviewed = Partly succeeded, not yet viewed

## Announcements

notices-heading = Announcements
notices-loading = Fetching the announcements…
notices-offline = The announcements cannot be fetched (the agency cannot be reached).
notices-none = No announcements.
notices-attachments = Attachments
notices-save = Save
notices-saving = Saving…
notices-saved = Saved to { $path }
notices-save-failed = The attachment { $name } was not saved: { $reason }

## Why a job failed

failure-login-refused = The unit password or the captcha is wrong (or this UKey is not registered with the agency); enter them again.
failure-captcha-expired = The captcha expired; here is a new one, enter it again.
failure-locked-out = Too many failed logins: the unit is locked. Try again in { $minutes } minutes.
failure-offline = The agency cannot be reached; check the network. Everything entered is saved on this computer and is not lost.
failure-login-required = The session has expired; log in again.
failure-password-change-required = Change the initial password first.
failure-wrong-old-password = The old password is wrong.
failure-weak-password = The agency does not accept this new password: { $reason }
failure-setup = The connection settings cannot be used: { $reason }
failure-store = The local database cannot be used: { $reason }
failure-job-start = A background job cannot start: { $reason }
failure-job-aborted = A background job stopped unexpectedly; try again.
failure-not-logged-in = This cannot be done while working offline: log in once the connection is back.
