//! The NUL character (U+0000) in what a request carries. Postgres cannot store it in `text`
//! and SQLite would, so it is refused at the edge on both stores alike: in the address (400),
//! in a JSON body and in a form (422). Nothing a person types contains it.

use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// `%00` anywhere in a percent-encoded text (a path, a query, a form body).
fn encoded_nul(text: &[u8]) -> bool {
    text.windows(3).any(|w| w == b"%00")
}

/// A urlencoded form body with a NUL in a name or value.
pub fn form_has_nul(body: &[u8]) -> bool {
    encoded_nul(body) || body.contains(&0)
}

/// A JSON text with a NUL in a string: JSON can only write it as the escape `\u0000`.
/// Escapes are followed exactly, so a literal backslash before `u0000` is not mistaken.
pub fn json_has_nul(body: &[u8]) -> bool {
    let mut i = 0;
    while i < body.len() {
        if body[i] == b'\\' {
            let escape = body.get(i + 1..i + 6);
            if escape.is_some_and(|e| e[0] == b'u' && e[1..] == *b"0000") {
                return true;
            }
            i += 2; // the escaped character, whatever it is
        } else {
            i += 1;
        }
    }
    false
}

/// Middleware: an address with `%00` in its path or query is answered 400 before any route.
pub async fn refuse_in_address(req: Request, next: Next) -> Response {
    let address = req.uri().path_and_query().map_or("", |p| p.as_str());
    if encoded_nul(address.as_bytes()) {
        let what = "the address contains a NUL character (%00)";
        // Programs get the API's JSON error; people the plain page.
        if req.uri().path().starts_with("/api/") {
            return super::api::ApiError::new(StatusCode::BAD_REQUEST, "bad_address", what).into_response();
        }
        return (StatusCode::BAD_REQUEST, what).into_response();
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_escapes_are_found_and_escaped_backslashes_are_not() {
        assert!(json_has_nul(br#"{"body": "a\u0000b"}"#));
        assert!(!json_has_nul(br#"{"body": "a\\u0000b"}"#), "a backslash, then the letters u0000");
        assert!(json_has_nul(br#"{"body": "a\\\u0000"}"#), "a backslash, then NUL");
        assert!(json_has_nul(br#"{"body": "\u00001"}"#), "NUL, then a digit");
        assert!(!json_has_nul(br#"{"body": "\u4e0a"}"#));
        assert!(form_has_nul(b"body=a%00b") && !form_has_nul(b"body=a%2500b"));
    }
}
