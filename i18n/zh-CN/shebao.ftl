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
