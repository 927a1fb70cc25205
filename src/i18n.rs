//! Interface texts in Simplified Chinese (default) and English.
//!
//! Every text is a field of [`Messages`], so a template that names a missing text does not
//! compile, and a language that lacks one does not either. The Chinese is written the way a
//! shop's service staff talk, not translated word for word.

use crate::domain::Copied;

use crate::domain::audit::AuditAction;
use crate::domain::campaign::{CampaignState, SendChannel};
use crate::domain::confirm::ConfirmStatus;
use crate::domain::faq::FaqOutcome;
use crate::domain::order::{AddressAction, MemoFlag};
use crate::domain::rating::ServiceRating;
use crate::domain::reply_check::{CheckMode, HitOutcome};
use crate::domain::reports::By;
use crate::domain::returns::{RefundStatus, ReturnState, Step};
use crate::domain::routing::{Strategy, Why};
use crate::domain::rules::{Party, ReturnReason};
use crate::domain::{
    Category, Channel, ErrorCode, Lang, LossReason, OrderStatus, Outcome, Platform, Presence, Priority, Rating,
    ReplyGroup, Role, Skill, Stage, TicketStatus, WorkKind,
};

macro_rules! messages {
    ($($key:ident: $zh:literal, $en:literal;)+) => {
        /// All interface texts of one language.
        pub struct Messages { pub lang: Lang, $(pub $key: &'static str),+ }
        pub static ZH: Messages = Messages { lang: Lang::Zh, $($key: $zh),+ };
        pub static EN: Messages = Messages { lang: Lang::En, $($key: $en),+ };
    };
}

messages! {
    app_name: "客服工作台", "Kefu service desk";
    colon: "：", ": ";
    comma: "，", ", ";
    quote_open: "「", "“";
    quote_close: "」", "”";
    lang_switch: "English", "中文";
    nav_home: "工作台", "Home";
    audit_title: "操作记录", "Audit log";
    audit_hint: "谁在什么时候、从哪里改了后台设置", "Who changed the admin settings, when and from where";
    audit_when: "时间", "When";
    audit_who: "操作人", "Who";
    audit_what: "操作", "What";
    audit_detail: "提交内容", "Submitted";
    audit_where: "来源地址", "From";
    audit_all_staff: "全部人员", "Everyone";
    audit_all_actions: "全部操作", "Every change";
    audit_filter_staff: "操作人", "who";
    audit_filter_action: "操作", "what";
    audit_filter_from: "开始日期", "from date";
    audit_filter_to: "结束日期", "to date";
    audit_bad_filter: "这些筛选条件看不懂，先忽略了：", "These filters could not be read and were ignored: ";
    audit_filter: "筛选", "Filter";
    audit_empty: "暂无操作记录", "No changes recorded";
    audit_older: "更早的记录", "Older changes";
    menu: "菜单", "Menu";
    nav_buyers: "买家", "Buyers";
    nav_orders: "订单", "Orders";
    nav_staff: "客服管理", "Staff";
    logout: "退出登录", "Log out";
    login_title: "登录客服工作台", "Log in to Kefu";
    login_username: "账号", "Username";
    login_password: "密码", "Password";
    login_submit: "登录", "Log in";
    login_failed: "账号或密码不对，请再试一次", "Wrong username or password. Please try again.";
    login_throttled: "密码试错次数太多了，为了账号安全，请 {} 分钟后再登录。", "Too many wrong passwords. For the account's safety, log in again in {} minutes.";
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
    err_shortcut_repeated: "文件里有重复的快捷码", "A shortcut repeats within the file";
    err_csv_columns: "列数不对，应该是 5 列", "Wrong number of columns (5 expected)";
    error_404_title: "页面找不到了", "Page not found";
    error_404_text: "链接可能已经失效，或者这条记录已被删除。", "The link may be out of date, or the record was removed.";
    error_403_title: "没有权限", "Not allowed";
    error_403_text: "你的账号没有打开这个页面的权限。需要的话请联系店铺管理员。", "Your role cannot open this page. Ask the shop admin if you need it.";
    error_500_title: "系统出了点问题", "Something went wrong";
    error_500_text: "我们已经记下了这个错误。请稍后再试，问题一直在的话告诉管理员。", "The error was logged. Please try again; tell the admin if it keeps happening.";
    error_413_title: "提交的内容太大了", "That was too large";
    error_413_text: "请缩短内容或换个小一点的文件再试。", "Shorten the text or use a smaller file.";
    error_429_title: "试得太频繁了", "Too many attempts";
    error_429_text: "为了安全，请等几分钟再试。", "For safety, wait a few minutes and try again.";
    error_422_title: "提交的内容看不懂", "We could not read that";
    error_422_text: "请回到上一页检查后再提交。", "Go back, check the form and submit again.";
    error_csrf_title: "页面已过期", "This page has expired";
    error_csrf_text: "为了安全，请刷新页面后再提交一次。", "For your safety, reload the page and submit again.";
    error_409_title: "别人刚刚改过", "Changed by someone else";
    error_409_text: "这条记录刚被其他同事修改，请刷新看看最新内容。", "A colleague just changed this. Reload to see the latest.";
    error_back_home: "回工作台", "Back to the desk";
    nav_desk: "接待", "Desk";
    desk_stages: "按阶段", "Stages";
    desk_view_mine: "我的", "Mine";
    desk_view_unassigned: "未分配", "Unassigned";
    desk_view_all: "全部待处理", "All open";
    shifts_today: "今天", "today";
    shifts_strip_title: "每小时人手和进线", "Agents and new tickets per hour";
    shifts_strip_hint: "上一行：这周平均每天每小时在班的客服；下一行：近 4 周平均每天每小时新进的工单。标红的是有买家进线却没人排班的钟点。", "Top: agents on shift per hour on an average day of this week. Bottom: new tickets per hour on an average day of the last 4 weeks. Red: buyers write and nobody is planned.";
    shifts_strip_on_shift: "在班客服", "On shift";
    shifts_strip_opened: "进线工单", "New tickets";
    board_missing: "在班但离线", "On shift but offline";
    desk_view_tasks: "任务", "Tasks";
    desk_view_tasks_hint: "催付、物流停滞、签收回访等自动任务：按到期时间排，可以批量处理", "Automatic tasks (payment reminders, stuck parcels, follow-ups), soonest due first, in batches";
    task_badge: "任务", "Task";
    task_due: "到期", "Due";
    task_select_all: "全选", "Select all";
    task_send: "发送建议话术", "Send the suggested reply";
    task_close: "关闭所选", "Close selected";
    task_done: "已处理", "Done";
    task_refused: "没处理", "Not done";
    desk_empty_tasks: "没有待办任务", "No tasks to do";
    desk_category: "问题类型", "Category";
    desk_all_categories: "全部类型", "All categories";
    desk_priority: "优先级", "Priority";
    desk_all_priorities: "全部优先级", "All priorities";
    desk_channel: "渠道", "Channel";
    desk_all_channels: "全部渠道", "All channels";
    desk_filter: "筛选", "Filter";
    desk_empty_mine: "你手上没有待处理的工单。去「未分配」看看有没有买家在等吧。", "Nothing assigned to you. Check Unassigned for waiting buyers.";
    desk_empty: "这里没有待处理的工单", "No open tickets here";
    desk_unread: "有新消息", "New message";
    desk_waiting: "已等", "waited";
    desk_pick_title: "从左边选一个工单开始接待", "Pick a ticket on the left";
    desk_pick_text: "等得最久的买家排在最上面。新消息会自动出现，不用刷新。", "The buyer waiting longest is on top. New messages appear without reloading.";
    desk_keys: "快捷键：j / k 上下移动，Enter 打开，r 回复，n 备注，/ 快捷短语，Ctrl+Enter 发送，a 分配给我", "Keys: j / k move, Enter opens, r reply, n note, / canned replies, Ctrl+Enter send, a assign to me";
    desk_assignee: "接待人", "Assignee";
    desk_first_response: "首次响应", "First response";
    desk_first_response_hint: "买家第一条消息到客服第一次回复的时间", "From the buyer's first message to the first staff reply";
    desk_take: "分配给我", "Assign to me";
    desk_conflict: "刚刚有同事改过这个工单，你的修改没有保存。下面是最新的状态，请确认后再改。", "A colleague changed this ticket just now; your change was not saved. This is the latest state.";
    desk_note_label: "内部备注", "Internal note";
    desk_system: "系统", "System";
    desk_reply: "回复买家", "Reply";
    desk_note: "内部备注", "Internal note";
    desk_composer_hint: "输入 / 加短语代码插入快捷短语", "Type / and a shortcut for canned replies";
    desk_composer_placeholder: "亲，在的～输入回复内容…", "Type your reply…";
    desk_canned: "快捷短语", "Canned replies";
    desk_canned_any: "通用", "General";
    desk_missing_vars: "这些变量还没有填上，改好才能发送：", "Fill these in before sending:";
    desk_send: "发送", "Send";
    desk_actions: "处理工单", "Ticket";
    desk_stage: "阶段", "Stage";
    desk_outcome: "询单结果", "Inquiry outcome";
    desk_outcome_none: "未定", "Undecided";
    desk_outcome_converted: "已成交", "Converted";
    desk_outcome_lost: "已流失", "Lost";
    desk_loss_reason: "流失原因", "Reason lost";
    desk_timeline: "处理记录", "Timeline";
    desk_tags_hint: "用逗号分开，如：回头客，大码", "Comma-separated, e.g. returning, plus size";
    desk_remove: "删除", "Remove";
    desk_attr_key: "属性，如 尺码", "Attribute, e.g. size";
    desk_attr_value: "值，如 M", "Value, e.g. M";
    ev_status: "状态改为", "set status to";
    ev_stage: "转到", "moved to";
    ev_category: "问题类型改为", "set category to";
    ev_priority: "优先级改为", "set priority to";
    ev_assigned: "分配给", "assigned to";
    ev_unassigned: "取消了分配", "unassigned the ticket";
    ev_outcome: "询单结果：", "outcome:";
    ev_opened: "买家发起咨询", "buyer opened the conversation";
    err_body_empty: "消息不能为空", "The message is empty";
    err_body_too_long: "消息太长了，最多 10,000 个字", "Too long: at most 10,000 characters";
    err_unfilled: "回复里还有没填上的变量，改好再发", "The reply still has variables to fill in";
    err_order_unknown: "没找到这个订单号，请核对一下（也可以不填）", "No such order for this nick; check it or leave it empty";
    err_loss_reason: "选「已流失」时请选一个原因", "Pick a reason when the inquiry was lost";
    err_quantity: "数量至少是 1", "Must be at least 1";
    err_negative: "不能是负数", "Must not be negative";
    err_out_of_order: "时间比上一步还早，请核对", "Is earlier than the step before it";
    err_already_answered: "这条已经回复过了", "This was already answered";
    err_in_future: "时间不能晚于现在", "This time is in the future";
    err_date_range: "日期范围不对：结束日期不能早于开始日期，最长 3 年", "Bad date range: the end may not be before the start, at most 3 years";
    err_agent_unknown: "没有这个客服", "No such agent";
    chat_care: "店铺消息", "From the shop";
    desk_send_next: "发送并下一个", "Send and next";
    desk_send_next_hint: "发出后打开当前列表里最急的下一个工单", "Send, then open the most urgent next ticket of this list";
    nav_campaigns: "客户关怀", "Care campaigns";
    admin_campaigns_hint: "会员生日、节日问候、老客回访，按分组群发", "Birthdays, holiday greetings, follow-ups to a segment";
    camp_new: "新建关怀", "New campaign";
    camp_intro: "挑一组买家，写好话术，选好渠道和时间。发之前先预览：能看到会发给多少人、每个人收到什么。", "Pick the buyers, write the message, choose the channel and the time. Preview first: who it reaches and what each of them gets.";
    camp_none: "还没有关怀活动", "No campaigns yet";
    camp_name: "活动名称", "Name";
    camp_name_ph: "比如：双十二老客问候", "e.g. Year-end greetings to regulars";
    camp_channel: "渠道", "Channel";
    camp_when: "发送时间", "When";
    camp_state: "状态", "State";
    camp_created: "创建时间", "Created";
    camp_daily: "每天", "Daily at";
    camp_now: "马上发", "Now";
    camp_at: "定时发", "At";
    camp_segment: "发给谁", "Who";
    camp_segment_hint: "不填的条件不限；退订的买家不会收到", "Conditions left empty match everyone; buyers who opted out never get it";
    camp_bought_within: "最近买过：", "Bought within";
    camp_min_orders: "至少下过单数：", "At least orders:";
    camp_min_spent: "累计消费不少于：", "Spent at least:";
    camp_yuan: "元", "yuan";
    camp_birthday: "生日：", "Birthday:";
    camp_birthday_any: "不限", "Any";
    camp_birthday_today: "今天生日", "Today";
    camp_birthday_week: "本周生日", "This week";
    camp_tags: "标签（都要有）", "Tags (all of)";
    camp_attributes: "属性（一行一个，尺码=M）", "Attributes (one a line, size=M)";
    camp_template: "话术", "Message";
    camp_vars: "可用变量：", "Variables:";
    camp_preview: "预览", "Preview";
    camp_create: "创建并安排发送", "Create and schedule";
    camp_preview_count: "现在符合条件的买家：", "Buyers who match now:";
    camp_preview_none: "没有符合条件的买家", "No buyer matches";
    camp_progress: "发送进度", "Progress";
    camp_targeted: "目标人数", "Targeted";
    camp_sent: "已发送", "Sent";
    camp_pending: "待发送", "Pending";
    camp_failed: "失败", "Failed";
    camp_opted_out: "已退订", "Opted out";
    camp_call_tasks: "转电话回访", "Call tasks";
    camp_refresh_hint: "发送中，页面每 5 秒自动刷新进度", "Sending: the figures refresh every 5 seconds";
    camp_what: "活动内容", "What";
    camp_cancel: "取消活动", "Cancel campaign";
    camp_settings: "关怀设置", "Settings";
    camp_list: "关怀活动", "Campaigns";
    camp_last_run: "上次发送", "Last sent";
    camp_next_run: "下次发送", "Next";
    seg_everyone: "所有没退订的买家", "Every buyer who has not opted out";
    seg_bought: "最近{}天买过", "Bought in the last {} days";
    seg_min_orders: "至少{}单", "At least {} orders";
    seg_min_spent: "累计消费满{}", "Spent at least {}";
    seg_tags: "标签：{}", "Tags: {}";
    camp_segments: "客户分组", "Segments";
    camp_templates: "话术模板", "Message templates";
    camp_saved_new: "新建", "New";
    camp_saved_none: "还没有保存的，点右上角新建一个", "Nothing saved yet: start one with New";
    camp_saved_name: "名称", "Name";
    camp_saved_what: "内容", "Contents";
    camp_saved_updated: "更新时间", "Updated";
    camp_saved_use: "用它建活动", "Use in a campaign";
    camp_saved_delete: "删除", "Delete";
    camp_segment_new: "新建分组", "New segment";
    camp_segment_name_ph: "比如：半年内买过的金卡会员", "e.g. Gold members who bought in six months";
    camp_template_new: "新建话术", "New template";
    camp_template_name_ph: "比如：生日祝福", "e.g. Birthday greeting";
    camp_template_preview: "买家收到的样子", "What buyers get";
    care_settings: "客户关怀设置", "Care campaign settings";
    care_levels: "会员等级（一行一个，从低到高）", "Member levels (one a line, lowest first)";
    care_levels_hint: "分组只能按这里的等级挑人；接口传来的会员等级也要在这里面", "Segments pick from these levels; buyers sent by API must use one of them";
    care_call_levels: "生日打电话的等级", "Levels called on their birthday";
    care_call_levels_hint: "这些等级的会员过生日时，不发消息，改成给客服派一个电话回访任务", "On their birthday these members get a call task for an agent instead of a message";
    care_webhook: "短信网关地址（Webhook）", "SMS gateway address (webhook)";
    care_webhook_hint: "每条消息以 JSON POST 过去，带 Idempotency-Key；留空就是不用这个渠道", "Each message is POSTed as JSON with an Idempotency-Key; empty turns the channel off";
    care_rates: "发送速度（所有实例合计）", "Sending rate (all instances together)";
    care_rate_outbox: "店铺消息", "Shop messages";
    care_rate_webhook: "短信网关", "SMS gateway";
    care_rate_email: "邮件", "Email";
    care_per_minute: "条/分钟", "a minute";
    care_survey: "属性问卷", "Attribute survey";
    care_smtp: "邮件（SMTP）", "Email (SMTP)";
    care_smtp_hint: "填好发信服务器，关怀活动就能选邮件渠道；服务器留空就是不用邮件", "With a relay filled in, campaigns can go by email; an empty server turns email off";
    care_smtp_host: "发信服务器", "Server";
    care_smtp_port: "端口", "Port";
    care_smtp_security: "加密方式", "Security";
    care_smtp_tls: "SSL/TLS（一般是 465 端口）", "SSL/TLS (usually port 465)";
    care_smtp_starttls: "STARTTLS（一般是 587 端口）", "STARTTLS (usually port 587)";
    care_smtp_none: "不加密（只用于本机或内网中转）", "None (only for a relay on this machine or network)";
    care_smtp_from: "发件人", "Sender";
    care_smtp_user: "登录账号", "Login";
    care_smtp_password: "密码", "Password";
    care_smtp_password_keep: "不改就留空", "Leave empty to keep";
    care_survey_questions: "问的问题（一行一个；有选项就写成 尺码：S/M/L）", "Questions (one a line; choices as size: S/M/L)";
    care_survey_birthday: "也问生日", "Also ask the birthday";
    care_survey_coupon: "填完送的券（填完后显示给买家）", "Coupon text shown when it is answered";
    care_survey_days: "链接有效天数", "Links last (days)";
    care_survey_hint: "在关怀话术里写 {问卷}，每个买家会收到自己的专属链接；答案会存到买家的属性里。", "Put {问卷} in a campaign's message: each buyer gets their own link, and the answers become their attributes.";
    survey_title: "买家小调查", "A short survey";
    survey_intro: "花半分钟告诉我们您的偏好，以后给您推荐更合适的～填完有小礼物哦", "Half a minute about what you like, so we can suggest better — there's a small gift at the end";
    survey_birthday: "您的生日", "Your birthday";
    survey_submit: "提交", "Send";
    survey_thanks: "谢谢您！", "Thank you!";
    survey_expired: "这个问卷链接已经过期了，可以联系客服要一个新的", "This survey link has expired: ask us for a new one";
    survey_invalid: "这个链接打不开，请检查一下是不是复制完整了", "This link does not work: check that it was copied whole";
    survey_answered: "这份问卷已经填过啦，谢谢您", "This survey has been answered already — thank you";
    err_member_level: "店铺没有这个会员等级", "The shop has no such member level";
    save_canned: "存为短语", "Save as canned";
    save_canned_hint: "把这句回复存成快捷短语，订单号、快递和买家名会换回变量", "Save this reply as a canned reply; order number, courier and buyer become variables";
    canned_uses: "你用过的次数", "Times you used it";
    oc_title: "当前订单", "Current order";
    oc_paid: "实付", "Paid";
    oc_receiver: "收货人", "Receiver";
    oc_address: "收货地址", "Address";
    oc_tracking: "最新物流", "Latest tracking";
    oc_no_tracking: "已发货，快递还没有更新", "Shipped; no tracking news yet";
    oc_not_shipped: "还没发货", "Not shipped yet";
    oc_refund: "平台退款", "Platform refund";
    oc_refund_deadline: "处理期限", "Act by";
    oc_work_order: "给仓库/售后建工单", "Hand a work order to a team";
    oc_buyer_more: "买家资料、备注、标签和属性", "Buyer details, notes, tags and attributes";
    memo_title: "卖家备注", "Seller memo";
    memo_edit: "写卖家备注 / 插旗", "Edit seller memo / flag";
    memo_placeholder: "只有店里看得到，买家看不到，例如：发顺丰、送小礼品", "Only the shop sees it, e.g. ship by SF, add a gift";
    memo_flag: "旗帜", "Flag";
    memo_no_flag: "不插旗", "No flag";
    memo_save: "保存备注", "Save memo";
    addr_title: "改地址 / 拦截快递", "Change address / stop parcel";
    addr_action: "要仓库做什么", "What the warehouse does";
    addr_new: "新地址", "New address";
    addr_new_hint: "收件人、电话、省市区和详细地址", "Name, phone and full address";
    addr_submit: "提交给仓库", "Send to the warehouse";
    ret_mismatch: "和平台不一致", "Differs from the platform";
    ret_mismatch_hint: "平台的退款状态和工单对不上，点这里核对", "The platform's refund differs from the ticket: check it";
    ret_on_ticket: "工单记录", "On the ticket";
    ret_on_platform: "平台状态", "On the platform";
    ret_platform_none: "平台上没有退款", "No refund on the platform";
    ret_conflict: "平台显示「{platform}」，工单记的是「{ticket}」，两边对不上。以平台为准，核对后把退货进度更新一下。", "The platform says “{platform}”, the ticket says “{ticket}”. The platform's clock runs on its state: check and update the return.";
    err_not_your_task: "不是你的任务（或已经处理完了），没有动它", "Not one of your open tasks: left as it was";
    err_no_suggestion: "没有适合这个任务的快捷短语，请单独回复", "No canned reply fits this task: answer it on its own";
    err_needs_order: "这个工单还没关联订单，先关联订单再操作", "This ticket has no order yet: link one first";
    err_confirm_shipped: "已经发货了，不用再核对；地址有误只能拦截快递", "Already shipped: nothing to confirm now; a wrong address can only be stopped with the courier";
    err_confirm_too_late: "买家已经签收（或订单已结束），不用再核对了", "Already signed for (or the order is over): nothing to confirm";
    err_confirm_not_paid: "订单还没付款（或已关闭），付款后再核对", "Not paid (or closed): confirm it once it is paid";
    err_address_shipped: "已经发货了，改不了地址，只能拦截快递", "Already shipped: the address cannot change, stop the parcel instead";
    err_address_not_shipped: "还没发货，不用拦截，直接改地址就行", "Not shipped yet: change the address instead";
    err_address_too_late: "买家已经签收（或订单已结束），改址和拦截都来不及了", "Already signed for (or the order is over): too late to change or stop it";
    err_address_not_paid: "买家还没付款，请买家在平台上自己改地址", "Not paid yet: the buyer changes the address on the platform";
    err_refund_over_total: "退款金额不能超过订单实付金额", "The refund cannot be more than the order's total";
    err_refund_needs_status: "填了退款金额或期限，就要写明退款状态", "A refund amount or deadline needs a refund status";
    err_channel_off: "这个渠道还没设置好，先去设置里填好", "This channel is not set up yet: fill it in under settings";
    err_already_invited: "这个工单已经邀请过评价了，一个工单只邀请一次", "This ticket's buyer was already invited to rate; once per ticket";
    err_rating_scale: "请从「非常满意」到「非常不满意」里选一个", "Choose one from 'very satisfied' to 'very unsatisfied'";
    err_rating_not_yet: "这次咨询还没结束，结束后再来评价吧～", "This conversation is not finished yet; rate it when it is";
    err_rating_locked: "评价提交超过 24 小时了，不能再修改", "The rating was given more than 24 hours ago and can no longer be changed";
    err_banned_words: "含有平台会扣分的词（极限词或诱导好评），请改掉再保存", "Has words the platform penalises (absolute claims or review inducements); change them first";
    err_phrase_list: "每行一个词，每个词不超过 20 个字，最多 500 个", "One phrase a line, each at most 20 characters, at most 500";
    err_photo_count: "一条消息最多发 9 张图片", "At most 9 photos per message";
    err_photo_empty: "有一张图片是空文件，请重新选", "One of the photos is an empty file; choose it again";
    err_photo_type: "只能发 JPG、PNG 或 WebP 格式的图片", "Only JPEG, PNG or WebP photos can be sent";
    err_photo_pixels: "图片像素太大了（最长边 8192 像素、最多 4800 万像素），请缩小后再发", "The photo has too many pixels (at most 8192 on a side, 48 megapixels); shrink it and send again";
    err_photo_corrupt: "图片文件损坏了，打不开，请重新拍一张或换一张", "The photo is damaged and cannot be opened; take or choose another";
    err_photo_too_large: "图片太大了，每张不能超过 10 MB", "The photo is too large; each may be at most 10 MB";
    err_phone_suffix: "请填收货手机号的后四位数字", "Enter the last four digits of the receiver's phone";
    err_proof_failed: "订单号和手机尾号对不上，请核对一下", "The order number and the phone digits do not match";
    err_not_visitor: "这位买家的身份已经验证过了，不用合并", "This buyer is already verified; there is nothing to merge";
    err_buyer_unknown: "没有这个昵称的买家（也不能合并到另一个访客）", "No buyer has this nick (and a visitor cannot be merged into another visitor)";
    rules_title: "平台规则", "Platform rules";
    rule_return_left: "7天无理由：还剩 ", "7-day return: ";
    rule_return_over: "7天无理由：已过期", "7-day return: window closed";
    rule_return_not_started: "7天无理由：签收后次日零点起算", "7-day return: starts the day after signing";
    rule_no_return: "含不支持七天无理由的宝贝", "Has items without 7-day return";
    rule_late: "已延迟发货，违约金 ", "Shipped late, penalty ";
    rule_ship_left: "距最晚发货还剩 ", "Time left to ship: ";
    rule_fees: "退货运费（去程/回程）：", "Return shipping (out/back): ";
    rule_seller_fault: "质量问题", "seller's fault";
    rule_buyer_reason: "买家原因", "buyer's reason";
    rule_seller: "卖家", "seller";
    rule_buyer: "买家", "buyer";
    nav_automations: "自动任务", "Automations";
    auto_title: "订单自动任务", "Order automations";
    auto_intro: "系统按订单进度自动建工单、给买家发通知，每个订单每种任务只触发一次。", "Kefu opens tickets and notifies buyers as orders progress; each fires once per order.";
    auto_urge: "催付：下单后一直没付款，建催付工单", "Urge payment: open a ticket for unpaid orders";
    auto_urge_after: "下单后超过", "after";
    auto_confirm: "核对订单：付款后把宝贝、尺码和收货地址发给买家核对", "Confirm the order: after payment, send the items, size and address to the buyer";
    auto_confirm_hint: "买家回“对”记为已核对；要改地址或尺码的，发货前自动转物流组改单。", "A yes marks it confirmed; a correction goes to logistics as a work order before shipping.";
    oc_confirm_mark: "标为已核对", "Mark confirmed";
    oc_confirm_title: "核对", "Confirmation";
    auto_delayed: "延迟发货：过了最晚发货时间还没发，建工单并算好违约金", "Delayed shipment: open a ticket with the penalty";
    auto_stuck: "物流停滞：长时间没有新物流信息，建跟进工单", "Stuck parcel: open a follow-up ticket";
    auto_stuck_after: "没有物流更新超过", "no tracking update for";
    auto_notice: "发货通知：发货后告诉买家快递和单号", "Shipping notice to the buyer";
    auto_care: "知识推送：签收后推送宝贝的使用保养小贴士", "Care tips after signing (knowledge push)";
    auto_follow: "签收回访：签收几天后建回访任务", "Follow-up visit after signing";
    auto_follow_after: "签收后", "after";
    auto_review: "中差评：收到中评差评建工单，追评改好评记为挽回", "Mid/bad reviews: open a ticket; a later good review counts as rescued";
    auto_minutes: "分钟", "minutes";
    auto_hours: "小时", "hours";
    auto_days: "天", "days";
    err_range: "数字超出范围", "Out of range";
    ret_title: "退换货", "Return / exchange";
    ret_state_none: "买家还没申请", "No request yet";
    ret_undetermined: "待定", "undetermined";
    ret_reason: "退换原因", "Reason";
    ret_fault: "责任方", "At fault";
    ret_fees: "运费（去/回）", "Shipping (out/back)";
    ret_tracking: "退回运单号", "Return tracking no.";
    ret_note: "拒绝原因（会发给买家，附上店铺退换说明）", "Why (sent to the buyer with the policy link)";
    ret_arbitration: "已申请平台介入", "Escalated to platform arbitration";
    ret_arbitrate: "申请平台介入", "Escalate to the platform";
    ret_withdraw: "撤回平台介入", "Withdraw escalation";
    ev_return: "退换货：", "return:";
    ev_arbitration_on: "申请了平台介入", "escalated to the platform";
    ev_arbitration_off: "撤回了平台介入", "withdrew the escalation";
    ev_rescued: "买家追评改为好评（挽回成功）", "the buyer changed the review to good (rescued)";
    err_return_needs_order: "只有关联了订单的售后工单才能走退换货流程", "Returns need an after-sale ticket with an order";
    err_step_not_now: "现在不能做这一步，请刷新看看最新进度", "That step does not apply now; reload to see the latest state";
    nav_settings: "店铺设置", "Settings";
    settings_title: "店铺设置", "Shop settings";
    set_shop_name: "店铺名称", "Shop name";
    set_platform: "平台", "Platform";
    set_time_zone: "时区", "Time zone";
    set_time_zone_hint: "如 Asia/Shanghai，七天无理由按这个时区的日期算", "e.g. Asia/Shanghai; the 7-day window counts days in this zone";
    set_hours: "客服上班时间", "Business hours";
    set_hours_hint: "格式 09:00-23:00", "Format 09:00-23:00";
    set_policy: "退换货说明链接", "Return policy link";
    set_policy_hint: "拒绝退换时会附上这个链接", "Sent with rejected return requests";
    set_welcome: "欢迎语（买家第一条消息后自动发送）", "Welcome message (sent after the buyer's first message)";
    set_away: "离线自动回复", "Away message";
    err_time_zone: "不认识这个时区，请填如 Asia/Shanghai", "Unknown time zone; use e.g. Asia/Shanghai";
    err_hours: "请按 09:00-23:00 的格式填写，开始要早于结束", "Use 09:00-23:00, start before end";
    err_url: "请填以 https:// 开头的完整链接", "Use a full link starting with https://";
    nav_replies: "快捷短语", "Canned replies";
    replies_title: "快捷短语", "Canned replies";
    reply_add: "新建短语", "New reply";
    reply_export: "导出 CSV", "Export CSV";
    reply_import: "导入 CSV", "Import CSV";
    reply_import_button: "导入", "Import";
    reply_import_hint: "UTF-8 编码，第一行是 group,stage,title,shortcut,body；有一行不对就整份不导入", "UTF-8, header group,stage,title,shortcut,body; one bad row and nothing is imported";
    reply_imported: "导入成功，条数：", "Imported:";
    reply_empty: "还没有快捷短语。把常用回复存下来，接待时输入 / 就能调出来。", "No canned replies yet. Save common answers and type / to use them.";
    reply_group_col: "分组", "Group";
    reply_shortcut: "快捷码", "Shortcut";
    reply_shortcut_hint: "小写字母、数字、- 或 _，接待时输入 / 加快捷码", "Lowercase letters, digits, - or _; type / and the shortcut";
    reply_title: "标题", "Title";
    reply_body: "内容", "Text";
    reply_usage: "使用次数", "Uses";
    reply_last_used: "最近使用", "Last used";
    reply_personal: "个人", "Personal";
    reply_shared: "全店共享（取消勾选就是我的个人短语）", "Shared with the team (otherwise personal)";
    reply_view: "查看", "View";
    reply_up: "上移", "Move up";
    reply_down: "下移", "Move down";
    reply_delete_confirm: "确定删除这条快捷短语？", "Delete this reply?";
    reply_valid_vars: "可用变量：", "Variables: ";
    reply_preview: "预览", "Preview";
    reply_preview_ticket: "用工单号", "With ticket no.";
    reply_preview_button: "预览效果", "Preview";
    reply_preview_missing: "没有这个工单号", "No such ticket";
    csv_nothing_imported: "导入失败，一条都没有导入。请改好下面这些行再试：", "Nothing was imported. Fix these rows and try again:";
    csv_line: "第", "Line ";
    csv_line_after: "行", "";
    csv_encoding: "文件不是 UTF-8 编码。请在 Excel 另存为「CSV UTF-8」后再导入。", "The file is not UTF-8. Save it as \"CSV UTF-8\" and try again.";
    csv_header: "第一行必须是：", "The first line must be: ";
    csv_empty: "文件里没有数据行", "The file has no rows";
    csv_repeated: "和文件里第", "repeats the shortcut of line ";
    csv_repeated_after: "行的快捷码重复", "";
    csv_columns: "列数不对，应该是 5 列，实际 ", "wrong number of columns (5 expected), found ";
    err_shortcut: "快捷码只能用小写字母、数字、- 或 _，最多 20 个", "Lowercase letters, digits, - or _; at most 20";
    err_shortcut_taken: "这个快捷码已经有了", "This shortcut is taken";
    err_reply_too_long: "内容太长了，最多 2000 个字", "Too long: at most 2000 characters";
    err_unknown_vars: "有不认识的变量：", "Unknown variables: ";
    err_csv_row: "这一行读不出来（引号没配对？）", "This row cannot be read (unbalanced quotes?)";
    search_placeholder: "搜工单、买家、订单号、快递单号、短语、知识", "Search tickets, buyers, orders, tracking, replies, articles";
    search_kind: "搜索范围", "Search in";
    search_all: "全部", "Everything";
    search_tickets: "工单", "Tickets";
    search_articles: "知识库", "Knowledge";
    search_hint: "输入要找的内容，比如「退货」「尺码」、订单号或快递单号的开头几位、买家旺旺名。", "Type what you are looking for: a word like 退货, the start of an order or tracking number, a buyer's nick.";
    search_none: "没有找到相关内容，换个说法试试", "Nothing found. Try other words.";
    search_more: "查看更多 →", "More →";
    nav_kb: "知识库", "Knowledge";
    kb_title: "知识库", "Knowledge base";
    kb_intro: "实战型知识讲宝贝的卖点、尺码、洗涤保养，签收后会推送给买家；贮备型知识是平台规则、付款步骤、店铺政策和新人培训。", "Practical articles cover products (selling points, sizing, care) and are pushed to buyers after signing; reserve articles cover rules, payment steps, policies and training.";
    kb_practical: "实战型", "Practical";
    kb_reserve: "贮备型", "Reserve";
    kb_add: "写新文章", "New article";
    kb_kind: "类型", "Kind";
    kb_product: "宝贝", "Product";
    kb_product_sku: "关联宝贝货号", "Product SKU";
    kb_product_hint: "实战型文章必须填，例如 WY-DR-001", "Required for practical articles, e.g. WY-DR-001";
    kb_body: "正文（支持 Markdown）", "Text (Markdown)";
    kb_updated: "更新时间", "Updated";
    kb_empty: "还没有文章", "No articles yet";
    kb_delete_confirm: "确定删除这篇文章？", "Delete this article?";
    kb_related: "相关知识", "Knowledge";
    kb_insert: "插入回复", "Insert";
    err_article_too_long: "正文太长了，最多 20000 字", "Too long: at most 20,000 characters";
    err_sku_unknown: "没有这个货号的宝贝", "No product with this SKU";
    rec_title: "推荐宝贝", "Recommend";
    rec_pick: "买家问的是哪款？", "Which product is it about?";
    rec_size: "尺码", "Size";
    rec_go: "推荐", "Suggest";
    rec_sold_out: "这个尺码断码了：", "Sold out in size";
    rec_no_substitute: "同类里也没有这个尺码的现货", "No similar product has this size in stock";
    rec_related: "搭配推荐（宜精不宜多，推 1–2 款）", "Goes well with (offer one or two)";
    rec_sizes: "尺码：", "Sizes:";
    rec_none: "还没有可推荐的搭配", "Nothing to suggest yet";
    ev_routed: "分配到", "routed to";
    ev_visitor_merged: "核实了访客身份，合并到买家", "visitor verified and merged into buyer";
    desk_visitor_title: "未验证的访客", "Unverified visitor";
    desk_visitor_text: "对方只输入了昵称「{}」，身份还没验证。先核对订单号、收货人、手机尾号，确认是本人再合并到买家档案；合并前别透露订单和地址信息。", "They only typed the nick '{}'; who they are is not verified. Check the order number, receiver and phone digits first, then merge them into the buyer's profile. Until then, do not disclose order or address details.";
    desk_visitor_nick: "合并到买家（昵称）", "Merge into buyer (nick)";
    desk_visitor_merge: "核实无误，合并", "Verified — merge";
    desk_visitor_merged: "已合并到买家档案", "Merged into the buyer's profile";
    ev_team: "组", "team";
    ev_breached: "超时了（SLA），优先级已提高", "missed its SLA; priority raised";
    nav_queues: "队列看板", "Queues";
    board_title: "队列看板", "Queue board";
    board_live: "实时更新", "Live";
    board_queues: "各组队列", "Queues by team";
    board_team: "组", "Team";
    board_no_team: "未分组", "No team";
    board_open: "处理中", "Open";
    board_breached: "已超时", "Breached";
    board_due_soon: "15分钟内到期", "Due in 15 min";
    board_agents: "客服状态", "Agents";
    board_on_shift: "在班", "On shift";
    board_yes: "在班", "Yes";
    board_no: "不在班", "No";
    board_oldest: "最久等待", "Oldest waiting";
    board_redistribute: "转给同组", "Redistribute";
    board_redistribute_confirm: "把这位客服手上的工单分给同组在班的同事？", "Hand this agent's tickets to available teammates?";
    board_moved: "已转给同事", "Moved";
    board_queued: "进入待分配", "queued";
    board_attention: "需要处理：未分配或已超时", "Needs attention: unassigned or breached";
    board_all_good: "没有未分配或超时的工单", "Nothing unassigned or breached";
    board_assign_to: "分配给", "Assign to";
    board_do_assign: "批量分配", "Assign selected";
    board_do_priority: "改优先级", "Set priority";
    err_none_selected: "请先勾选工单", "Select some tickets first";
    err_bulk_stale: "有工单已经关闭或不存在，这次一个都没改，请刷新后再试", "A ticket is closed or gone; nothing was changed. Reload and try again";
    nav_shifts: "排班", "Shifts";
    nav_reports: "报表", "Reports";
    set_conversion_days: "询单转化按几天算", "Days an inquiry may take to convert";
    set_conversion_days_hint: "买家咨询后这么多天内下单，算询单成功（1–30 天，默认 3 天）", "An order within this many days after asking converts the inquiry (1–30, default 3)";
    report_inquiries: "询单分析", "Inquiry analysis";
    report_intro: "询单 = 售前工单。买家在第一条消息后 {} 天内下了单（下单时间），就算询单成功；咨询前下的单不算；同一笔订单只算给下单前最近的一次咨询。客服按第一个回复的人算。", "An inquiry is a pre-sale ticket. It converts when the buyer places an order within {} days after their first message; orders before it do not count; an order's sales count once, for the latest inquiry before it. An inquiry belongs to whoever answered it first.";
    report_from: "开始日期", "From";
    report_to: "结束日期", "To";
    report_by: "细分", "Break down";
    report_agent: "客服", "Agent";
    report_all_agents: "全部客服", "All agents";
    report_sku: "商品编码", "SKU";
    report_compare: "对比时段（选填）", "Compare with (optional)";
    report_go: "查看", "Show";
    report_csv: "下载 CSV", "Download CSV";
    report_empty: "暂无数据", "No data";
    report_inquiries_n: "询单人数", "Inquiries";
    report_converted: "下单", "Converted";
    report_rate: "询单转化率", "Conversion";
    report_sales: "销售额", "Sales";
    report_avg: "客单价", "Avg. order";
    report_orders: "订单数", "Orders";
    report_key_day: "日期", "Day";
    report_key_agent: "客服", "Agent";
    report_key_product: "商品", "Product";
    report_no_agent: "（没人回复）", "(not answered)";
    report_no_product: "（没指定商品）", "(no item)";
    report_period: "本时段", "This period";
    report_compared: "对比时段", "Compared";
    report_loss: "流失原因", "Why buyers were lost";
    report_loss_none: "这段时间没有登记流失原因", "No loss reasons recorded in this period";
    report_returning: "回头客问了没买", "Returning buyers who asked and did not buy";
    report_returning_hint: "以前在店里买过、这次咨询后 {} 天内没下单的买家，值得回访。", "Bought here before, no order within {} days of asking: worth a follow-up.";
    report_earlier_orders: "以前的订单", "Earlier orders";
    report_products: "商品转化排行", "Products by conversion";
    report_chart: "询单与下单", "Inquiries and orders";
    report_agents: "客服绩效", "Agent performance";
    report_agents_intro: "工单按第一个回复的客服算，时段按工单创建时间；首响和解决用时取中位数和 90 分位；SLA 达标 = 首次响应和解决都没超时（挂起的时间不算）。最后一行是团队各项的中位数。", "Tickets count for whoever answered first, by when they were opened; response and resolution times as median and 90th percentile; SLA met = both first response and resolution in time (paused time excluded). The last row is the team's median of each figure.";
    report_tickets: "接待工单", "Tickets";
    report_replies: "回复数", "Replies";
    report_first_median: "首响中位数", "First response (median)";
    report_first_p90: "首响 90 分位", "First response (p90)";
    report_resolve_median: "解决用时中位数", "Resolution (median)";
    report_sla_met: "SLA 达标", "SLA met";
    report_ratings: "评价数", "Ratings";
    report_good: "满意率", "Satisfied";
    report_team_median: "团队中位数", "Team median";
    report_service: "服务时效", "Service times";
    report_service_intro: "按工单创建时间统计（不含内部工单）；首响和解决用时取中位数和 90 分位；SLA 达标 = 首次响应和解决都没超时（挂起的时间不算）。", "By when tickets were opened (work orders left out); response and resolution as median and 90th percentile; SLA met = first response and resolution both in time (paused time excluded).";
    report_by_stage: "按阶段", "By stage";
    report_by_day: "按天", "By day";
    report_stage: "阶段", "Stage";
    report_resolve_p90: "解决 90 分位", "Resolution (p90)";
    report_arrivals: "什么时候来咨询（按星期和小时，用来排班）", "When buyers write (weekday × hour, for shift planning)";
    report_hour: "时", "h";
    report_seconds: "秒", "s";
    report_coverage: "排班覆盖（平均在班人数）", "Planned coverage (agents on shift, average)";
    report_coverage_hint: "和上面的咨询量对照着看：咨询多、在班人少的时段要加人。", "Read it against the arrivals above: busy hours with few agents need more people.";
    report_after_sale: "售后分析", "After-sale";
    report_after_sale_intro: "按售后工单和订单的创建时间统计；退款率 = 最后退了款的售后 ÷ 这段时间的订单数；违约金按平台规则算（延迟发货）。", "By when after-sale tickets and orders were created; refund rate = returns ended in a refund ÷ orders of the period; penalties by the platform's rule for late shipping.";
    report_returns: "退货退款", "Returns";
    report_by_reason: "按原因", "By reason";
    report_by_product: "按商品", "By product";
    report_return_payer: "退货运费谁出", "Who paid return shipping";
    report_refund_rate: "退款率", "Refund rate";
    report_refunds: "退款", "Refunds";
    report_late: "延迟发货", "Late shipments";
    report_penalties: "违约金", "Penalties";
    report_reviews: "中差评", "Mid and bad reviews";
    report_mid: "中评", "Mid";
    report_bad: "差评", "Bad";
    report_rescued: "挽回成好评", "Changed to good";
    report_rescue_rate: "挽回率", "Rescue rate";
    report_stuck: "物流停滞（按快递公司）", "Stuck parcels by courier";
    report_courier: "快递公司", "Courier";
    report_stuck_n: "停滞", "Stuck";
    report_shipped: "这段时间发出", "Shipped in the period";
    shifts_title: "排班", "Shifts";
    shifts_intro: "只有在班并且在线的客服才会被分配新工单。", "Only agents on shift and online receive new tickets.";
    shifts_prev: "上一周", "Previous week";
    shifts_next: "下一周", "Next week";
    shifts_this_week: "本周", "This week";
    shifts_agent: "客服", "Agent";
    shifts_date: "日期", "Date";
    shifts_start: "上班", "Start";
    shifts_end: "下班", "End";
    shifts_add: "加一个班", "Add shift";
    shifts_delete_confirm: "删除这个班？", "Delete this shift?";
    err_date: "请按 2026-03-01 这样填日期", "Use a date like 2026-03-01";
    err_time: "请按 09:00 这样填时间", "Use a time like 09:00";
    err_shift_inverted: "下班时间要晚于上班时间", "The end must be after the start";
    err_shift_too_long: "一个班最长 16 小时", "A shift is at most 16 hours";
    err_shift_overlaps: "和这位客服已有的班次时间重叠了", "Overlaps one of this agent's shifts";
    nav_routing: "分配规则", "Routing";
    routing_title: "分配规则", "Routing";
    routing_intro: "新工单从上往下匹配规则，第一条匹配的规则决定交给哪个组；都不匹配就交给对应阶段的组。组里只分给在班、在线、没满负荷的客服。", "New tickets take the first matching rule's team, else their stage's team; only agents on shift, online and under capacity get tickets.";
    routing_rules: "规则（第一条匹配的生效）", "Rules (first match wins)";
    routing_no_rules: "还没有规则：工单按阶段分给售前、售中、售后组。", "No rules: tickets go to their stage's team.";
    routing_when: "条件", "When";
    routing_team: "交给", "Team";
    routing_any: "不限", "any";
    routing_keyword: "首条消息包含的关键词", "Keyword in the first message";
    routing_add: "加规则", "Add rule";
    routing_teams: "各组分配方式", "How each team assigns";
    routing_sticky: "老客户优先找回上次的客服（小时内，0 为关闭）", "Returning buyers go back to their agent within (hours, 0 = off)";
    routing_idle: "多久没操作自动设为离开（分钟）", "Idle minutes before an agent shows as away";
    routing_faq_wait: "排队超过多久先推荐知识库文章（分钟）", "Offer knowledge articles when the queue's wait passes (minutes)";
    routing_faq_wait_hint: "排得最久的买家等了这么久，新来的买家会先收到匹配的文章；0 表示只在没人上班时推荐。", "Once the longest-waiting buyer has waited this long, new buyers first get matching articles; 0 means only when nobody is on shift.";
    routing_business_only: "SLA 只按上班时间计算（店铺设置里的客服上班时间）", "Count SLA time in business hours only";
    sla_left: "SLA 还剩 ", "SLA: ";
    sla_over: "已超时 ", "Overdue ";
    sla_first: "首次响应", "First response";
    sla_resolve: "解决期限", "Resolve by";
    sla_paused: "等待中，SLA 暂停计时", "Waiting: SLA paused";
    wo_title: "内部工单", "Work orders";
    wo_none: "还没有派给后台的工单", "No work orders yet";
    wo_create: "派工单", "Create work order";
    wo_kind: "要做什么", "Task";
    wo_team: "交给", "Team";
    wo_due: "期限（小时）", "Due in (hours)";
    wo_note: "说明", "Note";
    wo_parent: "来自工单", "From ticket";
    wo_done_note: "内部工单已完成：", "Work order done: ";
    earlier_hidden: "聊天记录太长，这里只显示最近 500 条，更早的没有显示", "A long conversation: only its latest 500 messages are shown here";
    err_due_hours: "请填 1 到 168 之间的小时数", "A number of hours from 1 to 168";
    sla_targets: "SLA 目标（普通优先级）", "SLA targets (normal priority)";
    sla_targets_hint: "紧急按一半时间算，高优先级按四分之三，低优先级多给一半时间。", "Urgent gets half the time, high three quarters, low half again as long.";
    sla_first_minutes: "首次响应（分钟）", "First response (minutes)";
    sla_resolve_hours: "解决（小时）", "Resolution (hours)";
    nav_admin: "管理", "Admin";
    admin_title: "店铺管理", "Shop admin";
    admin_staff_hint: "添加客服、改角色和负责范围、停用账号", "Add staff, roles, skills, deactivate";
    admin_routing_hint: "分配规则、各组分配方式、SLA 目标", "Rules, team strategies, SLA targets";
    admin_automations_hint: "催付、延迟发货、物流停滞、回访、中差评", "Payment reminders, delays, parcels, follow-ups, reviews";
    admin_settings_hint: "店铺名称、时区、上班时间、欢迎语", "Shop name, time zone, hours, greetings";
    chat_title: "在线客服", "Chat with us";
    chat_intro: "亲，欢迎光临～ 有订单的话用订单号验证一下，可以接着之前的聊天记录；还没下单直接留个昵称就能咨询。", "Welcome! With an order, verify it to continue your earlier chats; without one, just leave a nick and ask.";
    chat_prove_title: "有订单：验证后接着聊", "Have an order? Verify to continue";
    chat_order_no: "订单号", "Order number";
    chat_phone_suffix: "收货手机号后四位", "Last 4 digits of the receiver's phone";
    chat_prove: "验证并进入", "Verify and continue";
    chat_visitor_title: "还没下单：直接咨询", "No order yet? Just ask";
    chat_nick: "您的旺旺名 / 昵称", "Your nick";
    chat_visitor_note: "为了保护买家隐私，这样进来只能看到您在这个浏览器里发的消息。", "To protect buyers' privacy you will only see what you write in this browser.";
    chat_throttled: "试错次数太多了，为了账户安全，请 {} 分钟后再试。", "Too many wrong tries. For your account's safety, try again in {} minutes.";
    chat_link_expired: "这个链接已经过期了。请联系店铺重新发一个，或者用订单号验证。", "This link has expired. Ask the shop for a new one, or verify with your order number.";
    chat_link_invalid: "这个链接无效，可能复制得不完整。请联系店铺重新发一个，或者用订单号验证。", "This link is not valid (perhaps it was not copied whole). Ask the shop for a new one, or verify with your order number.";
    chat_start: "开始咨询", "Start chatting";
    chat_placeholder: "请输入您想咨询的问题…", "Type your question…";
    chat_send: "发送", "Send";
    chat_leave: "换个账号", "Not you?";
    faq_offered: "客服不在时推荐的文章", "Articles offered while nobody was there";
    faq_outcome_none: "买家还没选", "No answer yet";
    rating_label: "服务评价", "Rating";
    rating_invite: "邀评", "Ask for a rating";
    rating_invite_hint: "请买家给这次服务打分（每个工单一次）", "Invite the buyer to rate this service (once per ticket)";
    rating_invited: "已邀评", "Rating requested";
    rating_buyer: "历次服务评价", "Past ratings";
    rating_ask: "这次服务您还满意吗？", "How did we do?";
    rating_yours: "您的评价", "Your rating";
    rating_comment: "想说的话（选填）", "Anything to add (optional)";
    rating_comment_hint: "客服哪里做得好、哪里还要改进…", "What went well, what could be better…";
    rating_submit: "提交评价", "Send rating";
    rating_change: "修改评价", "Change rating";
    rating_window: "提交后 24 小时内可以修改。", "You can change it for 24 hours.";
    read_mark: "已读", "Read";
    unread_mark: "未读", "Unread";
    chat_photo: "发图片", "Send photos";
    chat_agent: "{} 为您服务", "{} is helping you";
    chat_item_hint: "您正在看这件宝贝，发消息时会一起发给客服。", "You are looking at this item; it goes to us with your message.";
    chat_send_order: "发送订单", "Send an order";
    chat_pick_order: "选一个要咨询的订单发给客服：", "Pick the order you are asking about:";
    card_item: "咨询宝贝", "Item asked about";
    card_order: "订单", "Order";
    card_sold_out: "售罄", "sold out";
    card_off_sale: "已下架", "off sale";
    card_pieces: "共 {} 件", "{} pcs";
    desk_item_asked: "买家在看的宝贝", "Item the buyer is looking at";
    words_page_title: "违规词提醒", "Penalised words";
    words_page_intro: "客服回复里出现平台会扣分的词（极限词、诱导好评）时会被拦下提醒；这里按客服统计：提醒后仍然发出的、被提醒的次数、被直接拦下的。", "When a reply has words the platform penalises (absolute claims, review inducements) it is stopped with a warning; here, per agent: sent anyway after a warning, warnings, refusals.";
    words_period: "统计时段", "Period";
    words_days: "近 {} 天", "Last {} days";
    words_edit_lists: "修改词库", "Edit the lists";
    words_by_agent: "按客服统计", "By agent";
    words_recent: "最近的记录", "Latest";
    words_none: "这段时间没有出现违规词，很好～", "No penalised words in this period.";
    words_agent: "客服", "Agent";
    words_ticket: "工单", "Ticket";
    words_when: "时间", "When";
    words_outcome: "结果", "Outcome";
    words_settings_title: "违规词检查", "Reply check";
    words_settings_hint: "极限词、诱导好评，发送前提醒或拦截", "Absolute claims, review inducements: warn or refuse before sending";
    words_settings_intro: "每条回复和快捷短语在发出或保存前都会检查下面的词。默认词库按广告法极限词和平台诱导好评规则整理，可以按店铺情况增删。", "Every reply and canned reply is checked for the words below before it is sent or saved. The defaults follow the advertising law's absolute claims and the platform's rules on review inducements; add or remove as the shop needs.";
    words_banned: "违规词（每行一个）", "Banned phrases (one a line)";
    words_allowed: "例外（每行一个）", "Exceptions (one a line)";
    words_list_hint: "也可以用逗号或顿号分隔；每个词不超过 20 个字。", "Commas also separate; each at most 20 characters.";
    words_allowed_hint: "包含违规词但没问题的说法，比如「第一时间」「第一次」。", "Everyday phrases that contain a banned word, e.g. 第一时间, 第一次.";
    words_mode: "发现违规词时", "When a reply has banned words";
    words_title: "平台会扣分的词", "Words the platform penalises";
    words_warn: "这些词在平台质检里会扣分（广告法极限词、诱导好评）。最好改一下再发；确定要发就点「仍然发送」。", "Quality checks penalise these words (absolute claims, review inducements). Better change them; to send anyway, click 'Send anyway'.";
    words_blocked: "店铺设置了不允许发出含这些词的消息，请改掉后再发。", "The shop does not allow messages with these words; change them and send again.";
    words_send_anyway: "仍然发送", "Send anyway";
    words_save_anyway: "仍然保存", "Save anyway";
    desk_photos_add: "＋ 图片", "+ Photos";
    desk_photos_chosen: "已选 {} 张图片", "{} photos chosen";
    photo_open: "查看原图", "Open the full photo";
    chat_empty: "有什么可以帮您的？发一条消息，客服马上回复～", "How can we help? Send a message and we will reply right away.";
    chat_shop: "客服", "Shop";
}

pub fn messages(lang: Lang) -> &'static Messages {
    match lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
    }
}

