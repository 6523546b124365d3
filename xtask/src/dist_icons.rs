//! The app's icons: the PNG sizes Linux desktops look up and the Windows ICO, all made from
//! `assets/icons/shebao.svg`. They are committed, so that building a package needs no SVG
//! renderer; `cargo xtask dist icons` remakes them with `rsvg-convert` (Debian package
//! librsvg2-bin) after the SVG changes.

use std::fs;
use std::path::PathBuf;
use std::process::Command;

use crate::{status, system, workspace_root};

/// The sizes of the PNGs the Debian package installs under /usr/share/icons/hicolor.
pub const PNG_SIZES: [u32; 6] = [16, 32, 48, 64, 128, 256];

/// The sizes in the Windows icon: small icons and title bars, the Start menu, Explorer's
/// medium and extra-large views.
pub const ICO_SIZES: [u32; 4] = [16, 32, 48, 256];

const PNG_SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n'];

pub fn icons_dir() -> PathBuf {
    workspace_root().join("assets").join("icons")
}

pub fn svg_path() -> PathBuf {
    icons_dir().join("shebao.svg")
}

pub fn png_path(size: u32) -> PathBuf {
    icons_dir().join(format!("shebao-{size}.png"))
}

pub fn ico_path() -> PathBuf {
    icons_dir().join("shebao.ico")
}

/// Renders every PNG size from the SVG, then packs the ICO from those PNGs.
pub fn regenerate() -> Result<(), String> {
    system::install_missing(&[(
        "librsvg2-bin",
        "rsvg-convert, which renders the SVG icon at each size",
    )])?;
    let svg = svg_path();
    for size in PNG_SIZES {
        let mut render = Command::new("rsvg-convert");
        render
            .args(["--width", &size.to_string(), "--height", &size.to_string()])
            .arg("--output")
            .arg(png_path(size))
            .arg(&svg);
        status(render)?;
    }
    let mut images = Vec::new();
    for size in ICO_SIZES {
        let path = png_path(size);
        images.push(fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?);
    }
    let ico = ico_from_pngs(&images)?;
    fs::write(ico_path(), ico)
        .map_err(|e| format!("cannot write {}: {e}", ico_path().display()))?;
    eprintln!(
        "xtask: remade {} PNG sizes and {} from {}",
        PNG_SIZES.len(),
        ico_path().display(),
        svg.display()
    );
    Ok(())
}

/// The width and height a PNG declares in its header, or None if `bytes` is not a PNG.
pub fn png_dimensions(bytes: &[u8]) -> Option<(u32, u32)> {
    if bytes.len() < 24 || bytes[..8] != PNG_SIGNATURE || &bytes[12..16] != b"IHDR" {
        return None;
    }
    let width = u32::from_be_bytes(bytes[16..20].try_into().ok()?);
    let height = u32::from_be_bytes(bytes[20..24].try_into().ok()?);
    Some((width, height))
}

/// An ICO file holding the given square PNG images. Windows reads PNG images inside an ICO
/// since Vista, which keeps the 256-pixel image small.
pub fn ico_from_pngs(images: &[Vec<u8>]) -> Result<Vec<u8>, String> {
    const HEADER: usize = 6;
    const ENTRY: usize = 16;
    let count = u16::try_from(images.len()).map_err(|_| "too many images for one ICO file")?;
    let mut directory = Vec::with_capacity(HEADER + ENTRY * images.len());
    directory.extend_from_slice(&0u16.to_le_bytes()); // reserved
    directory.extend_from_slice(&1u16.to_le_bytes()); // 1 = icon (2 would be a cursor)
    directory.extend_from_slice(&count.to_le_bytes());
    let mut offset = HEADER + ENTRY * images.len();
    for image in images {
        let (width, height) =
            png_dimensions(image).ok_or("an image meant for the ICO file is not a PNG")?;
        if width != height || width == 0 || width > 256 {
            return Err(format!(
                "an ICO image must be square and at most 256 pixels, not {width}x{height}"
            ));
        }
        // The directory stores sizes in one byte each; 0 stands for 256.
        let side = u8::try_from(width).unwrap_or(0);
        let size = u32::try_from(image.len()).map_err(|_| "an icon image is over 4 GiB")?;
        let at = u32::try_from(offset).map_err(|_| "the ICO file would be over 4 GiB")?;
        directory.extend_from_slice(&[side, side, 0, 0]); // no palette, reserved
        directory.extend_from_slice(&1u16.to_le_bytes()); // colour planes
        directory.extend_from_slice(&32u16.to_le_bytes()); // bits per pixel
        directory.extend_from_slice(&size.to_le_bytes());
        directory.extend_from_slice(&at.to_le_bytes());
        offset += image.len();
    }
    for image in images {
        directory.extend_from_slice(image);
    }
    Ok(directory)
}

/// The side of every image an ICO file holds, read back from the images themselves; None if
/// the file is not an icon of PNG images.
#[cfg(test)]
pub fn ico_png_sides(ico: &[u8]) -> Option<Vec<u32>> {
    let field = |at: usize, len: usize| ico.get(at..at + len);
    let u16_at = |at| field(at, 2).map(|b| u16::from_le_bytes([b[0], b[1]]));
    let u32_at = |at| field(at, 4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]));
    if u16_at(0)? != 0 || u16_at(2)? != 1 {
        return None;
    }
    let count = usize::from(u16_at(4)?);
    let mut sides = Vec::with_capacity(count);
    for entry in 0..count {
        let at = 6 + entry * 16;
        let declared = u32::from(*ico.get(at)?);
        let size = usize::try_from(u32_at(at + 8)?).ok()?;
        let offset = usize::try_from(u32_at(at + 12)?).ok()?;
        let (width, height) = png_dimensions(field(offset, size)?)?;
        let declared = if declared == 0 { 256 } else { declared };
        if width != height || width != declared {
            return None;
        }
        sides.push(width);
    }
    Some(sides)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The smallest header a PNG of the given size can have: enough for `png_dimensions`.
    fn png_header(side: u32) -> Vec<u8> {
        let mut png = PNG_SIGNATURE.to_vec();
        png.extend_from_slice(&13u32.to_be_bytes());
        png.extend_from_slice(b"IHDR");
        png.extend_from_slice(&side.to_be_bytes());
        png.extend_from_slice(&side.to_be_bytes());
        png.extend_from_slice(&[8, 6, 0, 0, 0]);
        png
    }

    #[test]
    fn an_ico_made_from_pngs_reads_back_with_their_sizes() {
        let images: Vec<Vec<u8>> = [16, 48, 256].into_iter().map(png_header).collect();
        let ico = ico_from_pngs(&images).expect("square PNGs make an ICO");
        assert_eq!(ico_png_sides(&ico), Some(vec![16, 48, 256]));
    }

    #[test]
    fn an_ico_refuses_images_windows_cannot_show() {
        let too_big = vec![png_header(512)];
        assert!(ico_from_pngs(&too_big).is_err());
        let not_png = vec![b"GIF89a".to_vec()];
        assert!(ico_from_pngs(&not_png).is_err());
    }

    #[test]
    fn a_file_that_is_not_a_png_has_no_dimensions() {
        assert_eq!(png_dimensions(b"<svg/>"), None);
        assert_eq!(png_dimensions(&png_header(64)), Some((64, 64)));
    }
}
