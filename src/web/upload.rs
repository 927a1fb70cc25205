//! Message forms with photos: `multipart/form-data` (the file picker) or a plain urlencoded
//! form (no photos). Each file is read at most [`photo::MAX_BYTES`] + 1 bytes far: past that
//! the request stops with 413 at once instead of holding a huge body.

use axum::extract::{FromRequest, Multipart, Request};
use axum::http::header;
use axum::{Form, RequestExt};

use super::error::AppError;
use super::page::Pairs;
use crate::domain::photo;
use crate::service::photos::Upload;

/// The largest message request: nine photos at the limit and the text.
pub const MAX_MESSAGE_BYTES: usize = photo::MAX_PER_MESSAGE * photo::MAX_BYTES + 1024 * 1024;

/// A posted message form: its text fields and its photos (files named `photos`; an empty
/// file input sends one nameless empty part, which is no photo).
pub struct MessageForm {
    pub fields: Pairs,
    pub photos: Vec<Upload>,
}

impl<S: Send + Sync> FromRequest<S> for MessageForm {
    type Rejection = AppError;
    async fn from_request(req: Request, _state: &S) -> Result<Self, Self::Rejection> {
        let multipart = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("multipart/form-data"));
        if !multipart {
            let Form(fields) = req.extract::<Form<Pairs>, _>().await.map_err(|_| AppError::BadInput)?;
            return Ok(MessageForm { fields, photos: Vec::new() });
        }
        let mut form: Multipart = req.extract().await.map_err(|_| AppError::BadInput)?;
        let (mut fields, mut photos) = (Pairs::new(), Vec::new());
        while let Some(mut part) = form.next_field().await.map_err(too_large_or_bad)? {
            let name = part.name().unwrap_or("").to_string();
            if name == "photos" {
                let filename = part.file_name().unwrap_or("").to_string();
                let mut bytes = Vec::new();
                while let Some(chunk) = part.chunk().await.map_err(too_large_or_bad)? {
                    if bytes.len() + chunk.len() > photo::MAX_BYTES {
                        return Err(AppError::TooLarge);
                    }
                    bytes.extend_from_slice(&chunk);
                }
                if filename.is_empty() && bytes.is_empty() {
                    continue;
                }
                if photos.len() == photo::MAX_PER_MESSAGE {
                    // Still counted, so the service names the limit.
                    photos.push(Upload { filename, bytes: Vec::new() });
                    continue;
                }
                photos.push(Upload { filename, bytes });
            } else {
                let text = part.text().await.map_err(too_large_or_bad)?;
                fields.push((name, text));
            }
        }
        Ok(MessageForm { fields, photos })
    }
}

fn too_large_or_bad(e: axum::extract::multipart::MultipartError) -> AppError {
    if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE { AppError::TooLarge } else { AppError::BadInput }
}
