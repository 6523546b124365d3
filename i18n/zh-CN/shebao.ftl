## The home page's modules and their functions

module-declarations = 申报管理
module-submission = 数据提交
module-queries = 查询统计
module-system = 系统管理

function-hire = 在职增员
function-leave = 在职减员
function-wage = 工资申报
function-unit-change = 单位信息变更
function-person-change = 人员信息变更
function-submit = 数据提交
function-declaration-query = 申报查询
function-unit-info = 单位信息
function-people = 人员信息
function-dues = 单位应缴
function-password = 修改密码
function-settings = 设置
function-backup = 备份与恢复
function-about = 关于

## Pages in the work area

page-close = 返回首页
page-loading = 正在读取…

## 关于

about-version = 版本
about-data = 数据目录
about-key = 数据库密钥
about-log = 日志文件
about-agency = 经办机构地址
about-reference = 参考数据版本
about-reference-none = 尚未下载（登录并同步后获得）

## 申报表单（减员、工资、单位与人员信息变更共用）

drafting-no-reference = 本机还没有经办机构的参考数据（代码表与缴费基数上下限），无法核对；请联网后在首页点“刷新”。
drafting-save = 保存
drafting-save-edit = 保存修改
drafting-clear = 清空
drafting-edit = 修改一行
drafting-delete = 删除
drafting-name = 姓名
drafting-document-no = 证件号码
drafting-problems = 问题

## 从参保人员名册中选人

roster-search = 按姓名或证件号码查找
roster-count = 找到 { $found } 人，名册共 { $total } 人
roster-cached = 本机保存的名册，正在向经办机构更新…
roster-fresh = 名册已从经办机构更新
roster-offline = 无法连接经办机构，显示本机保存的名册
roster-empty = 名册中还没有人员（联网后自动下载）
roster-picked = 选择
roster-insured-from = 本单位参保起始年月

## 在职减员

leave-reason = 减员原因
leave-reason-placeholder = 请选择减员原因
leave-left-on = 离职日期
leave-stop-month = 停保年月
leave-remarks = 备注
leave-picked = 已选 { $count } 人（在左侧名册中点击选择或取消）
leave-pick-someone = 请先在名册中选择要减员的人员
leave-saved = 已保存 { $count } 条减员记录
leave-drafts = 未提交的减员：{ $count } 条

## 单位信息变更

unit-change-field = 项目
unit-change-current = 经办机构登记的现值
unit-change-new = 变更为
unit-change-changed = 已修改
unit-change-name = 单位名称
unit-change-uscc = 统一社会信用代码
unit-change-address = 单位地址
unit-change-postal-code = 邮政编码
unit-change-legal-representative = 法定代表人
unit-change-contact-person = 联系人
unit-change-contact-phone = 联系电话
unit-change-bank-name = 开户银行
unit-change-bank-account = 银行账号
unit-change-saved = 变更已保存，等待提交
unit-change-discard = 放弃变更
unit-change-discarded = 已放弃变更
unit-change-has-draft = 本单位有一条未提交的单位信息变更，修改后保存即可；提交请到“数据提交”
unit-change-offline = 无法连接经办机构，显示本机保存的单位信息
unit-change-no-record = 本机还没有单位信息（联网后自动下载）

## 工资申报

wage-year = 申报年度
wage-last = 现缴费工资
wage-typed = 上年月平均工资
wage-base = 缴费基数
wage-clamp = 上下限调整
wage-change = 变化
wage-raised = 低于下限，按下限 { $lower }
wage-lowered = 高于上限，按上限 { $upper }
wage-limits = 按 { $period } 所在期间的缴费基数上下限核定：下限 { $lower }，上限 { $upper }
wage-last-source = “现缴费工资”取自经办机构名册中此人现在的工资；没有时显示“—”，不计算变化
wage-only-changed = 只看变化超过
wage-shown = 显示 { $shown } 人，名册共 { $total } 人
wage-nothing-typed = 还没有填写任何人的上年月平均工资
wage-saved = 已保存 { $count } 人的工资申报

## 人员信息变更

person-change-pick-someone = 请先在左侧名册中选择要变更信息的人员
person-change-person = { $name }（{ $number }）
person-change-hint = 只填写要变更的项目；留空的项目不变。输入框中的灰字是名册中的现值
person-change-name = 姓名
person-change-ethnicity = 民族
person-change-household-type = 户口性质
person-change-employment-form = 用工形式
person-change-phone = 联系电话
person-change-address = 住址
person-change-unchanged = 不变更
person-change-saved = 已保存 { $name } 的信息变更
person-change-changes = 变更内容
person-change-drafts = 未提交的人员信息变更：{ $count } 条

