//! Photos in conversations (issue 14): buyers and agents send them, they come back without
//! their EXIF and with a thumbnail, only the conversation's people may open them, and every
//! bad file is refused with a clear message and nothing stored.

use axum::http::{Method, StatusCode, header};
use chrono::Utc;
use image::{DynamicImage, Rgb, RgbImage};
use kefu::service::photos::{self, Viewer};
use kefu::store;
use uuid::Uuid;

use crate::both_stores;
use crate::helpers::{Client, TestApp};

/// A JPEG of `w` × `h` carrying an EXIF segment with a GPS position, as phones write them.
fn phone_photo(w: u32, h: u32) -> Vec<u8> {
    let img = DynamicImage::ImageRgb8(RgbImage::from_fn(w, h, |x, y| Rgb([(x % 256) as u8, (y % 256) as u8, 90])));
    let mut plain = Vec::new();
    img.write_with_encoder(image::codecs::jpeg::JpegEncoder::new_with_quality(&mut plain, 90)).unwrap();
    let payload = b"Exif\0\0MM\0*\0\0\0\x08GPSLatitude 30.2741N GPSLongitude 120.1551E";
    let mut out = plain[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(payload);
    out.extend_from_slice(&plain[2..]);
    out
}

/// A JPEG whose frame header claims 10,000 × 10,000 pixels (the data is a 1 × 1 picture):
/// a decompression bomb's shape. JPEG headers carry no checksum, so the claim is two numbers.
fn bomb() -> Vec<u8> {
    let mut bytes = Vec::new();
    DynamicImage::ImageRgb8(RgbImage::new(1, 1))
        .write_with_encoder(image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 90))
        .unwrap();
    // Start of frame: FF C0, length (2), precision (1), then height and width.
    let sof = bytes.windows(2).position(|w| w == [0xFF, 0xC0]).expect("a baseline JPEG");
    bytes[sof + 5..sof + 7].copy_from_slice(&10_000u16.to_be_bytes());
    bytes[sof + 7..sof + 9].copy_from_slice(&10_000u16.to_be_bytes());
    bytes
}