impl Messages {
    pub fn stage(&self, s: impl Copied<Stage>) -> &'static str {
        self.label(s)
    }

    pub fn send_channel(&self, c: impl Copied<SendChannel>) -> &'static str {
        self.label(c)
    }

    pub fn campaign_state(&self, s: impl Copied<CampaignState>) -> &'static str {
        self.label(s)
    }

    pub fn presence(&self, p: impl Copied<Presence>) -> &'static str {
        self.label(p)
    }

    /// The message for a refused field; every code has one.
    pub fn error(&self, code: ErrorCode) -> &'static str {
        match code {
            ErrorCode::Required => self.err_required,
            ErrorCode::TooLong => self.err_too_long,
            ErrorCode::Invalid => self.err_invalid,
            ErrorCode::Username => self.err_username,
            ErrorCode::PasswordShort => self.err_password_short,
            ErrorCode::Capacity => self.err_capacity,
            ErrorCode::Taken => self.err_taken,
            ErrorCode::OwnRole => self.err_own_role,
            ErrorCode::OwnAccount => self.err_own_account,
            ErrorCode::BodyEmpty => self.err_body_empty,
            ErrorCode::BodyTooLong => self.err_body_too_long,
            ErrorCode::Unfilled => self.err_unfilled,
            ErrorCode::OrderUnknown => self.err_order_unknown,
            ErrorCode::LossReason => self.err_loss_reason,
            ErrorCode::Quantity => self.err_quantity,
            ErrorCode::Range => self.err_range,
            ErrorCode::DueHours => self.err_due_hours,
            ErrorCode::Date => self.err_date,
            ErrorCode::Time => self.err_time,
            ErrorCode::ShiftInverted => self.err_shift_inverted,
            ErrorCode::ShiftTooLong => self.err_shift_too_long,
            ErrorCode::ShiftOverlaps => self.err_shift_overlaps,
            ErrorCode::NoneSelected => self.err_none_selected,
            ErrorCode::BulkStale => self.err_bulk_stale,
            ErrorCode::ArticleTooLong => self.err_article_too_long,
            ErrorCode::SkuUnknown => self.err_sku_unknown,
            ErrorCode::Shortcut => self.err_shortcut,
            ErrorCode::ShortcutTaken => self.err_shortcut_taken,
            ErrorCode::ReplyTooLong => self.err_reply_too_long,
            ErrorCode::UnknownVars => self.err_unknown_vars,
            ErrorCode::CsvRow => self.err_csv_row,
            ErrorCode::TimeZone => self.err_time_zone,
            ErrorCode::Hours => self.err_hours,
            ErrorCode::Url => self.err_url,
            ErrorCode::ReturnNeedsOrder => self.err_return_needs_order,
            ErrorCode::StepNotNow => self.err_step_not_now,
            ErrorCode::Negative => self.err_negative,
            ErrorCode::OutOfOrder => self.err_out_of_order,
            ErrorCode::PhoneSuffix => self.err_phone_suffix,
            ErrorCode::PhotoCount => self.err_photo_count,
            ErrorCode::PhraseList => self.err_phrase_list,
            ErrorCode::BannedWords => self.err_banned_words,
            ErrorCode::AlreadyInvited => self.err_already_invited,
            ErrorCode::AlreadyAnswered => self.err_already_answered,
            ErrorCode::InFuture => self.err_in_future,
            ErrorCode::DateRange => self.err_date_range,
            ErrorCode::AgentUnknown => self.err_agent_unknown,
            ErrorCode::MemberLevel => self.err_member_level,
            ErrorCode::ChannelOff => self.err_channel_off,
            ErrorCode::NeedsOrder => self.err_needs_order,
            ErrorCode::AddressShipped => self.err_address_shipped,
            ErrorCode::AddressNotShipped => self.err_address_not_shipped,
            ErrorCode::AddressTooLate => self.err_address_too_late,
            ErrorCode::AddressNotPaid => self.err_address_not_paid,
            ErrorCode::RefundOverTotal => self.err_refund_over_total,
            ErrorCode::RefundNeedsStatus => self.err_refund_needs_status,
            ErrorCode::NotYourTask => self.err_not_your_task,
            ErrorCode::NoSuggestion => self.err_no_suggestion,
            ErrorCode::ConfirmShipped => self.err_confirm_shipped,
            ErrorCode::ConfirmNotPaid => self.err_confirm_not_paid,
            ErrorCode::ConfirmTooLate => self.err_confirm_too_late,
            ErrorCode::RatingScale => self.err_rating_scale,
            ErrorCode::RatingNotYet => self.err_rating_not_yet,
            ErrorCode::RatingLocked => self.err_rating_locked,
            ErrorCode::PhotoEmpty => self.err_photo_empty,
            ErrorCode::PhotoType => self.err_photo_type,
            ErrorCode::PhotoPixels => self.err_photo_pixels,
            ErrorCode::PhotoCorrupt => self.err_photo_corrupt,
            ErrorCode::ProofFailed => self.err_proof_failed,
            ErrorCode::NotVisitor => self.err_not_visitor,
            ErrorCode::BuyerUnknown => self.err_buyer_unknown,
            ErrorCode::ShortcutRepeated => self.err_shortcut_repeated,
            ErrorCode::CsvColumns => self.err_csv_columns,
        }
    }

    /// `text` in brackets as this language writes them: "（未付款）" or " (unpaid)".
    pub fn paren(&self, text: &str) -> String {
        match self.lang {
            Lang::Zh => format!("（{text}）"),
            Lang::En => format!(" ({text})"),
        }
    }

    /// The name of a value of one of the domain's vocabularies, in this language.
    pub fn label<L: Label>(&self, value: impl Copied<L>) -> &'static str {
        value.copied().label(self.lang)
    }

    pub fn audit_action(&self, a: impl Copied<AuditAction>) -> &'static str {
        self.label(a)
    }
    pub fn role(&self, r: impl Copied<Role>) -> &'static str {
        self.label(r)
    }
    pub fn skill(&self, s: impl Copied<Skill>) -> &'static str {
        self.label(s)
    }
    pub fn order_status(&self, s: impl Copied<OrderStatus>) -> &'static str {
        self.label(s)
    }
    pub fn platform(&self, p: impl Copied<Platform>) -> &'static str {
        self.label(p)
    }
    pub fn ticket_status(&self, s: impl Copied<TicketStatus>) -> &'static str {
        self.label(s)
    }
    pub fn priority(&self, p: impl Copied<Priority>) -> &'static str {
        self.label(p)
    }
    pub fn rating(&self, r: impl Copied<Rating>) -> &'static str {
        self.label(r)
    }
    pub fn channel(&self, c: impl Copied<Channel>) -> &'static str {
        self.label(c)
    }
    pub fn category(&self, c: impl Copied<Category>) -> &'static str {
        self.label(c)
    }
    pub fn return_state(&self, s: impl Copied<ReturnState>) -> &'static str {
        self.label(s)
    }
    /// A return's state, or "no request yet" before the buyer asked.
    pub fn return_state_opt(&self, s: impl Copied<Option<ReturnState>>) -> &'static str {
        s.copied().map_or(self.ret_state_none, |s| self.label(s))
    }
    pub fn return_step(&self, s: impl Copied<Step>) -> &'static str {
        self.label(s)
    }
    pub fn return_reason(&self, r: impl Copied<ReturnReason>) -> &'static str {
        self.label(r)
    }
    pub fn party(&self, p: impl Copied<Party>) -> &'static str {
        self.label(p)
    }
    pub fn reply_group(&self, g: impl Copied<ReplyGroup>) -> &'static str {
        self.label(g)
    }
    pub fn refund_status(&self, r: impl Copied<RefundStatus>) -> &'static str {
        self.label(r)
    }
    pub fn confirm_status(&self, c: impl Copied<ConfirmStatus>) -> &'static str {
        self.label(c)
    }
    pub fn memo_flag(&self, f: impl Copied<MemoFlag>) -> &'static str {
        self.label(f)
    }
    pub fn address_action(&self, a: impl Copied<AddressAction>) -> &'static str {
        self.label(a)
    }
    pub fn work_kind(&self, k: impl Copied<WorkKind>) -> &'static str {
        self.label(k)
    }
    pub fn route_why(&self, w: impl Copied<Why>) -> &'static str {
        self.label(w)
    }
    pub fn loss_reason(&self, r: impl Copied<LossReason>) -> &'static str {
        self.label(r)
    }
    pub fn strategy(&self, s: impl Copied<Strategy>) -> &'static str {
        self.label(s)
    }

    /// A canned reply's stage: one of the three, or "any" (general).
    pub fn reply_stage(&self, stage: &str) -> &'static str {
        stage.parse::<Stage>().map_or(self.desk_canned_any, |s| self.stage(s))
    }

    /// A reply field's name, for CSV line errors.
    pub fn reply_field(&self, f: &str) -> &'static str {
        match f {
            "group" => self.reply_group_col,
            "stage" => self.desk_stage,
            "title" => self.reply_title,
            "shortcut" => self.reply_shortcut,
            "body" => self.reply_body,
            _ => "",
        }
    }

    /// Monday = 0.
    pub fn weekday(&self, d: u32) -> &'static str {
        let days = match self.lang {
            Lang::Zh => ["周一", "周二", "周三", "周四", "周五", "周六", "周日"],
            Lang::En => ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
        };
        days[d as usize % 7]
    }
}

