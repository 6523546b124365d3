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
about-log = 日志文件
about-agency = 经办机构地址
about-reference = 参考数据版本
about-reference-none = 尚未下载（登录并同步后获得）

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
