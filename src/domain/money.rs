//! Money is integer fen (1 yuan = 100 fen) everywhere; this module formats it for people.

/// Formats fen as `¥1,234.50`.
pub fn yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let abs = fen.unsigned_abs();
    let (whole, cents) = (abs / 100, abs % 100);
    let digits = whole.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    format!("{sign}¥{grouped}.{cents:02}")
}

/// Fen as a plain number of yuan for a form field: `1234.5`, `20`.
pub fn plain_yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let abs = fen.unsigned_abs();
    match abs % 100 {
        0 => format!("{sign}{}", abs / 100),
        c if c % 10 == 0 => format!("{sign}{}.{}", abs / 100, c / 10),
        c => format!("{sign}{}.{c:02}", abs / 100),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_yuan_reads_back_in_a_form() {
        assert_eq!(
            [plain_yuan(2000), plain_yuan(123450), plain_yuan(5), plain_yuan(-150)],
            ["20", "1234.5", "0.05", "-1.5"]
        );
    }

    #[test]
    fn formats_fen_as_yuan() {
        for (fen, text) in [
            (0, "¥0.00"),
            (5, "¥0.05"),
            (100, "¥1.00"),
            (15900, "¥159.00"),
            (123450, "¥1,234.50"),
            (126800, "¥1,268.00"),
            (100000000, "¥1,000,000.00"),
            (-250, "-¥2.50"),
        ] {
            assert_eq!(yuan(fen), text, "{fen} fen");
        }
    }
}
