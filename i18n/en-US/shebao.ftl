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
