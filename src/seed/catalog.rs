//! Demo catalogue: the static texts behind `kefu seed --demo`.
//!
//! Everything here is plain `'static` data for a fictional Taobao/Tmall clothing shop:
//! products (with care tips for knowledge push and sizing advice), buyer nicks, names,
//! addresses, tags and staff notes, shop-defined attributes, canned replies (快捷短语),
//! sample conversations across presale / insale / aftersale, and knowledge-base articles
//! (practical product knowledge and reserve knowledge for training new staff).
//!
//! The texts follow the register of real shop service staff: warm, 亲/您, never a cold
//! one-word reply, no bargaining, no shifting of blame. Money is integer fen. Canned reply
//! bodies may only use the variables `{买家} {订单号} {快递公司} {快递单号} {商品} {店铺}`.
//! No I/O and no dependencies beyond `core`.

pub const SHOP_NAME: &str = "暖阳衣橱旗舰店";

pub struct DemoProduct {
    pub sku: &'static str,
    pub title: &'static str,
    pub category: &'static str,
    pub price_fen: i64,
    pub colours: &'static [&'static str],
    pub sizes: &'static [&'static str],
    pub seven_day_return: bool,
    pub care_tips: &'static str,
    pub size_advice: &'static str,
    pub related: &'static [&'static str],
}

