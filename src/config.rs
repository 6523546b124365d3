//! The clerk's settings, kept in `settings.toml` in the data folder. A bad or unknown field
//! never stops the app: each field is read on its own, and one that cannot be used falls back
//! to its default with a notice saying which and why, so the clerk can still log in and put it
//! right on the 设置 page.

use std::path::{Path, PathBuf};

use crate::fl;
use crate::i18n::Language;

/// The colours of the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ThemeChoice {
    /// Light or dark as the desktop is.
    #[default]
    System,
    Light,
    Dark,
}

impl ThemeChoice {
    pub const ALL: [ThemeChoice; 3] = [ThemeChoice::System, ThemeChoice::Light, ThemeChoice::Dark];

    /// What the window uses for this choice.
    pub fn preference(self) -> crate::preferences::Theme {
        match self {
            ThemeChoice::System => crate::preferences::Theme::System,
            ThemeChoice::Light => crate::preferences::Theme::Light,
            ThemeChoice::Dark => crate::preferences::Theme::Dark,
        }
    }

    fn word(self) -> &'static str {
        match self {
            ThemeChoice::System => "system",
            ThemeChoice::Light => "light",
            ThemeChoice::Dark => "dark",
        }
    }
}

impl std::fmt::Display for ThemeChoice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&match self {
            ThemeChoice::System => fl!("settings-theme-system"),
            ThemeChoice::Light => fl!("settings-theme-light"),
            ThemeChoice::Dark => fl!("settings-theme-dark"),
        })
    }
}

/// The shortest and longest feedback polling interval the settings accept: often enough to
/// be useful, rarely enough not to burden the agency.
pub const POLL_RANGE: std::ops::RangeInclusive<u64> = 15..=3600;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// The agency's API address; empty means the one the app was started with.
    pub agency_url: String,
    /// An extra CA certificate (PEM) to trust.
    pub ca_file: Option<PathBuf>,
    /// The card reader to use; `None` means the first that holds a UKey.
    pub reader: Option<String>,
    /// The PKCS#11 module of a token (the vendor's .dll or .so); `None` means UKeys over PC/SC.
    pub pkcs11_module: Option<PathBuf>,
    pub language: Language,
    pub theme: ThemeChoice,
    /// How often the agency is asked for feedback.
    pub poll_seconds: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            agency_url: String::new(),
            ca_file: None,
            reader: None,
            pkcs11_module: None,
            language: Language::default(),
            theme: ThemeChoice::default(),
            poll_seconds: 60,
        }
    }
}

/// The settings read, and what had to be set aside to read them.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    pub settings: Settings,
    pub notices: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("设置无法保存到 {path}：{reason}。请检查该文件夹是否可写。")]
    Write { path: PathBuf, reason: String },
}

/// Where the settings live.
pub fn path(data: &Path) -> PathBuf {
    data.join("settings.toml")
}

/// The settings an administrator sets for every user of the PC: `/etc/shebao/settings.toml` on
/// Linux, `%ProgramData%\shebao\settings.toml` on Windows. Only `pkcs11_module` is read from it,
/// and a user's own setting wins.
pub fn machine_path() -> Option<PathBuf> {
    if cfg!(windows) {
        std::env::var_os("ProgramData")
            .map(|dir| PathBuf::from(dir).join("shebao").join("settings.toml"))
    } else {
        Some(PathBuf::from("/etc/shebao/settings.toml"))
    }
}

/// The PKCS#11 module the settings name: the user's, else the machine's.
pub fn pkcs11_module(data: &Path) -> Option<PathBuf> {
    let from = |file: &Path| Settings::load(file).settings.pkcs11_module;
    from(&path(data)).or_else(|| machine_path().as_deref().and_then(from))
}

