//! 核对订单: after payment the shop sends the buyer what they bought, in which size, and where
//! it goes, and asks them to confirm (the seeds' "核对催付" step). A wrong size or address
//! caught before the parcel leaves costs a message; caught after, a return or an intercept.
//!
//! This module writes the message and reads the buyer's answer. Reading is deliberately
//! strict: only a short reply made of nothing but yes-words confirms; anything that mentions
//! changing or being wrong is a correction; the rest is left to the agent.

use super::Copied;
use super::enums::{OrderStatus, str_enum};

str_enum! {
    /// Where an order's confirmation stands: sent and not answered (待核对), confirmed by the
    /// buyer or an agent (已核对), or the buyer asked for a change (要修改).
    ConfirmStatus: "confirmation status" {
        Pending = "pending", Confirmed = "confirmed", Corrected = "corrected",
    }
}

/// The confirmation state worth showing on an order: "待核对" only while the order can still
/// change before shipping (once it ships unanswered, there is nothing left to confirm).
pub fn shown(status: impl Copied<OrderStatus>, c: impl Copied<Option<ConfirmStatus>>) -> Option<ConfirmStatus> {
    let status = status.copied();
    c.copied().filter(|c| *c != ConfirmStatus::Pending || status == OrderStatus::Paid)
}

/// What the buyer's reply to a confirmation says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// Everything is right (对的 / 没问题 / ok …).
    Confirmed,
    /// Something must change before shipping (地址写错了 / 改成… / 换个码 …).
    Correction,
    /// Neither clearly: an agent reads it.
    Unclear,
}

/// The longest reply still read as a plain "yes": longer ones say more than yes.
const MAX_YES_CHARS: usize = 24;

/// Words that ask for a change. A correction wins over a yes in the same message
/// ("对，不过地址要改一下"); a change word after a negation ("没写错", "不用改") is a yes.
const CHANGE: &[&str] = &[
    "不对",
    "错了",
    "写错",
    "填错",
    "选错",
    "拍错",
    "有误",
    "更改",
    "修改",
    "改",
    "换成",
    "换个",
    "换一",
    "换到",
    "换地址",
    "不是这个",
    "新地址",
    "搬家",
];

/// Negations that turn a following change word into "no change", within [`NEGATION_REACH`]
/// characters ("没什么要改的", "不需要更改").
const NEGATIONS: &[char] = &['没', '不', '无', '别', '甭'];
const NEGATION_REACH: usize = 4;

/// Questions that contain a negation but ask for a change or a check: read as they are.
const ASKING: &[(&str, &str)] = &[("能不能", "能"), ("可不可以", "可以"), ("可不可", "可"), ("改天", "")];

/// Questions about the details: the buyer wants an answer, not to confirm.
const QUESTIONS: &[&str] = &["有没有", "吗", "么", "?", "？"];

/// Yes-words; a reply confirms when it is made of these (and fillers) alone.
const YES: &[&str] = &[
    "没问题",
    "没错",
    "没毛病",
    "无误",
    "正确",
    "确认",
    "确定",
    "都对",
    "对的",
    "对滴",
    "对呀",
    "对啊",
    "是的",
    "是滴",
    "对",
    "是",
    "好的",
    "好滴",
    "好",
    "嗯嗯",
    "嗯",
    "可以",
    "行",
    "okay",
    "ok",
    "yes",
    "尽快发货",
    "快点发货",
    "早点发货",
    "发货吧",
    "发吧",
    "亲",
    "谢谢",
    "谢了",
    "辛苦",
    "麻烦",
    "哦",
    "哈",
    "呀",
    "啊",
    "啦",
    "了",
    "的",
    "收到",
    "知道",
    "信息",
    "地址",
    "尺码",
    "都",
    "也",
];

/// Whether a word of [`YES`] is only a filler (from "亲" on): fillers cannot confirm alone.
fn is_filler(word: &str) -> bool {
    YES.iter().position(|w| *w == word) >= YES.iter().position(|w| *w == "亲")
}