## 数据提交

submit-kind = 申报业务
submit-count = 人数
submit-state = 核对结果
submit-people = { $count } 条
submit-valid = 核对通过
submit-unchecked = 未核对（无参考数据）
submit-with-errors = { $count } 条有错误，不能提交
submit-with-warnings = { $count } 条有提示，可以提交
submit-nothing = 没有未提交的数据
submit-submit = 提交所选
submit-blocked = 所选业务中有错误的数据，本次没有提交任何数据。请按下面列出的问题修改后再提交，或取消勾选该业务。
submit-problems = 需要修改的数据：{ $count } 条
submit-already-queued = 另有 { $count } 份申报已排队等待发送，提交时一并发送
submit-progress = 已发送 { $done } / { $total } 份申报（共 { $items } 条）
submit-cancel = 停止发送
submit-accepted = 经办机构已接收 { $count } 份申报，处理结果会自动送达
submit-returned = { $count } 份申报被经办机构退回，数据已回到未提交列表，并注明了原因
submit-offline = 无法连接经办机构：{ $count } 份申报已保存在本机的待发送队列中，网络恢复后会自动发送
submit-cancelled = 已停止：{ $count } 份申报留在待发送队列中，下次刷新时发送
## 申报查询

query-bucket-not-submitted = 未提交
query-bucket-waiting = 提交后等待处理
query-bucket-processing = 正在处理
query-bucket-succeeded-unviewed = 处理成功还未查阅
query-bucket-failed-unviewed = 处理失败还未查阅
query-bucket-partly-unviewed = 部分处理成功还未查阅
query-state-queued = 等待发送
query-state-succeeded = 处理成功
query-state-failed = 处理失败
query-state-partly = 部分处理成功
query-state-unknown = 未知状态
query-item-accepted = 成功
query-item-refused = 失败
query-item-pending = 待处理
query-item-elsewhere = （在其他电脑申报）
query-all-states = 全部状态
query-all-kinds = 全部业务
query-period-placeholder = 所属期，如 2026-11
query-search-placeholder = 姓名或证件号码
query-count = 共 { $total } 笔申报，显示 { $shown } 笔
query-col-kind = 业务类型
query-col-period = 所属期
query-col-people = 人员
query-col-items = 人数
query-col-state = 状态
query-col-created = 申报时间
query-col-line = 序号
query-col-name = 姓名
query-col-document = 证件号码
query-col-verdict = 处理结果
query-col-reason = 失败原因
query-items-failed = { $items }（{ $failed } 人失败）
query-period-is = 所属期：{ $period }
query-items-summary = 共 { $items } 人，其中 { $failed } 人失败
query-back-to-list = 返回列表
query-person-history = 个人历史
query-correct-and-redeclare = 改正后重新申报
query-viewed-told = 已查阅，经办机构已收到查阅标记。
query-viewed-queued = 已查阅；暂时无法连接经办机构，查阅标记将在联网后自动发送。

## 个人历史

history-heading = { $name }（{ $document }）的申报历史
history-back = 返回
history-none = 本机没有此人的申报记录。

## 导出

export-to = 导出到
export-button = 导出
export-done = 已导出 { $rows } 行。

## 人员信息

people-col-wage = 申报工资
people-col-insurance = 参保险种
people-col-insured-from = 参保起始
people-refresh = 从经办机构更新
people-refreshing = 正在更新…
people-none = 本机还没有参保人员名单；联网后点“从经办机构更新”。
people-count = 共 { $total } 人，显示 { $shown } 人

## 单位信息

unit-field-unit-no = 单位编号
unit-field-name = 单位名称
unit-field-uscc = 统一社会信用代码
unit-field-address = 单位地址
unit-field-postal-code = 邮政编码
unit-field-legal-representative = 法定代表人
unit-field-contact-person = 联系人
unit-field-contact-phone = 联系电话
unit-field-bank-name = 开户银行
unit-field-bank-account = 银行账号
unit-none = 本机还没有单位信息；联网后点“从经办机构更新”。

## 单位应缴

