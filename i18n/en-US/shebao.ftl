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
