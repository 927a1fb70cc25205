//! Interface texts in Simplified Chinese (default) and English.
//!
//! Every text is a field of [`Messages`], so a template that names a missing text does not
//! compile, and a language that lacks one does not either. The Chinese is written the way a
//! shop's service staff talk, not translated word for word.

use crate::domain::Copied;

use crate::domain::{Category, Lang, OrderStatus, Platform, Presence, Priority, Rating, Role, Skill, Stage, TicketStatus};

macro_rules! messages {
    ($($key:ident: $zh:literal, $en:literal;)+) => {
        /// All interface texts of one language.
        pub struct Messages { $(pub $key: &'static str),+ }
        pub static ZH: Messages = Messages { $($key: $zh),+ };
        pub static EN: Messages = Messages { $($key: $en),+ };
    };
}

messages! {
    app_name: "客服工作台", "Kefu service desk";
    lang_switch: "English", "中文";
    nav_home: "工作台", "Home";
    nav_buyers: "买家", "Buyers";
    nav_orders: "订单", "Orders";
    nav_staff: "客服管理", "Staff";
    logout: "退出登录", "Log out";
    login_title: "登录客服工作台", "Log in to Kefu";
    login_username: "账号", "Username";
    login_password: "密码", "Password";
    login_submit: "登录", "Log in";
    login_failed: "账号或密码不对，请再试一次", "Wrong username or password. Please try again.";
    login_hint: "忘记密码请联系店铺管理员重置", "Forgot your password? Ask the shop admin to reset it.";
    home_greeting: "你好", "Hello";
    home_open_tickets: "待处理工单", "Open tickets";
    home_mine: "我的待处理", "Assigned to me";
    home_unassigned: "未分配", "Unassigned";
    home_waiting_longest: "等得最久的买家", "Buyers waiting longest";
    home_nothing_waiting: "眼下没有等待回复的买家，辛苦啦", "No buyer is waiting right now. Nice work.";
    home_team: "团队状态", "Team";
    home_admin: "店铺管理", "Shop admin";
    home_live_note: "数字每 15 秒自动刷新", "Counts refresh every 15 seconds";
    stage_presale: "售前", "Pre-sale";
    stage_insale: "售中", "In-sale";
    stage_aftersale: "售后", "After-sale";
    search: "搜索", "Search";
    search_buyers_placeholder: "旺旺名 / 姓名 / 手机号", "Nick / name / phone";
    search_orders_placeholder: "订单号 / 快递单号 / 旺旺名", "Order no. / tracking no. / nick";
    clear: "清除", "Clear";
    next_page: "下一页", "Next page";
    first_page: "回到第一页", "First page";
    buyers_title: "买家", "Buyers";
    buyers_empty: "没有找到买家。换个关键词试试，比如手机号开头几位或旺旺名里的两个字。", "No buyers found. Try another word, e.g. the start of a phone number or two characters of the nick.";
    col_nick: "旺旺名", "Nick";
    col_name: "姓名", "Name";
    col_phone: "手机", "Phone";
    col_member: "会员等级", "Member level";
    col_orders: "订单数", "Orders";
    col_since: "首次来访", "First seen";
    buyer_profile: "基本信息", "Profile";
    buyer_email: "邮箱", "E-mail";
    buyer_address: "收货地址", "Address";
    buyer_gender: "性别", "Gender";
    buyer_birthday: "生日", "Birthday";
    buyer_tags: "标签", "Tags";
    buyer_notes: "备注", "Notes";
    buyer_attributes: "买家属性", "Buyer attributes";
    buyer_no_attributes: "还没有记录属性。聊天时问到尺码、肤质、喜欢的颜色，记下来下次推荐更准。", "No attributes yet. Note size, skin type or favourite colours from chats to recommend better next time.";
    buyer_value: "消费情况", "Value";
    buyer_order_count: "订单", "Orders";
    buyer_total_spent: "累计消费", "Total spent";
    buyer_avg_order: "客单价", "Average order";
    buyer_last_purchase: "最近购买", "Last purchase";
    buyer_cycle: "回购周期", "Purchase cycle";
    buyer_cycle_days: "天", "days";
    buyer_returning: "回头客", "Returning buyer";
    buyer_orders: "订单记录", "Orders";
    buyer_no_orders: "这位买家还没下过单", "This buyer has not ordered yet";
    buyer_tickets: "咨询记录", "Tickets";
    buyer_no_tickets: "还没有咨询记录", "No tickets yet";
    gender_f: "女", "Female";
    gender_m: "男", "Male";
    none: "—", "—";
    orders_title: "订单", "Orders";
    orders_empty: "没有符合条件的订单", "No orders match";
    all_statuses: "全部状态", "All statuses";
    col_order_no: "订单号", "Order no.";
    col_platform: "平台", "Platform";
    col_buyer: "买家", "Buyer";
    col_status: "状态", "Status";
    col_amount: "实付", "Paid";
    col_items: "件数", "Items";
    col_created: "下单时间", "Ordered";
    order_items: "宝贝", "Items";
    order_sku: "货号", "SKU";
    order_variant: "颜色尺码", "Variant";
    order_qty: "数量", "Qty";
    order_price: "单价", "Price";
    order_subtotal: "小计", "Subtotal";
    order_goods: "商品金额", "Goods";
    order_shipping: "运费", "Shipping";
    order_free_shipping: "包邮", "Free shipping";
    order_total: "合计", "Total";
    order_timeline: "订单进度", "Timeline";
    order_ship_by: "最晚发货", "Ship by";
    order_shipments: "物流", "Shipping";
    order_no_shipment: "还没发货", "Not shipped yet";
    order_tracking_no: "运单号", "Tracking no.";
    order_review: "评价", "Review";
    order_review_changed: "已追评改好评", "Changed to good later";
    order_tickets: "相关工单", "Related tickets";
    order_no_return: "不支持七天无理由", "No 7-day return";
    event_created: "买家下单", "Order placed";
    event_paid: "买家付款", "Paid";
    event_shipped: "卖家发货", "Shipped";
    event_signed: "买家签收", "Signed for";
    event_completed: "交易成功", "Completed";
    event_closed: "交易关闭", "Closed";
    staff_title: "客服管理", "Staff";
    staff_add: "添加客服", "Add staff";
    staff_edit: "编辑", "Edit";
    staff_save: "保存", "Save";
    staff_username: "登录账号", "Username";
    staff_display_name: "显示名", "Display name";
    staff_password: "初始密码", "Initial password";
    staff_role: "角色", "Role";
    staff_skills: "负责", "Handles";
    staff_capacity: "最多同时接待", "Capacity";
    staff_capacity_hint: "同时处理中的工单上限", "Open tickets at most at once";
    staff_load: "处理中", "Open";
    staff_presence: "状态", "Presence";
    staff_active: "账号", "Account";
    staff_deactivate: "停用", "Deactivate";
    staff_activate: "启用", "Reactivate";
    staff_deactivated: "已停用", "Deactivated";
    staff_enabled: "正常", "Active";
    staff_deactivate_confirm: "停用后该客服会被立刻下线，确定吗？", "They will be logged out at once. Continue?";
    staff_saved: "已保存", "Saved";
    cancel: "取消", "Cancel";
    form_has_errors: "有几处需要改一下，见下方红字提示", "Please fix the fields marked below";
    err_required: "这里必须填写", "This is required";
    err_too_long: "太长了", "Too long";
    err_invalid: "这个值不认识", "Not a valid choice";
    err_username: "账号只能用 3–32 位字母、数字、点、横线或下划线", "Use 3–32 letters, digits, dots, dashes or underscores";
    err_password_short: "密码至少 8 位", "At least 8 characters";
    err_capacity: "请填 1 到 500 之间的整数", "A whole number from 1 to 500";
    err_taken: "这个账号已经有人用了", "This username is taken";
    err_own_role: "不能取消自己的管理员权限", "You cannot remove your own admin role";
    err_own_account: "不能停用自己的账号", "You cannot deactivate your own account";
    err_generic: "填写有误", "Invalid value";
    error_404_title: "页面找不到了", "Page not found";
    error_404_text: "链接可能已经失效，或者这条记录已被删除。", "The link may be out of date, or the record was removed.";
    error_403_title: "没有权限", "Not allowed";
    error_403_text: "你的账号没有打开这个页面的权限。需要的话请联系店铺管理员。", "Your role cannot open this page. Ask the shop admin if you need it.";
    error_500_title: "系统出了点问题", "Something went wrong";
    error_500_text: "我们已经记下了这个错误。请稍后再试，问题一直在的话告诉管理员。", "The error was logged. Please try again; tell the admin if it keeps happening.";
    error_413_title: "提交的内容太大了", "That was too large";
    error_413_text: "请缩短内容或换个小一点的文件再试。", "Shorten the text or use a smaller file.";
    error_422_title: "提交的内容看不懂", "We could not read that";
    error_422_text: "请回到上一页检查后再提交。", "Go back, check the form and submit again.";
    error_csrf_title: "页面已过期", "This page has expired";
    error_csrf_text: "为了安全，请刷新页面后再提交一次。", "For your safety, reload the page and submit again.";
    error_409_title: "别人刚刚改过", "Changed by someone else";
    error_409_text: "这条记录刚被其他同事修改，请刷新看看最新内容。", "A colleague just changed this. Reload to see the latest.";
    error_back_home: "回工作台", "Back to the desk";
    presence_online: "在线", "Online";
    presence_away: "离开", "Away";
    presence_offline: "离线", "Offline";
}

pub fn messages(lang: Lang) -> &'static Messages {
    match lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
    }
}

