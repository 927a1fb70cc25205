//! The reply check: words the platform penalises in what the shop sends. Absolute claims are
//! banned by the advertising law (极限词: 最便宜, 全网最低, 第一, 国家级 …) and inducing
//! reviews breaks the platform's rules (好评返现); shops lose points for them in quality
//! checks. Every reply and canned reply is checked before it goes out or is saved: the words
//! are marked and sending takes a second confirmation, or is refused (a setting).
//! Exceptions keep everyday phrases usable (第一时间, 第一次).

use super::enums::str_enum;

/// What the shop starts with: absolute claims and review inducements, the ones quality checks
/// look for.
pub const DEFAULT_BANNED: &[&str] = &[
    "最便宜",
    "最低价",
    "全网最低",
    "史上最低",
    "最好",
    "最佳",
    "最优",
    "最高级",
    "最先进",
    "第一",
    "唯一",
    "首个",
    "顶级",
    "极品",
    "国家级",
    "世界级",
    "全球首发",
    "史无前例",
    "万能",
    "绝对",
    "100%",
    "永久",
    "好评返现",
    "返现",
    "五星好评",
    "给个好评",
    "删差评",
    "刷单",
];

/// Everyday phrases that contain a banned word but claim nothing.
pub const DEFAULT_ALLOWED: &[&str] = &["第一时间", "第一次", "最好是", "您最好", "最好先", "绝对值"];

/// The most phrases a list may hold, and the longest phrase.
pub const MAX_PHRASES: usize = 500;
pub const MAX_PHRASE_CHARS: usize = 20;

str_enum! {
    /// What happens to a reply with a banned word in it.
    CheckMode: "reply check mode" {
        /// The words are marked; sending takes a second confirmation.
        Warn = "warn",
        /// The reply is refused until the words are gone.
        Block = "block",
    }
}

str_enum! {
    /// What became of a reply that had banned words.
    HitOutcome: "reply check outcome" {
        /// Stopped with a warning (the agent may then change it, or confirm and send).
        Warned = "warned",
        /// Sent after the agent confirmed.
        Sent = "sent",
        /// Refused (the shop blocks such replies).
        Blocked = "blocked",
    }
}

/// The shop's lists and mode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyCheck {
    pub banned: Vec<String>,
    pub allowed: Vec<String>,
    pub mode: CheckMode,
}

impl Default for ReplyCheck {
    fn default() -> Self {
        ReplyCheck {
            banned: DEFAULT_BANNED.iter().map(|s| s.to_string()).collect(),
            allowed: DEFAULT_ALLOWED.iter().map(|s| s.to_string()).collect(),
            mode: CheckMode::Warn,
        }
    }
}

/// A stretch of checked text, marked when it is a banned word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub text: String,
    pub banned: bool,
}

/// Byte ranges of `needle` in `haystack`, ASCII letters compared without case.
fn find_all(haystack: &str, needle: &str) -> Vec<(usize, usize)> {
    if needle.is_empty() {
        return Vec::new();
    }
    let (h, n) = (haystack.to_ascii_lowercase(), needle.to_ascii_lowercase());
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = h[from..].find(&n) {
        let start = from + i;
        out.push((start, start + n.len()));
        // Next search from the following character (matches may overlap).
        from = start + h[start..].chars().next().map_or(1, char::len_utf8);
    }
    out
}

impl ReplyCheck {
    /// Byte ranges of banned words in `text` that no allowed phrase covers, in order (the
    /// longer word first where two start together); they may overlap.
    fn found(&self, text: &str) -> Vec<(usize, usize)> {
        let excused: Vec<(usize, usize)> = self.allowed.iter().flat_map(|a| find_all(text, a)).collect();
        let mut found: Vec<(usize, usize)> = self
            .banned
            .iter()
            .flat_map(|b| find_all(text, b))
            .filter(|(s, e)| !excused.iter().any(|(xs, xe)| xs <= s && e <= xe))
            .collect();
        found.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        found
    }

