//! Canned-reply variables: `{买家}`, `{订单号}` … filled from the ticket at hand.
//!
//! A buyer must never receive a raw `{订单号}`: [`fill`] reports every variable it could not
//! fill, and [`unfilled`] finds any left in a reply about to be sent.

/// One variable: its Chinese name, its English alias, and what it stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Var {
    Buyer,
    OrderNo,
    Courier,
    TrackingNo,
    Product,
    Shop,
}

impl Var {
    pub const ALL: &'static [Var] = &[Var::Buyer, Var::OrderNo, Var::Courier, Var::TrackingNo, Var::Product, Var::Shop];

    pub fn zh(self) -> &'static str {
        match self {
            Var::Buyer => "买家",
            Var::OrderNo => "订单号",
            Var::Courier => "快递公司",
            Var::TrackingNo => "快递单号",
            Var::Product => "商品",
            Var::Shop => "店铺",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Var::Buyer => "buyer",
            Var::OrderNo => "order_no",
            Var::Courier => "courier",
            Var::TrackingNo => "tracking_no",
            Var::Product => "product",
            Var::Shop => "shop",
        }
    }

    /// The variable named `name` (Chinese or English, without braces).
    pub fn parse(name: &str) -> Option<Var> {
        Var::ALL.iter().copied().find(|v| v.zh() == name || v.en() == name)
    }
}

/// The values known for one ticket; `None` where the ticket has no such thing (no order yet,
/// not shipped …).
#[derive(Debug, Clone, Default)]
pub struct Values {
    pub buyer: Option<String>,
    pub order_no: Option<String>,
    pub courier: Option<String>,
    pub tracking_no: Option<String>,
    pub product: Option<String>,
    pub shop: Option<String>,
}

impl Values {
    fn get(&self, v: Var) -> Option<&str> {
        match v {
            Var::Buyer => self.buyer.as_deref(),
            Var::OrderNo => self.order_no.as_deref(),
            Var::Courier => self.courier.as_deref(),
            Var::TrackingNo => self.tracking_no.as_deref(),
            Var::Product => self.product.as_deref(),
            Var::Shop => self.shop.as_deref(),
        }
        .filter(|s| !s.trim().is_empty())
    }
}

/// The result of filling a body: the text (unfilled variables left as written) and the
/// variables that could not be filled, in order of appearance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filled {
    pub text: String,
    pub missing: Vec<String>,
}