impl Messages {
    pub fn stage(&self, s: impl Copied<Stage>) -> &'static str {
        let s = s.copied();
        match s {
            Stage::Presale => self.stage_presale,
            Stage::Insale => self.stage_insale,
            Stage::Aftersale => self.stage_aftersale,
        }
    }

    pub fn presence(&self, p: impl Copied<Presence>) -> &'static str {
        let p = p.copied();
        match p {
            Presence::Online => self.presence_online,
            Presence::Away => self.presence_away,
            Presence::Offline => self.presence_offline,
        }
    }

    /// Translates a service-layer field error code.
    pub fn error(&self, code: &str) -> &'static str {
        match code {
            "required" => self.err_required,
            "too_long" => self.err_too_long,
            "invalid" => self.err_invalid,
            "username" => self.err_username,
            "password_short" => self.err_password_short,
            "capacity" => self.err_capacity,
            "taken" => self.err_taken,
            "own_role" => self.err_own_role,
            "own_account" => self.err_own_account,
            _ => self.err_generic,
        }
    }

    fn is_zh(&self) -> bool {
        std::ptr::eq(self, &ZH)
    }

    pub fn role(&self, r: impl Copied<Role>) -> &'static str {
        let r = r.copied();
        match (r, self.is_zh()) {
            (Role::Agent, true) => "客服",
            (Role::Supervisor, true) => "客服主管",
            (Role::Admin, true) => "管理员",
            (Role::Agent, false) => "Agent",
            (Role::Supervisor, false) => "Supervisor",
            (Role::Admin, false) => "Admin",
        }
    }

    pub fn skill(&self, s: impl Copied<Skill>) -> &'static str {
        let s = s.copied();
        match (s, self.is_zh()) {
            (Skill::Presale, true) => "售前",
            (Skill::Insale, true) => "售中",
            (Skill::Aftersale, true) => "售后",
            (Skill::Refund, true) => "退款",
            (Skill::Complaint, true) => "投诉/中差评",
            (Skill::Logistics, true) => "物流跟进",
            (Skill::Presale, false) => "Pre-sale",
            (Skill::Insale, false) => "In-sale",
            (Skill::Aftersale, false) => "After-sale",
            (Skill::Refund, false) => "Refunds",
            (Skill::Complaint, false) => "Complaints & reviews",
            (Skill::Logistics, false) => "Logistics",
        }
    }

    pub fn order_status(&self, s: impl Copied<OrderStatus>) -> &'static str {
        let s = s.copied();
        match (s, self.is_zh()) {
            (OrderStatus::Created, true) => "待付款",
            (OrderStatus::Paid, true) => "待发货",
            (OrderStatus::Shipped, true) => "已发货",
            (OrderStatus::Signed, true) => "已签收",
            (OrderStatus::Completed, true) => "交易成功",
            (OrderStatus::Closed, true) => "交易关闭",
            (OrderStatus::Created, false) => "Awaiting payment",
            (OrderStatus::Paid, false) => "To ship",
            (OrderStatus::Shipped, false) => "Shipped",
            (OrderStatus::Signed, false) => "Signed for",
            (OrderStatus::Completed, false) => "Completed",
            (OrderStatus::Closed, false) => "Closed",
        }
    }

    pub fn platform(&self, p: impl Copied<Platform>) -> &'static str {
        let p = p.copied();
        match (p, self.is_zh()) {
            (Platform::Taobao, true) => "淘宝",
            (Platform::Tmall, true) => "天猫",
            (Platform::Taobao, false) => "Taobao",
            (Platform::Tmall, false) => "Tmall",
        }
    }

    pub fn ticket_status(&self, s: impl Copied<TicketStatus>) -> &'static str {
        let s = s.copied();
        match (s, self.is_zh()) {
            (TicketStatus::New, true) => "新咨询",
            (TicketStatus::Open, true) => "处理中",
            (TicketStatus::WaitingBuyer, true) => "等买家回复",
            (TicketStatus::WaitingInternal, true) => "等内部处理",
            (TicketStatus::Resolved, true) => "已解决",
            (TicketStatus::Closed, true) => "已关闭",
            (TicketStatus::New, false) => "New",
            (TicketStatus::Open, false) => "Open",
            (TicketStatus::WaitingBuyer, false) => "Waiting on buyer",
            (TicketStatus::WaitingInternal, false) => "Waiting on us",
            (TicketStatus::Resolved, false) => "Resolved",
            (TicketStatus::Closed, false) => "Closed",
        }
    }

    pub fn priority(&self, p: impl Copied<Priority>) -> &'static str {
        let p = p.copied();
        match (p, self.is_zh()) {
            (Priority::Low, true) => "低",
            (Priority::Normal, true) => "普通",
            (Priority::High, true) => "高",
            (Priority::Urgent, true) => "紧急",
            (Priority::Low, false) => "Low",
            (Priority::Normal, false) => "Normal",
            (Priority::High, false) => "High",
            (Priority::Urgent, false) => "Urgent",
        }
    }

    pub fn rating(&self, r: impl Copied<Rating>) -> &'static str {
        let r = r.copied();
        match (r, self.is_zh()) {
            (Rating::Good, true) => "好评",
            (Rating::Mid, true) => "中评",
            (Rating::Bad, true) => "差评",
            (Rating::Good, false) => "Good",
            (Rating::Mid, false) => "Neutral",
            (Rating::Bad, false) => "Bad",
        }
    }

    pub fn category(&self, c: impl Copied<Category>) -> &'static str {
        let c = c.copied();
        use Category::*;
        if self.is_zh() {
            match c {
                Inquiry => "商品咨询", SizeAdvice => "尺码推荐", UrgePayment => "催付",
                AddressChange => "改地址", Logistics => "物流查询", StuckParcel => "物流停滞",
                DelayedShipment => "延迟发货", Return => "退货", Exchange => "换货", Refund => "退款",
                MissingItem => "少件补发", QualityComplaint => "质量投诉", BadReview => "中差评",
                Other => "其他",
            }
        } else {
            match c {
                Inquiry => "Inquiry", SizeAdvice => "Size advice", UrgePayment => "Payment reminder",
                AddressChange => "Address change", Logistics => "Logistics", StuckParcel => "Stuck parcel",
                DelayedShipment => "Delayed shipment", Return => "Return", Exchange => "Exchange",
                Refund => "Refund", MissingItem => "Missing item", QualityComplaint => "Quality complaint",
                BadReview => "Bad review", Other => "Other",
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_is_the_default_and_both_languages_are_complete() {
        assert_eq!(messages(Lang::Zh).nav_buyers, "买家");
        assert_eq!(messages(Lang::En).nav_buyers, "Buyers");
        assert_eq!(messages(Lang::Zh).order_status(OrderStatus::Paid), "待发货");
        assert_eq!(messages(Lang::En).order_status(OrderStatus::Paid), "To ship");
    }
}
