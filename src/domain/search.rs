//! Tokenising text for full-text search, identically for indexing and for queries.
//!
//! Chinese has no spaces, and the databases' own tokenisers either cannot match two-character
//! words (FTS5 trigram) or treat a whole Chinese run as one word (unicode61, Postgres' parser).
//! So Kefu splits text itself: every run of CJK characters becomes overlapping character
//! bigrams (退货运费 → 退货 货运 运费) plus its last character alone (so a one-character query
//! can match at the end of a run); every run of Latin letters or digits becomes one lower-cased
//! word. The database then only indexes these tokens.
//!
//! A query is turned into [`QueryTerm`]s that must all match: a CJK run of two or more
//! characters is a phrase of consecutive bigrams, one character or a Latin word is a prefix.

/// One required part of a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueryTerm {
    /// Consecutive tokens that must appear in this order.
    Phrase(Vec<String>),
    /// A token prefix (Latin word or single CJK character).
    Prefix(String),
}

/// At most this many terms are taken from a query, so a pasted essay cannot make a huge query.
pub const MAX_TERMS: usize = 12;

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F
        | 0x3040..=0x30FF | 0xAC00..=0xD7AF)
}

enum Run {
    Cjk(Vec<char>),
    Word(String),
}

fn runs(text: &str) -> Vec<Run> {
    let mut out = Vec::new();
    let mut cjk: Vec<char> = Vec::new();
    let mut word = String::new();
    let flush = |cjk: &mut Vec<char>, word: &mut String, out: &mut Vec<Run>| {
        if !cjk.is_empty() {
            out.push(Run::Cjk(std::mem::take(cjk)));
        }
        if !word.is_empty() {
            out.push(Run::Word(std::mem::take(word)));
        }
    };
    for c in text.chars() {
        if is_cjk(c) {
            if !word.is_empty() {
                flush(&mut cjk, &mut word, &mut out);
            }
            cjk.push(c);
        } else if c.is_alphanumeric() {
            if !cjk.is_empty() {
                flush(&mut cjk, &mut word, &mut out);
            }
            word.extend(c.to_lowercase());
        } else {
            flush(&mut cjk, &mut word, &mut out);
        }
    }
    flush(&mut cjk, &mut word, &mut out);
    out
}

fn bigrams(chars: &[char]) -> Vec<String> {
    chars.windows(2).map(|w| w.iter().collect()).collect()
}

/// The tokens to index for `text`, in order.
pub fn index_tokens(text: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    for run in runs(text) {
        match run {
            Run::Cjk(chars) => {
                tokens.extend(bigrams(&chars));
                tokens.push(chars[chars.len() - 1].to_string());
            }
            Run::Word(w) => tokens.push(w),
        }
    }
    tokens
}

/// The terms of a search query; empty when the query has nothing searchable.
pub fn query_terms(query: &str) -> Vec<QueryTerm> {
    let mut terms: Vec<QueryTerm> = runs(query)
        .into_iter()
        .map(|run| match run {
            Run::Cjk(chars) if chars.len() == 1 => QueryTerm::Prefix(chars[0].to_string()),
            Run::Cjk(chars) => QueryTerm::Phrase(bigrams(&chars)),
            Run::Word(w) => QueryTerm::Prefix(w),
        })
        .collect();
    terms.dedup();
    terms.truncate(MAX_TERMS);
    terms
}

/// A token in the space of one kind of document: `space` (two letters, the same length for
/// every kind, so no two kinds' tokens can be equal) written before it. A search of one kind
/// then reads only that kind's entries for a word, however often other kinds use it.
pub fn spaced(space: &str, token: &str) -> String {
    format!("{space}{token}")
}

/// The query as an FTS5 MATCH expression over the tokens of one kind's `space` (see
/// [`spaced`]). Tokens contain only letters and digits, so quoting them is enough to
/// neutralise FTS5 syntax (`OR`, `-`, `*`, `"` in user input).
pub fn fts5_match(terms: &[QueryTerm], space: &str) -> String {
    terms
        .iter()
        .map(|t| match t {
            QueryTerm::Phrase(tokens) => {
                let tokens: Vec<String> = tokens.iter().map(|k| spaced(space, k)).collect();
                format!("\"{}\"", tokens.join(" "))
            }
            QueryTerm::Prefix(p) => format!("\"{}\"*", spaced(space, p)),
        })
        .collect::<Vec<_>>()
        .join(" AND ")
}

/// The query as a Postgres `tsquery` literal (cast with `::tsquery`, no parser involved).
pub fn tsquery(terms: &[QueryTerm]) -> String {
    terms
        .iter()
        .map(|t| match t {
            QueryTerm::Phrase(tokens) => {
                let inner = tokens.iter().map(|k| format!("'{k}'")).collect::<Vec<_>>().join(" <-> ");
                format!("({inner})")
            }
            QueryTerm::Prefix(p) => format!("'{p}':*"),
        })
        .collect::<Vec<_>>()
        .join(" & ")
}

