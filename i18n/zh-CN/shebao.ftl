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
