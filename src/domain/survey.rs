//! The attribute survey (属性搜集): a page behind a signed link per buyer asking what the
//! admin chose (birthday, size, skin type, preferences …). The answers become the buyer's
//! attributes; the shop's coupon text thanks them. Each link is answered once.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::signed::{self, LinkError};
use super::validation::{ErrorCode, FieldError};

const VERSION: &str = "s1";
/// The longest free-text answer.
pub const MAX_ANSWER_CHARS: usize = 100;

/// One question: the attribute it fills and, when it is a choice, the choices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    pub key: String,
    pub choices: Vec<String>,
}

/// The questions as the admin writes them, one a line: `尺码：S/M/L/XL` (a choice) or
/// `喜欢的风格` (free text). Blank and repeated lines are dropped.
pub fn parse_questions(text: &str) -> Vec<Question> {
    let mut out: Vec<Question> = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (key, choices) = match line.split_once(['：', ':']) {
            Some((k, c)) => {
                let choices: Vec<String> =
                    c.split(['/', '／', '、']).map(str::trim).filter(|c| !c.is_empty()).map(String::from).collect();
                (k.trim(), choices)
            }
            None => (line, Vec::new()),
        };
        if !key.is_empty() && !out.iter().any(|q| q.key == key) {
            out.push(Question { key: key.to_string(), choices });
        }
    }
    out
}

/// The questions written back one a line.
pub fn questions_text(questions: &[Question]) -> String {
    questions
        .iter()
        .map(|q| if q.choices.is_empty() { q.key.clone() } else { format!("{}：{}", q.key, q.choices.join("/")) })
        .collect::<Vec<_>>()
        .join("\n")
}

/// What a survey link vouches for: which link (a row that records its use) until when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SurveyClaims {
    pub link_id: Uuid,
    pub expires_at: DateTime<Utc>,
}

pub fn sign(key: &[u8], c: &SurveyClaims) -> String {
    signed::sign(key, VERSION, &format!("{}.{}", c.link_id.simple(), c.expires_at.timestamp()))
}

pub fn verify(key: &[u8], token: &str, now: DateTime<Utc>) -> Result<SurveyClaims, LinkError> {
    let raw = signed::verify(key, VERSION, token)?;
    let (id, expires) = raw.split_once('.').ok_or(LinkError::Invalid)?;
    let link_id = Uuid::parse_str(id).map_err(|_| LinkError::Invalid)?;
    Ok(SurveyClaims { link_id, expires_at: signed::unexpired(expires, now)? })
}

/// Checked answers: the birthday (when asked and given) and the attributes to set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Answers {
    pub birthday: Option<NaiveDate>,
    pub attributes: Vec<(String, String)>,
}

/// Checks what the buyer typed against the questions: a choice must be one of its choices,
/// free text at most [`MAX_ANSWER_CHARS`], a birthday a real past date. Unanswered
/// questions are skipped; questions not asked are ignored.
pub fn check_answers(
    questions: &[Question], ask_birthday: bool, birthday: &str, answers: &[(String, String)], today: NaiveDate,
) -> Result<Answers, Vec<FieldError>> {
    let mut errors = Vec::new();
    let birthday = match birthday.trim() {
        "" => None,
        _ if !ask_birthday => None,
        text => match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            Ok(d) if d <= today && chrono::Datelike::year(&d) >= 1900 => Some(d),
            _ => {
                errors.push(FieldError::new("birthday", ErrorCode::Date));
                None
            }
        },
    };
    let mut attributes = Vec::new();
    for (i, q) in questions.iter().enumerate() {
        let Some(value) = answers.iter().find(|(k, _)| *k == q.key).map(|(_, v)| v.trim()) else { continue };
        if value.is_empty() {
            continue;
        }
        let ok = if q.choices.is_empty() {
            value.chars().count() <= MAX_ANSWER_CHARS
        } else {
            q.choices.iter().any(|c| c == value)
        };
        if ok {
            attributes.push((q.key.clone(), value.to_string()));
        } else {
            errors.push(FieldError::new(format!("q{i}"), ErrorCode::Invalid));
        }
    }
    if errors.is_empty() { Ok(Answers { birthday, attributes }) } else { Err(errors) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn questions_read_from_lines() {
        let q = parse_questions("尺码：S/M/L\n\n喜欢的风格\n尺码: XL\n肤质:干性、油性");
        assert_eq!(q.len(), 3);
        assert_eq!(q[0], Question { key: "尺码".into(), choices: vec!["S".into(), "M".into(), "L".into()] });
        assert!(q[1].choices.is_empty());
        assert_eq!(q[2].choices, ["干性", "油性"]);
        assert_eq!(parse_questions(&questions_text(&q)), q);
    }

    #[test]
    fn links_are_signed_and_expire() {
        let now = Utc::now();
        let c = SurveyClaims {
            link_id: Uuid::now_v7(),
            expires_at: DateTime::from_timestamp(now.timestamp() + 60, 0).unwrap(),
        };
        let token = sign(b"k", &c);
        assert_eq!(verify(b"k", &token, now), Ok(c));
        assert_eq!(verify(b"other", &token, now), Err(LinkError::Invalid));
        assert_eq!(verify(b"k", &token, now + chrono::Duration::minutes(2)), Err(LinkError::Expired));
        // An entry link to the chat is not a survey link, even with the same key.
        assert_eq!(
            verify(b"k", &signed::sign(b"k", "v1", &format!("{}.1", c.link_id.simple())), now),
            Err(LinkError::Invalid)
        );
    }

    #[test]
    fn answers_are_checked_against_their_questions() {
        let q = parse_questions("尺码：S/M/L\n风格");
        let today = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        let a = |k: &str, v: &str| (k.to_string(), v.to_string());
        let ok =
            check_answers(&q, true, "1990-05-01", &[a("尺码", "M"), a("风格", "通勤"), a("别的", "x")], today).unwrap();
        assert_eq!(ok.birthday, NaiveDate::from_ymd_opt(1990, 5, 1));
        assert_eq!(ok.attributes, [a("尺码", "M"), a("风格", "通勤")]);
        let bad = check_answers(&q, true, "2030-01-01", &[a("尺码", "XXL")], today).unwrap_err();
        let fields: Vec<&str> = bad.iter().map(|e| e.field.as_ref()).collect();
        assert_eq!(fields, ["birthday", "q0"]);
        // A birthday not asked for is not taken.
        assert_eq!(check_answers(&q, false, "1990-05-01", &[], today).unwrap().birthday, None);
    }
}