impl Settings {
    /// Read the settings at `path`; a missing file is the defaults, silently.
    pub fn load(path: &Path) -> Loaded {
        match std::fs::read_to_string(path) {
            Ok(text) => Self::parse(&text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Loaded::default(),
            Err(e) => Loaded {
                settings: Settings::default(),
                notices: vec![fl!(
                    "settings-notice-unreadable",
                    path = path.display().to_string(),
                    reason = e.to_string()
                )],
            },
        }
    }

    /// Read settings from the text of a settings file, field by field.
    pub fn parse(text: &str) -> Loaded {
        let mut loaded = Loaded::default();
        let table: toml::Table = match text.parse() {
            Ok(table) => table,
            Err(e) => {
                loaded.notices.push(fl!(
                    "settings-notice-broken",
                    reason = e.message().to_owned()
                ));
                return loaded;
            }
        };
        let s = &mut loaded.settings;
        let mut unknown = Vec::new();
        let mut bad = |field: &str| {
            loaded
                .notices
                .push(fl!("settings-notice-field", field = field.to_owned()));
        };
        for (key, value) in &table {
            match key.as_str() {
                "agency_url" => match value.as_str() {
                    Some(url) if url.is_empty() || url.starts_with("https://") => {
                        s.agency_url = url.to_owned()
                    }
                    _ => bad(key),
                },
                "ca_file" => match value.as_str() {
                    Some("") => s.ca_file = None,
                    Some(file) => s.ca_file = Some(PathBuf::from(file)),
                    None => bad(key),
                },
                "reader" => match value.as_str() {
                    Some("") => s.reader = None,
                    Some(reader) => s.reader = Some(reader.to_owned()),
                    None => bad(key),
                },
                "pkcs11_module" => match value.as_str() {
                    Some("") => s.pkcs11_module = None,
                    Some(module) => s.pkcs11_module = Some(PathBuf::from(module)),
                    None => bad(key),
                },
                "language" => match value.as_str() {
                    Some(tag) if tag.starts_with("zh") || tag.starts_with("en") => {
                        s.language = Language::from_tag(tag)
                    }
                    _ => bad(key),
                },
                "theme" => match value.as_str() {
                    Some("system") => s.theme = ThemeChoice::System,
                    Some("light") => s.theme = ThemeChoice::Light,
                    Some("dark") => s.theme = ThemeChoice::Dark,
                    _ => bad(key),
                },
                "poll_seconds" => match value.as_integer().and_then(|n| u64::try_from(n).ok()) {
                    Some(n) if POLL_RANGE.contains(&n) => s.poll_seconds = n,
                    _ => bad(key),
                },
                _ => unknown.push(fl!("settings-notice-unknown", field = key.clone())),
            }
        }
        loaded.notices.append(&mut unknown);
        loaded
    }

    pub fn to_toml(&self) -> String {
        let mut table = toml::Table::new();
        let mut put = |k: &str, v: toml::Value| {
            table.insert(k.to_owned(), v);
        };
        put("agency_url", self.agency_url.clone().into());
        put(
            "ca_file",
            self.ca_file
                .as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_default()
                .into(),
        );
        put("reader", self.reader.clone().unwrap_or_default().into());
        put(
            "pkcs11_module",
            self.pkcs11_module
                .as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_default()
                .into(),
        );
        put("language", self.language.tag().into());
        put("theme", self.theme.word().into());
        put("poll_seconds", (self.poll_seconds as i64).into());
        table.to_string()
    }

    /// Write the settings to `path`, whole or not at all.
    pub fn save(&self, path: &Path) -> Result<(), ConfigError> {
        let failed = |e: std::io::Error| ConfigError::Write {
            path: path.to_path_buf(),
            reason: e.to_string(),
        };
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(failed)?;
        }
        let partial = path.with_extension("toml.partial");
        std::fs::write(&partial, self.to_toml()).map_err(failed)?;
        std::fs::rename(&partial, path).map_err(failed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_survive_a_save_and_a_load() {
        let dir = tempfile::tempdir().unwrap();
        let file = path(dir.path());
        let settings = Settings {
            agency_url: "https://agency.example/api/v1".into(),
            ca_file: Some(dir.path().join("ca.pem")),
            reader: Some("Generic USB Reader 00 00".into()),
            pkcs11_module: Some(dir.path().join("libvendor-pkcs11.so")),
            language: Language::English,
            theme: ThemeChoice::Dark,
            poll_seconds: 120,
        };
        settings.save(&file).unwrap();
        let loaded = Settings::load(&file);
        assert_eq!(loaded.settings, settings);
        assert!(loaded.notices.is_empty());
    }

    #[test]
    fn a_bad_field_falls_back_alone_with_a_notice() {
        let loaded = Settings::parse(
            "poll_seconds = 2\ntheme = \"dark\"\nlanguage = 7\ncolour = \"blue\"\n",
        );
        assert_eq!(
            loaded.settings.poll_seconds, 60,
            "out of range: the default"
        );
        assert_eq!(
            loaded.settings.theme,
            ThemeChoice::Dark,
            "a good field is kept"
        );
        assert_eq!(loaded.settings.language, Language::Chinese);
        assert_eq!(loaded.notices.len(), 3);
        assert!(loaded.notices.iter().any(|n| n.contains("poll_seconds")));
        assert!(loaded.notices.iter().any(|n| n.contains("colour")));
    }

    #[test]
    fn a_broken_file_gives_the_defaults_and_says_so() {
        let loaded = Settings::parse("theme = \"dark");
        assert_eq!(loaded.settings, Settings::default());
        assert_eq!(loaded.notices.len(), 1);
        let missing = Settings::load(Path::new("/nonexistent/settings.toml"));
        assert!(missing.notices.is_empty(), "no file yet is not a problem");
    }

    #[test]
    fn the_users_pkcs11_module_is_read_beside_the_other_settings() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            path(dir.path()),
            "pkcs11_module = \"/usr/lib/softhsm/libsofthsm2.so\"\n",
        )
        .unwrap();
        assert_eq!(
            pkcs11_module(dir.path()),
            Some(PathBuf::from("/usr/lib/softhsm/libsofthsm2.so"))
        );
        let loaded = Settings::parse("pkcs11_module = 3\n");
        assert_eq!(loaded.settings.pkcs11_module, None);
        assert_eq!(loaded.notices.len(), 1);
    }

    #[test]
    fn an_address_without_tls_is_refused() {
        let loaded = Settings::parse("agency_url = \"http://agency.example\"\n");
        assert_eq!(loaded.settings.agency_url, "");
        assert_eq!(loaded.notices.len(), 1);
    }
}
