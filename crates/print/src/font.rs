//! The print font: where it is found, and the measures of its glyphs.
//!
//! The window's font holds only the common hanzi; a form must print every name, so the PDF
//! uses a fuller face, `ShebaoPrintSC-Regular.otf` (Noto Sans CJK SC with every hanzi it has,
//! made by `cargo xtask font print`), which the installers put beside the program. The PDF
//! embeds only the glyphs a document uses.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use crate::error::PrintError;

/// The file name of the print font, as the installers place it.
pub const FONT_FILE: &str = "ShebaoPrintSC-Regular.otf";

/// The environment variable that names a font file to print with instead.
pub const FONT_VARIABLE: &str = "SHEBAO_PRINT_FONT";

/// The face looked for in a font collection (Debian's NotoSansCJK-Regular.ttc).
const SIMPLIFIED_CHINESE: &str = "Noto Sans CJK SC";

/// A loaded print font. Cheap to clone; load it once with [`PrintFont::shared`].
#[derive(Clone)]
pub struct PrintFont {
    data: Arc<Vec<u8>>,
    index: u32,
    pdf: krilla::text::Font,
    units_per_em: f32,
    ascender: f32,
    source: String,
}

impl std::fmt::Debug for PrintFont {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PrintFont({}, face {})", self.source, self.index)
    }
}

impl PrintFont {
    /// The print font, found once per process (see [`PrintFont::locate`]) and kept.
    pub fn shared() -> Result<&'static PrintFont, PrintError> {
        static FONT: OnceLock<Result<PrintFont, PrintError>> = OnceLock::new();
        FONT.get_or_init(PrintFont::locate)
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Finds the print font: the file named by `SHEBAO_PRINT_FONT`; else `fonts/` beside the
    /// program (Windows) or `../share/shebao/fonts/` from it (Debian's /usr/bin); else the
    /// source tree's `assets/fonts/` (development builds); else Debian's Noto Sans CJK.
    pub fn locate() -> Result<PrintFont, PrintError> {
        if let Some(path) = std::env::var_os(FONT_VARIABLE) {
            return PrintFont::load(Path::new(&path));
        }
        let mut looked = Vec::new();
        if let Some(dir) = std::env::current_exe()
            .ok()
            .and_then(|exe| exe.parent().map(Path::to_path_buf))
        {
            looked.push(dir.join("fonts").join(FONT_FILE));
            looked.push(dir.join("../share/shebao/fonts").join(FONT_FILE));
        }
        looked.push(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../assets/fonts")
                .join(FONT_FILE),
        );
        looked.push(PathBuf::from(
            "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        ));
        match looked.iter().find(|p| p.is_file()) {
            Some(path) => PrintFont::load(path),
            None => Err(PrintError::FontMissing {
                file: FONT_FILE,
                looked,
            }),
        }
    }

    /// Loads a font file: an OpenType font, or a collection holding Noto Sans CJK SC.
    pub fn load(path: &Path) -> Result<PrintFont, PrintError> {
        let data = std::fs::read(path).map_err(|e| PrintError::FontUnreadable {
            path: path.to_owned(),
            source: Arc::new(e),
        })?;
        PrintFont::from_bytes(data, &path.display().to_string())
    }

    /// A font from its bytes; `source` names it in messages.
    pub fn from_bytes(data: Vec<u8>, source: &str) -> Result<PrintFont, PrintError> {
        let invalid = || PrintError::FontInvalid {
            what: source.to_owned(),
        };
        let index = face_index(&data).ok_or_else(invalid)?;
        let (units_per_em, ascender) = {
            let face = ttf_parser::Face::parse(&data, index).map_err(|_| invalid())?;
            if face.glyph_index('中').is_none() {
                return Err(invalid());
            }
            // The ideographic em box's top (OS/2 sTypoAscender, 880 in Noto Sans CJK): it centres
            // hanzi in a line; hhea's ascender leaves room for accents above it.
            let ascender = face.typographic_ascender().unwrap_or(face.ascender());
            (f32::from(face.units_per_em()), f32::from(ascender))
        };
        let data = Arc::new(data);
        let pdf = krilla::text::Font::new(data.clone().into(), index).ok_or_else(invalid)?;
        Ok(PrintFont {
            data,
            index,
            pdf,
            units_per_em,
            ascender,
            source: source.to_owned(),
        })
    }

    pub(crate) fn pdf_font(&self) -> krilla::text::Font {
        self.pdf.clone()
    }

    /// The distance from the baseline to the top of the em box, per point of size.
    pub(crate) fn ascent(&self) -> f32 {
        self.ascender / self.units_per_em
    }

    /// A measurer for one document: it keeps the glyphs it has looked up.
    pub(crate) fn measurer(&self) -> Measurer<'_> {
        // `from_bytes` parsed the same bytes and face, so this cannot fail.
        let face = ttf_parser::Face::parse(&self.data, self.index).ok();
        Measurer {
            face,
            units_per_em: self.units_per_em,
            glyphs: HashMap::new(),
        }
    }
}

/// The face to use: 0 for a single font, the Simplified Chinese face of a collection.
fn face_index(data: &[u8]) -> Option<u32> {
    let Some(count) = ttf_parser::fonts_in_collection(data) else {
        return Some(0);
    };
    (0..count).find(|&i| {
        ttf_parser::Face::parse(data, i).is_ok_and(|face| {
            face.names().into_iter().any(|name| {
                name.name_id == ttf_parser::name_id::FAMILY
                    && name.to_string().as_deref() == Some(SIMPLIFIED_CHINESE)
            })
        })
    })
}

/// A glyph: its id in the font (0, `.notdef`, when the font lacks the character) and its
/// advance per point of size.
#[derive(Debug, Clone, Copy)]
pub(crate) struct GlyphMeasure {
    pub id: u16,
    pub advance: f32,
    pub missing: bool,
}

/// Looks glyphs up, one per character: the forms are Chinese, digits and Latin letters, which
/// need no shaping, and measuring exactly what is drawn keeps columns from overflowing.
pub(crate) struct Measurer<'a> {
    face: Option<ttf_parser::Face<'a>>,
    units_per_em: f32,
    glyphs: HashMap<char, GlyphMeasure>,
}

impl Measurer<'_> {
    pub fn glyph(&mut self, c: char) -> GlyphMeasure {
        if let Some(g) = self.glyphs.get(&c) {
            return *g;
        }
        let g = match &self.face {
            Some(face) => {
                let id = face.glyph_index(c);
                let gid = id.unwrap_or(ttf_parser::GlyphId(0));
                let advance = face.glyph_hor_advance(gid).unwrap_or(0);
                GlyphMeasure {
                    id: gid.0,
                    advance: f32::from(advance) / self.units_per_em,
                    missing: id.is_none() && !c.is_whitespace(),
                }
            }
            None => GlyphMeasure {
                id: 0,
                advance: 0.5,
                missing: true,
            },
        };
        self.glyphs.insert(c, g);
        g
    }

    /// The width of `text` at `size` points.
    pub fn width(&mut self, text: &str, size: f32) -> f32 {
        text.chars().map(|c| self.glyph(c).advance).sum::<f32>() * size
    }

    /// Characters the font has no glyph for, among those looked up so far.
    pub fn missing(&self) -> Vec<char> {
        let mut missing: Vec<char> = self
            .glyphs
            .iter()
            .filter(|(_, g)| g.missing)
            .map(|(c, _)| *c)
            .collect();
        missing.sort_unstable();
        missing
    }
}