pub static PRODUCTS: &[DemoProduct] = &[
    DemoProduct {
        sku: "WY-DR-001",
        title: "法式碎花连衣裙女夏季2026新款收腰显瘦中长款V领泡泡袖",
        category: "连衣裙",
        price_fen: 15900,
        colours: &["米白碎花", "雾霾蓝碎花"],
        sizes: &["S", "M", "L", "XL"],
        seven_day_return: true,
        care_tips: "碎花连衣裙是雪纺面料，建议30度以下冷水手洗，洗前先用清水浸泡5分钟，轻轻按压不要用力搓。\
                    洗好后不要拧干，直接用衣架挂起来阴干，避免暴晒褪色。\
                    有褶皱的地方用低温熨斗隔一层布轻熨，或者挂在浴室用热水蒸汽熏一熏就平整了。",
        size_advice: "身高155-160cm、体重42-48kg建议S码；160-165cm、48-54kg建议M码；165-170cm、54-60kg建议L码；60-66kg建议XL码。\
                      胯宽或者喜欢宽松一点的亲可以大一码。",
        related: &["WY-KN-002", "WY-AC-002"],
    },
    DemoProduct {
        sku: "WY-DR-002",
        title: "复古格纹连衣裙女秋季2026新款方领长袖小个子收腰长裙",
        category: "连衣裙",
        price_fen: 18900,
        colours: &["咖啡格", "藏青格"],
        sizes: &["S", "M", "L"],
        seven_day_return: true,
        care_tips: "格纹连衣裙是涤棉混纺面料，可以装洗衣袋机洗，选轻柔程序，水温不要超过30度。\
                    深色格纹第一次洗可能会有少量浮色，建议单独洗。\
                    晾的时候反面朝外，挂在阴凉处晾干，不容易起皱。",
        size_advice: "身高150-158cm、体重40-47kg建议S码；158-165cm、47-53kg建议M码；165-170cm、53-58kg建议L码。\
                      裙长115cm，160cm的亲穿到小腿中间，小个子也不会拖沓。",
        related: &["WY-CT-001"],
    },
    DemoProduct {
        sku: "WY-TS-001",
        title: "纯棉短袖T恤女宽松圆领白色打底衫2026夏季新款百搭上衣",
        category: "T恤",
        price_fen: 4900,
        colours: &["白色", "黑色", "燕麦色", "浅粉"],
        sizes: &["S", "M", "L", "XL", "XXL"],
        seven_day_return: true,
        care_tips: "纯棉T恤第一次洗建议单独冷水洗，深色和浅色分开洗，避免串色。\
                    可以机洗，反面朝外装进洗衣袋，尽量自然晾干，烘干容易缩水。\
                    白T出汗后要及时洗，领口袖口先用少量洗衣液预处理一下，就不容易发黄。",
        size_advice: "宽松版型，身高155-160cm、体重45kg以内拿S码；160-165cm、45-52kg拿M码；165-170cm、52-60kg拿L码；60-68kg拿XL码，68-75kg拿XXL码。\
                      喜欢合身效果的亲可以小一码。",
        related: &["WY-PT-002", "WY-SK-001"],
    },
    DemoProduct {
        sku: "WY-TS-002",
        title: "莫代尔打底衫女长袖秋冬贴身内搭圆领修身弹力上衣",
        category: "T恤",
        price_fen: 5900,
        colours: &["黑色", "肤色", "白色"],
        sizes: &["S", "M", "L", "XL"],
        seven_day_return: false,
        care_tips: "莫代尔面料柔软亲肤，建议手洗或者装洗衣袋用轻柔程序洗，不要用力拧干。\
                    不要高温烘干和暴晒，平铺或者对折搭在晾衣杆上晾干，不容易变形。\
                    贴身内搭类宝贝出于卫生原因，拆封后不支持七天无理由退换，下单前请看好尺码哦。",
        size_advice: "修身弹力款，身高155-162cm、体重40-48kg拿S码；160-166cm、48-55kg拿M码；165-170cm、55-62kg拿L码；62-70kg拿XL码。\
                      当内搭穿按平时尺码拿就好，不建议拿大。",
        related: &["WY-KN-001", "WY-CT-001"],
    },
    DemoProduct {
        sku: "WY-SH-001",
        title: "真丝桑蚕丝衬衫女长袖通勤气质白衬衣垂感重磅上衣",
        category: "衬衫",
        price_fen: 39900,
        colours: &["珍珠白", "香槟色"],
        sizes: &["S", "M", "L", "XL"],
        seven_day_return: true,
        care_tips: "真丝衬衫建议30度以下冷水手洗，用真丝专用的中性洗涤剂，轻轻按压，不要搓揉，也不要拧。\
                    洗好后用干毛巾卷起来吸掉水分，反面朝外在阴凉通风处晾干，千万不要暴晒。\
                    需要熨烫的话用中低温隔布熨，香水和止汗露等干透了再穿，避免留下印子。",
        size_advice: "身高155-160cm、体重42-48kg建议S码；160-165cm、48-55kg建议M码；165-170cm、55-62kg建议L码；62-68kg建议XL码。\
                      肩宽或者手臂偏粗的亲建议大一码。",
        related: &["WY-PT-001", "WY-SK-002"],
    },
    DemoProduct {
        sku: "WY-SH-002",
        title: "条纹棉麻衬衫女宽松夏季防晒开衫薄款外搭长袖上衣",
        category: "衬衫",
        price_fen: 12900,
        colours: &["蓝白条", "卡其条"],
        sizes: &["均码"],
        seven_day_return: true,
        care_tips: "棉麻衬衫可以直接机洗，选轻柔程序，冷水洗就可以。\
                    棉麻面料自带自然褶皱，洗好后趁湿抖一抖挂起来，干了基本就很平整了。\
                    第一次洗会有1-2cm以内的轻微缩水，属于正常现象。",
        size_advice: "均码宽松版，适合身高155-170cm、体重45-65kg的亲，衣长72cm，可以扣起来当衬衫穿，也可以敞开当防晒外搭。",
        related: &["WY-TS-001", "WY-PT-001"],
    },
    DemoProduct {
        sku: "WY-CT-001",
        title: "双面羊毛大衣女中长款2026秋冬新款赫本风高级感呢子外套",
        category: "外套",
        price_fen: 89900,
        colours: &["驼色", "燕麦色", "黑色"],
        sizes: &["S", "M", "L"],
        seven_day_return: true,
        care_tips: "双面羊毛大衣建议干洗，千万不要机洗或者水洗，容易变形缩水。\
                    平时穿完用宽肩衣架挂起来，用衣物刷顺着毛的方向刷掉灰尘；换季收纳时套上防尘袋，放一块樟木或防虫片。\
                    新大衣刚开始穿会有少量浮毛，是羊毛面料的正常现象，用粘毛器粘一下就好。",
        size_advice: "身高155-160cm、体重43-50kg建议S码；160-167cm、50-57kg建议M码；167-172cm、57-65kg建议L码。\
                      冬天里面要穿厚毛衣的亲可以大一码。",
        related: &["WY-KN-001", "WY-AC-001"],
    },
    DemoProduct {
        sku: "WY-CT-002",
        title: "短款白鸭绒羽绒服女加厚面包服2026冬季新款立领保暖外套",
        category: "外套",
        price_fen: 59900,
        colours: &["奶白", "黑色", "雾霾蓝"],
        sizes: &["S", "M", "L", "XL"],
        seven_day_return: true,
        care_tips: "羽绒服尽量少洗，局部脏了用羽绒服专用清洗剂擦一擦就好。\
                    整件清洗时用30度以下温水手洗，不要拧，挤干水分后平铺晾干，半干时轻轻拍打，让绒重新蓬松起来。\
                    收纳时不要真空压缩；偶尔有细绒从针眼冒出来，往里捏回去就好，不要往外拔。",
        size_advice: "面包服是宽松版型，身高155-160cm、体重45-50kg拿S码；160-165cm、50-56kg拿M码；165-170cm、56-63kg拿L码；63-70kg拿XL码。\
                      里面穿厚毛衣也不会紧。",
        related: &["WY-KN-001", "WY-PT-002"],
    },
    DemoProduct {
        sku: "WY-PT-001",
        title: "高腰阔腿裤女垂感西装裤2026春秋新款显瘦九分直筒休闲裤",
        category: "裤装",
        price_fen: 12900,
        colours: &["黑色", "杏色", "灰色"],
        sizes: &["S", "M", "L", "XL"],
        seven_day_return: true,
        care_tips: "西装裤可以装洗衣袋机洗，选轻柔程序、冷水洗，不要和带拉链、挂钩的衣服一起洗，以免勾丝。\
                    洗好后对折裤线挂起来晾干，需要的话中温熨一下裤线，穿起来更挺括。",
        size_advice: "按腰围选码：S码腰围64cm，M码68cm，L码72cm，XL码76cm。\
                      身高155-165cm、体重45-55kg一般拿S或M码，臀部偏大的亲按臀围选，宁大勿小。",
        related: &["WY-SH-001", "WY-TS-001"],
    },
    DemoProduct {
        sku: "WY-PT-002",
        title: "高腰直筒牛仔裤女弹力显瘦2026新款宽松阔腿老爹裤",
        category: "裤装",
        price_fen: 13900,
        colours: &["浅蓝", "深蓝"],
        sizes: &["25", "26", "27", "28", "29", "30"],
        seven_day_return: true,
        care_tips: "牛仔裤第一次洗请单独洗，可以在水里加一勺盐或者白醋浸泡半小时，能减少掉色。\
                    平时反面朝外冷水洗，不要用含漂白成分的洗衣液，阴干不要暴晒。\
                    牛仔裤不用每次穿完都洗，挂起来通风透气就好，颜色能保持得更久。",
        size_advice: "25码腰围63cm，对应体重约42-46kg，每大一个码腰围加3cm、体重加4-5kg。\
                      身高160cm左右裤长刚好到脚踝，面料有弹力，平时穿多少码就拿多少码。",
        related: &["WY-TS-001", "WY-CT-002"],
    },
    DemoProduct {
        sku: "WY-KN-001",
        title: "羊绒混纺圆领毛衣女秋冬慵懒风宽松套头针织衫加厚内搭",
        category: "针织衫",
        price_fen: 25900,
        colours: &["燕麦色", "奶咖", "烟灰蓝"],
        sizes: &["S", "M", "L"],
        seven_day_return: true,
        care_tips: "羊绒混纺毛衣建议手洗，用羊毛专用洗涤剂，30度以下温水轻轻按压，不要搓揉。\
                    洗好后挤干水分平铺晾干，千万不要挂着晾，会被拉长变形。\
                    腋下和袖口有少量起球是正常的，用剃毛球器修剪一下，不要用手拔。",
        size_advice: "宽松慵懒版，身高155-160cm、体重45-50kg拿S码；160-165cm、50-56kg拿M码；165-172cm、56-65kg拿L码。\
                      想穿出修身效果可以小一码。",
        related: &["WY-CT-001", "WY-SK-001"],
    },
    DemoProduct {
        sku: "WY-KN-002",
        title: "V领针织开衫女短款春秋薄款外搭小个子百搭毛衣外套",
        category: "针织衫",
        price_fen: 9900,
        colours: &["米白", "黑色", "豆沙粉", "浅灰"],
        sizes: &["均码"],
        seven_day_return: true,
        care_tips: "针织开衫建议手洗，或者装洗衣袋用羊毛程序冷水洗，洗好后平铺晾干，避免挂晾变形。\
                    收纳的时候叠起来放，不要用衣架挂，肩膀就不会鼓包。",
        size_advice: "均码短款，适合身高150-168cm、体重40-58kg的亲，衣长48cm，搭连衣裙和高腰裤都很显比例。",
        related: &["WY-DR-001", "WY-SK-001"],
    },
    DemoProduct {
        sku: "WY-SK-001",
        title: "百褶半身裙女中长款高腰A字裙2026春夏新款垂感显瘦伞裙",
        category: "半身裙",
        price_fen: 11900,
        colours: &["黑色", "卡其", "雾霾蓝"],
        sizes: &["S", "M", "L"],
        seven_day_return: true,
        care_tips: "百褶裙洗之前先用手把褶子理顺，装进洗衣袋冷水轻柔洗。\
                    洗好后不要拧，直接顺着褶子的方向挂起来晾干，褶子就不会乱。\
                    褶子部分不要用高温熨斗熨，可以用挂烫机轻轻熏一下。",
        size_advice: "S码腰围66cm，M码70cm，L码74cm，后腰有松紧，能多撑3cm左右。\
                      身高160cm穿裙长到小腿中间，体重45-52kg一般选S或M码。",
        related: &["WY-TS-001", "WY-KN-002"],
    },
    DemoProduct {
        sku: "WY-SK-002",
        title: "缎面鱼尾半身裙女高腰垂感中长款2026新款气质包臀裙",
        category: "半身裙",
        price_fen: 16900,
        colours: &["香槟色", "墨绿"],
        sizes: &["S", "M", "L", "XL"],
        seven_day_return: true,
        care_tips: "缎面面料容易勾丝，建议冷水手洗，不要和毛衣、带拉链的衣服一起洗。\
                    洗好后不要拧干，挂起来阴干，避免阳光直射。\
                    有折痕的话用挂烫机低温熏平，不要用熨斗直接熨。",
        size_advice: "修身鱼尾款，S码腰围64cm适合体重42-47kg；M码68cm适合47-52kg；L码72cm适合52-57kg；XL码76cm适合57-62kg。\
                      胯宽的亲建议按臀围拿大一码。",
        related: &["WY-SH-001"],
    },
    DemoProduct {
        sku: "WY-MT-001",
        title: "男士纯棉长袖衬衫牛津纺商务休闲白衬衣2026春秋新款免烫",
        category: "男装上衣",
        price_fen: 14900,
        colours: &["白色", "浅蓝"],
        sizes: &["M", "L", "XL", "XXL", "3XL"],
        seven_day_return: true,
        care_tips: "牛津纺衬衫可以直接机洗，领口和袖口先用洗衣液刷一下再放进去，不容易发黄。\
                    洗好后趁湿挂起来抖平，免烫工艺基本不用熨，想穿得更挺括可以中温熨一下。",
        size_advice: "身高165-170cm、体重55-62kg建议M码；170-175cm、62-70kg建议L码；175-180cm、70-78kg建议XL码；180-185cm、78-85kg建议XXL码；85kg以上建议3XL码。\
                      腰长或者喜欢宽松的亲可以大一码。",
        related: &["WY-MP-001"],
    },
    DemoProduct {
        sku: "WY-MT-002",
        title: "男士连帽卫衣加绒加厚2026秋冬新款宽松纯色套头上衣",
        category: "男装上衣",
        price_fen: 16900,
        colours: &["黑色", "灰色", "藏青"],
        sizes: &["M", "L", "XL", "XXL"],
        seven_day_return: true,
        care_tips: "加绒卫衣建议反面朝外机洗，选冷水轻柔程序，不要高温烘干，不然里面的绒容易结球。\
                    深色第一次洗请单独洗。\
                    晾的时候挂在宽衣架上，把帽子翻出来，更容易干透。",
        size_advice: "宽松版型，身高165-172cm、体重55-65kg建议M码；172-178cm、65-73kg建议L码；178-183cm、73-82kg建议XL码；183cm以上或82-90kg建议XXL码。\
                      女生想穿男友风，163cm左右拿M码就很宽松了。",
        related: &["WY-MP-002"],
    },
    DemoProduct {
        sku: "WY-MP-001",
        title: "男士休闲裤弹力直筒商务长裤2026春秋新款修身免烫西裤",
        category: "男装裤装",
        price_fen: 15900,
        colours: &["黑色", "卡其", "深灰"],
        sizes: &["29", "30", "31", "32", "33", "34", "36"],
        seven_day_return: true,
        care_tips: "休闲裤可以机洗，洗之前拉好拉链、扣好扣子，反面朝外洗不容易起毛。\
                    不要暴晒，晾干后中温熨一下裤线，穿起来更精神。",
        size_advice: "按腰围选码：29码腰围2尺2，体重约55-60kg；30码2尺3，60-65kg；31码2尺4，65-70kg；32码2尺5，70-75kg；33码以上每码加1寸。\
                      身高175cm左右裤长刚好，肚子稍大的亲建议大一码。",
        related: &["WY-MT-001"],
    },
    DemoProduct {
        sku: "WY-MP-002",
        title: "男士工装裤宽松束脚裤2026新款多口袋休闲运动长裤",
        category: "男装裤装",
        price_fen: 13900,
        colours: &["军绿", "黑色"],
        sizes: &["M", "L", "XL", "XXL"],
        seven_day_return: true,
        care_tips: "工装裤是纯棉斜纹面料，第一次洗请单独冷水洗，防止军绿色褪色串色。\
                    可以机洗，洗之前把口袋里的东西掏干净、扣好魔术贴，晾的时候反面朝外。",
        size_advice: "身高165-172cm、体重55-65kg建议M码；172-178cm、65-75kg建议L码；178-185cm、75-85kg建议XL码；85-95kg建议XXL码。\
                      束脚设计，腿长的亲也不用担心短。",
        related: &["WY-MT-002"],
    },
    DemoProduct {
        sku: "WY-AC-001",
        title: "定制刺绣字母羊毛围巾男女冬季保暖可绣名字送礼礼盒装",
        category: "配饰",
        price_fen: 12900,
        colours: &["驼色", "酒红", "藏青"],
        sizes: &["均码"],
        seven_day_return: false,
        care_tips: "羊毛围巾建议手洗或者干洗，用羊毛专用洗涤剂冷水轻揉，刺绣的位置不要用力搓。\
                    洗好后平铺晾干，不要挂晾，也不要暴晒。\
                    刺绣款是按您的要求专门定做的，不支持七天无理由退换，如有质量问题我们负责到底。",
        size_advice: "围巾尺寸180cm×30cm，身高150-185cm的男生女生都能围出好看的效果。\
                      绣字支持2-6个字母或1-3个汉字，刺绣制作需要3-5天。",
        related: &["WY-CT-001"],
    },
    DemoProduct {
        sku: "WY-AC-002",
        title: "大容量帆布托特包女通勤单肩包2026新款简约百搭学生上课包",
        category: "配饰",
        price_fen: 6900,
        colours: &["米白", "黑色"],
        sizes: &["均码"],
        seven_day_return: true,
        care_tips: "帆布包局部弄脏了，用旧牙刷蘸一点温水和中性洗涤剂轻轻刷，再用干净的湿毛巾擦掉泡沫。\
                    整只清洗时冷水手洗，不要泡太久，也不要机洗和甩干，以免变形。\
                    洗好后把包撑开塞几张纸巾，倒挂在阴凉处晾干，米白色暴晒容易发黄。",
        size_advice: "包身38cm×32cm×12cm，能放下A4文件和14寸笔记本电脑，背带长度适合身高150-180cm的亲单肩背。",
        related: &["WY-DR-001", "WY-TS-001"],
    },
];

pub static NICKS: &[&str] = &[
    "小鹿乱撞2019",
    "tb_8823451",
    "爱吃鱼的猫咪",
    "jenny王",
    "半夏微凉",
    "木子李0826",
    "tb_30917765",
    "奶茶要三分糖",
    "阿珍爱上了阿强",
    "lucky_小七",
    "云朵棉花糖",
    "晴天的向日葵",
    "tb_6652018",
    "橘子汽水呀",
    "momo陈",
    "一只胖橘",
    "walker林",
    "安静的美男子88",
    "夏天的风1996",
    "糖糖不吃糖",
    "tb_2259841",
    "深海里的鱼",
    "可乐加冰ice",
    "小米粥er",
    "星星点灯520",
    "tina_张",
    "柠檬不萌",
    "tb_77140329",
    "懒羊羊的草",
    "周末去看海",
    "豆豆妈咪",
    "蓝色天空2008",
    "叶子飘飘",
    "tb_5561902",
    "sunny刘",
    "花卷儿",
    "旺仔小馒头",
    "风中的蒲公英",
    "tb_91826634",
    "小熊软糖酱",
    "emma_yang",
    "大白兔奶糖",
    "听雨轩主人",
    "tb_4408127",
    "北方的狼1988",
    "辣条公主",
    "兔子不吃窝边草",
    "kevin赵",
    "紫色薰衣草",
    "tb_1937745",
    "学霸小红帽",
    "猫咪爱洗澡",
    "tb_66029813",
    "芒果布丁",
    "枫叶红了",
    "左手年华",
    "tb_3158826",
    "雨后彩虹",
    "茉莉花开",
    "cherry吴",
    "宝宝巴适",
    "程序猿老张",
    "麦兜的春天",
    "tb_82755103",
];

