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