/// The text with every negated change word ("没写错", "不需要更改") replaced by 没问题, and
/// whether a change word is left that nothing negates.
fn negate(text: &str) -> (String, bool) {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    let mut asks_change = false;
    let mut i = 0;
    while i < chars.len() {
        let rest: String = chars[i..].iter().collect();
        let Some(word) = CHANGE.iter().find(|w| rest.starts_with(*w)) else {
            out.push(chars[i]);
            i += 1;
            continue;
        };
        let len = word.chars().count();
        // A negation shortly before it, not part of the word itself ("不对" is a change).
        let from = i.saturating_sub(NEGATION_REACH);
        match chars[from..i].iter().rposition(|c| NEGATIONS.contains(c)) {
            Some(at) => {
                let keep = out.chars().count() - (i - (from + at));
                out = out.chars().take(keep).collect();
                out.push_str("没问题");
            }
            None => {
                asks_change = true;
                out.push_str(word);
            }
        }
        i += len;
    }
    (out, asks_change)
}

/// Reads a buyer's reply to a confirmation.
pub fn classify(text: &str) -> Answer {
    let mut t: String = text.to_lowercase();
    // "对不对" / "是不是" hold a change word but ask whether it is right.
    if ["对不对", "是不是"].iter().any(|q| t.contains(q)) {
        return Answer::Unclear;
    }
    for (phrase, plain) in ASKING {
        t = t.replace(phrase, plain);
    }
    let (t, asks_change) = negate(&t);
    if asks_change {
        return Answer::Correction;
    }
    // A question wants an answer ("地址是对的吧？", "对不对"), and so does a trailing 吧 / 呢,
    // unless it asks to ship ("发货吧").
    let words: String = t.chars().filter(|c| c.is_alphanumeric()).collect();
    let asks = QUESTIONS.iter().any(|q| t.contains(q))
        || ((words.ends_with('吧') || words.ends_with('呢')) && !words.ends_with("发货吧") && !words.ends_with("发吧"));
    // Letters and CJK only: punctuation, spaces and emoji say nothing here.
    if asks || words.is_empty() || words.chars().count() > MAX_YES_CHARS {
        return Answer::Unclear;
    }
    let mut rest = words.as_str();
    let mut said_yes = false;
    while !rest.is_empty() {
        match YES.iter().find(|w| rest.starts_with(*w)) {
            Some(w) => {
                said_yes |= !is_filler(w);
                rest = &rest[w.len()..];
            }
            None => return Answer::Unclear,
        }
    }
    if said_yes { Answer::Confirmed } else { Answer::Unclear }
}

/// One line of the order as the buyer sees it.
#[derive(Debug, Clone)]
pub struct Line<'a> {
    pub title: &'a str,
    pub variant: &'a str,
    pub quantity: i64,
}

/// A phone number as a confirmation shows it: the middle hidden (138****5678), as the
/// platform shows it to the shop.
pub fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.trim().chars().collect();
    if chars.len() < 7 {
        return chars.iter().collect();
    }
    let (head, tail) = (3, 4);
    let hidden = chars.len() - head - tail;
    chars[..head].iter().chain(std::iter::repeat_n(&'*', hidden)).chain(&chars[chars.len() - tail..]).collect()
}