/// A closed vocabulary whose values have a name in every language.
pub trait Label: Copy {
    fn label(self, lang: Lang) -> &'static str;
}

/// `Type { Variant => "中文", "English"; … }`: the match is exhaustive, so a variant added to
/// an enum without its names (in both languages) does not compile.
macro_rules! labels {
    ($($ty:ident { $($var:ident => $zh:literal, $en:literal;)+ })+) => {
        $(impl Label for $ty {
            fn label(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $(($ty::$var, Lang::Zh) => $zh, ($ty::$var, Lang::En) => $en,)+
                }
            }
        })+
    };
}

labels! {
    AuditAction {
        StaffAdd => "新增客服账号", "Added a staff member";
        StaffEdit => "修改客服账号", "Changed a staff member";
        StaffActive => "停用/启用账号", "Deactivated or activated an account";
        Settings => "修改店铺设置", "Changed the shop settings";
        Automations => "修改自动化规则", "Changed the automations";
        RoutingRuleAdd => "新增分流规则", "Added a routing rule";
        RoutingOptions => "修改分流方式", "Changed the routing options";
        RoutingRuleDelete => "删除分流规则", "Deleted a routing rule";
        RoutingRuleMove => "调整分流规则顺序", "Moved a routing rule";
        ReplyCheck => "修改违禁词设置", "Changed the banned-word check";
        CampaignSubmit => "新建关怀群发", "Created a care campaign";
        CampaignCancel => "取消关怀群发", "Cancelled a care campaign";
        CampaignSettings => "修改群发设置", "Changed the campaign settings";
        SegmentSave => "保存人群", "Saved a segment";
        SegmentDelete => "删除人群", "Deleted a segment";
        TemplateSave => "保存话术模板", "Saved a message template";
        TemplateDelete => "删除话术模板", "Deleted a message template";
        Other => "其他后台操作", "Other admin change";
    }
    SendChannel {
        Outbox => "店铺消息（买家打开聊天时看到）", "Shop message (shown in the buyer's chat)";
        Webhook => "短信网关（Webhook）", "SMS gateway (webhook)";
        Email => "邮件", "Email";
    }
    CampaignState {
        Scheduled => "待发送", "Scheduled";
        Sending => "发送中", "Sending";
        Done => "已发完", "Done";
        Cancelled => "已取消", "Cancelled";
    }
    HitOutcome {
        Warned => "被提醒", "Warned";
        Sent => "仍然发出", "Sent anyway";
        Blocked => "被拦下", "Refused";
    }
    CheckMode {
        Warn => "标出来提醒，客服确认后仍可发送", "Mark them and warn; the agent may confirm and send";
        Block => "直接拦下，改掉才能发送", "Refuse until they are changed";
    }
    FaqOutcome {
        Solved => "解决了", "That solved it";
        Human => "转人工", "Talk to a person";
    }
    Stage {
        Presale => "售前", "Pre-sale";
        Insale => "售中", "In-sale";
        Aftersale => "售后", "After-sale";
    }
    Presence {
        Online => "在线", "Online";
        Away => "离开", "Away";
        Offline => "离线", "Offline";
    }
    Role {
        Agent => "客服", "Agent";
        Supervisor => "客服主管", "Supervisor";
        Admin => "管理员", "Admin";
    }
    Skill {
        Presale => "售前", "Pre-sale";
        Insale => "售中", "In-sale";
        Aftersale => "售后", "After-sale";
        Refund => "退款", "Refunds";
        Complaint => "投诉/中差评", "Complaints & reviews";
        Logistics => "物流跟进", "Logistics";
    }
    OrderStatus {
        Created => "待付款", "Awaiting payment";
        Paid => "待发货", "To ship";
        Shipped => "已发货", "Shipped";
        Signed => "已签收", "Signed for";
        Completed => "交易成功", "Completed";
        Closed => "交易关闭", "Closed";
    }
    Platform {
        Taobao => "淘宝", "Taobao";
        Tmall => "天猫", "Tmall";
    }
    ServiceRating {
        VerySatisfied => "非常满意", "Very satisfied";
        Satisfied => "满意", "Satisfied";
        Neutral => "一般", "Neutral";
        Unsatisfied => "不满意", "Unsatisfied";
        VeryUnsatisfied => "非常不满意", "Very unsatisfied";
    }
    TicketStatus {
        New => "新咨询", "New";
        Open => "处理中", "Open";
        WaitingBuyer => "等买家回复", "Waiting on buyer";
        WaitingInternal => "等内部处理", "Waiting on us";
        Resolved => "已解决", "Resolved";
        Closed => "已关闭", "Closed";
    }
    Priority {
        Low => "低", "Low";
        Normal => "普通", "Normal";
        High => "高", "High";
        Urgent => "紧急", "Urgent";
    }
    Rating {
        Good => "好评", "Good";
        Mid => "中评", "Neutral";
        Bad => "差评", "Bad";
    }
    Channel {
        Chat => "在线咨询", "Web chat";
        Api => "接口", "API";
        Platform => "平台旺旺", "Platform IM";
        Phone => "电话", "Phone";
        Automation => "自动任务", "Automation";
        Internal => "内部工单", "Work order";
    }
    Category {
        Inquiry => "商品咨询", "Inquiry";
        SizeAdvice => "尺码推荐", "Size advice";
        UrgePayment => "催付", "Payment reminder";
        AddressChange => "改地址", "Address change";
        Logistics => "物流查询", "Logistics";
        StuckParcel => "物流停滞", "Stuck parcel";
        DelayedShipment => "延迟发货", "Delayed shipment";
        Return => "退货", "Return";
        Exchange => "换货", "Exchange";
        Refund => "退款", "Refund";
        MissingItem => "少件补发", "Missing item";
        QualityComplaint => "质量投诉", "Quality complaint";
        BadReview => "中差评", "Bad review";
        Other => "其他", "Other";
    }
    ReturnState {
        Requested => "买家申请", "Requested";
        Approved => "已同意", "Approved";
        Rejected => "已拒绝", "Rejected";
        InTransit => "退货寄回中", "Parcel on its way back";
        Inspected => "已验货", "Inspected";
        Refunded => "已退款", "Refunded";
        Exchanged => "已换货", "Exchanged";
        Reshipped => "已补发", "Reshipped";
    }
    Step {
        Request => "登记买家申请", "Record request";
        Approve => "同意", "Approve";
        Reject => "拒绝", "Reject";
        Track => "登记退回单号", "Record return parcel";
        Inspect => "验货完成", "Inspected";
        Refund => "退款", "Refund";
        Exchange => "换货发出", "Send exchange";
        Reship => "补发", "Reship";
    }
    ReturnReason {
        Quality => "质量问题", "Quality problem";
        NotAsDescribed => "与描述不符", "Not as described";
        MissingItem => "少件/漏发", "Missing item";
        Dislike => "不喜欢", "Does not like it";
        DoesNotFit => "尺码不合适", "Does not fit";
        ColourDifference => "色差", "Colour difference";
        Unknown => "说不清", "Unknown";
    }
    Party {
        Seller => "卖家", "seller";
        Buyer => "买家", "buyer";
    }
    ReplyGroup {
        Greeting => "欢迎问候", "Greetings";
        Wait => "稍等安抚", "Please wait";
        Presale => "售前咨询", "Pre-sale";
        Payment => "催付", "Payment reminders";
        Shipping => "发货物流", "Shipping";
        Aftersale => "售后处理", "After-sale";
        Review => "评价", "Reviews";
        Followup => "回访", "Follow-up";
    }
    WorkKind {
        Reship => "补发少件", "Reship a missing item";
        VerifyReturn => "验收退货包裹", "Verify a returned parcel";
        ChaseCourier => "催快递", "Chase the courier";
        Refund => "办理退款", "Process a refund";
        ChangeAddress => "改地址（未发货）", "Change the address (not shipped)";
        Intercept => "快递拦截", "Stop the parcel with the courier";
        AmendOrder => "发货前改单（地址/尺码）", "Amend before shipping (address / size)";
    }
    RefundStatus {
        Requested => "买家已申请退款，等卖家处理", "Buyer applied, waiting for the seller";
        Agreed => "卖家已同意，等买家退货", "Seller agreed, waiting for the goods";
        Returning => "买家已退货，等卖家收货", "Goods sent back, waiting for the seller";
        Refunded => "退款成功", "Refunded";
        Rejected => "卖家已拒绝", "Seller refused";
        Closed => "退款关闭", "Refund closed";
    }
    ConfirmStatus {
        Pending => "待核对", "Awaiting confirmation";
        Confirmed => "已核对", "Confirmed";
        Corrected => "买家要修改", "Buyer asked for a change";
    }
    MemoFlag {
        Red => "红旗", "Red";
        Yellow => "黄旗", "Yellow";
        Green => "绿旗", "Green";
        Blue => "蓝旗", "Blue";
        Purple => "紫旗", "Purple";
    }
    AddressAction {
        Change => "改地址（未发货）", "Change the address (not shipped)";
        Intercept => "拦截快递（已发货）", "Stop the parcel (shipped)";
    }
    Why {
        Sticky => "老客户找回上次的客服", "returning buyer, same agent";
        LeastLoaded => "负载最低", "least loaded";
        RoundRobin => "轮流分配", "round robin";
        NobodyAvailable => "暂时没人在班，进入待分配", "nobody available, queued";
        AllBusy => "在班的客服都满了，排队等待", "everyone on shift is full, queued";
    }
    Strategy {
        LeastLoaded => "负载最低", "least loaded";
        RoundRobin => "轮流分配", "round robin";
    }
    LossReason {
        Price => "嫌贵", "Price";
        Service => "服务不满意", "Service";
        NoFreeShipping => "不包邮", "No free shipping";
        OutOfStock => "没货了", "Out of stock";
        SizeUnavailable => "断码", "Size unavailable";
        Other => "其他", "Other";
    }
    Outcome {
        Converted => "已成交", "Converted";
        Lost => "已流失", "Lost";
    }
    By {
        Day => "按天", "By day";
        Agent => "按客服", "By agent";
        Product => "按商品", "By product";
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