/// Splits `body` into literal text and `{name}` variables, calling `on_var` for each name
/// `parse` knows (with the variable as written) and keeping other braces as text. Canned
/// replies and care campaigns each bring their own variables.
pub fn scan<V>(body: &str, parse: impl Fn(&str) -> Option<V>, mut on_var: impl FnMut(V, &str, &mut String)) -> String {
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}').and_then(|close| parse(&after[..close]).map(|var| (close, var))) {
            Some((close, var)) => {
                on_var(var, &rest[open..open + close + 2], &mut out);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn walk(body: &str, on_var: impl FnMut(Var, &str, &mut String)) -> String {
    scan(body, Var::parse, on_var)
}

/// Fills every known variable that has a value.
pub fn fill(body: &str, values: &Values) -> Filled {
    let mut missing = Vec::new();
    let text = walk(body, |var, raw, out| match values.get(var) {
        Some(v) => out.push_str(v),
        None => {
            out.push_str(raw);
            if !missing.iter().any(|m: &String| m == raw) {
                missing.push(raw.to_string());
            }
        }
    });
    Filled { text, missing }
}

/// Known variables still present in a text (a reply about to be sent), e.g. `["{订单号}"]`.
pub fn unfilled(text: &str) -> Vec<String> {
    fill(text, &Values::default()).missing
}

/// Names in braces that are not variables, e.g. a typo `{订单}`; used when saving a reply.
pub fn unknown_vars(body: &str) -> Vec<String> {
    braced_names(body)
        .filter(|name| !name.is_empty() && name.chars().count() <= 12 && Var::parse(name).is_none())
        .map(|name| format!("{{{name}}}"))
        .collect()
}

/// The names written in braces in `body`, in order (`{买家}` → `买家`); a brace opened again
/// before it closes is text, not a name.
pub fn braced_names(body: &str) -> impl Iterator<Item = &str> {
    let mut rest = body;
    std::iter::from_fn(move || {
        loop {
            let open = rest.find('{')?;
            let after = &rest[open + 1..];
            let close = after.find('}')?;
            let name = &after[..close];
            rest = &after[close + 1..];
            if !name.contains('{') {
                return Some(name);
            }
        }
    })
}

/// A sent reply turned back into a template: each value found in the text (an order number,
/// courier, tracking number, the buyer's name) becomes its variable, longest value first so
/// a tracking number is not cut by an order number inside it.
pub fn generalise(text: &str, values: &[(Var, &str)]) -> String {
    let mut found: Vec<(Var, &str)> = values.iter().copied().filter(|(_, v)| v.chars().count() >= 2).collect();
    found.sort_by_key(|(_, v)| std::cmp::Reverse(v.len()));
    let mut out = text.to_string();
    for (var, value) in found {
        out = out.replace(value, &format!("{{{}}}", var.zh()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values() -> Values {
        Values {
            buyer: Some("爱吃鱼的猫咪".into()),
            order_no: Some("3826401957712345678".into()),
            courier: Some("圆通速递".into()),
            tracking_no: Some("YT7788990011".into()),
            product: Some("法式碎花连衣裙".into()),
            shop: Some("暖阳衣橱".into()),
        }
    }

    #[test]
    fn fills_chinese_names_and_english_aliases() {
        let f = fill("亲爱的{买家}，您的订单{订单号}已由{快递公司}发出，单号{tracking_no}。{shop}", &values());
        assert_eq!(
            f.text,
            "亲爱的爱吃鱼的猫咪，您的订单3826401957712345678已由圆通速递发出，单号YT7788990011。暖阳衣橱"
        );
        assert!(f.missing.is_empty());
    }

    #[test]
    fn reports_what_cannot_be_filled_once_each() {
        let v = Values { buyer: Some("小鹿".into()), ..Default::default() };
        let f = fill("{买家}您好，订单{订单号}，单号{快递单号}，再说一次{订单号}", &v);
        assert_eq!(f.text, "小鹿您好，订单{订单号}，单号{快递单号}，再说一次{订单号}");
        assert_eq!(f.missing, vec!["{订单号}".to_string(), "{快递单号}".to_string()]);
        let blank = Values { buyer: Some("  ".into()), ..Default::default() };
        assert_eq!(fill("{买家}", &blank).missing, vec!["{买家}".to_string()]);
    }

    #[test]
    fn other_braces_are_plain_text() {
        let f = fill("尺码表 {S/M/L} 和 {} 以及 { 以及 {买家", &values());
        assert_eq!(f.text, "尺码表 {S/M/L} 和 {} 以及 { 以及 {买家");
        assert!(f.missing.is_empty());
        assert!(unfilled("{订单}").is_empty());
        assert_eq!(unfilled("请核对{订单号}"), vec!["{订单号}".to_string()]);
    }

    #[test]
    fn unknown_variables_are_found() {
        assert_eq!(unknown_vars("{买家}你好{订单}{order_no}{名字}"), vec!["{订单}".to_string(), "{名字}".to_string()]);
    }

    #[test]
    fn a_sent_reply_gets_its_variables_back() {
        let sent = "亲，小林您好，订单 3801234 已经发出，中通快递 ZT78901234567，请留意查收";
        let got = generalise(
            sent,
            &[
                (Var::Buyer, "小林"),
                (Var::OrderNo, "3801234"),
                (Var::Courier, "中通快递"),
                (Var::TrackingNo, "ZT78901234567"),
                (Var::Product, ""),
            ],
        );
        assert_eq!(got, "亲，{买家}您好，订单 {订单号} 已经发出，{快递公司} {快递单号}，请留意查收");
    }
}