pub static SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "林", "高",
    "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹",
];

pub static GIVEN_NAMES: &[&str] = &[
    "芳", "娜", "敏", "静", "丽", "婷", "雪", "慧", "欣怡", "雨涵", "梓萱", "佳琪", "思雨", "晓燕", "丹丹", "玉兰",
    "秀英", "美玲", "倩", "琳", "伟", "强", "磊", "洋", "勇", "军", "杰", "涛", "浩然", "子轩", "宇航", "俊杰", "志强",
    "建国", "明辉", "文博", "家豪", "鹏", "晨", "一鸣",
];

pub static ADDRESSES: &[&str] = &[
    "浙江省杭州市西湖区文三路 138 号 3 幢 502 室",
    "浙江省宁波市鄞州区天童南路 588 号 2 号楼 1103 室",
    "浙江省温州市鹿城区江滨西路 56 号锦绣花苑 7 幢 301 室",
    "江苏省苏州市工业园区星湖街 218 号 6 栋 1203 室",
    "江苏省南京市鼓楼区汉中门大街 45 号清凉小区 12 栋 2 单元 602 室",
    "江苏省无锡市梁溪区中山路 333 号和园 5 号楼 804 室",
    "上海市浦东新区张杨路 1288 弄 9 号 1702 室",
    "上海市闵行区莘庄镇沁春路 66 弄 15 号 401 室",
    "北京市朝阳区望京西园三区 312 号楼 2 单元 1501 室",
    "北京市海淀区学院路 28 号院 4 号楼 3 门 202 室",
    "天津市南开区鞍山西道 199 号华苑公寓 8 号楼 503 室",
    "广东省广州市天河区天河北路 516 号金穗花园 A 座 2306 室",
    "广东省深圳市南山区科苑南路 2700 号海岸小区 3 栋 18C",
    "广东省佛山市禅城区季华五路 77 号 1 座 909 室",
    "福建省厦门市思明区莲前西路 260 号金桥花园 16 号楼 702 室",
    "四川省成都市武侯区科华北路 62 号锦城苑 2 栋 1 单元 1402 号",
    "重庆市渝北区龙溪街道金龙路 18 号 5 幢 22-3",
    "湖北省武汉市洪山区珞喻路 1037 号南湖花园 11 栋 601 室",
    "湖南省长沙市岳麓区麓山南路 88 号桃子湖小区 3 栋 204 室",
    "山东省青岛市市南区香港中路 120 号海信广场公寓 2 号楼 1808 室",
    "山东省济南市历下区经十路 11500 号 6 号楼 2 单元 301 室",
    "河南省郑州市金水区花园路 139 号农科苑 9 号院 3 号楼 502 室",
    "河北省石家庄市长安区中山东路 265 号 7 栋 1 单元 902 室",
    "陕西省西安市雁塔区小寨东路 91 号曲江花园 4 号楼 1605 室",
    "安徽省合肥市蜀山区长江西路 459 号翡翠苑 3 幢 1104 室",
    "江西省南昌市红谷滩区丰和中大道 1266 号 8 栋 2502 室",
    "辽宁省沈阳市和平区三好街 79 号 2 号楼 3 单元 701 室",
    "黑龙江省哈尔滨市南岗区西大直街 92 号 5 栋 1 单元 403 室",
    "云南省昆明市五华区西昌路 188 号翠湖小区 6 幢 302 室",
    "广西壮族自治区南宁市青秀区民族大道 131 号 3 栋 1207 号房",
];

pub static MEMBER_LEVELS: &[&str] = &["普通会员", "银卡会员", "金卡会员", "钻石会员"];

pub static BUYER_TAGS: &[&str] = &[
    "回头客",
    "爱砍价",
    "敏感肤质",
    "大码",
    "送礼",
    "学生党",
    "小个子",
    "职场通勤",
    "宝妈",
    "急单",
    "退换较多",
    "只穿纯棉",
];

pub static BUYER_NOTES: &[&str] = &[
    "上次收到衣服有线头，补发了小礼物，态度很好",
    "皮肤敏感，只穿纯棉和真丝，推荐时避开化纤面料",
    "老客户，一般M码，喜欢米白和燕麦色",
    "每次都会问能不能便宜，耐心说明后会领券下单",
    "给妈妈买过羊毛围巾，妈妈生日在12月，可以提前推礼盒",
    "收货地址在公司，周末不在，尽量工作日送达",
    "之前物流延误给了中评，后来沟通后改成了好评",
    "身高168cm、体重58kg，裤子拿L码，偏爱高腰款",
    "学生党，预算不高，活动期间推满减券",
    "退过两次货，都是尺码原因，下单前要多帮忙确认尺码",
    "急着出差用，要求发顺丰，已补过差价",
    "喜欢宽松款，上衣习惯大一码",
    "收到大衣有浮毛，已教过护理方法，很满意",
    "经常给老公买男装，老公180cm、75kg，穿XL码",
    "钻石会员，生日在3月，生日当月记得送券",
];

/// Shop-defined attribute keys and example values (属性搜集 high-value info).
pub static ATTRIBUTES: &[(&str, &[&str])] = &[
    ("尺码", &["S", "M", "L", "XL"]),
    ("肤质", &["白皙", "自然色", "小麦色", "敏感肤质"]),
    ("风格偏好", &["法式温柔", "通勤简约", "韩系休闲", "复古文艺", "街头潮流"]),
    ("身高", &["150cm以下", "150-155cm", "155-160cm", "160-165cm", "165-170cm", "170cm以上"]),
    ("体重", &["45kg以下", "45-50kg", "50-55kg", "55-60kg", "60-65kg", "65kg以上"]),
    ("颜色偏好", &["黑白灰", "大地色", "莫兰迪色", "亮色系", "粉嫩色"]),
];

pub struct DemoReply {
    pub group: &'static str,
    pub stage: &'static str,
    pub title: &'static str,
    pub shortcut: &'static str,
    pub body: &'static str,
}

