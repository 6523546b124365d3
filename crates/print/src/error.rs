//! What can go wrong when a form is printed or a printed page is read back.

use std::path::PathBuf;
use std::sync::Arc;

use thiserror::Error;

/// A failure to print. `Clone`, so it can travel in the window's messages.
#[derive(Debug, Clone, Error)]
pub enum PrintError {
    #[error(
        "找不到打印用的中文字体 {file}（查找过：{}）。请重新安装 shebao，或用环境变量 \
         SHEBAO_PRINT_FONT 指向该字体文件",
        looked.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join("；")
    )]
    FontMissing {
        file: &'static str,
        looked: Vec<PathBuf>,
    },
    #[error("无法读取打印字体 {path}：{source}")]
    FontUnreadable {
        path: PathBuf,
        source: Arc<std::io::Error>,
    },
    #[error("{what} 不是可用的 OpenType 字体（或字体集中没有简体中文字形）")]
    FontInvalid { what: String },
    #[error("打印模板 {file} 有误：{message}")]
    Template { file: &'static str, message: String },
    #[error("生成 PDF 失败：{0}")]
    Pdf(String),
    #[error("二维码内容太长（{0} 字节），无法编码")]
    QrTooLong(usize),
}

/// A failure to read a printed page back.
#[derive(Debug, Clone, Error)]
pub enum VerifyError {
    #[error("无法读取 {path}：{source}")]
    Unreadable {
        path: PathBuf,
        source: Arc<std::io::Error>,
    },
    #[error("{0} 既不是 PDF 也不是 PNG 文件；请给出打印的 PDF，或扫描件的 PNG 图片")]
    UnknownFormat(PathBuf),
    #[error("PDF 文件无法解析（损坏或加密）")]
    BadPdf,
    #[error("PNG 图片无法解码：{0}")]
    BadPng(String),
    #[error("图片太大（{width}×{height} 像素）；请以不超过 {limit} 万像素扫描")]
    ImageTooLarge { width: u32, height: u32, limit: u32 },
    #[error("没有找到 shebao 打印的二维码；扫描件请至少 200 dpi，且二维码完整、清晰")]
    NoCode,
}
