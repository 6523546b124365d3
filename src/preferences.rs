//! How the window looks: light, dark or as the system, and how large. Read by the app on every
//! frame, so a change made by the settings page shows at once. The starting values come from
//! `SHEBAO_THEME` and `SHEBAO_SCALE`; the settings page may replace them with its own at start.

use std::sync::{PoisonError, RwLock};

/// The colours of the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Theme {
    /// Light or dark as the desktop is, following it when it changes.
    #[default]
    System,
    Light,
    Dark,
}

#[allow(dead_code)] // The settings page offers the choices.
impl Theme {
    pub const ALL: [Theme; 3] = [Theme::System, Theme::Light, Theme::Dark];

    /// The iced theme; `None` lets iced follow the system's light or dark mode.
    pub fn iced(self) -> Option<iced::Theme> {
        match self {
            Theme::System => None,
            Theme::Light => Some(iced::Theme::Light),
            Theme::Dark => Some(iced::Theme::Dark),
        }
    }

    /// `system`, `light` or `dark`, as the environment variable and a settings file spell it.
    pub fn from_name(name: &str) -> Option<Theme> {
        match name.trim().to_ascii_lowercase().as_str() {
            "system" | "" => Some(Theme::System),
            "light" => Some(Theme::Light),
            "dark" => Some(Theme::Dark),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Theme::System => "system",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }
}

/// The scales the interface is designed and checked for; the settings page offers these.
#[allow(dead_code)] // The settings page offers them.
pub const SCALES: [f32; 4] = [1.0, 1.25, 1.5, 2.0];

/// Out-of-range scales are clamped to this range: beyond it 1024x768 shows too little.
const SCALE_RANGE: (f32, f32) = (0.75, 2.0);

/// What the clerk chose for the window.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Preferences {
    pub theme: Theme,
    /// Multiplies the desktop's own scaling: 1.5 makes everything half as large again.
    pub scale: f32,
    /// How often the home page asks the agency for feedback, in seconds.
    pub feedback_poll_seconds: u64,
}

/// The feedback polling interval until the settings say otherwise.
const FEEDBACK_POLL_SECONDS: u64 = 60;

impl Default for Preferences {
    fn default() -> Self {
        Self {
            theme: Theme::System,
            scale: 1.0,
            feedback_poll_seconds: FEEDBACK_POLL_SECONDS,
        }
    }
}

impl Preferences {
    /// `SHEBAO_THEME` (`system`, `light`, `dark`) and `SHEBAO_SCALE` (e.g. `1.5`); what is
    /// unset or unreadable keeps its default.
    pub fn from_environment() -> Preferences {
        let mut preferences = Preferences::default();
        if let Some(theme) = std::env::var("SHEBAO_THEME")
            .ok()
            .and_then(|name| Theme::from_name(&name))
        {
            preferences.theme = theme;
        }
        if let Some(scale) = std::env::var("SHEBAO_SCALE")
            .ok()
            .and_then(|s| s.trim().parse::<f32>().ok())
        {
            preferences.scale = scale;
        }
        preferences.checked()
    }

    fn checked(mut self) -> Self {
        // The agency is not to be asked more often than every 15 s.
        self.feedback_poll_seconds = self.feedback_poll_seconds.max(15);
        self.scale = if self.scale.is_finite() {
            self.scale.clamp(SCALE_RANGE.0, SCALE_RANGE.1)
        } else {
            1.0
        };
        self
    }
}

static CURRENT: RwLock<Preferences> = RwLock::new(Preferences {
    theme: Theme::System,
    scale: 1.0,
    feedback_poll_seconds: FEEDBACK_POLL_SECONDS,
});

/// The preferences in force.
pub fn current() -> Preferences {
    *CURRENT.read().unwrap_or_else(PoisonError::into_inner)
}

/// Use `preferences` from the next frame on. A scale outside 0.75–2 is clamped.
pub fn set(preferences: Preferences) {
    *CURRENT.write().unwrap_or_else(PoisonError::into_inner) = preferences.checked();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_agency_is_never_polled_more_often_than_every_fifteen_seconds() {
        let eager = Preferences {
            feedback_poll_seconds: 1,
            ..Preferences::default()
        };
        assert_eq!(eager.checked().feedback_poll_seconds, 15);
        assert_eq!(Preferences::default().checked().feedback_poll_seconds, 60);
    }

    #[test]
    fn theme_names_read_back() {
        for theme in Theme::ALL {
            assert_eq!(Theme::from_name(theme.name()), Some(theme));
        }
        assert_eq!(Theme::from_name(" Dark "), Some(Theme::Dark));
        assert_eq!(Theme::from_name("purple"), None);
    }

    #[test]
    fn a_scale_that_would_hide_the_window_is_clamped() {
        let tiny = Preferences {
            scale: 0.1,
            ..Preferences::default()
        };
        assert_eq!(tiny.checked().scale, 0.75);
        let broken = Preferences {
            scale: f32::NAN,
            ..Preferences::default()
        };
        assert_eq!(broken.checked().scale, 1.0);
    }

    #[test]
    fn only_the_system_theme_leaves_the_choice_to_the_desktop() {
        assert!(Theme::System.iced().is_none());
        assert_eq!(Theme::Dark.iced(), Some(iced::Theme::Dark));
    }
}
