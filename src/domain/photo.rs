//! Photos in a conversation: what is accepted and how an upload is made safe to keep.
//!
//! The type comes from the bytes (a renamed file is not a photo), size and pixel count are
//! bounded before anything is decoded (a 10,000 × 10,000 image would need 400 MB), and the
//! image is decoded and encoded again: that drops every piece of metadata (EXIF with the
//! GPS position, comments), after turning the picture the way the camera's orientation tag
//! says. A JPEG thumbnail is made for the conversation. Pure computation, no I/O; callers run
//! it off the async threads.

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::codecs::webp::WebPEncoder;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};

use super::enums::str_enum;

/// The largest photo accepted, in bytes (as uploaded).
pub const MAX_BYTES: usize = 10 * 1024 * 1024;
/// The most photos one message may carry.
pub const MAX_PER_MESSAGE: usize = 9;
/// The longest side accepted, in pixels; 8,192 holds any phone camera's picture.
pub const MAX_SIDE: u32 = 8192;
/// The most pixels accepted (a 48-megapixel camera's full picture).
pub const MAX_PIXELS: u64 = 48_000_000;
/// The thumbnail's longest side, in pixels.
pub const THUMB_SIDE: u32 = 360;

str_enum! {
    /// The image types a conversation takes, by their MIME type.
    PhotoType: "photo type" {
        // Written as stored (a combined read hands rows over as JSON: store::json_rows).
        #[serde(rename = "image/jpeg")]
        Jpeg = "image/jpeg",
        #[serde(rename = "image/png")]
        Png = "image/png",
        #[serde(rename = "image/webp")]
        Webp = "image/webp",
    }
}

impl PhotoType {
    /// The type the bytes are, whatever the file is called.
    pub fn sniff(bytes: &[u8]) -> Option<PhotoType> {
        match bytes {
            [0xFF, 0xD8, 0xFF, ..] => Some(PhotoType::Jpeg),
            [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => Some(PhotoType::Png),
            [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'E', b'B', b'P', ..] => Some(PhotoType::Webp),
            _ => None,
        }
    }

    fn format(self) -> ImageFormat {
        match self {
            PhotoType::Jpeg => ImageFormat::Jpeg,
            PhotoType::Png => ImageFormat::Png,
            PhotoType::Webp => ImageFormat::WebP,
        }
    }
}

/// Why an upload is not kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PhotoError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is larger than 10 MB")]
    TooLarge,
    #[error("not a JPEG, PNG or WebP image")]
    NotAnImage,
    #[error("the image has too many pixels")]
    TooManyPixels,
    #[error("the image is damaged")]
    Corrupt,
}

/// A photo ready to store.
#[derive(Debug, Clone)]
pub struct Processed {
    pub content_type: PhotoType,
    /// The re-encoded image, without metadata.
    pub data: Vec<u8>,
    /// A JPEG at most [`THUMB_SIDE`] pixels on its longest side.
    pub thumb: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

/// The size a thumbnail of a `width` × `height` photo has: the photo's own when it is small,
/// else scaled so its longest side is [`THUMB_SIDE`] (what [`process`] makes).
pub fn thumb_size(width: i64, height: i64) -> (i64, i64) {
    let side = i64::from(THUMB_SIDE);
    let (w, h) = (width.max(1), height.max(1));
    if w <= side && h <= side {
        (w, h)
    } else if w >= h {
        (side, (h * side / w).max(1))
    } else {
        ((w * side / h).max(1), side)
    }
}

fn reader(bytes: &[u8], kind: PhotoType) -> ImageReader<Cursor<&[u8]>> {
    let mut reader = ImageReader::with_format(Cursor::new(bytes), kind.format());
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    // Room for the decoded picture (4 bytes a pixel at most) and the decoder's own buffers.
    limits.max_alloc = Some(MAX_PIXELS * 4 + 64 * 1024 * 1024);
    reader.limits(limits);
    reader
}

/// Checks and cleans one upload: type from the bytes, size, pixel count, then a fresh
/// encoding (no metadata, turned upright) and a thumbnail.
pub fn process(bytes: &[u8]) -> Result<Processed, PhotoError> {
    if bytes.is_empty() {
        return Err(PhotoError::Empty);
    }
    if bytes.len() > MAX_BYTES {
        return Err(PhotoError::TooLarge);
    }
    let kind = PhotoType::sniff(bytes).ok_or(PhotoError::NotAnImage)?;
    // The header alone says how big the picture is: refuse a bomb before decoding it.
    let (w, h) = reader(bytes, kind).into_dimensions().map_err(too_big_or_corrupt)?;
    if w == 0 || h == 0 {
        return Err(PhotoError::Corrupt);
    }
    if u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(PhotoError::TooManyPixels);
    }
    let mut decoder = reader(bytes, kind).into_decoder().map_err(too_big_or_corrupt)?;
    let orientation = decoder.orientation().map_err(|_| PhotoError::Corrupt)?;
    let mut img = DynamicImage::from_decoder(decoder).map_err(too_big_or_corrupt)?;
    img.apply_orientation(orientation);
    let data = encode(&img, kind)?;
    let thumb = jpeg(&img.thumbnail(THUMB_SIDE, THUMB_SIDE), 80)?;
    Ok(Processed { content_type: kind, data, thumb, width: img.width(), height: img.height() })
}