dues-col-month = 费款所属期
dues-col-insurance = 险种
dues-col-base = 缴费基数
dues-col-unit = 单位缴纳
dues-col-personal = 个人缴纳
dues-col-status = 缴费状态
dues-paid = 已缴
dues-owed = 欠缴
dues-totals = 单位合计 { $unit } 元，个人合计 { $personal } 元，其中欠缴 { $owed } 元
dues-chart = 各月应缴（红色为有欠缴）
dues-preview = 未提交的 { $people } 名增员本月将增加：单位 { $unit } 元，个人 { $personal } 元
dues-preview-none = 没有未提交的增员。
dues-preview-unavailable = 无法估算未提交增员的费用：{ $reason }
dues-no-reference = 本机还没有参考数据，请联网同步

## 修改密码

password-rules = 经办机构对新密码的要求：至少 8 位；不能与原密码相同；不能全是数字。建议字母、数字和符号混用。
password-old = 原密码
password-new = 新密码
password-confirm = 确认新密码
password-old-missing = 请输入原密码。
password-mismatch = 两次输入的新密码不一致。
password-submit = 确定
password-submitting = 正在提交…
password-changed = 密码已修改，下次登录请使用新密码。

## 设置

settings-agency-url = 经办机构地址
settings-ca-file = CA 证书文件
settings-ca-placeholder = 留空则只信任系统证书
settings-reader = 读卡器
settings-reader-placeholder = 留空则使用插有 UKey 的第一个读卡器
settings-language = 界面语言
settings-theme = 界面颜色
settings-theme-system = 跟随系统
settings-theme-light = 浅色
settings-theme-dark = 深色
settings-poll = 处理结果查询间隔（秒）
settings-poll-range = 请填写 { $min } 到 { $max } 之间的秒数。
settings-url-https = 经办机构地址须以 https:// 开头。
settings-save = 保存
settings-saved = 设置已保存。
settings-when = 界面语言保存后立即生效；颜色、经办机构地址、证书、读卡器和查询间隔在下次启动时生效。
settings-notice-unreadable = 无法读取设置文件 { $path }（{ $reason }），本次使用默认设置。
settings-notice-broken = 设置文件格式有误（{ $reason }），本次使用默认设置；保存后将重写该文件。
settings-notice-field = 设置项“{ $field }”的值无法使用，已改用默认值；请在下面重新设置并保存。
settings-notice-unknown = 设置文件中有本程序不认识的项“{ $field }”，已忽略；保存后将被删除。

## 备份与恢复

backup-explained = 备份文件是加密的：在本机无需输入即可恢复；设置备份密码后，在新电脑、新的 Windows 账户或密钥环重置后也能用备份密码恢复。
backup-to = 备份到
backup-now = 立即备份
backup-path-missing = 请填写备份文件的路径。
backup-done = 已备份到 { $path }。
backup-restore-from = 从备份恢复
backup-restore-placeholder = 备份文件路径，或在下面的自动备份中选择
backup-restore = 恢复…
backup-restore-missing = 找不到这个备份文件，请检查路径。
backup-confirm = 将用备份 { $path } 替换本机的全部数据：当前的 { $drafts } 份未提交数据和 { $declarations } 笔申报记录都将被备份中的内容取代。当前数据库会另存为 store.db.replaced-（加时间），不会删除。确定恢复吗？
backup-confirm-yes = 确定恢复
backup-confirm-no = 取消
backup-restored = 已从 { $path } 恢复。
backup-daily = 每日自动备份（保留最近 { $days } 天）
backup-size = { $kb } KB
backup-use = 用这个恢复
backup-password-title = 备份密码
backup-key-home = 数据库密钥保存在：{ $home }
backup-password-is-set = 备份密码已于 { $at } 设置：此后的备份（包括每日自动备份）在任何电脑上都可用备份密码或恢复码恢复。
backup-password-not-set = 尚未设置备份密码：备份只能在本机恢复。换电脑、换 Windows 账户或重置密钥环后将无法打开。
backup-password-new = 新的备份密码（至少 8 个字符）
backup-password-again = 再输入一次
backup-password-save = 设置备份密码
backup-password-differ = 两次输入的备份密码不一致。
backup-password-set = 备份密码已设置。
backup-recovery-code-explained = 恢复码（只显示这一次）：忘记备份密码时可以用它恢复备份。请抄下或打印，与电脑分开保管。
backup-needs-password = 这个备份是在另一台电脑（或密钥环重置前）做的，需要输入做备份时的备份密码或恢复码。
backup-password-or-code = 备份密码或恢复码
backup-password-needed = 请输入这个备份的备份密码或恢复码。
backup-wrong-password = 备份密码或恢复码不对，什么都没有改变。请输入做这个备份时设置的备份密码。
key-home-secret-service = 系统密钥环（Secret Service：GNOME 密钥环或 KWallet），服务 shebao，条目 { $entry }
key-home-windows = Windows 凭据管理器，服务 shebao，条目 { $entry }
key-home-macos = macOS 钥匙串，服务 shebao，条目 { $entry }
key-home-memory = 仅在本次运行的内存中（测试）
key-home-passphrase = 不在密钥环中：由 SHEBAO_STORE_PASSPHRASE 口令派生
## 在职增员