pub static CANNED_REPLIES: &[DemoReply] = &[
    // ---- greeting ----
    DemoReply {
        group: "greeting",
        stage: "any",
        title: "欢迎语",
        shortcut: "hi",
        body: "亲，您好，欢迎光临{店铺}！我是客服小暖，很高兴为您服务。看中了哪件宝贝，或者尺码拿不准，都可以直接发给我哦，小暖帮您参谋。",
    },
    DemoReply {
        group: "greeting",
        stage: "any",
        title: "老客欢迎语",
        shortcut: "hi2",
        body: "{买家}亲，欢迎回来～好久不见啦！上次买的衣服穿着还合适吗？这次想看点什么，小暖帮您挑一挑。",
    },
    DemoReply {
        group: "greeting",
        stage: "any",
        title: "离线自动回复",
        shortcut: "away",
        body: "亲，您好，现在是客服休息时间（在线时间每天9:00-23:00），您的留言小暖上线后会第一时间回复您。\
               问尺码的亲可以先把身高、体重留言给我们，拍下的订单照常发货。{店铺}祝您生活愉快！",
    },
    DemoReply {
        group: "greeting",
        stage: "any",
        title: "结束语",
        shortcut: "bye",
        body: "亲，感谢您的光临，有任何问题随时来找小暖哦。{店铺}祝您购物愉快，生活开心～",
    },
    // ---- wait ----
    DemoReply {
        group: "wait",
        stage: "any",
        title: "查询中请稍等",
        shortcut: "wait",
        body: "亲，稍等一下哦，小暖正在帮您查询，马上回复您～",
    },
    DemoReply {
        group: "wait",
        stage: "any",
        title: "咨询人多请稍等",
        shortcut: "wait2",
        body: "亲，不好意思让您久等了，现在咨询的亲比较多，小暖在按顺序回复，请您稍等一两分钟，不会漏掉您的哦。",
    },
    DemoReply {
        group: "wait",
        stage: "presale",
        title: "核对库存请稍等",
        shortcut: "kc",
        body: "亲，{商品}的库存小暖正在跟仓库核对，请稍等片刻，确认好马上告诉您。",
    },
    // ---- presale ----
    DemoReply {
        group: "presale",
        stage: "presale",
        title: "不议价说明",
        shortcut: "yj",
        body: "亲，非常理解您想买得更划算～{商品}现在已经是活动最低价了，利润真的很薄，客服这边也没有改价的权限哦。\
               您可以先领一下店铺首页的满减券，小暖再给您备注一份小礼物，希望您能喜欢。",
    },
    DemoReply {
        group: "presale",
        stage: "any",
        title: "色差说明",
        shortcut: "sc",
        body: "亲，我们家所有宝贝都是实物拍摄的，拍完后也尽量做了调色，保证最接近实物。\
               不过不同手机、电脑屏幕的显示效果，还有拍摄时的光线，都会带来一点点差别，轻微色差是网购没办法完全避免的，还请您理解哦。\
               颜色拿不准的话，可以跟小暖说说您的肤色和平时的穿衣风格，帮您推荐。",
    },
    DemoReply {
        group: "presale",
        stage: "presale",
        title: "尺码咨询",
        shortcut: "sz",
        body: "亲，麻烦告诉小暖您的身高、体重，平时穿什么码，喜欢宽松一点还是合身一点，小暖帮您对照{商品}的尺码表，推荐最合适的码数哦。",
    },
    DemoReply {
        group: "presale",
        stage: "presale",
        title: "尺码表说明",
        shortcut: "szb",
        body: "亲，{商品}的尺码表都是平铺实测的数据，手工测量可能有1-2cm误差。\
               如果您介于两个码之间，喜欢宽松就选大一码，喜欢合身就选小一码哦。",
    },
    DemoReply {
        group: "presale",
        stage: "presale",
        title: "断码推荐替代款",
        shortcut: "dm",
        body: "亲，真的很抱歉，{商品}您要的这个码已经断码了，补货大概要7-10天。\
               小暖给您推荐一款版型和面料都很接近的，价格也差不多，您看看喜不喜欢～不着急的话，也可以帮您登记到货提醒。",
    },
    DemoReply {
        group: "presale",
        stage: "presale",
        title: "包邮与发货时间",
        shortcut: "by",
        body: "亲，{店铺}全场包邮（新疆、西藏等偏远地区除外），默认发圆通或申通，一般2-5个工作日送达，江浙沪大多第二天就能到。\
               下午4点前付款的当天发货，4点以后的第二天发出。需要顺丰的话补一下差价就可以哦。",
    },
    DemoReply {
        group: "presale",
        stage: "presale",
        title: "已备注需求",
        shortcut: "bz",
        body: "亲，您的要求小暖已经备注在订单上了，仓库打包时会看到的，请您放心哦。",
    },
    // ---- payment ----
    DemoReply {
        group: "payment",
        stage: "insale",
        title: "催付",
        shortcut: "cf",
        body: "{买家}亲，您好～看到您拍下的{商品}还没有付款哦（订单号：{订单号}）。\
               现在付款今天就能给您安排发货，这个码库存不多了，怕晚了没有您合适的尺码。付款遇到问题可以随时找小暖哦。",
    },
    DemoReply {
        group: "payment",
        stage: "insale",
        title: "付款步骤",
        shortcut: "fk",
        body: "亲，付款步骤是这样的：打开手机淘宝，进入「我的淘宝—待付款」，找到订单{订单号}，点「付款」，选择支付宝余额、花呗或者银行卡，输入支付密码就可以了。\
               如果提示付款失败，可以换一种付款方式试试，还是不行的话截图发给小暖。",
    },
    DemoReply {
        group: "payment",
        stage: "insale",
        title: "发货前核对地址",
        shortcut: "hd",
        body: "亲，您的订单{订单号}已经付款成功啦，谢谢支持！发货前跟您核对一下收货信息：收件人、电话、详细地址都对吗？确认无误小暖就通知仓库打包了哦。",
    },
    // ---- shipping ----
    DemoReply {
        group: "shipping",
        stage: "insale",
        title: "发货通知",
        shortcut: "fh",
        body: "{买家}亲，您好！您在{店铺}购买的{商品}已经发货啦，{快递公司}单号：{快递单号}。\
               一般2-5个工作日送达，收到后请先检查一下再签收，有任何问题随时找小暖哦。",
    },
    DemoReply {
        group: "shipping",
        stage: "insale",
        title: "延迟发货致歉",
        shortcut: "yc",
        body: "亲，真的非常抱歉！您的订单{订单号}因为这款太火，仓库排单比较满，会比承诺的时间晚一点发出。\
               小暖已经跟仓库加急了，发出后第一时间把单号发给您，给您添麻烦了。",
    },
    DemoReply {
        group: "shipping",
        stage: "aftersale",
        title: "物流正常查询结果",
        shortcut: "wl",
        body: "亲，小暖帮您查了一下，您的包裹（{快递公司} {快递单号}）目前正常运输中，预计1-2天内送到，请您留意一下电话哦。",
    },
    DemoReply {
        group: "shipping",
        stage: "aftersale",
        title: "物流停滞正在催件",
        shortcut: "cj",
        body: "亲，您的包裹（{快递公司} {快递单号}）在中转站停留的时间有点长，小暖已经联系快递网点催促了，有最新进展马上告诉您。\
               耽误您收货了，真的很抱歉。",
    },
    // ---- aftersale ----
    DemoReply {
        group: "aftersale",
        stage: "aftersale",
        title: "七天无理由退货说明",
        shortcut: "th7",
        body: "亲，支持七天无理由退货的宝贝，从签收后第二天零点开始计算，满7天（168小时）内都可以申请。\
               衣服需要保持吊牌完好、没有穿过洗过、不影响二次销售。定制刺绣款和贴身内搭款不支持无理由退换，详情页都有标注哦。",
    },
    DemoReply {
        group: "aftersale",
        stage: "aftersale",
        title: "退货步骤",
        shortcut: "thdz",
        body: "亲，退货步骤：在「我的淘宝—已买到的宝贝」找到订单{订单号}，点「退款/退货」，选择退货原因提交，小暖这边同意后页面上会显示退货地址。\
               寄回时请在包裹里放一张纸条，写上您的淘宝账号，方便仓库快速处理。非质量问题请不要寄到付哦。",
    },
    DemoReply {
        group: "aftersale",
        stage: "aftersale",
        title: "换货流程",
        shortcut: "hh",
        body: "亲，换货的话麻烦先把{商品}寄回来，包裹里放一张纸条，写上淘宝账号和想换的尺码、颜色，仓库收到后当天就给您重新发出。\
               如果是尺码不合适换货，运费需要麻烦您承担；我们家是包邮发出的，所以您只需要承担寄回的运费。",
    },
    DemoReply {
        group: "aftersale",
        stage: "aftersale",
        title: "退款已处理",
        shortcut: "tk",
        body: "亲，订单{订单号}的退款已经给您处理好了，原路退回：支付宝余额一般即时到账，银行卡1-3个工作日到账，花呗会恢复额度。\
               这次没能让您满意很抱歉，欢迎您下次再来{店铺}逛逛～",
    },
    DemoReply {
        group: "aftersale",
        stage: "aftersale",
        title: "质量问题致歉",
        shortcut: "zl",
        body: "亲，真的非常抱歉给您带来不好的体验！麻烦您拍几张问题部位的照片发给小暖，确认是质量问题的话，退货换货都可以，来回运费都由我们承担，您放心。",
    },
    DemoReply {
        group: "aftersale",
        stage: "aftersale",
        title: "少件补发",
        shortcut: "bf",
        body: "亲，非常抱歉！小暖核对了订单{订单号}的打包记录，确实是我们漏发了，给您添麻烦了。少发的宝贝今天就给您补发，单号出来马上告诉您。",
    },
    // ---- review ----
    DemoReply {
        group: "review",
        stage: "aftersale",
        title: "中差评沟通",
        shortcut: "cp",
        body: "{买家}亲，您好，我是{店铺}的售后客服小暖。看到您对{商品}不太满意，真的很抱歉没能让您购物愉快。\
               能跟小暖说说具体是哪里不满意吗？不管是尺码、质量还是物流的问题，我们都会尽力帮您处理好。",
    },
    DemoReply {
        group: "review",
        stage: "aftersale",
        title: "感谢好评",
        shortcut: "hp",
        body: "{买家}亲，谢谢您的好评和晒图！您的认可是我们最大的动力，您提的建议小暖也转给设计师了。期待您下次光临{店铺}～",
    },
    // ---- followup ----
    DemoReply {
        group: "followup",
        stage: "aftersale",
        title: "签收回访",
        shortcut: "hf",
        body: "{买家}亲，您好～看到您的包裹已经签收啦，{商品}上身效果怎么样？尺码合适吗？有任何不满意的地方都可以跟小暖说，我们一定帮您处理好。",
    },
    DemoReply {
        group: "followup",
        stage: "aftersale",
        title: "洗护知识推送",
        shortcut: "xh",
        body: "亲，{商品}到手啦，小暖提醒您几点洗护小知识：第一次洗建议单独冷水手洗，反面朝外晾在阴凉处，避免暴晒，这样能穿得更久哦。\
               更详细的洗护方法可以看商品详情页底部，有问题随时问小暖。",
    },
    DemoReply {
        group: "followup",
        stage: "aftersale",
        title: "预计到货关怀",
        shortcut: "dh",
        body: "亲，按物流时间，您的{商品}今天应该就能送到了（{快递公司} {快递单号}），请留意一下电话，收到后有什么问题随时找小暖哦。",
    },
];

pub struct DemoConversation {
    pub stage: &'static str,
    pub category: &'static str,
    pub status: &'static str,
    pub priority: &'static str,
    pub subject: &'static str,
    pub needs_order: bool,
    pub messages: &'static [(char, &'static str)],
}