/// A visitor's browser with a conversation of its own; returns it and its ticket.
async fn buyer_chat(app: &TestApp, nick: &str) -> (Client, Uuid) {
    let mut chat = app.client();
    chat.get("/chat").await;
    chat.post("/chat/start", &[("nick", nick)]).await;
    chat.get("/chat").await;
    let res = chat.post("/chat/send", &[("body", "在吗？衣服有点问题")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    chat.get("/chat").await;
    let terms = kefu::domain::search::query_terms(nick);
    let rows = store::buyers::page(&app.db, &terms, None, 10).await.unwrap();
    let buyer = rows.iter().find(|b| b.buyer.claimed_nick.as_deref() == Some(nick)).unwrap();
    let ticket = store::tickets::for_buyer(&app.db, buyer.buyer.id).await.unwrap()[0].id;
    (chat, ticket)
}

async fn photo_ids(app: &TestApp, ticket: Uuid) -> Vec<Uuid> {
    photos::of_ticket(&app.db, ticket).await.unwrap().into_iter().map(|p| p.id).collect()
}

both_stores!(a_buyers_photo_arrives_clean_and_only_its_people_see_it, |app: TestApp| async move {
    let (mut buyer, ticket) = buyer_chat(&app, "线头买家").await;
    let original = phone_photo(1600, 1200);
    assert!(original.windows(11).any(|w| w == b"GPSLatitude"));
    let res =
        buyer.post_multipart("/chat/send", &[("body", "线头好多")], &[("photos", "IMG_2041.JPG", &original)]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let ids = photo_ids(&app, ticket).await;
    assert_eq!(ids.len(), 1);
    let id = ids[0];
    // Shown inline in the buyer's chat and on the agent's ticket page, thumbnail linking to the photo.
    buyer
        .get("/chat")
        .await
        .assert_contains(&format!("/attachments/{id}/thumb"))
        .assert_contains("线头好多")
        .assert_contains("IMG_2041.JPG");
    let mut agent = app.logged_in("agent").await;
    agent.get(&format!("/tickets/{ticket}")).await.assert_contains(&format!("href=\"/attachments/{id}\""));
    // The stored photo: EXIF gone, upright size kept, thumbnail made.
    let (kind, bytes) = photos::get(&app.db, id, false, Viewer::Staff).await.unwrap();
    assert_eq!(kind.as_str(), "image/jpeg");
    assert!(!bytes.windows(11).any(|w| w == b"GPSLatitude") && !bytes.windows(4).any(|w| w == b"Exif"));
    let stored = image::load_from_memory(&bytes).unwrap();
    assert_eq!((stored.width(), stored.height()), (1600, 1200));
    let (_, thumb) = photos::get(&app.db, id, true, Viewer::Staff).await.unwrap();
    let thumb = image::load_from_memory(&thumb).unwrap();
    assert_eq!((thumb.width(), thumb.height()), (360, 270));
    // Served to the buyer and to staff, privately cacheable.
    for client in [&mut buyer, &mut agent] {
        let res = client.get(&format!("/attachments/{id}")).await;
        assert_eq!(res.status, StatusCode::OK);
        assert_eq!(res.headers[header::CONTENT_TYPE], "image/jpeg");
        assert!(res.headers[header::CACHE_CONTROL].to_str().unwrap().starts_with("private"));
        assert!(!res.body.contains("GPSLatitude"));
        assert_eq!(client.get(&format!("/attachments/{id}/thumb")).await.status, StatusCode::OK);
    }
    // Another buyer, and nobody at all: refused.
    let (mut other, _) = buyer_chat(&app, "别的买家").await;
    assert_eq!(other.get(&format!("/attachments/{id}")).await.status, StatusCode::FORBIDDEN);
    assert_eq!(other.get(&format!("/attachments/{id}/thumb")).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.client().get(&format!("/attachments/{id}")).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.client().get(&format!("/attachments/{}", Uuid::now_v7())).await.status, StatusCode::NOT_FOUND);

    // A photo alone is a message: the ticket list previews it as a photo.
    let png = {
        let mut out = Vec::new();
        DynamicImage::ImageRgb8(RgbImage::new(40, 30))
            .write_with_encoder(image::codecs::png::PngEncoder::new(&mut out))
            .unwrap();
        out
    };
    let res = buyer.post_multipart("/chat/send", &[("body", "")], &[("photos", "色差.png", &png)]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(photo_ids(&app, ticket).await.len(), 2);
    let desk = agent.get("/desk?view=all&stage=presale").await;
    desk.assert_contains("[图片]");
});

both_stores!(bad_photos_are_refused_with_a_reason_and_nothing_is_stored, |app: TestApp| async move {
    let (mut buyer, ticket) = buyer_chat(&app, "上传买家").await;
    let messages = || async { store::tickets::messages(&app.db, ticket, None, false).await.unwrap().len() };
    let before = messages().await;
    let cases: Vec<(&str, Vec<u8>, StatusCode, &str)> = vec![
        (
            "报告.jpg",
            b"%PDF-1.7 a renamed document".to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "只能发 JPG、PNG 或 WebP",
        ),
        ("空.jpg", Vec::new(), StatusCode::UNPROCESSABLE_ENTITY, "空文件"),
        ("坏.jpg", phone_photo(200, 200)[..300].to_vec(), StatusCode::UNPROCESSABLE_ENTITY, "损坏"),
        ("大.jpg", bomb(), StatusCode::UNPROCESSABLE_ENTITY, "像素太大"),
        ("巨大.jpg", vec![0xFF; 10 * 1024 * 1024 + 1], StatusCode::PAYLOAD_TOO_LARGE, "每张不能超过 10 MB"),
    ];
    for (name, bytes, status, says) in cases {
        let res = buyer.post_multipart("/chat/send", &[("body", "看图")], &[("photos", name, &bytes)]).await;
        assert_eq!(res.status, status, "{name}: {}", res.body);
        res.assert_contains(says);
        buyer.get("/chat").await;
    }
    // Ten photos in one message: the limit is nine.
    let small = phone_photo(20, 20);
    let ten: Vec<(&str, &str, &[u8])> = (0..10).map(|_| ("photos", "p.jpg", small.as_slice())).collect();
    let res = buyer.post_multipart("/chat/send", &[("body", "全部")], &ten).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("最多发 9 张");
    // One good photo with a bad one: neither is kept, and no message either.
    buyer.get("/chat").await;
    let res = buyer
        .post_multipart(
            "/chat/send",
            &[("body", "两张")],
            &[("photos", "好.jpg", &small), ("photos", "坏.jpg", b"nope")],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(messages().await, before, "no message stored");
    assert!(photo_ids(&app, ticket).await.is_empty(), "no photo stored");
});

/// The agent replies (`internal` "0") or notes ("1") on `ticket` with one photo, from the
/// ticket page.
async fn reply_with(
    agent: &mut Client, ticket: Uuid, body: &str, internal: &str, (name, bytes): (&str, &[u8]),
) -> crate::helpers::Res {
    agent.get(&format!("/tickets/{ticket}")).await;
    let path = format!("/tickets/{ticket}/reply");
    agent.post_multipart(&path, &[("body", body), ("internal", internal)], &[("photos", name, bytes)]).await
}

both_stores!(an_agent_replies_with_a_photo_and_notes_keep_theirs_inside, |app: TestApp| async move {
    let (mut buyer, ticket) = buyer_chat(&app, "等图买家").await;
    let mut agent = app.logged_in("agent").await;
    let size_chart = phone_photo(800, 600);
    let res = reply_with(&mut agent, ticket, "亲，这是尺码表～", "0", ("尺码表.jpg", &size_chart)).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let res = reply_with(&mut agent, ticket, "仓库拍的实物", "1", ("仓库.jpg", &size_chart)).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let all = photos::of_ticket(&app.db, ticket).await.unwrap();
    assert_eq!(all.len(), 2);
    let (public, note) = (
        all.iter().find(|p| p.filename == "尺码表.jpg").unwrap(),
        all.iter().find(|p| p.filename == "仓库.jpg").unwrap(),
    );
    let page = buyer.get("/chat").await;
    page.assert_contains(&format!("/attachments/{}/thumb", public.id)).assert_lacks(&note.id.to_string());
    assert_eq!(buyer.get(&format!("/attachments/{}", public.id)).await.status, StatusCode::OK);
    assert_eq!(buyer.get(&format!("/attachments/{}", note.id)).await.status, StatusCode::FORBIDDEN);
    // Too large from the desk: said on the ticket page, nothing sent.
    let huge = vec![0xFF; 10 * 1024 * 1024 + 10];
    let res = reply_with(&mut agent, ticket, "大图", "0", ("x.jpg", &huge)).await;
    assert_eq!(res.status, StatusCode::PAYLOAD_TOO_LARGE);
    res.assert_contains("每张不能超过 10 MB");
    assert_eq!(photos::of_ticket(&app.db, ticket).await.unwrap().len(), 2);
});

both_stores!(the_api_takes_photos_in_base64_and_lists_them, |app: TestApp| async move {
    use base64::Engine;
    let token = kefu::service::auth::create_api_token(&app.db, "shop-app", Utc::now()).await.unwrap();
    let mut c = app.client();
    let b64 = base64::engine::general_purpose::STANDARD.encode(phone_photo(640, 480));
    let body = format!(
        r#"{{"buyer_nick": "接口买家", "body": "破损了", "attachments": [{{"filename": "箱子.jpg", "content_base64": "{b64}"}}]}}"#
    );
    let (status, created) = c.api(Method::POST, "/api/v1/messages", Some(&token), Some(&body)).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["ticket_id"].as_str().unwrap();
    let (status, t) = c.api(Method::GET, &format!("/api/v1/tickets/{id}"), Some(&token), None).await;
    assert_eq!(status, StatusCode::OK);
    let msg = t["messages"].as_array().unwrap().iter().find(|m| m["body"] == "破损了").unwrap();
    let a = &msg["attachments"][0];
    assert_eq!(a["filename"], "箱子.jpg");
    assert_eq!(a["content_type"], "image/jpeg");
    assert_eq!((a["width"].as_i64(), a["height"].as_i64()), (Some(640), Some(480)));
    assert!(a["size"].as_i64().unwrap() > 0);
    assert_eq!(a["url"], format!("/attachments/{}", a["id"].as_str().unwrap()));
    // Bad input names the field.
    for (attachments, field, status) in [
        (r#"[{"filename": "a.jpg", "content_base64": "@@not base64@@"}]"#, "attachments[0].content_base64", 422),
        (r#"[{"filename": "a.jpg", "content_base64": "JVBERi0xLjcK"}]"#, "attachments", 422),
        (r#"[{"filename": "a.jpg"}]"#, "attachments[0].content_base64", 422),
    ] {
        let body = format!(r#"{{"buyer_nick": "接口买家", "body": "再看", "attachments": {attachments}}}"#);
        let (s, err) = c.api(Method::POST, "/api/v1/messages", Some(&token), Some(&body)).await;
        assert_eq!(s.as_u16(), status, "{attachments}: {err}");
        assert!(err["error"]["field"].as_str().unwrap_or("").starts_with(field), "{attachments}: {err}");
    }
});
