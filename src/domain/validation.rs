//! What is wrong with an input, as a closed set of codes: every code has a message in both
//! languages (the i18n table matches on [`ErrorCode`] exhaustively) and the JSON API sends its
//! text (`"code": "required"`).

use std::borrow::Cow;

super::enums::str_enum! {
    /// Why one input field was refused.
    ErrorCode: "error code" {
        Required = "required", TooLong = "too_long", Invalid = "invalid", Range = "range",
        Username = "username", PasswordShort = "password_short", Capacity = "capacity", Taken = "taken",
        OwnRole = "own_role", OwnAccount = "own_account", BodyEmpty = "body_empty",
        BodyTooLong = "body_too_long", Unfilled = "unfilled", OrderUnknown = "order_unknown",
        LossReason = "loss_reason", Quantity = "quantity", DueHours = "due_hours", Date = "date",
        Time = "time", ShiftInverted = "shift_inverted", ShiftTooLong = "shift_too_long",
        ShiftOverlaps = "shift_overlaps", NoneSelected = "none_selected", BulkStale = "bulk_stale",
        ArticleTooLong = "article_too_long", SkuUnknown = "sku_unknown", Shortcut = "shortcut",
        ShortcutTaken = "shortcut_taken", ShortcutRepeated = "shortcut_repeated",
        ReplyTooLong = "reply_too_long", UnknownVars = "unknown_vars", CsvRow = "csv_row",
        CsvColumns = "csv_columns", TimeZone = "time_zone", Hours = "hours", Url = "url",
        ReturnNeedsOrder = "return_needs_order", StepNotNow = "step_not_now", Negative = "negative",
        OutOfOrder = "out_of_order", PhoneSuffix = "phone_suffix", ProofFailed = "proof_failed",
        NotVisitor = "not_visitor", BuyerUnknown = "buyer_unknown", PhotoCount = "photo_count",
        PhotoEmpty = "photo_empty", PhotoType = "photo_type", PhotoPixels = "photo_pixels",
        PhotoCorrupt = "photo_corrupt", PhraseList = "phrase_list",
        BannedWords = "banned_words", AlreadyInvited = "already_invited", RatingScale = "rating_scale",
        RatingNotYet = "rating_not_yet", RatingLocked = "rating_locked",
        AlreadyAnswered = "already_answered", InFuture = "in_future", DateRange = "date_range",
        AgentUnknown = "agent_unknown", MemberLevel = "member_level", ChannelOff = "channel_off",
        NeedsOrder = "needs_order", AddressShipped = "address_shipped", AddressNotShipped = "address_not_shipped",
        AddressTooLate = "address_too_late", AddressNotPaid = "address_not_paid",
        RefundOverTotal = "refund_over_total", RefundNeedsStatus = "refund_needs_status",
        NotYourTask = "not_your_task", NoSuggestion = "no_suggestion", ConfirmShipped = "confirm_shipped",
        ConfirmNotPaid = "confirm_not_paid", ConfirmTooLate = "confirm_too_late",
    }
}

/// A problem with one input field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The field's name, or a path like `items[0].quantity`.
    pub field: Cow<'static, str>,
    pub code: ErrorCode,
}

impl FieldError {
    pub fn new(field: impl Into<Cow<'static, str>>, code: ErrorCode) -> FieldError {
        FieldError { field: field.into(), code }
    }
}

/// `value` trimmed; a `required` or `too_long` error for `field` when it is empty or longer
/// than `max` characters.
pub fn required_text<'a>(errors: &mut Vec<FieldError>, field: &'static str, value: &'a str, max: usize) -> &'a str {
    let value = value.trim();
    if value.is_empty() {
        errors.push(FieldError::new(field, ErrorCode::Required));
    } else if value.chars().count() > max {
        errors.push(FieldError::new(field, ErrorCode::TooLong));
    }
    value
}

/// Whether `text` has the shape of an email address (one @, a dotted domain, no spaces);
/// whether it exists only the mail server can tell.
pub fn looks_like_email(text: &str) -> bool {
    match text.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !text.chars().any(char::is_whitespace)
        }
        None => false,
    }
}

/// Collects field errors while a form is read, so every bad field is reported at once.
#[derive(Debug, Default)]
pub struct Errors(pub Vec<FieldError>);

impl Errors {
    pub fn push(&mut self, field: impl Into<Cow<'static, str>>, code: ErrorCode) {
        self.0.push(FieldError::new(field, code));
    }

    /// A whole number within `range`, or a `range` error for `field`.
    pub fn number(
        &mut self, field: impl Into<Cow<'static, str>>, text: &str, range: std::ops::RangeInclusive<i64>,
    ) -> Option<i64> {
        match text.trim().parse::<i64>() {
            Ok(n) if range.contains(&n) => Some(n),
            _ => {
                self.push(field, ErrorCode::Range);
                None
            }
        }
    }

    /// `Ok(value)` when nothing was refused.
    pub fn or_value<T>(self, value: impl FnOnce() -> T) -> Result<T, Vec<FieldError>> {
        if self.0.is_empty() { Ok(value()) } else { Err(self.0) }
    }
}