pub static CONVERSATIONS: &[DemoConversation] = &[
    // ================= presale (16) =================
    DemoConversation {
        stage: "presale",
        category: "size_advice",
        status: "resolved",
        priority: "normal",
        subject: "碎花连衣裙160cm 50kg选什么码",
        needs_order: false,
        messages: &[
            ('b', "在吗？这条碎花连衣裙我160cm，50kg，穿什么码呀"),
            (
                's',
                "亲，您好，欢迎光临暖阳衣橱～小暖在的。按您160cm、50kg的身材，这款建议拿M码，腰围68cm，收腰效果刚好，不会勒。",
            ),
            ('b', "我胯有点宽，M会不会紧"),
            (
                's',
                "亲，这款是A字下摆，臀围不受限制，胯宽也可以放心穿。如果您平时裤子穿L码，也可以拿L码，腰部会稍微松一点点，系上腰带就好啦。",
            ),
            ('b', "那我拿M吧，要米白的"),
            (
                's',
                "好的亲，米白碎花M码，下午4点前付款当天就发货。早晚有点凉的话，搭一件V领针织开衫刚刚好，需要的话小暖发链接给您看看～",
            ),
            ('b', "先不用啦，谢谢"),
            ('s', "不客气亲，有任何问题随时找小暖，祝您穿得美美的～"),
        ],
    },
    DemoConversation {
        stage: "presale",
        category: "inquiry",
        status: "resolved",
        priority: "normal",
        subject: "雾霾蓝羽绒服L码有没有现货",
        needs_order: false,
        messages: &[
            ('b', "你好，雾霾蓝的羽绒服L码有现货吗"),
            ('s', "亲，您好～稍等一下哦，小暖帮您查一下库存。"),
            ('s', "让您久等啦，雾霾蓝L码有现货的，仓库还剩最后几件，今天下午4点前付款当天就能发出。"),
            ('b', "好的，那我现在拍"),
            ('s', "好的亲，拍下后小暖帮您核对一下地址，有问题随时找我哦。"),
            ('b', "已付款"),
            ('s', "收到啦，谢谢亲的支持！发货后会第一时间把单号发给您～"),
        ],
    },
    DemoConversation {
        stage: "presale",
        category: "inquiry",
        status: "closed",
        priority: "low",
        subject: "羊毛大衣能便宜点吗",
        needs_order: false,
        messages: &[
            ('b', "大衣899有点贵啊，能便宜点吗"),
            (
                's',
                "亲，非常理解您想买得更划算～这款双面羊毛大衣是手工缝制的双面呢，899已经是这一季的活动价了，客服这边真的没有改价的权限哦。",
            ),
            ('b', "便宜100我就拍"),
            (
                's',
                "亲，实在不好意思，价格小暖确实做不了主。您可以领一下店铺首页满800减50的券，小暖再给您备注送一把羊毛衣物护理刷，平时打理大衣正好用得上。",
            ),
            ('b', "那我再考虑考虑吧"),
            ('s', "好的亲，不着急，您慢慢考虑，喜欢的话可以先加入购物车，有问题随时找小暖哦～"),
        ],
    },
    DemoConversation {
        stage: "presale",
        category: "inquiry",
        status: "resolved",
        priority: "normal",
        subject: "包邮吗，寄成都几天到",
        needs_order: false,
        messages: &[
            ('b', "包邮吗？发什么快递，寄到成都要几天"),
            ('s', "亲，您好～我们家全场包邮的（新疆、西藏等偏远地区除外），默认发圆通，寄到成都一般3-4天。"),
            ('b', "能发顺丰吗，下周要出差，想带上"),
            ('s', "可以的亲，顺丰需要补12元差价，拍下后跟小暖说一声，我发补差价的链接给您，顺丰到成都一般1-2天。"),
            ('b', "好的，那我拍了补一下"),
            ('s', "好的亲，已经帮您备注顺丰发货了，谢谢您的支持，祝您出差顺利～"),
        ],
    },
    DemoConversation {
        stage: "presale",
        category: "size_advice",
        status: "new",
        priority: "normal",
        subject: "男士休闲裤175cm 70kg穿多大",
        needs_order: false,
        messages: &[('b', "在吗"), ('b', "175，70公斤，男士休闲裤穿多大码")],
    },
    DemoConversation {
        stage: "presale",
        category: "inquiry",
        status: "new",
        priority: "normal",
        subject: "羊毛大衣会不会起球",
        needs_order: false,
        messages: &[('b', "你好，这件羊毛大衣是双面呢的吗"), ('b', "会不会起球？我之前买过一件，穿了一个月就起球了")],
    },
    DemoConversation {
        stage: "presale",
        category: "other",
        status: "new",
        priority: "low",
        subject: "能开发票吗",
        needs_order: false,
        messages: &[('b', "你好，买衣服可以开发票吗？公司要报销"), ('b', "抬头要写公司名字的那种")],
    },
    DemoConversation {
        stage: "presale",
        category: "inquiry",
        status: "waiting_buyer",
        priority: "normal",
        subject: "真丝衬衫白色透不透、有没有色差",
        needs_order: false,
        messages: &[
            ('b', "这件真丝衬衫白色的透不透啊，上班穿"),
            ('s', "亲，您好～珍珠白是重磅双绉真丝，面料比较厚实，正常光线下不透的，里面搭一件肤色打底就完全没问题哦。"),
            ('b', "图片上看着有点偏黄，实物是什么颜色"),
            (
                's',
                "亲，我们家宝贝都是实物拍摄的，珍珠白是带一点温润光泽的白，不是冷白，不同手机屏幕显示会有一点差别。您平时皮肤偏白还是偏暖一点呢？小暖帮您看看珍珠白和香槟色哪个更衬您。",
            ),
        ],
    },
    DemoConversation {
        stage: "presale",
        category: "size_advice",
        status: "open",
        priority: "normal",
        subject: "情侣款卫衣尺码",
        needs_order: false,
        messages: &[
            ('b', "想给男朋友买卫衣，他180，75kg，平时穿XL"),
            ('s', "亲，您好～按180cm、75kg，这款卫衣拿XL码刚好，是宽松版型，想要更宽松一点的可以拿XXL码哦。"),
            ('b', "我自己也想穿同款，我163，52kg"),
            (
                's',
                "亲，这款是男款版型，女生163cm、52kg穿M码就是宽松的男友风，长度到臀部下面一点。需要的话小暖把女生上身的买家秀发给您看看？",
            ),
            ('b', "好呀，发来看看"),
        ],
    },
    DemoConversation {
        stage: "presale",
        category: "inquiry",
        status: "resolved",
        priority: "normal",
        subject: "阔腿裤黑色S码断码",
        needs_order: false,
        messages: &[
            ('b', "阔腿裤黑色S码怎么没有了"),
            (
                's',
                "亲，真的很抱歉，黑色S码这周卖断码了，补货大概要10天左右。同款灰色S码还有现货，一样的垂感面料，灰色也很百搭。",
            ),
            ('b', "灰色会不会显胖"),
            (
                's',
                "亲，这款灰色是偏深的炭灰，不会显膨胀，配白T或者衬衫都很显瘦。您着急穿的话可以先拿灰色；想等黑色的话，小暖帮您登记到货提醒，到货第一时间通知您。",
            ),
            ('b', "那我先拿灰色吧"),
            ('s', "好的亲，灰色S码，谢谢您的支持～收到后有任何不合适随时找小暖哦。"),
        ],
    },
    DemoConversation {
        stage: "presale",
        category: "other",
        status: "resolved",
        priority: "normal",
        subject: "围巾绣字送妈妈生日礼物",
        needs_order: false,
        messages: &[
            ('b', "围巾可以绣名字吗？想送给我妈当生日礼物"),
            (
                's',
                "亲，可以的哦～定制刺绣围巾可以绣2-6个字母或者1-3个汉字，拍下后在备注里写上要绣的字就可以，刺绣需要3-5天制作时间。",
            ),
            ('b', "绣好了要是不喜欢能退吗"),
            (
                's',
                "亲，这里要提前跟您说明一下：定制刺绣款是专门为您做的，不支持七天无理由退换哦，但如果有质量问题我们一定负责到底。下单前小暖会再跟您核对一遍字和颜色。",
            ),
            ('b', "明白了，要驼色，绣一个“芳”字"),
            ('s', "好的亲，驼色，绣“芳”字，小暖已经备注好了。还可以免费帮您装礼盒、附一张生日贺卡，祝阿姨生日快乐～"),
            ('b', "太贴心了，谢谢"),
            ('s', "不客气亲，做好发货前小暖会拍照给您确认的～"),
        ],
    },
    DemoConversation {
        stage: "presale",
        category: "other",
        status: "closed",
        priority: "low",
        subject: "有没有实体店可以试穿",
        needs_order: false,
        messages: &[
            ('b', "你们有实体店吗？想去试一下"),
            (
                's',
                "亲，您好～我们目前只有线上店铺，没有实体店哦。每件宝贝的详情页都有平铺实测尺寸和模特身材数据，您把身高体重告诉小暖，帮您推荐尺码，收到不合适也支持七天无理由退换。",
            ),
            ('b', "好吧，我量一下再来问"),
            ('s', "好的亲，量好了随时来找小暖，等您哦～"),
        ],
    },
    DemoConversation {
        stage: "presale",
        category: "inquiry",
        status: "resolved",
        priority: "low",
        subject: "真丝衬衫能不能机洗",
        needs_order: false,
        messages: &[
            ('b', "真丝的能机洗吗？我懒得手洗"),
            (
                's',
                "亲，真丝建议手洗哦：30度以下冷水，用真丝专用的中性洗涤剂，轻轻按压，不要搓也不要拧，用毛巾吸干水分后反面阴干。实在要机洗的话，请装洗衣袋用真丝程序。",
            ),
            ('b', "这么麻烦啊"),
            (
                's',
                "亲，真丝确实娇贵一点，不过穿着透气亲肤，夏天特别舒服，收货后小暖也会把洗护小卡片发给您。嫌打理麻烦的话，也可以看看这款条纹棉麻衬衫，直接机洗就可以。",
            ),
            ('b', "算了还是买真丝的，谢谢"),
            ('s', "好的亲，谢谢您的支持，有问题随时找小暖～"),
        ],
    },
    DemoConversation {
        stage: "presale",
        category: "size_advice",
        status: "waiting_internal",
        priority: "normal",
        subject: "男士衬衫XL衣长实测",
        needs_order: false,
        messages: &[
            ('b', "男士牛津纺衬衫XL衣长多少？我腰长，怕短"),
            ('s', "亲，您好，尺码表上XL衣长是76cm。您稍等一下，小暖让仓库同事拿一件实测一下，给您最准确的数据。"),
            ('n', "已请仓库小刘实测XL和XXL衣长，等回复后告诉买家"),
        ],
    },
    DemoConversation {
        stage: "presale",
        category: "inquiry",
        status: "resolved",
        priority: "normal",
        subject: "羽绒服会不会钻绒，北京够不够暖",
        needs_order: false,
        messages: &[
            ('b', "羽绒服是白鸭绒吗，会不会钻绒"),
            (
                's',
                "亲，您好～这款是90%白鸭绒，面料是防钻绒的高密面料，正常穿着不会钻绒。偶尔有一两根细绒从针眼冒出来是正常的，不要往外拔，往里轻轻捏回去就好。",
            ),
            ('b', "北京冬天够不够暖"),
            (
                's',
                "亲，北京零下10度左右，里面穿一件毛衣完全够的，很多北方的亲都回购过。搭我们家的羊绒混纺毛衣一起穿会更暖和哦。",
            ),
            ('b', "好的，下单了"),
            ('s', "谢谢亲的支持～今天就给您发出，收到有问题随时找小暖。"),
        ],
    },
    DemoConversation {
        stage: "presale",
        category: "inquiry",
        status: "new",
        priority: "normal",
        subject: "学生党两件一起买有优惠吗",
        needs_order: false,
        messages: &[('b', "学生党有优惠吗"), ('b', "看中了百褶裙和针织开衫，两件一起买能便宜点不")],
    },
    // ================= insale (10) =================
    DemoConversation {
        stage: "insale",
        category: "urge_payment",
        status: "resolved",
        priority: "normal",
        subject: "碎花连衣裙拍下未付款",
        needs_order: true,
        messages: &[
            ('y', "买家已拍下宝贝，订单等待付款"),
            (
                's',
                "亲，您好～看到您拍下的碎花连衣裙还没有付款哦，今天下午4点前付款当天就能发货，M码库存不多了，怕晚了没有您合适的码。",
            ),
            ('b', "刚才花呗额度不够，等一下"),
            ('s', "好的亲，不着急，也可以用支付宝余额或者银行卡付款，付款遇到问题随时找小暖哦。"),
            ('y', "买家已付款"),
            ('s', "收到您的付款啦，谢谢亲！今天就给您安排发货，单号出来第一时间告诉您～"),
            ('b', "好的谢谢"),
        ],
    },
    DemoConversation {
        stage: "insale",
        category: "urge_payment",
        status: "closed",
        priority: "low",
        subject: "休闲裤重复拍下不要了",
        needs_order: true,
        messages: &[
            ('y', "买家已拍下宝贝，订单等待付款"),
            ('s', "亲，您好～您拍下的男士休闲裤还没有付款哦，现在付款今天就能发出，有什么疑问都可以问小暖。"),
            ('b', "不好意思，拍重复了，这个订单不要了"),
            ('s', "没关系的亲，这个订单超时会自动关闭，不影响您的账户。之后有需要随时来找小暖哦～"),
        ],
    },
    DemoConversation {
        stage: "insale",
        category: "address_change",
        status: "resolved",
        priority: "high",
        subject: "付款后发现地址写错",
        needs_order: true,
        messages: &[
            ('b', "你好，我刚下的单，地址写错了，能改一下吗"),
            ('s', "亲，您好～还没发货，可以改的。麻烦把正确的收件人、电话和详细地址发给小暖。"),
            ('b', "改到江苏省苏州市工业园区星湖街 218 号 6 栋 1203 室，人和电话不变"),
            ('s', "好的亲，小暖跟您核对一下：江苏省苏州市工业园区星湖街 218 号 6 栋 1203 室，收件人和电话不变，对吗？"),
            ('b', "对的"),
            ('n', "已修改订单收货地址，并备注仓库打单前再核对一次"),
            ('s', "已经帮您改好了，今天会按新地址发出，谢谢亲～"),
        ],
    },
    DemoConversation {
        stage: "insale",
        category: "address_change",
        status: "new",
        priority: "high",
        subject: "拍错地址寄到公司了",
        needs_order: true,
        messages: &[('b', "在吗在吗，刚拍错地址了，寄到公司去了"), ('b', "还没发货吧？能改成家里的地址吗")],
    },
    DemoConversation {
        stage: "insale",
        category: "delayed_shipment",
        status: "resolved",
        priority: "high",
        subject: "付款三天还没发货",
        needs_order: true,
        messages: &[
            ('b', "我付款三天了怎么还没发货？说好48小时内发的"),
            ('s', "亲，真的非常抱歉让您久等了！小暖马上帮您查一下，请稍等。"),
            ('n', "查询结果：雾霾蓝M码羽绒服库存登记有误，今早补货到仓，已加急打包；按延迟发货规则主动支付违约金"),
            (
                's',
                "亲，查到了，是仓库这个颜色的库存登记出了差错，今天上午刚到货，已经给您加急打包，下午就能发出。超过承诺时间是我们的问题，小暖已经按平台延迟发货规则给您支付了违约金，稍后会到您的账户。",
            ),
            ('b', "好吧，下午一定要发啊"),
            ('s', "一定的亲，发出后第一时间把单号发给您。给您添麻烦了，真的很抱歉。"),
            ('y', "订单已发货（圆通速递）"),
            ('s', "亲，您的包裹已经发出啦，单号在订单详情里可以查看，预计2-3天送到，再次感谢您的耐心～"),
        ],
    },
    DemoConversation {
        stage: "insale",
        category: "delayed_shipment",
        status: "new",
        priority: "high",
        subject: "前天付款仍未发货，周六要穿",
        needs_order: true,
        messages: &[('b', "我前天付的款，怎么还是待发货"), ('b', "周六要穿的，来得及吗？来不及就退了")],
    },
    DemoConversation {
        stage: "insale",
        category: "logistics",
        status: "waiting_internal",
        priority: "high",
        subject: "今天能否改发顺丰",
        needs_order: true,
        messages: &[
            ('b', "今天能发顺丰吗？明天晚上要穿"),
            ('s', "亲，您好～顺丰需要补一下差价，小暖先问一下仓库今天顺丰还能不能揽收，请稍等哦。"),
            ('n', "已问仓库主管，顺丰今天最后一班揽收是17:30，等确认能否赶上"),
        ],
    },
    DemoConversation {
        stage: "insale",
        category: "other",
        status: "resolved",
        priority: "normal",
        subject: "两个订单合并发货",
        needs_order: true,
        messages: &[
            ('b', "我上午拍了一条牛仔裤，现在又想要一件白T，能一起发吗"),
            ('s', "亲，可以的～您上午的订单还没打包，再拍下白T后告诉小暖，我备注仓库把两单合成一个包裹发出。"),
            ('b', "拍好了，白色L码"),
            ('s', "收到啦，小暖已经备注合并发货了，今天一起给您发出。白T第一次洗建议单独冷水洗，能穿得更久哦～"),
            ('b', "好的，谢谢"),
            ('s', "不客气亲，有问题随时找小暖～"),
        ],
    },
    DemoConversation {
        stage: "insale",
        category: "urge_payment",
        status: "waiting_buyer",
        priority: "normal",
        subject: "百褶裙未付款，纠结尺码",
        needs_order: true,
        messages: &[
            ('y', "买家已拍下宝贝，订单等待付款"),
            ('s', "亲，您好～看到您拍下的百褶半身裙还没有付款，是不是还有什么拿不准的地方呢？可以跟小暖说说。"),
            ('b', "不知道拿S还是M，我腰围70"),
            (
                's',
                "亲，按腰围70cm，这款S码腰围66cm会偏紧，建议拿M码，腰围70cm，后腰还有松紧，穿着刚刚好。您可以先修改一下订单的尺码再付款哦。",
            ),
        ],
    },
    DemoConversation {
        stage: "insale",
        category: "address_change",
        status: "waiting_internal",
        priority: "high",
        subject: "已发货要求改派地址",
        needs_order: true,
        messages: &[
            ('b', "能不能改地址？我看已经发货了，我这周不在家"),
            ('s', "亲，您好～包裹已经交给圆通了，小暖马上联系网点帮您拦截改派，麻烦把新的地址发给我。"),
            ('b', "改到浙江省宁波市鄞州区天童南路 588 号 2 号楼前台"),
            (
                's',
                "好的亲，新地址已经记下了，小暖正在联系圆通网点，有结果马上告诉您。改派可能会多耽误1-2天，还请您谅解哦。",
            ),
            ('n', "已联系圆通网点申请拦截改派，网点答复今天18点前回复能否拦截"),
        ],
    },
    // ================= aftersale (16) =================
    DemoConversation {
        stage: "aftersale",
        category: "stuck_parcel",
        status: "resolved",
        priority: "high",
        subject: "物流三天没动了",
        needs_order: true,
        messages: &[
            ('b', "物流三天没动了，一直显示在杭州转运中心"),
            ('s', "亲，真的抱歉让您着急了！小暖马上帮您查一下，请稍等。"),
            ('n', "已联系圆通网点，答复转运中心积压，明天派送"),
            (
                's',
                "亲，查到了，这两天杭州转运中心件比较多，网点答复明天就能派送。小暖会一直帮您盯着，明天还没送到的话我继续给您催。",
            ),
            ('b', "好的，麻烦了"),
            ('y', "买家已签收"),
            ('s', "亲，看到您已经签收啦，衣服还满意吗？这次物流耽误您了，真的不好意思，有任何问题随时找小暖～"),
            ('b', "挺好的，谢谢"),
        ],
    },
    DemoConversation {
        stage: "aftersale",
        category: "stuck_parcel",
        status: "new",
        priority: "high",
        subject: "五天未到，物流停在济南",
        needs_order: true,
        messages: &[('b', "你好，我的快递五天了还没到"), ('b', "物流一直显示在济南转运中心，是不是丢了")],
    },
    DemoConversation {
        stage: "aftersale",
        category: "logistics",
        status: "resolved",
        priority: "normal",
        subject: "显示签收但没收到",
        needs_order: true,
        messages: &[
            ('b', "物流显示已签收，可是我没收到啊"),
            ('s', "亲，别着急，小暖帮您查一下派送记录，请稍等哦。"),
            ('n', "查申通派送记录：包裹放在小区菜鸟驿站，取件码已短信发送"),
            (
                's',
                "亲，查到了，快递员把包裹放在您小区的菜鸟驿站了，取件码应该发到您手机短信里了，您看一下哦。没收到短信的话，带上手机号去驿站报一下就能取。",
            ),
            ('b', "找到了，在驿站"),
            ('s', "太好了亲～快递没打电话就放驿站，小暖已经反馈给快递网点了。衣服穿着有问题随时找我哦。"),
        ],
    },
    DemoConversation {
        stage: "aftersale",
        category: "return",
        status: "resolved",
        priority: "normal",
        subject: "上身不喜欢，七天无理由退货",
        needs_order: true,
        messages: &[
            ('b', "收到了，上身效果不太喜欢，可以退吗"),
            (
                's',
                "亲，您好～可以的，这款支持七天无理由退货，从签收第二天零点开始算7天内都可以申请。麻烦保持吊牌完好、不要下水哦。",
            ),
            ('b', "运费谁出"),
            (
                's',
                "亲，因为是个人原因退货，寄回的运费要麻烦您承担一下；我们家是包邮发出的，所以您只需要出寄回这一趟。在订单页点「退款/退货」，选七天无理由，小暖同意后就能看到退货地址了。",
            ),
            ('b', "好的，已经申请了"),
            ('y', "买家发起退货申请：七天无理由退货"),
            (
                's',
                "已经同意啦亲，退货地址在页面上可以看到，请不要寄到付哦。仓库收到后1-2天内给您退款，下次有喜欢的再来找小暖～",
            ),
        ],
    },
    DemoConversation {
        stage: "aftersale",
        category: "return",
        status: "new",
        priority: "normal",
        subject: "牛仔裤腰大想退",
        needs_order: true,
        messages: &[('b', "裤子收到了，腰有点大"), ('b', "想退了，怎么操作")],
    },
    DemoConversation {
        stage: "aftersale",
        category: "exchange",
        status: "waiting_buyer",
        priority: "normal",
        subject: "连衣裙M换L",
        needs_order: true,
        messages: &[
            ('b', "连衣裙M码有点紧，想换L码"),
            ('s', "亲，您好～可以换的，小暖看了一下，米白碎花L码还有现货哦。"),
            (
                's',
                "换货流程：麻烦您把裙子寄回来，包裹里放一张纸条，写上淘宝账号和“换L码”，仓库收到当天就给您发出L码。尺码原因换货，寄回的运费要麻烦您承担，L码寄给您的运费我们来出。",
            ),
            ('b', "好的，吊牌我剪掉了，还能换吗"),
            (
                's',
                "亲，吊牌剪了没关系，只要裙子没穿过、没洗过，不影响二次销售，小暖这边都可以给您换，请把吊牌一起寄回来哦。寄出后把单号发给小暖就好。",
            ),
        ],
    },
    DemoConversation {
        stage: "aftersale",
        category: "exchange",
        status: "resolved",
        priority: "normal",
        subject: "卫衣L换XL",
        needs_order: true,
        messages: &[
            ('b', "卫衣L码偏小，能换XL吗"),
            ('s', "亲，可以换的～黑色XL码有现货，麻烦您寄回时在包裹里写一下淘宝账号和要换的尺码。"),
            ('b', "已经寄了，申通单号在换货申请里填好了"),
            ('s', "收到亲，小暖已经通知仓库留意您的包裹，收到当天就给您发出XL码。"),
            ('y', "换货商品已重新发出（申通快递）"),
            ('s', "亲，您的XL码卫衣已经发出啦，单号在换货详情里可以查看。这次换货辛苦您了，收到有任何问题随时找小暖～"),
            ('b', "收到了，这次合适了，谢谢"),
            ('s', "太好了亲，穿着开心最重要，谢谢您的耐心～"),
        ],
    },
    DemoConversation {
        stage: "aftersale",
        category: "refund",
        status: "resolved",
        priority: "normal",
        subject: "退货寄回后退款什么时候到",
        needs_order: true,
        messages: &[
            ('b', "退货寄回去了，退款什么时候到"),
            ('s', "亲，您好～稍等，小暖帮您查一下仓库收货情况。"),
            (
                's',
                "查到了亲，仓库今天上午已经签收您的退货，检查没有问题，退款已经给您处理了，原路退回，支付宝一般即时到账，花呗付款的会恢复额度。",
            ),
            ('b', "收到了，谢谢"),
            ('s', "不客气亲，这次没能让您满意很抱歉，下次有喜欢的款式欢迎再来找小暖～"),
        ],
    },
    DemoConversation {
        stage: "aftersale",
        category: "refund",
        status: "new",
        priority: "high",
        subject: "退货签收三天未退款",
        needs_order: true,
        messages: &[('b', "退货寄回去三天了，怎么还没退款"), ('b', "物流显示你们已经签收了")],
    },
    DemoConversation {
        stage: "aftersale",
        category: "missing_item",
        status: "resolved",
        priority: "high",
        subject: "少发了一件开衫",
        needs_order: true,
        messages: &[
            ('b', "我买了两件，怎么只收到一件T恤"),
            ('s', "亲，真的非常抱歉！麻烦您看一下包裹里是不是还有一个小袋子，有时候两件会分开装。"),
            ('b', "都找了，就一件，开衫没有"),
            ('s', "亲，您稍等，小暖马上核对一下打包记录。"),
            ('n', "核对打包称重记录，确认漏发V领开衫米白均码，已安排今天圆通补发"),
            (
                's',
                "亲，核对清楚了，确实是仓库漏发了开衫，给您添麻烦了！今天就给您补发，单号出来马上发给您，小暖另外给您放一份小礼物，表示歉意。",
            ),
            ('b', "好吧，尽快"),
            ('s', "一定的亲，补发单号出来第一时间告诉您，再次跟您说声抱歉。"),
        ],
    },
    DemoConversation {
        stage: "aftersale",
        category: "quality_complaint",
        status: "resolved",
        priority: "high",
        subject: "衬衫线头多、袖口开线",
        needs_order: true,
        messages: &[
            ('b', "衬衫领口有好几根线头，袖子这里还有一点开线"),
            ('s', "亲，真的非常抱歉给您带来不好的体验！麻烦您拍几张线头和开线位置的照片发给小暖，好吗？"),
            ('b', "[图片]"),
            (
                's',
                "收到照片了亲，确实是我们出厂检查没做好，非常抱歉。给您两个方案：一是寄回来换一件新的，来回运费我们承担；二是您不想来回折腾的话，小暖给您补偿20元。您看哪种方便？",
            ),
            ('b', "换一件吧"),
            ('n', "质量问题已反馈跟单查批次；本单换货来回运费由店铺承担"),
            (
                's',
                "好的亲，已经给您发起换货，寄回的运费我们来出，新衬衫会让仓库逐件检查后再发出。给您添麻烦了，有任何问题随时找小暖。",
            ),
        ],
    },
    DemoConversation {
        stage: "aftersale",
        category: "quality_complaint",
        status: "new",
        priority: "urgent",
        subject: "刚穿一次就开线",
        needs_order: true,
        messages: &[('b', "衣服刚穿一次腋下就开线了"), ('b', "这质量也太差了吧，给个说法")],
    },
    DemoConversation {
        stage: "aftersale",
        category: "bad_review",
        status: "resolved",
        priority: "high",
        subject: "中评：物流太慢",
        needs_order: true,
        messages: &[
            ('y', "买家给出中评：物流太慢，等了一个星期"),
            (
                's',
                "亲，您好，我是暖阳衣橱的售后客服小暖。看到您这次等了一个星期，真的非常抱歉，耽误您穿新衣服了，是我们跟进物流不够及时。",
            ),
            ('b', "衣服倒是挺好的，就是等太久了"),
            (
                's',
                "谢谢亲对衣服的认可！以后您的订单小暖会优先帮您盯着物流。方便的话，能不能麻烦您帮我们修改一下评价？不方便也没关系，您的意见我们都记下了。",
            ),
            ('b', "行吧，我改一下"),
            ('y', "买家已修改评价为好评"),
            ('s', "太感谢您了亲！下次来店里找小暖，给您备注一份小礼物～"),
        ],
    },
    DemoConversation {
        stage: "aftersale",
        category: "bad_review",
        status: "waiting_buyer",
        priority: "urgent",
        subject: "差评：雾霾蓝色差像灰色",
        needs_order: true,
        messages: &[
            ('y', "买家给出差评：颜色和图片差太多，雾霾蓝收到像灰色"),
            (
                's',
                "亲，您好，我是暖阳衣橱的售后客服小暖。看到您的评价了，真的很抱歉这件羽绒服没让您满意。我们的图片都是实物拍摄，不过雾霾蓝在室内灯光下确实会偏灰一些，是我们详情页没有说明清楚。",
            ),
            (
                's',
                "衣服还在七天无理由退换的时间内，您不喜欢的话可以退回来，寄回运费小暖给您承担；或者换成奶白色也可以。您看哪种方式更方便？",
            ),
        ],
    },
    DemoConversation {
        stage: "aftersale",
        category: "quality_complaint",
        status: "resolved",
        priority: "normal",
        subject: "连衣裙颜色比图片深",
        needs_order: true,
        messages: &[
            ('b', "收到的连衣裙颜色比图片上深一点"),
            (
                's',
                "亲，您好～我们家所有宝贝都是实物拍摄的，拍完也尽量调成最接近实物的颜色，但手机屏幕和拍摄光线不同会有一点色差，这个是网购没办法完全避免的，还请您理解哦。",
            ),
            ('b', "也不是不能接受，就是有点失望"),
            (
                's',
                "非常理解亲的心情～如果实在不喜欢，这款支持七天无理由退换，您放心。愿意留下的话，小暖给您发一张5元无门槛优惠券，下次购物可以用，表示一点心意。",
            ),
            ('b', "那我留着吧，券发我"),
            ('s', "好的亲，优惠券已经发到您的账户了，谢谢您的理解，穿着有任何问题随时找小暖～"),
        ],
    },
    DemoConversation {
        stage: "aftersale",
        category: "other",
        status: "closed",
        priority: "low",
        subject: "大衣签收回访",
        needs_order: true,
        messages: &[
            ('y', "买家已签收"),
            ('s', "亲，您好～看到您的大衣已经签收啦，上身效果怎么样？尺码合适吗？"),
            ('b', "挺好看的，就是有点掉毛"),
            (
                's',
                "亲，新大衣刚开始穿会有一点浮毛，是羊毛面料的正常现象，用粘毛器或者我们送的护理刷顺着毛的方向刷一刷，穿几次就好了。不穿的时候用宽肩衣架挂起来，套上防尘袋，不要叠放哦。",
            ),
            ('b', "好的，学到了"),
            ('s', "谢谢亲的支持～大衣记得干洗，不要机洗。有任何问题随时找小暖，祝您生活愉快！"),
        ],
    },
];

