//! Answers when nobody is there: the shop's own knowledge articles that match a buyer's
//! question, found with the same Chinese tokens the search uses (two-character pieces), no
//! model. An article ranks by the pieces of the question it shares, a piece in its title
//! counting three times one in its body; weak matches are not offered.

use std::collections::HashSet;

use uuid::Uuid;

use super::enums::str_enum;
use super::search::index_tokens;

str_enum! {
    /// What the buyer answered to the articles offered.
    FaqOutcome: "answer outcome" {
        /// 解决了: the articles answered the question.
        Solved = "solved",
        /// 转人工: the buyer wants a person.
        Human = "human",
    }
}

/// The most articles offered at once.
pub const MAX_SUGGESTIONS: usize = 3;
/// The least score an offered article has (e.g. one shared piece in the title and one in
/// the body): below it, a match is more likely chance than an answer.
pub const MIN_SCORE: usize = 4;

/// Pieces so common in questions that sharing them says nothing about the topic.
const FILLER: &[&str] =
    &["请问", "你好", "您好", "可以", "这个", "一下", "什么", "怎么", "吗", "的", "了", "呢", "吧", "是"];

/// The question's distinct pieces worth matching.
fn pieces(text: &str) -> HashSet<String> {
    index_tokens(text).into_iter().filter(|t| t.chars().count() >= 2 && !FILLER.contains(&t.as_str())).collect()
}

/// An article as the ranking reads it: its pieces, cut once (the articles are kept cut for a
/// moment, not cut again for every question).
#[derive(Debug, Clone)]
pub struct Indexed {
    pub id: Uuid,
    title: HashSet<String>,
    body: HashSet<String>,
}

impl Indexed {
    pub fn new(id: Uuid, title: &str, body: &str) -> Indexed {
        Indexed { id, title: pieces(title), body: pieces(body) }
    }
}

/// Up to [`MAX_SUGGESTIONS`] article ids for `question`, best first (ties keep the given
/// order), each scoring at least [`MIN_SCORE`].
pub fn rank<'a>(question: &str, articles: impl IntoIterator<Item = &'a Indexed>) -> Vec<Uuid> {
    let asked = pieces(question);
    if asked.is_empty() {
        return Vec::new();
    }
    let mut scored: Vec<(usize, usize, Uuid)> = articles
        .into_iter()
        .enumerate()
        .map(|(i, a)| {
            let score =
                asked.iter().map(|p| if a.title.contains(p) { 3 } else { usize::from(a.body.contains(p)) }).sum();
            (score, i, a.id)
        })
        .filter(|(score, _, _)| *score >= MIN_SCORE)
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    scored.into_iter().take(MAX_SUGGESTIONS).map(|(_, _, id)| id).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matching_articles_are_offered_best_first() {
        let (a, b, c) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
        let articles = [
            Indexed::new(a, "羽绒服洗涤保养", "羽绒服不要机洗，轻轻手洗，平铺晾干，不会掉毛结块。"),
            Indexed::new(b, "退货运费谁出", "七天无理由退货的运费由买家承担，质量问题由卖家承担。"),
            Indexed::new(c, "尺码怎么选", "身高160体重50公斤选M码，偏胖选大一码。"),
        ];
        assert_eq!(rank("你好，羽绒服可以机洗吗？会不会掉毛", &articles), [a]);
        assert_eq!(rank("退货的运费谁出呀", &articles), [b]);
        assert_eq!(rank("160斤穿什么尺码", &articles), [c]);
        // Nothing in common, or only filler: nothing offered.
        assert!(rank("在吗", &articles).is_empty());
        assert!(rank("你好，请问一下", &articles).is_empty());
        assert!(rank("", &articles).is_empty());
    }
}