    /// The stretches to mark: the found words, overlapping ones joined.
    fn ranges(&self, text: &str) -> Vec<(usize, usize)> {
        let mut merged: Vec<(usize, usize)> = Vec::new();
        for (s, e) in self.found(text) {
            match merged.last_mut() {
                Some(last) if s < last.1 => last.1 = last.1.max(e),
                _ => merged.push((s, e)),
            }
        }
        merged
    }

    /// The banned words in `text`, each once, in the order they appear.
    pub fn hits(&self, text: &str) -> Vec<String> {
        let found = self.found(text);
        let mut out: Vec<String> = Vec::new();
        // A word inside a longer one found at the same place (返现 in 好评返现) is that one.
        let inside = |s: usize, e: usize| found.iter().any(|&(os, oe)| os <= s && e <= oe && oe - os > e - s);
        for &(s, e) in found.iter().filter(|(s, e)| !inside(*s, *e)) {
            let word = text[s..e].to_string();
            if !out.contains(&word) {
                out.push(word);
            }
        }
        out
    }

    /// `text` cut into pieces with the banned words marked, for showing the reply back.
    pub fn pieces(&self, text: &str) -> Vec<Piece> {
        let mut out = Vec::new();
        let mut at = 0;
        for (s, e) in self.ranges(text) {
            if s > at {
                out.push(Piece { text: text[at..s].to_string(), banned: false });
            }
            out.push(Piece { text: text[s..e].to_string(), banned: true });
            at = e;
        }
        if at < text.len() {
            out.push(Piece { text: text[at..].to_string(), banned: false });
        }
        out
    }
}

/// A phrase list as typed (one per line, or separated by commas), trimmed, without repeats.
pub fn parse_list(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for p in text.split(['\n', ',', '，', '、']).map(str::trim).filter(|p| !p.is_empty()) {
        if !out.iter().any(|o| o == p) {
            out.push(p.to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn banned_words_are_found_and_exceptions_pass() {
        let c = ReplyCheck::default();
        assert_eq!(c.hits("亲，这款是全网最低价哦，质量绝对第一"), ["全网最低", "最低价", "绝对", "第一"]);
        assert_eq!(c.hits("亲，收到货给个好评，好评返现5元"), ["给个好评", "好评返现"]);
        // Everyday phrases: no hit.
        assert!(c.hits("亲，我们第一时间给您发货，您最好先量一下尺码").is_empty());
        assert!(c.hits("这是您第一次在我们家买吗").is_empty());
        // But the word outside the exception still counts.
        assert_eq!(c.hits("第一时间发货，销量第一"), ["第一"]);
        // Latin letters without case.
        let c = ReplyCheck { banned: vec!["No.1".into()], allowed: vec![], mode: CheckMode::Warn };
        assert_eq!(c.hits("we are no.1"), ["no.1"]);
    }

    #[test]
    fn pieces_mark_the_words_and_keep_the_text() {
        let c = ReplyCheck::default();
        let text = "亲，这是全网最低价，第一时间发货";
        let pieces = c.pieces(text);
        assert_eq!(pieces.iter().map(|p| p.text.as_str()).collect::<String>(), text);
        let marked: Vec<&str> = pieces.iter().filter(|p| p.banned).map(|p| p.text.as_str()).collect();
        // 全网最低 and 最低价 overlap: one mark over both.
        assert_eq!(marked, ["全网最低价"]);
        assert_eq!(c.pieces("没有问题"), [Piece { text: "没有问题".into(), banned: false }]);
    }

    #[test]
    fn lists_are_read_from_lines_or_commas() {
        assert_eq!(parse_list(" 最便宜 \n第一，唯一、最好,最便宜\n\n"), ["最便宜", "第一", "唯一", "最好"]);
        assert!(parse_list("  \n ").is_empty());
    }
}