pub struct DemoArticle {
    pub kind: &'static str,
    pub title: &'static str,
    pub product_sku: Option<&'static str>,
    pub body_markdown: &'static str,
}

pub static ARTICLES: &[DemoArticle] = &[
    // ---------- practical (实战型知识) ----------
    DemoArticle {
        kind: "practical",
        title: "法式碎花连衣裙洗护与尺码小贴士",
        product_sku: Some("WY-DR-001"),
        body_markdown: "## 洗护小贴士\n\
\n\
亲，感谢您选择我们家的法式碎花连衣裙～收到后请留意这几点：\n\
\n\
1. **第一次洗**：30度以下冷水手洗，洗前用清水浸泡5分钟，轻轻按压，不要用力搓。\n\
2. **晾晒**：不要拧干，直接用衣架挂起来，在阴凉通风处晾干，避免暴晒褪色。\n\
3. **去皱**：低温熨斗隔一层布轻熨，或者挂在浴室里用热水蒸汽熏一熏。\n\
\n\
## 尺码参考\n\
\n\
| 身高 | 体重 | 建议尺码 |\n\
|---|---|---|\n\
| 155-160cm | 42-48kg | S |\n\
| 160-165cm | 48-54kg | M |\n\
| 165-170cm | 54-60kg | L |\n\
| 170cm以上 | 60-66kg | XL |\n\
\n\
胯宽或喜欢宽松的亲可以大一码。早晚温差大的时候，搭一件 V 领针织开衫刚刚好。\n",
    },
    DemoArticle {
        kind: "practical",
        title: "真丝衬衫怎么洗才不伤料",
        product_sku: Some("WY-SH-001"),
        body_markdown: "## 真丝衬衫洗护方法\n\
\n\
真丝是蛋白质纤维，怕碱、怕高温、怕暴晒。照着下面做，一件真丝衬衫能穿好几年：\n\
\n\
- **水温**：30度以下冷水，不要用热水。\n\
- **洗涤剂**：真丝专用或中性洗涤剂，不要用洗衣粉、肥皂和含漂白成分的洗衣液。\n\
- **手法**：轻轻按压，不搓、不揉、不拧；实在要机洗，请装洗衣袋用真丝程序。\n\
- **晾干**：用干毛巾卷起吸掉水分，反面朝外挂在阴凉通风处，千万不要暴晒。\n\
- **熨烫**：中低温，隔一层布熨，不要喷水。\n\
\n\
## 小提醒\n\
\n\
香水、止汗露等干透了再穿，汗渍要及时清洗，放久了容易发黄。收纳时挂起来，不要和粗糙的衣物挤在一起。\n",
    },
    DemoArticle {
        kind: "practical",
        title: "双面羊毛大衣日常打理",
        product_sku: Some("WY-CT-001"),
        body_markdown: "## 双面羊毛大衣日常打理\n\
\n\
1. **清洗**：建议送专业干洗，千万不要机洗或者水洗，会变形缩水。\n\
2. **日常**：穿完用宽肩衣架挂起来，用衣物刷顺着毛的方向刷掉灰尘。\n\
3. **浮毛**：新大衣刚开始穿会有少量浮毛，是羊毛面料的正常现象，用粘毛器粘一下，穿几次就好了。\n\
4. **起球**：袖口、腋下摩擦多的地方有少量毛球，用剃毛球器修剪，不要用手拔。\n\
5. **收纳**：换季时干洗后套上防尘袋挂起来，放一块樟木或防虫片，不要叠放压在箱底。\n\
\n\
## 尺码参考\n\
\n\
S 码适合 155-160cm、43-50kg；M 码适合 160-167cm、50-57kg；L 码适合 167-172cm、57-65kg。冬天里面要穿厚毛衣的亲可以大一码。\n",
    },
    DemoArticle {
        kind: "practical",
        title: "牛仔裤尺码对照与防褪色小窍门",
        product_sku: Some("WY-PT-002"),
        body_markdown: "## 尺码对照\n\
\n\
| 尺码 | 腰围 | 参考体重 |\n\
|---|---|---|\n\
| 25 | 63cm | 42-46kg |\n\
| 26 | 66cm | 46-50kg |\n\
| 27 | 69cm | 50-54kg |\n\
| 28 | 72cm | 54-58kg |\n\
| 29 | 75cm | 58-62kg |\n\
| 30 | 78cm | 62-66kg |\n\
\n\
身高160cm左右裤长刚好到脚踝，面料有弹力，平时穿多少码就拿多少码。\n\
\n\
## 防褪色小窍门\n\
\n\
- 第一次洗请单独洗，可以在水里加一勺盐或白醋浸泡半小时。\n\
- 平时反面朝外冷水洗，不用含漂白成分的洗衣液。\n\
- 阴干不要暴晒；不用每次穿完都洗，挂起来通风就好。\n",
    },
    DemoArticle {
        kind: "practical",
        title: "帆布托特包怎么清洗",
        product_sku: Some("WY-AC-002"),
        body_markdown: "## 帆布包清洗方法\n\
\n\
**局部弄脏**：用旧牙刷蘸一点温水和中性洗涤剂，轻轻刷脏的地方，再用干净的湿毛巾把泡沫擦掉。\n\
\n\
**整只清洗**：\n\
\n\
1. 冷水手洗，不要泡太久（10分钟以内）。\n\
2. 不要机洗，也不要甩干，以免变形。\n\
3. 洗好后把包撑开，塞几张纸巾帮助定型，倒挂在阴凉处晾干。\n\
\n\
## 小提醒\n\
\n\
米白色暴晒容易发黄，深色包第一次洗可能有少量浮色，请和浅色衣物分开洗。包里不要长期放重物，背带不容易变形。\n",
    },
    // ---------- reserve (贮备型知识) ----------
    DemoArticle {
        kind: "reserve",
        title: "七天无理由退货规则",
        product_sku: None,
        body_markdown: "## 什么是七天无理由退货\n\
\n\
买家购买支持“7天无理由退货”的商品，在签收货物后7天内，因个人原因（不喜欢、不合适等）不想完成交易的，卖家有义务提供退货服务。\n\
\n\
## 时间怎么算\n\
\n\
- 从**签收当日的第二天零点**开始计算（按店铺所在时区），满 **168 小时**为 7 天。\n\
- 例：2026-03-01 14:00 签收，从 2026-03-02 00:00 开始计算，到 2026-03-09 00:00 截止（不含这一刻）。\n\
\n\
## 哪些商品支持\n\
\n\
- 每个商品都有是否支持七天无理由的标记，以商品页面为准。\n\
- 本店**不支持**的：定制刺绣字母羊毛围巾（WY-AC-001，定制商品）、莫代尔打底衫（WY-TS-002，贴身内搭，拆封后不退换）。\n\
- 退回的商品需要完好：吊牌齐全，没有穿过、洗过，不影响二次销售。\n\
\n\
## 流程\n\
\n\
1. 买家在「我的淘宝—已买到的宝贝」通过“退款/退货”或“申请售后”发起申请。\n\
2. 卖家提供退货服务，同意申请并给出退货地址。\n\
3. 有争议时平台可以要求双方提供证明并作出判定；判定买家申请成立的，平台可从卖家支付宝账户扣款先行赔付买家。\n\
\n\
## 接待提醒\n\
\n\
先问清退货原因：质量问题、尺码问题，还是其他原因（色差、上身效果不好等）。态度要耐心，不和买家争执。\n",
    },
    DemoArticle {
        kind: "reserve",
        title: "延迟发货规则与违约金计算",
        product_sku: None,
        body_markdown: "## 哪些情况算延迟发货\n\
\n\
1. 买家付款后，卖家没有按约定的发货时间发货（双方另有约定的除外）；\n\
2. 买家付款后，卖家拒绝按照买家拍下的价格交易；\n\
3. 买家付款后，卖家拒绝给予交易过程中已经谈好的优惠或折扣；\n\
4. 卖家承诺或与买家约定了特定的运送方式、快递公司，实际却没有遵守。\n\
\n\
## 违约金\n\
\n\
- **淘宝**：商品实际成交金额的 **5%**，最低 **1 元**，最高 **30 元**。买家投诉后，卖家在平台判定投诉成立前没有主动支付违约金的，除赔付违约金外，每次还要**扣 3 分**。\n\
- **天猫**：商品实际成交金额的 **30%**，最高 **500 元**。\n\
- 金额按分计算，百分比算出零头时四舍五入到分。\n\
\n\
## 计算示例\n\
\n\
| 平台 | 成交金额 | 计算 | 违约金 |\n\
|---|---|---|---|\n\
| 淘宝 | 20.00 元 | 5% = 1.00 | 1.00 元 |\n\
| 淘宝 | 10.00 元 | 5% = 0.50，低于最低额 | 1.00 元 |\n\
| 淘宝 | 1000.00 元 | 5% = 50.00，超过上限 | 30.00 元 |\n\
| 天猫 | 100.00 元 | 30% = 30.00 | 30.00 元 |\n\
| 天猫 | 2000.00 元 | 30% = 600.00，超过上限 | 500.00 元 |\n\
\n\
## 客服怎么做\n\
\n\
- 接单时不要随口承诺做不到的发货时间和快递公司。\n\
- 预计赶不上发货时间，要主动告诉买家原因，真诚道歉，并在买家投诉之前主动支付违约金。\n",
    },
    DemoArticle {
        kind: "reserve",
        title: "退换货运费谁承担",
        product_sku: None,
        body_markdown: "## 原则：谁过错，谁承担\n\
\n\
| 情况 | 发货运费 | 退货运费 |\n\
|---|---|---|\n\
| 卖家责任（质量问题、描述不符等） | 卖家 | 卖家 |\n\
| 买家原因（不喜欢、不合适等） | 买家 | 买家 |\n\
| 买家原因，但商品是卖家包邮的 | 卖家（已承担） | 买家 |\n\
| 约定不清，无法确定责任 | 卖家 | 买家 |\n\
\n\
## 话术要点\n\
\n\
- 质量问题：先道歉，请买家拍照，确认后告诉买家“来回运费都由我们承担”。\n\
- 尺码、不喜欢：说明本店包邮，买家只需要承担寄回的运费；提醒不要寄到付。\n\
- 色差：先解释实物拍摄、屏幕显示差异，支持七天无理由的商品照常可以退换。\n",
    },
    DemoArticle {
        kind: "reserve",
        title: "买家付款步骤与催付要点",
        product_sku: None,
        body_markdown: "## 付款步骤（手机淘宝）\n\
\n\
1. 打开手机淘宝，点「我的淘宝」。\n\
2. 进入「待付款」，找到对应订单。\n\
3. 点「付款」，选择支付宝余额、花呗或银行卡。\n\
4. 输入支付密码，页面显示付款成功即可。\n\
\n\
付款失败时：先换一种付款方式；花呗额度不够可以组合银行卡支付；还不行请买家截图发给客服。\n\
\n\
## 催付要点\n\
\n\
- 在交易流程里，核对催付排在订单生成和关联推荐之后、打包发货之前。\n\
- 催付时带上订单号和商品名，语气要像提醒，不要像催债，例如告诉买家“下午4点前付款当天发货”“这个码库存不多”。\n\
- 先问买家有没有拿不准的地方（尺码、颜色、运费），很多没付款的订单是因为还有疑问。\n\
- 同一个订单不要反复催，买家明确说不要了，礼貌结束，订单超时会自动关闭。\n",
    },
    DemoArticle {
        kind: "reserve",
        title: "新人客服接待流程",
        product_sku: None,
        body_markdown: "## 交易流程\n\
\n\
订单生成 → 关联产品推荐 → 核对催付 → 打包发货 → 交易确认 → 评价管理。\n\
\n\
## 接待要点\n\
\n\
1. **立刻回复，礼貌热情**：买家会货比三家，谁先回复谁就占了先机。不能只回一个“在”字，也不要买家问一句答一句。\n\
2. **用好快捷短语**：欢迎语、请稍等、不议价说明等常用回复都已经存好，忙的时候直接调用；离开座位记得打开自动回复。\n\
3. **用户识别**：老客户先看备注和标签，叫得出上次买了什么，买家体验会好很多。\n\
4. **属性搜集**：聊天中留意身高、体重、尺码、风格和颜色偏好、敏感肤质等，及时记录到买家资料里。\n\
5. **关联推荐**：根据聊天内容和已买的商品，推荐 1-2 款就好，宜精不宜多；断码时推荐相近的替代款。\n\
6. **不议价**：坚持原则，礼貌说明已经是最低价，可以引导领券或送小礼物。\n\
7. **少用“我”，多用“您”和“咱们”**，遇到问题多检讨自己，少责怪对方。\n\
\n\
## 发货后\n\
\n\
- 发货后通知买家快递公司和单号；估计快到的时候问一下收货情况。\n\
- 包裹在一个地方停留太久要及时联系快递网点，并告诉买家进展。\n\
- 签收后及时回访，推送洗护知识。\n\
\n\
## 常用快递\n\
\n\
| 快递 | 特点 |\n\
|---|---|\n\
| 圆通 | 价格低，江浙沪全境派送，偏远地区较慢 |\n\
| 申通 | 价格适中，覆盖面广，很少丢件 |\n\
| 顺丰 | 速度快，价格高，急件可补差价改发 |\n\
| EMS | 全国全境派送，价格较高 |\n\
\n\
一般 2-5 个工作日送达，具体以当地派送情况为准。\n\
\n\
## 售后与中差评\n\
\n\
- 退换货先问原因：质量问题、尺码问题，还是其他（色差、上身效果等）。\n\
- 中差评常见原因：质量（色差、材质、破损）、尺码、物流（速度、快递员态度、包装）、和客服有争执。处理时耐心，不推卸责任，问题解决了，买家大多愿意修改评价。\n",
    },
];