/// The confirmation sent to the buyer: the items with their size, the receiver and the
/// address, and how to answer.
pub fn message(order_no: &str, lines: &[Line<'_>], name: &str, phone: &str, address: &str) -> String {
    let mut m = format!("亲，您的订单 {order_no} 已付款，跟您核对一下信息：");
    for l in lines {
        m.push_str("\n· ");
        m.push_str(l.title);
        if !l.variant.is_empty() {
            m.push_str(&format!("（{}）", l.variant));
        }
        m.push_str(&format!(" × {}", l.quantity));
    }
    if !address.trim().is_empty() {
        m.push_str(format!("\n收货人：{} {}", name.trim(), mask_phone(phone)).trim_end());
        m.push_str(&format!("\n地址：{}", address.trim()));
    }
    m.push_str("\n没问题的话回复“对”就好；尺码、地址要改的话直接告诉我，发货前帮您改好～");
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_yes_replies_confirm() {
        for yes in [
            "对",
            "对的",
            "对的亲",
            "没问题～",
            "嗯嗯，没问题，尽快发货哈",
            "OK",
            "是的 谢谢",
            "好的👌",
            "地址没错",
            "都对，不用改",
            "没错了",
            "地址没写错",
            "没填错",
            "尺码没拍错",
            "没什么要改的",
            "没啥要改的",
            "没有需要修改的",
            "不用更改",
            "无需更改",
            "不需要更改",
            "没问题，发货吧",
        ] {
            assert_eq!(classify(yes), Answer::Confirmed, "{yes}");
        }
    }

    #[test]
    fn a_change_is_a_correction_even_beside_a_yes() {
        for change in [
            "地址写错了",
            "对，不过地址要改一下",
            "能改成家里的地址吗",
            "能不能改成家里的地址",
            "可不可以改一下地址",
            "尺码拍错了，换成XL",
            "不对，电话是13900001111",
            "收件人名字写错了",
            "不好意思，地址要改一下",
        ] {
            assert_eq!(classify(change), Answer::Correction, "{change}");
        }
    }

    #[test]
    fn questions_and_anything_else_are_left_to_the_agent() {
        for other in [
            "",
            "亲",
            "哦",
            "谢谢",
            "什么时候发货？",
            "这个外套会起球吗",
            "对了，还有优惠券吗有没有满减活动呀麻烦看一下",
            "嗯？",
            "对吧？",
            "是吧",
            "好？",
            "可以？",
            "确定？",
            "地址是对的吧？",
            "对不对",
            "是不是这个地址",
            "改天再说",
        ] {
            assert_eq!(classify(other), Answer::Unclear, "{other}");
        }
    }

    #[test]
    fn a_long_reply_is_more_than_a_yes() {
        let long = "对的对的没问题没问题好的好的可以可以确认确认嗯嗯是的";
        assert!(long.chars().count() > MAX_YES_CHARS);
        assert_eq!(classify(long), Answer::Unclear);
        assert_eq!(classify("对的对的没问题没问题好的好的"), Answer::Confirmed, "the same words, fewer");
    }

    #[test]
    fn the_message_lists_items_receiver_and_address() {
        let lines = [
            Line { title: "羊毛大衣", variant: "驼色 M", quantity: 1 },
            Line { title: "围巾", variant: "", quantity: 2 },
        ];
        let m = message("T100", &lines, "王芳", "13812345678", "浙江省杭州市西湖区文三路 90 号");
        assert!(m.contains("订单 T100"));
        assert!(m.contains("· 羊毛大衣（驼色 M） × 1"));
        assert!(m.contains("· 围巾 × 2"));
        assert!(m.contains("收货人：王芳 138****5678"));
        assert!(m.contains("地址：浙江省杭州市西湖区文三路 90 号"));
        assert!(!message("T1", &lines, "", "", "").contains("地址："), "no address, no address line");
    }

    #[test]
    fn waiting_is_shown_only_while_the_order_can_change() {
        let p = Some(ConfirmStatus::Pending);
        assert_eq!(shown(OrderStatus::Paid, p), p);
        assert_eq!(shown(OrderStatus::Shipped, p), None);
        let c = Some(ConfirmStatus::Confirmed);
        assert_eq!(shown(OrderStatus::Signed, c), c, "what the buyer said stays on record");
        assert_eq!(shown(OrderStatus::Paid, None), None);
    }

    #[test]
    fn phones_are_masked_in_the_middle() {
        assert_eq!(mask_phone("13812345678"), "138****5678");
        assert_eq!(mask_phone("0571-8888"), "057**8888");
        assert_eq!(mask_phone("12345"), "12345");
    }
}