hire-document-type = 证件类型
hire-document-no = 证件号码
hire-name = 姓名
hire-sex = 性别
hire-birth-date = 出生日期
hire-nationality = 国籍
hire-first-employed-on = 参加工作日期
hire-wage = 月工资
hire-reason = 增员原因
hire-household-type = 户口性质
hire-employment-form = 用工形式
hire-insured-from = 参保年月
hire-ethnicity = 民族
hire-phone = 联系电话
hire-remarks = 备注
hire-insurance-types = 参保险种
hire-validity = 校验
hire-valid = 有效
hire-valid-with-warnings = 有提示
hire-invalid = 有错误
hire-demo-reference = 尚未从经办机构下载参考数据，暂用演示代码表；联网刷新后将使用正式代码表。
hire-new = 职工新参保
hire-resume = 职工续保
hire-edit = 修改一行
hire-edit-title = 修改增员信息
hire-delete = 删除
hire-import = 导入
hire-go-submit = 去提交
hire-shortcuts = 快捷键：Ctrl+N 新参保　Ctrl+R 续保　Ctrl+E 修改　Delete 删除　Ctrl+Enter 去提交　↑↓ 选择
hire-count = 共 { $count } 条尚未提交的增员信息
hire-delete-question = 确定删除 { $name }（{ $number }）的增员信息吗？
hire-delete-yes = 确定删除
hire-delete-no = 取消
hire-resume-hint = 输入证件号码后，系统会查询经办机构是否已有此人的基本信息，有则自动填入。
hire-lookup-looking = 正在查询此人的基本信息…
hire-lookup-found = 经办机构已有此人的基本信息，已填入，请核对。
hire-lookup-roster = 无法连接经办机构，已按本单位参保人员名单填入，请核对。
hire-lookup-none = 经办机构没有此人的基本信息，请按新参保填写。
hire-lookup-failed = 查询失败：{ $reason }
hire-saved = 已保存 { $name } 的增员信息，请录入下一位。
hire-save = 保存
hire-close-form = 关闭
hire-form-keys = Tab 下一项　Shift+Tab 上一项　Enter 保存　Esc 关闭
hire-from-number = （由证件号码得出）

## 导入 (workbook import on the hire, leave and wage pages)

import-title = 从 Excel 或 CSV 文件导入
import-formats = 支持 xlsx、xls、ods 和 CSV（UTF-8 或 GBK）。列按表头名称识别，顺序不限；有错误的行不导入，写入“错误说明”文件，改正后可再次导入。
import-file = 文件
import-file-placeholder = 文件的完整路径，例如 /home/用户/增员.xlsx
import-all-or-nothing = 有任何错误行时整个文件都不导入
import-start = 开始导入
import-close = 关闭
import-no-file = 请填写要导入的文件路径。
import-reading = 正在读取文件…
import-read = 已读取 { $rows } 行，正在检查…
import-checked = 已检查 { $done } / { $total } 行
import-saving = 正在保存 { $count } 条草稿…
import-imported = 已导入 { $count } 条草稿。
import-already = { $count } 行已在草稿中，未重复导入。
import-rejected = { $count } 行有错误，未导入。
import-refused-whole = 因有错误行，整个文件未导入。
import-report = 错误说明已写入：{ $path }。在该文件中改正后再次导入即可。
import-ignored = 未识别的列（已忽略）：{ $columns }
## The window

app-title = 社保网上申报客户端
app-title-demo = 社保网上申报客户端（演示）
app-card-pulled = UKey 已拔出，已退出登录。本机数据都已保存；请插入 UKey 重新登录。
app-agency-back = 已重新连接经办机构，请登录后提交和同步。

## The UKey and its reader