fn too_big_or_corrupt(e: image::ImageError) -> PhotoError {
    match e {
        image::ImageError::Limits(_) => PhotoError::TooManyPixels,
        _ => PhotoError::Corrupt,
    }
}

fn encode(img: &DynamicImage, kind: PhotoType) -> Result<Vec<u8>, PhotoError> {
    match kind {
        PhotoType::Jpeg => jpeg(img, 88),
        PhotoType::Png => {
            let mut out = Vec::new();
            img.write_with_encoder(PngEncoder::new(&mut out)).map_err(|_| PhotoError::Corrupt)?;
            Ok(out)
        }
        PhotoType::Webp => {
            // The WebP encoder writes 8-bit RGB(A) only, losslessly.
            let rgba = DynamicImage::ImageRgba8(img.to_rgba8());
            let mut out = Vec::new();
            rgba.write_with_encoder(WebPEncoder::new_lossless(&mut out)).map_err(|_| PhotoError::Corrupt)?;
            Ok(out)
        }
    }
}

fn jpeg(img: &DynamicImage, quality: u8) -> Result<Vec<u8>, PhotoError> {
    // JPEG has no transparency: flatten to RGB.
    let rgb = DynamicImage::ImageRgb8(img.to_rgb8());
    let mut out = Vec::new();
    rgb.write_with_encoder(JpegEncoder::new_with_quality(&mut out, quality)).map_err(|_| PhotoError::Corrupt)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use image::{Rgb, RgbImage};

    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = DynamicImage::ImageRgb8(RgbImage::from_pixel(w, h, Rgb([200, 80, 40])));
        let mut out = Vec::new();
        img.write_with_encoder(PngEncoder::new(&mut out)).unwrap();
        out
    }

    /// A JPEG with an EXIF segment (an APP1 holding a GPS tag's bytes) after its SOI marker.
    fn jpeg_with_exif(w: u32, h: u32) -> Vec<u8> {
        let img = DynamicImage::ImageRgb8(RgbImage::from_pixel(w, h, Rgb([30, 120, 200])));
        let plain = jpeg(&img, 90).unwrap();
        let payload = b"Exif\0\0MM\0*\0\0\0\x08GPSLatitude 30.2741N GPSLongitude 120.1551E";
        let mut app1 = vec![0xFF, 0xE1];
        app1.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
        app1.extend_from_slice(payload);
        let mut out = plain[..2].to_vec();
        out.extend_from_slice(&app1);
        out.extend_from_slice(&plain[2..]);
        out
    }

    #[test]
    fn the_type_comes_from_the_bytes() {
        assert_eq!(PhotoType::sniff(&png(2, 2)), Some(PhotoType::Png));
        assert_eq!(PhotoType::sniff(&jpeg_with_exif(2, 2)), Some(PhotoType::Jpeg));
        assert_eq!(PhotoType::sniff(b"RIFF\0\0\0\0WEBPVP8 "), Some(PhotoType::Webp));
        assert_eq!(PhotoType::sniff(b"%PDF-1.7 pretending to be a jpg"), None);
        assert_eq!(process(b"MZ\x90\0 an exe renamed photo.jpg").unwrap_err(), PhotoError::NotAnImage);
    }

    #[test]
    fn exif_is_gone_and_a_thumbnail_is_made() {
        let original = jpeg_with_exif(1200, 800);
        assert!(original.windows(11).any(|w| w == b"GPSLatitude"));
        let p = process(&original).unwrap();
        assert_eq!((p.content_type, p.width, p.height), (PhotoType::Jpeg, 1200, 800));
        assert!(!p.data.windows(11).any(|w| w == b"GPSLatitude"), "GPS kept");
        assert!(!p.data.windows(4).any(|w| w == b"Exif"), "EXIF kept");
        let thumb = image::load_from_memory(&p.thumb).unwrap();
        assert_eq!((thumb.width(), thumb.height()), (360, 240));
        let png = process(&png(40, 30)).unwrap();
        assert_eq!((png.content_type, png.width, png.height), (PhotoType::Png, 40, 30));
    }

    #[test]
    fn a_webp_stays_a_webp_and_its_thumbnail_size_is_known() {
        let img = DynamicImage::ImageRgba8(image::RgbaImage::from_pixel(800, 400, image::Rgba([10, 200, 90, 255])));
        let mut webp = Vec::new();
        img.write_with_encoder(WebPEncoder::new_lossless(&mut webp)).unwrap();
        let p = process(&webp).unwrap();
        assert_eq!((p.content_type, p.width, p.height), (PhotoType::Webp, 800, 400));
        assert_eq!(PhotoType::sniff(&p.data), Some(PhotoType::Webp));
        let thumb = image::load_from_memory(&p.thumb).unwrap();
        assert_eq!((i64::from(thumb.width()), i64::from(thumb.height())), thumb_size(800, 400));
        assert_eq!(thumb_size(40, 30), (40, 30));
        assert_eq!(thumb_size(300, 1200), (90, 360));
    }

    #[test]
    fn bad_uploads_are_named() {
        assert_eq!(process(b"").unwrap_err(), PhotoError::Empty);
        assert_eq!(process(&vec![0xFF; MAX_BYTES + 1]).unwrap_err(), PhotoError::TooLarge);
        let mut cut = png(50, 50);
        cut.truncate(cut.len() / 2);
        assert_eq!(process(&cut).unwrap_err(), PhotoError::Corrupt);
        assert_eq!(process(b"\xFF\xD8\xFF\xE0 not really").unwrap_err(), PhotoError::Corrupt);
    }

    /// A PNG whose header claims `w` × `h` (the data is a 1 × 1 picture): what a
    /// decompression bomb looks like before it is decoded.
    fn png_claiming(w: u32, h: u32) -> Vec<u8> {
        fn crc32(bytes: &[u8]) -> u32 {
            let mut crc = 0xFFFF_FFFFu32;
            for &b in bytes {
                crc ^= u32::from(b);
                for _ in 0..8 {
                    crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
                }
            }
            !crc
        }
        let mut bytes = png(1, 1);
        // Signature (8), IHDR length (4), "IHDR" (4), then width and height.
        bytes[16..20].copy_from_slice(&w.to_be_bytes());
        bytes[20..24].copy_from_slice(&h.to_be_bytes());
        let crc = crc32(&bytes[12..29]);
        bytes[29..33].copy_from_slice(&crc.to_be_bytes());
        bytes
    }

    #[test]
    fn a_decompression_bomb_is_refused_before_decoding() {
        assert_eq!(process(&png_claiming(10_000, 10_000)).unwrap_err(), PhotoError::TooManyPixels);
        // Within the sides but over the pixel count.
        assert_eq!(process(&png_claiming(8000, 7000)).unwrap_err(), PhotoError::TooManyPixels);
        // The forged header itself is read fine: a 1 × 1 claim is a (damaged-free) picture.
        assert_eq!(process(&png_claiming(1, 1)).unwrap().width, 1);
    }
}
