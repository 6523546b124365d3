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