card-looking = 正在查找读卡器
card-no-service = 智能卡服务未运行
card-no-reader = 未找到读卡器
card-insert = 请插入 UKey
card-reading = 正在读取 UKey
card-ready = UKey 已就绪
card-unreadable = UKey 无法读取
card-advice-no-reader = 没有找到读卡器：请插好本单位的 UKey；如已插入，请换一个 USB 口。
card-advice-insert = 请插入本单位的 UKey，单位编号和名称会自动显示。

## 登录

login-heading = 社保网上申报 · 单位登录
login-card-state = UKey 状态
login-unit-no = 单位编号
login-unit-name = 单位名称
login-password = 单位密码
login-pin = PIN
login-pin-placeholder = UKey PIN
login-captcha = 验证码
login-captcha-loading = 正在获取验证码…
login-captcha-another = 看不清楚？换一张
login-submit = 登录
login-submitting = 正在登录…
login-insert-card = 请先插入本单位的 UKey。
login-password-missing = 请输入单位密码。
login-captcha-missing = 请输入验证码。
login-pin-missing = 请输入 UKey 的 PIN。
login-captcha-none = 验证码尚未取得，请点击“换一张”。
login-pin-required = 这把 UKey 需要先输入 PIN。
login-offline-offer = 暂时连不上经办机构。可以先离线工作：录入和修改本机的草稿，连接恢复后再登录提交。
login-offline-work = 离线工作
login-offline-opening = 正在打开本机数据…

## 修改密码

password-heading = 修改密码
password-explain = 单位 { $unit_no } { $unit_name } 仍在使用初始密码。请先修改密码，再办理其他业务。
password-old = 原密码
password-new = 新密码
password-confirm = 确认新密码
password-confirm-placeholder = 再输入一次
password-submit = 确定
password-submitting = 正在提交…
password-old-missing = 请输入原密码。
password-too-short = 新密码至少 { $min } 位。
password-same = 新密码不能与原密码相同。
password-digits-only = 新密码不能全是数字。
password-mismatch = 两次输入的新密码不一致。

## 首页

home-unit-no = 单位编号：{ $unit_no }
home-unit-name = 单位名称：{ $unit_name }
home-nav-home = 首页
home-refresh = 刷新
home-refreshing = 正在刷新…
home-log-out = 注销
home-log-in = 登录
home-exit = 退出
home-online = 在线
home-offline = 离线
home-connecting = 正在连接
home-never-synced = 尚未同步
home-synced-at = 上次同步：{ $at }
home-outbox = 待发送：{ $count } 份申报
home-new-feedback = 有新的处理结果，请查阅。
home-offline-work = 离线工作中：可以处理本机的草稿；提交和查询要等连接恢复并登录后。
home-buckets = 申报状态
home-bucket-not-submitted = 未提交
home-bucket-waiting = 提交后等待处理
home-bucket-processing = 正在处理
home-bucket-succeeded-unviewed = 处理成功还未查阅
home-bucket-failed-unviewed = 处理失败还未查阅
home-bucket-partly-succeeded-unviewed = 部分处理成功还未查阅

## 系统公告

notices-heading = 系统公告
notices-loading = 正在取得公告…
notices-offline = 暂时无法取得公告（未连接经办机构）。
notices-none = 暂无公告。
notices-attachments = 附件
notices-save = 保存
notices-saving = 正在保存…
notices-saved = 已保存到 { $path }
notices-save-failed = 附件 { $name } 未能保存：{ $reason }

## Why a job failed

failure-login-refused = 单位密码或验证码不正确（或此 UKey 未在经办机构登记），请重新输入。
failure-captcha-expired = 验证码已过期，已换一张，请重新输入。
failure-locked-out = 登录失败次数过多，单位已被锁定，请 { $minutes } 分钟后再试。
failure-offline = 无法连接经办机构，请检查网络。已录入的数据都保存在本机，不会丢失。
failure-login-required = 登录已过期，请重新登录。
failure-password-change-required = 请先修改初始密码。
failure-wrong-old-password = 原密码不正确。
failure-weak-password = 经办机构不接受这个新密码：{ $reason }
failure-setup = 连接设置不可用：{ $reason }
failure-store = 本机数据库无法使用：{ $reason }
failure-job-start = 无法启动后台任务：{ $reason }
failure-job-aborted = 后台任务意外中止，请重试。
failure-not-logged-in = 离线工作时不能办理这项业务：请在连接恢复后登录。