/// Tokens as a Postgres `tsvector` literal with positions, so phrases match consecutively.
pub fn tsvector(tokens: &[String]) -> String {
    // tsvector positions stop at 16383; later tokens still count, without a position.
    tokens.iter().enumerate().map(|(i, k)| format!("'{k}':{}", (i + 1).min(16383))).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn chinese_is_split_into_bigrams_plus_last_character() {
        assert_eq!(index_tokens("退货运费"), s(&["退货", "货运", "运费", "费"]));
        assert_eq!(index_tokens("鱼"), s(&["鱼"]));
    }

    #[test]
    fn latin_words_and_digits_are_lowercased_words() {
        assert_eq!(index_tokens("Jenny王 tb_8823451"), s(&["jenny", "王", "tb", "8823451"]));
    }

    #[test]
    fn punctuation_separates_runs() {
        assert_eq!(index_tokens("尺码，色差!"), s(&["尺码", "码", "色差", "差"]));
    }

    #[test]
    fn queries_become_phrases_and_prefixes() {
        assert_eq!(
            query_terms("退货 运费 SF"),
            vec![QueryTerm::Phrase(s(&["退货"])), QueryTerm::Phrase(s(&["运费"])), QueryTerm::Prefix("sf".into())]
        );
        assert_eq!(query_terms("鱼"), vec![QueryTerm::Prefix("鱼".into())]);
    }

    #[test]
    fn a_query_reads_one_kind_s_tokens() {
        let terms = query_terms("退货运费 sf");
        assert_eq!(fts5_match(&terms, "ko"), "\"ko退货 ko货运 ko运费\" AND \"kosf\"*");
        assert_ne!(fts5_match(&terms, "ko"), fts5_match(&terms, "km"));
    }

    #[test]
    fn syntax_characters_never_reach_the_engine() {
        let terms = query_terms("\"*( OR - ' 退货");
        assert_eq!(fts5_match(&terms, "km"), "\"kmor\"* AND \"km退货\"");
        assert_eq!(tsquery(&terms), "'or':* & ('退货')");
        assert!(query_terms("\"*()-'").is_empty());
    }

    #[test]
    fn long_queries_are_capped() {
        let q = "a b c d e f g h i j k l m n o p q r";
        assert_eq!(query_terms(q).len(), MAX_TERMS);
    }

    #[test]
    fn tsvector_literal_has_positions() {
        assert_eq!(tsvector(&s(&["退货", "货"])), "'退货':1 '货':2");
    }
}

/// The literal pieces of a query to highlight in results: CJK runs and Latin words.
fn needles(query: &str) -> Vec<Vec<char>> {
    let mut out: Vec<Vec<char>> = runs(query)
        .into_iter()
        .map(|r| match r {
            Run::Cjk(chars) => chars,
            Run::Word(w) => w.chars().collect(),
        })
        .collect();
    out.sort_by_key(|n| std::cmp::Reverse(n.len()));
    out
}

/// `text` cut into (piece, matched) segments, around the first match when it is long, so a
/// result can show the query's words marked. Matching ignores case.
pub fn highlight(text: &str, query: &str, max_chars: usize) -> Vec<(String, bool)> {
    let chars: Vec<char> = text.chars().collect();
    let lower: Vec<char> = chars.iter().map(|c| c.to_lowercase().next().unwrap_or(*c)).collect();
    let needles = needles(query);
    let mut hit = vec![false; chars.len()];
    let mut i = 0;
    while i < lower.len() {
        match needles.iter().find(|n| !n.is_empty() && lower[i..].starts_with(n)) {
            Some(n) => {
                hit[i..i + n.len()].iter_mut().for_each(|h| *h = true);
                i += n.len();
            }
            None => i += 1,
        }
    }
    // A window of max_chars around the first hit.
    let first = hit.iter().position(|h| *h).unwrap_or(0);
    let start = first.saturating_sub(max_chars / 3).min(chars.len().saturating_sub(max_chars));
    let end = (start + max_chars).min(chars.len());
    let mut segs: Vec<(String, bool)> = Vec::new();
    if start > 0 {
        segs.push(("…".into(), false));
    }
    for k in start..end {
        match segs.last_mut() {
            Some((s, h)) if *h == hit[k] && !(s == "…" && k == start) => s.push(chars[k]),
            _ => segs.push((chars[k].to_string(), hit[k])),
        }
    }
    if end < chars.len() {
        segs.push(("…".into(), false));
    }
    segs
}

#[cfg(test)]
mod highlight_tests {
    use super::*;

    #[test]
    fn marks_chinese_words_and_latin_prefixes() {
        let segs = highlight("亲，退货运费由买家承担，顺丰SF到付", "退货 sf", 100);
        let marked: Vec<&str> = segs.iter().filter(|(_, h)| *h).map(|(s, _)| s.as_str()).collect();
        assert_eq!(marked, vec!["退货", "SF"]);
        let all: String = segs.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(all, "亲，退货运费由买家承担，顺丰SF到付");
    }

    #[test]
    fn long_text_is_cut_around_the_first_match() {
        let text = format!("{}尺码偏小{}", "很".repeat(100), "好".repeat(100));
        let segs = highlight(&text, "尺码", 30);
        assert_eq!(segs.first().unwrap().0, "…");
        assert_eq!(segs.last().unwrap().0, "…");
        assert!(segs.iter().any(|(s, h)| *h && s == "尺码"));
        let shown: usize = segs.iter().filter(|(s, _)| s != "…").map(|(s, _)| s.chars().count()).sum();
        assert_eq!(shown, 30);
    }
}
