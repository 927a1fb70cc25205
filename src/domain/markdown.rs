//! Markdown to HTML that is safe to show: raw HTML in the source is shown as text, and links
//! or images may only point to http(s), mailto or this site. Knowledge articles are written
//! by staff, but pasted content must never run script in a colleague's browser.

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, html};

/// Whether a link target is harmless: web, mail, an in-page anchor or a path on this site.
fn safe_url(url: &str) -> bool {
    let u = url.trim().to_ascii_lowercase();
    u.starts_with("https://")
        || u.starts_with("http://")
        || u.starts_with("mailto:")
        || u.starts_with('#')
        || (u.starts_with('/') && !u.starts_with("//"))
}

pub fn to_html(source: &str) -> String {
    let parser =
        Parser::new_ext(source, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS);
    let events = parser.map(|event| match event {
        // Raw HTML becomes visible text (escaped by the renderer).
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        Event::Start(Tag::Link { link_type, dest_url, title, id }) if !safe_url(&dest_url) => {
            Event::Start(Tag::Link { link_type, dest_url: CowStr::Borrowed("#"), title, id })
        }
        Event::Start(Tag::Image { link_type, dest_url, title, id }) if !safe_url(&dest_url) => {
            Event::Start(Tag::Image { link_type, dest_url: CowStr::Borrowed(""), title, id })
        }
        other => other,
    });
    let mut out = String::with_capacity(source.len() * 3 / 2);
    html::push_html(&mut out, events);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_markdown() {
        let html = to_html("## 洗涤\n\n- 冷水**手洗**\n- [说明](https://shop.example/care)");
        assert!(html.contains("<h2>洗涤</h2>"));
        assert!(html.contains("<strong>手洗</strong>"));
        assert!(html.contains(r#"<a href="https://shop.example/care">说明</a>"#));
    }

    #[test]
    fn scripts_and_dangerous_links_never_survive() {
        for src in [
            "<script>alert(1)</script>",
            "hi <img src=x onerror=alert(1)>",
            "[点我](javascript:alert(1))",
            "[点我](JaVaScRiPt:alert(1))",
            "![x](javascript:alert(1))",
            "[x](data:text/html;base64,PHNjcmlwdD4=)",
            "<a href=\"javascript:alert(1)\">x</a>",
            "[x](//evil.example/steal)",
        ] {
            let html = to_html(src);
            let lower = html.to_lowercase();
            assert!(!lower.contains("<script"), "{src} → {html}");
            assert!(!lower.contains("<img src=\"x\""), "{src} → {html}");
            // Escaped source text may mention these; real tags may not.
            assert!(!lower.contains("<a href=\"javascript"), "{src} → {html}");
            assert!(!lower.contains("<img src=\"javascript"), "{src} → {html}");
            assert!(!lower.contains("<a href=\"data:"), "{src} → {html}");
            assert!(!lower.contains("<a href=\"//evil"), "{src} → {html}");
        }
        assert!(to_html("<script>alert(1)</script>").contains("&lt;script&gt;"));
    }
}
