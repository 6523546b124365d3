//! The functions of the four modules on the home page, in the seed system's order. Each opens
//! a page in the work area; a function whose page has not been built is shown disabled.

use crate::fl;

/// One of the four modules of the home page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Module {
    Declarations,
    Submission,
    Queries,
    System,
}

impl Module {
    pub const ALL: [Module; 4] = [
        Module::Declarations,
        Module::Submission,
        Module::Queries,
        Module::System,
    ];

    pub fn label(self) -> String {
        match self {
            Module::Declarations => fl!("module-declarations"),
            Module::Submission => fl!("module-submission"),
            Module::Queries => fl!("module-queries"),
            Module::System => fl!("module-system"),
        }
    }

    pub fn functions(self) -> &'static [Function] {
        use Function::*;
        match self {
            Module::Declarations => &[Hire, Leave, Wage, UnitChange, PersonChange],
            Module::Submission => &[Submit],
            Module::Queries => &[DeclarationQuery, UnitInfo, People, Dues],
            Module::System => &[Password, Settings, Backup, About],
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Function {
    /// 在职增员
    Hire,
    /// 在职减员
    Leave,
    /// 工资申报
    Wage,
    /// 单位信息变更
    UnitChange,
    /// 人员信息变更
    PersonChange,
    /// 数据提交
    Submit,
    /// 申报查询
    DeclarationQuery,
    /// 单位信息
    UnitInfo,
    /// 人员信息
    People,
    /// 单位应缴
    Dues,
    /// 修改密码
    Password,
    /// 设置
    Settings,
    /// 备份与恢复
    Backup,
    /// 关于
    About,
}

impl Function {
    pub fn label(self) -> String {
        match self {
            Function::Hire => fl!("function-hire"),
            Function::Leave => fl!("function-leave"),
            Function::Wage => fl!("function-wage"),
            Function::UnitChange => fl!("function-unit-change"),
            Function::PersonChange => fl!("function-person-change"),
            Function::Submit => fl!("function-submit"),
            Function::DeclarationQuery => fl!("function-declaration-query"),
            Function::UnitInfo => fl!("function-unit-info"),
            Function::People => fl!("function-people"),
            Function::Dues => fl!("function-dues"),
            Function::Password => fl!("function-password"),
            Function::Settings => fl!("function-settings"),
            Function::Backup => fl!("function-backup"),
            Function::About => fl!("function-about"),
        }
    }

    /// Whether the function's page exists; the others are shown, disabled, so the clerk finds
    /// every landmark of the seed system.
    pub fn is_available(self) -> bool {
        super::page::Page::exists(self)
    }
}
