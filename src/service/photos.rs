//! Photos in conversations: uploads checked and cleaned (see [`crate::domain::photo`]) before
//! the message's transaction, so a bad file stores nothing; and served only to those who may
//! see the conversation.

use std::sync::LazyLock;

use uuid::Uuid;

use super::{FieldError, ServiceError, ServiceResult};
use crate::domain::ErrorCode;
use crate::domain::photo::{self, PhotoError, PhotoType, Processed};
use crate::store::{self, Db};

pub use crate::store::attachments::Attachment;

/// One file as it was uploaded.
#[derive(Debug, Clone)]
pub struct Upload {
    pub filename: String,
    pub bytes: Vec<u8>,
}

/// A checked, cleaned photo, ready to go with its message.
#[derive(Debug, Clone)]
pub struct Ready {
    pub filename: String,
    pub photo: Processed,
}

/// Decoding a big photo takes a core for a moment and up to 200 MB: at most two at a time
/// per instance, off the async threads, so uploads never stall the desk.
static DECODING: LazyLock<tokio::sync::Semaphore> = LazyLock::new(|| tokio::sync::Semaphore::new(2));

/// The file name to keep: its last path part, printable, at most 100 characters.
fn clean_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("").trim();
    let clean: String = base.chars().filter(|c| !c.is_control()).take(100).collect();
    if clean.is_empty() { "photo".to_string() } else { clean }
}

/// Checks and cleans the photos of one message. Too many → field error; one over 10 MB →
/// [`ServiceError::TooLarge`]; one that is empty, not an image, damaged or too many pixels →
/// a field error naming which.
pub async fn prepare(uploads: Vec<Upload>) -> ServiceResult<Vec<Ready>> {
    if uploads.len() > photo::MAX_PER_MESSAGE {
        return Err(ServiceError::field("photos", ErrorCode::PhotoCount));
    }
    if uploads.iter().any(|u| u.bytes.len() > photo::MAX_BYTES) {
        return Err(ServiceError::TooLarge);
    }
    let mut ready = Vec::with_capacity(uploads.len());
    for u in uploads {
        let _permit = DECODING.acquire().await.expect("the semaphore is never closed");
        let bytes = u.bytes;
        let processed = tokio::task::spawn_blocking(move || photo::process(&bytes))
            .await
            .map_err(|_| ServiceError::field("photos", ErrorCode::PhotoCorrupt))?;
        let code = match processed {
            Ok(p) => {
                ready.push(Ready { filename: clean_name(&u.filename), photo: p });
                continue;
            }
            Err(PhotoError::TooLarge) => return Err(ServiceError::TooLarge),
            Err(PhotoError::Empty) => ErrorCode::PhotoEmpty,
            Err(PhotoError::NotAnImage) => ErrorCode::PhotoType,
            Err(PhotoError::TooManyPixels) => ErrorCode::PhotoPixels,
            Err(PhotoError::Corrupt) => ErrorCode::PhotoCorrupt,
        };
        return Err(ServiceError::Invalid(vec![FieldError::new("photos", code)]));
    }
    Ok(ready)
}

/// What the ticket list shows for a message of photos only.
pub const PREVIEW: &str = "[图片]";

/// Stores a message's photos inside its transaction. A public message of photos only
/// (`public_without_text`) is previewed in the ticket list as [`PREVIEW`].
pub(crate) async fn store_with(
    tx: &mut store::Tx, ticket_id: Uuid, message_id: Uuid, photos: &[Ready], public_without_text: bool,
    now: chrono::DateTime<chrono::Utc>,
) -> ServiceResult<()> {
    if public_without_text && !photos.is_empty() {
        store::tickets::set_preview(tx, ticket_id, PREVIEW).await?;
    }
    for (i, r) in photos.iter().enumerate() {
        let a = store::attachments::NewAttachment {
            filename: &r.filename,
            content_type: r.photo.content_type,
            width: r.photo.width,
            height: r.photo.height,
            data: &r.photo.data,
            thumb: &r.photo.thumb,
        };
        store::attachments::insert(tx, ticket_id, message_id, i, &a, now).await?;
    }
    Ok(())
}

/// The photos of a ticket's messages.
pub async fn of_ticket(db: &Db, ticket_id: Uuid) -> ServiceResult<Vec<Attachment>> {
    Ok(store::attachments::of_ticket(db, ticket_id).await?)
}

/// Who asks for a photo.
#[derive(Debug, Clone, Copy)]
pub enum Viewer {
    /// Any logged-in staff member: the desk shows every conversation to its staff.
    Staff,
    /// A buyer's chat session: their own conversations' public messages only.
    Buyer(Uuid),
    Nobody,
}

/// A photo's (or its thumbnail's) type and bytes, for a viewer allowed to see it.
pub async fn get(db: &Db, id: Uuid, thumb: bool, viewer: Viewer) -> ServiceResult<(PhotoType, Vec<u8>)> {
    let stored = store::attachments::bytes(db, id, thumb).await?.ok_or(ServiceError::NotFound)?;
    let allowed = match viewer {
        Viewer::Staff => true,
        Viewer::Buyer(buyer) => buyer == stored.buyer_id && !stored.internal,
        Viewer::Nobody => false,
    };
    if !allowed {
        return Err(ServiceError::Forbidden);
    }
    // Thumbnails are always JPEG.
    Ok((if thumb { PhotoType::Jpeg } else { stored.content_type }, stored.bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_name_keeps_only_its_last_part() {
        assert_eq!(clean_name("C:\\Users\\me\\IMG_0001.JPG"), "IMG_0001.JPG");
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_name("a\u{0}b\nc.png"), "abc.png");
        assert_eq!(clean_name("  "), "photo");
    }
}
