//! The admin audit log's vocabulary: what kind of change a request to an admin route made,
//! and which of its form fields may be kept.

use super::enums::str_enum;

str_enum! {
    /// What an admin changed, named from the route the change was sent to.
    AuditAction: "audit action" {
        StaffAdd = "staff_add",
        StaffEdit = "staff_edit",
        StaffActive = "staff_active",
        Settings = "settings",
        Automations = "automations",
        RoutingRuleAdd = "routing_rule_add",
        RoutingOptions = "routing_options",
        RoutingRuleDelete = "routing_rule_delete",
        RoutingRuleMove = "routing_rule_move",
        ReplyCheck = "reply_check",
        CampaignSubmit = "campaign_submit",
        CampaignCancel = "campaign_cancel",
        CampaignSettings = "campaign_settings",
        SegmentSave = "segment_save",
        SegmentDelete = "segment_delete",
        TemplateSave = "template_save",
        TemplateDelete = "template_delete",
        /// A route added later without a name of its own: the log shows its address.
        Other = "other",
    }
}

impl AuditAction {
    /// The action of a change sent to `route` (the route's pattern, as axum matched it).
    pub fn of_route(route: &str) -> AuditAction {
        match route {
            "/admin/staff" => AuditAction::StaffAdd,
            "/admin/staff/{id}" => AuditAction::StaffEdit,
            "/admin/staff/{id}/active" => AuditAction::StaffActive,
            "/admin/settings" => AuditAction::Settings,
            "/admin/automations" => AuditAction::Automations,
            "/admin/routing" => AuditAction::RoutingRuleAdd,
            "/admin/routing/options" => AuditAction::RoutingOptions,
            "/admin/routing/{id}/delete" => AuditAction::RoutingRuleDelete,
            "/admin/routing/{id}/move" => AuditAction::RoutingRuleMove,
            "/admin/reply-check" => AuditAction::ReplyCheck,
            "/admin/campaigns" => AuditAction::CampaignSubmit,
            "/admin/campaigns/{id}/cancel" => AuditAction::CampaignCancel,
            "/admin/campaigns/settings" => AuditAction::CampaignSettings,
            "/admin/campaigns/segments" | "/admin/campaigns/segments/{id}" => AuditAction::SegmentSave,
            "/admin/campaigns/segments/{id}/delete" => AuditAction::SegmentDelete,
            "/admin/campaigns/templates" | "/admin/campaigns/templates/{id}" => AuditAction::TemplateSave,
            "/admin/campaigns/templates/{id}/delete" => AuditAction::TemplateDelete,
            _ => AuditAction::Other,
        }
    }
}

/// The longest value kept of one form field (a template's text can be long; the log shows
/// what was changed, it is not a copy of it).
pub const MAX_VALUE_CHARS: usize = 200;

/// The fields of a change worth keeping: everything but secrets (passwords, tokens, the CSRF
/// token) and empty values, each cut to [`MAX_VALUE_CHARS`].
pub fn kept_fields(pairs: Vec<(String, String)>) -> Vec<(String, String)> {
    pairs
        .into_iter()
        .filter(|(k, v)| {
            let k = k.to_ascii_lowercase();
            !v.is_empty()
                && !k.starts_with('_')
                && !["password", "token", "secret", "csrf"].iter().any(|s| k.contains(s))
        })
        .map(|(k, v)| {
            let v = match v.chars().count() > MAX_VALUE_CHARS {
                true => v.chars().take(MAX_VALUE_CHARS).chain(std::iter::once('…')).collect(),
                false => v,
            };
            (k, v)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_named_admin_route_has_its_action_and_others_are_other() {
        assert_eq!(AuditAction::of_route("/admin/staff/{id}"), AuditAction::StaffEdit);
        assert_eq!(AuditAction::of_route("/admin/campaigns/segments/{id}"), AuditAction::SegmentSave);
        assert_eq!(AuditAction::of_route("/admin/new-thing"), AuditAction::Other);
    }

    #[test]
    fn secrets_and_empty_values_are_not_kept_and_long_values_are_cut() {
        let pairs = vec![
            ("display_name".to_string(), "小暖".to_string()),
            ("password".to_string(), "kefu-demo-2026".to_string()),
            ("new_password".to_string(), "x".to_string()),
            ("_csrf".to_string(), "abc".to_string()),
            ("webhook_token".to_string(), "t".to_string()),
            ("note".to_string(), String::new()),
            ("body".to_string(), "好".repeat(300)),
        ];
        let kept = kept_fields(pairs);
        assert_eq!(kept.len(), 2);
        assert_eq!(kept[0], ("display_name".to_string(), "小暖".to_string()));
        assert_eq!(kept[1].1.chars().count(), MAX_VALUE_CHARS + 1);
    }
}
