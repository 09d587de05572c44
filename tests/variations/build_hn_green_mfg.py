"""Hand-built hn_green_mfg packages (湖南省绿色制造体系创建工作方案, seed 004) for measuring Shencha.

Independent of the project generator: layouts, wording and defects are written here by hand.
Run:  python -m tests.variations.build_hn_green_mfg OUT_DIR   (prints the manifest as JSON)
"""
import json
import pathlib
import sys
from decimal import Decimal as D

import openpyxl
from docx.enum.section import WD_ORIENT
from docx.shared import Cm

from tests.variations.handmade_tools import (
    build_packages, acct, add_table, cell_bottom, cn_date, cn_dec, fnum, header_footer, heading, make_image, make_uscc,
    new_doc, page_break, para, q, save_docx, save_xlsx, xl_rows, xl_title,
)

# ---------------------------------------------------------------------------
# hn_green_mfg: data
# ---------------------------------------------------------------------------
FORM = "hn_green_mfg"
INDUSTRIES = ["有色金属", "冶金", "建材", "化工", "机械", "汽车", "电子", "轻工", "食品", "生物医药", "其它"]
SYSTEMS = ["现代石化", "绿色矿山", "食品加工", "轻工纺织", "工程机械", "轨道交通", "现代农业", "文化旅游", "数字产业",
           "新能源", "大健康", "空天海洋", "人工智能", "生命工程", "量子科技", "前沿材料"]


def fin(*rows):
    """企业近三年经营情况: rows of (总资产, 负债率, 主营业务收入, 利润, 税金) for 2021, 2022, 2023预计."""
    return [tuple(D(x) for x in r) for r in rows]


F_RUIDA = dict(
    kind="factory", key="ruida", name="株洲瑞达硬质合金有限公司", ctype="绿色工厂",
    industry="有色金属", system="前沿材料", business="硬质合金棒材、数控刀片研发与生产",
    address="湖南省株洲市荷塘区金山工业园钻石路16号", nature="有限责任公司（民营）",
    code=make_uscc("430202", "67556211"), founded=(2008, 3, 18),
    rep=("谭国强", "0731-22568801"), fax="0731-22568800",
    contact=("周敏", "13875012236"), email="zhoumin@zzruida.com",
    audit=(False, True), diag=True,
    honors={"省工业固废综合利用示范企业（项目）": False},
    products=[("硬质合金棒材", "1200吨/年", "1086吨", "98.6%", "8.2%"),
              ("数控刀片", "3000万片/年", "2650万片", "97.2%", "3.5%")],
    energy="1.26", water="18.60",
    fin=fin(("186520", "42.6", "128600", "9860", "5230"), ("203480", "41.2", "142300", "11250", "6120"),
            ("221600", "39.8", "156800", "12680", "6850")),
    area_mu="215", staff="1260", city="株洲市",
    projects=[("烧结炉余热回收利用项目", "对12台低压烧结炉加装余热回收装置，回收热量用于车间供暖和原料干燥", "680",
               "2024.3—2024.9", "年节约标准煤约420吨"),
              ("屋顶分布式光伏发电项目", "利用厂房屋顶建设3.2兆瓦分布式光伏电站", "1450", "2024.1—2024.8",
               "年发电约320万千瓦时"),
              ("废旧硬质合金回收利用项目", "建设锌熔法废旧硬质合金再生生产线", "2360", "2024.4—2025.3",
               "年回收钨钴资源约600吨"),
              ("磨削废水循环利用项目", "建设磨削废水沉淀过滤及回用系统", "320", "2024.2—2024.6",
               "年节约新鲜水约3.5万立方米"),
              ("能源管理中心建设项目", "建设覆盖主要用能设备的能源在线监测系统", "260", "2024.5—2024.10",
               "实现能源数据实时采集与分析")],
)

F_JINYUAN = dict(
    kind="factory", key="jinyuan", name="衡阳金源化工有限公司", ctype="绿色工厂",
    industry="化工", system="现代石化", business="精细化工中间体及氯化石蜡生产",
    address="湖南省衡阳市石鼓区松亭工业园化工路8号", nature="有限责任公司（民营）",
    code=make_uscc("430407", "79472356"), founded=(2006, 9, 12),
    rep=("彭建华", "0734-8561202"), fax="0734-8561200",
    contact=("刘晓燕", "13974762215"), email="lxy@hyjyhg.com",
    audit=(True, False), diag=True, honors={},
    products=[("氯化石蜡", "10万吨/年", "8.62万吨", "99.1%", "6.5%"),
              ("对氯甲苯", "2万吨/年", "1.68万吨", "98.4%", "4.2%")],
    energy="3.85", water="42.30",
    fin=fin(("98650", "48.2", "76300", "-1236", "3120"), ("105230", "46.5", "84600", "6920", "3560"),
            ("112800", "45.1", "91200", "7350", "3880")),
    area_mu="326", staff="580", city="衡阳市",
    projects=[("氯化尾气资源化回收项目", "建设氯化尾气盐酸回收装置", "860", "2024.1—2024.6", "年回收副产盐酸约1.2万吨"),
              ("循环水系统节能改造项目", "更换高效循环水泵，实施变频改造", "420", "2024.3—2024.7",
               "年节电约180万千瓦时"),
              ("RTO蓄热式焚烧装置升级项目", "升级有机废气蓄热式焚烧装置", "1280", "2024.4—2024.11",
               "VOCs去除率提高至98%以上")],
)

F_XIANGNAN = dict(
    kind="factory", key="xiangnan", name="衡阳湘南食品有限公司", ctype="绿色工厂",
    industry="食品", system="食品加工", business="肉制品及速冻食品生产",
    address="湖南省衡阳市雁峰区白沙洲工业园食品路26号", nature="有限责任公司（民营）",
    code=make_uscc("430406", "59781223"), founded=(2012, 5, 6),
    rep=("邓志勇", "0734-8456138"), fax="0734-8456130",
    contact=("谢丽", "15973412286"), email="xieli@xnfood.cn",
    audit=(False, True), diag=False, honors={},
    products=[("低温肉制品", "3万吨/年", "2.46万吨", "99.3%", "1.2%"),
              ("速冻调理食品", "2万吨/年", "1.52万吨", "98.8%", "0.8%")],
    energy="0.86", water="36.50",
    fin=fin(("46820", "38.5", "52300", "3120", "1560"), ("51260", "36.8", "58700", "3680", "1820"),
            ("55400", "35.2", "63500", "4150", "2030")),
    area_mu="120", staff="860", city="衡阳市",
    projects=[("冷库氨制冷系统节能改造项目", "冷库制冷系统改造为氨/二氧化碳复叠制冷", "960", "2024.2—2024.8",
               "年节电约150万千瓦时"),
              ("蒸汽冷凝水回收项目", "建设蒸汽冷凝水回收系统", "180", "2024.3—2024.5", "年节约标准煤约260吨"),
              ("污水处理站提标改造项目", "新增厌氧反应器及深度处理单元", "650", "2024.4—2024.10",
               "出水达到一级A标准")],
)

F_TELI = dict(
    kind="factory", key="teli", name="衡阳特力变压器股份有限公司", ctype="绿色供应链管理示范企业",
    industry="机械", system="新能源", business="电力变压器、新能源箱式变电站研发制造",
    address="湖南省衡阳市蒸湘区长丰大道98号", nature="股份有限公司（非上市）",
    code=make_uscc("430408", "18516932"), founded=(2002, 11, 26),
    rep=("曾庆林", "0734-8225566"), fax="0734-8225560",
    contact=("汤敏", "13807343356"), email="tangmin@hytl.com.cn",
    audit=(False, True), diag=True, honors={"绿色工厂或绿色供应链管理企业": True},
    products=[("电力变压器", "6000万千伏安/年", "4860万千伏安", "98.2%", "5.6%"),
              ("箱式变电站", "5000台/年", "4120台", "97.6%", "3.8%")],
    energy="1.62", water="12.80",
    fin=fin(("356200", "55.3", "286500", "21360", "11250"), ("392600", "53.8", "318700", "24850", "12960"),
            ("428300", "52.1", "352600", "27900", "14380")),
    area_mu="460", staff="2150", city="衡阳市",
    projects=[("绿色供应链管理信息平台建设项目", "建设覆盖供应商准入、采购、物流、回收的信息平台", "1200",
               "2024.1—2024.9", "核心供应商全部纳入平台管理"),
              ("硅钢片边角料回收利用项目", "建设硅钢片边角料分选回收线", "560", "2024.3—2024.8",
               "年回收硅钢片约2000吨"),
              ("供应商绿色化提升项目", "对50家核心供应商开展绿色审核和帮扶", "300", "2024.2—2024.12",
               "绿色供应商比例达到60%以上")],
)

F_XINGSHA = dict(
    kind="factory", key="xingsha", name="湖南星沙重工机械股份有限公司", ctype="绿色供应链管理示范企业",
    industry="机械", system="工程机械", business="混凝土机械、桩工机械研发制造",
    address="湖南省长沙市长沙县星沙产业基地东六路266号", nature="股份有限公司（上市）",
    code=make_uscc("430121", "76324518"), founded=(2004, 8, 20),
    rep=("黎志远", "0731-84062218"), fax="",
    contact=("方琳", "13787212265"), email="fanglin@xszg.com.cn",
    audit=(False, True), diag=True, honors={"绿色工厂或绿色供应链管理企业": True, "工业产品绿色设计示范企业": True},
    products=[("混凝土泵车", "2000台/年", "1465台", "96.8%", "12.5%"),
              ("旋挖钻机", "1500台/年", "1086台", "97.3%", "10.8%")],
    energy="2.36", water="28.40",
    fin=fin(("1286500", "58.6", "936200", "68520", "42360"), ("1352800", "57.2", "862400", "52360", "38650"),
            ("1415600", "55.9", "915300", "60180", "41250")),
    area_mu="1200", staff="5860", city="长沙市",
    projects=[("绿色采购与供应商碳管理平台项目", "建设供应商碳排放数据采集与绿色采购评价平台", "1860",
               "2024.1—2024.10", "200家核心供应商完成碳盘查"),
              ("再制造中心扩建项目", "扩建泵车臂架、液压件再制造中心", "4200", "2024.3—2025.6",
               "年再制造产品产值约3亿元"),
              ("包装物循环利用项目", "推行钢制可循环包装箱替代木质包装", "680", "2024.2—2024.8",
               "年减少木质包装约3000立方米"),
              ("涂装线VOCs治理升级项目", "水性漆替代及废气治理设施升级", "2350", "2024.4—2024.12",
               "VOCs排放量下降40%以上")],
)

F_HUIFENG = dict(
    kind="factory", key="huifeng", name="岳阳汇丰机电设备有限公司", ctype="绿色工厂",
    industry="装备制造", system="工程机械", business="冶金起重机械及电控设备制造",
    address="湖南省岳阳市岳阳楼区金鹗工业园汇丰路9号", nature="有限责任公司（民营）",
    code=make_uscc("430602", "56588326"), founded=(2011, 4, 8),
    rep=("李国华", "0730-8263315"), fax="0730-8263310",
    contact=("陈静", "13973028856"), email="chenjing@yyhfjd.com",
    audit=(False, True), diag=True, honors={},
    products=[("冶金起重机", "300台/年", "236台", "97.5%", "4.6%"),
              ("电控设备", "1500套/年", "1180套", "98.2%", "2.1%")],
    energy="0.42", water="6.80",
    fin=fin(("38620", "45.8", "29860", "1860", "980"), ("41350", "44.2", "32650", "3312", "1120"),
            ("43800", "43.5", "35200", "3560", "1860")),
    area_mu="168", staff="620", city="岳阳市",
    projects=[("喷涂车间废气治理项目", "建设沸石转轮+催化燃烧装置", "580", "2024.2—2024.7", "VOCs去除率90%以上"),
              ("车间照明节能改造项目", "更换LED节能灯具2000余套", "120", "2024.3—2024.5", "年节电约60万千瓦时"),
              ("屋顶分布式光伏项目", "建设1.5兆瓦屋顶光伏", "650", "2024.4—2024.10", "年发电约150万千瓦时")],
)

F_XINDA = dict(
    kind="factory", key="xinda", name="常德鑫达纺织有限公司", ctype="绿色工厂",
    industry="轻工", system="轻工纺织", business="棉纺纱线及针织面料生产",
    address="湖南省常德市武陵区德山经济开发区纺织路18号", nature="有限责任公司（民营）",
    code=make_uscc("430702", "77229836"), founded=(2005, 6, 15),
    rep=("", "0736-7265518"), fax="0736-7265510",
    contact=("龚燕", "13517362286"), email="xdfz_cd@163",
    audit=(False, True), diag=True, honors={},
    products=[("棉纱", "3.5万吨/年", "3.12万吨", "98.5%", "0.6%"), ("针织面料", "1.2万吨/年", "1.05万吨", "97.8%", "0.4%")],
    energy="1.35", water="52.60",
    fin=fin(("36520", "41.5", "42380", "2150", "1160"), ("38960", "40.2", "45260", "2460", "1280"),
            ("41300", "39.6", "48900", "2780", "1390")),
    area_mu="286", staff="1350", city="常德市",
    projects=[("空压机系统节能改造项目", "更换永磁变频空压机并建设集中控制系统", "360", "2024.2—2024.6",
               "年节电约120万千瓦时"),
              ("染整废水回用项目", "建设膜处理中水回用系统", "980", "2024.3—2024.10", "废水回用率达到50%"),
              ("智能化纺纱车间改造项目", "新增自动络筒机和智能物流系统", "1650", "2024.4—2025.3",
               "万锭用工下降30%")],
)

F_HONGTAI = dict(
    kind="factory", key="hongtai", name="郴州市宏泰有色金属冶炼有限公司", ctype="绿色工厂",
    industry="有色金属", system="前沿材料", business="铅锌冶炼及稀贵金属综合回收",
    address="湖南省郴州市苏仙区白露塘有色金属产业园冶炼路6号", nature="有限责任公司（国有控股）",
    code=make_uscc("431003", "73285561"), founded=(2003, 6, 30),
    rep=("何志强", "0735-2658812"), fax="0735-2658800",
    contact=("欧阳琳", "13975536628"), email="oyl@czhongtai.com",
    audit=(True, True), diag=True, honors={"省工业固废综合利用示范企业（项目）": True},
    products=[("电解铅", "10万吨/年", "8.65万吨", "99.2%", "1.8%"), ("白银", "300吨/年", "256吨", "99.5%", "2.6%")],
    energy="6.85", water="86.20",
    # transposed table in 亿元 / 万元 (see the package); values here in 万元
    fin=fin(("186200", "52.3", "223600", "12360", "6820"), ("198500", "50.8", "241800", "13850", "7560"),
            ("213000", "49.6", "268500", "15200", "8230")),
    area_mu="650", staff="1680", city="郴州市",
    projects=[("冶炼渣综合回收项目", "建设烟化炉处理冶炼渣回收锌铟", "3600", "2024.1—2024.12", "年回收锌约5000吨"),
              ("余热发电项目", "利用烟化炉余热建设6兆瓦余热发电机组", "2800", "2024.3—2025.2",
               "年发电约4000万千瓦时"),
              ("含重金属废水深度处理项目", "建设生物制剂深度处理系统", "1500", "2024.2—2024.9",
               "废水回用率95%以上")],
)

F_JINCHENG = dict(
    kind="factory", key="jincheng", name="郴州锦程电子科技有限公司", ctype="绿色工厂",
    industry="电子", system="数字产业", business="印制电路板及电子元器件生产",
    address="湖南省郴州市北湖区郴州高新区电子信息产业园12栋", nature="有限责任公司（外商投资）",
    code=make_uscc("431002", "MA4L2K7R"), founded=(2016, 7, 11),
    rep=("林志豪", "0735-2866318"), fax="0735-2866300",
    contact=("邓颖", "18673566125"), email="dengying@jcdz.com.cn",
    audit=(False, True), diag=True, honors={},
    products=[("多层印制电路板", "120万平方米/年", "98.6万平方米", "98.9%", "0.9%")],
    energy="2.15", water="68.50",
    fin=fin(("62350", "48.6", "58600", "4260", "2180"), ("68920", "47.3", "64800", "4980", "2560"),
            ("75600", "46.1", "71300", "5620", "2850")),
    area_mu="180", staff="1420", city="郴州市",
    projects=[("含铜蚀刻液在线再生项目", "建设蚀刻液在线再生及铜回收装置", "980", "2024.2—2024.8", "年回收铜约120吨"),
              ("纯水系统浓水回用项目", "建设浓水回收及反渗透系统", "420", "2024.3—2024.7", "年节约用水约8万立方米")],
)

F_LVYUAN = dict(
    kind="factory", key="lvyuan", name="郴州绿源生物医药有限公司", ctype="绿色工厂",
    industry="生物医药", system="大健康", business="中药饮片及植物提取物生产",
    address="湖南省郴州市苏仙区郴州经济开发区健康路3号", nature="有限责任公司（民营）",
    code=make_uscc("431003", "MA4M5T8Q"), founded=(2014, 10, 9),
    rep=("朱建军", "0735-2356619"), fax="0735-2356610",
    contact=("黄倩", "15073586625"), email="huangqian@czlvyuan.com",
    audit=(False, True), diag=False, honors={},
    products=[("中药饮片", "5000吨/年", "3860吨", "97.6%", "0.5%"), ("植物提取物", "800吨/年", "612吨", "98.2%", "1.1%")],
    energy="0.56", water="18.20",
    fin=fin(("28650", "35.2", "21300", "1860", "960"), ("31240", "34.1", "24500", "2230", "1120"),
            ("34500", "33.0", "27900", "2560", "1280")),
    area_mu="95", staff="420", city="郴州市",
    projects=[("提取车间MVR蒸发浓缩改造项目", "以MVR蒸发器替代多效蒸发器", "850", "2024.3—2024.9",
               "年节约蒸汽约1.2万吨"),
              ("药渣资源化利用项目", "建设药渣生物质燃料成型线", "460", "2024.4—2024.10", "年利用药渣约6000吨")],
)

F_ZHUHAI = dict(
    kind="factory", key="zhuhai", name="益阳竹海竹业科技有限公司", ctype="绿色工厂",
    industry="轻工", system="新材料", business="竹集成材、竹地板及竹制家居用品生产",
    address="湖南省益阳市桃江县灰山港镇竹业产业园8号", nature="有限责任公司（民营）",
    code=make_uscc("430922", "55301269"), founded=(2010, 3, 22),
    rep=("符建军", "0737-8821356"), fax="0737-8821350",
    contact=("曹颖", "13786712235"), email="caoying@yyzhuhai.com",
    audit=(False, True), diag=True, honors={},
    products=[("竹集成材", "5万立方米/年", "4.12万立方米", "97.8%", "3.2%"),
              ("竹地板", "200万平方米/年", "168万平方米", "98.1%", "2.6%")],
    energy="0.68", water="9.60",
    fin=fin(("32650", "40.2", "28900", "2150", "1060"), ("35820", "38.6", "31800", "2480", "1230"),
            ("38600", "37.5", "34600", "2760", "1360")),
    area_mu="210", staff="760", city="益阳市",
    project_groups=[
        ("一、节能降碳类", [("生物质锅炉替代燃煤锅炉项目", "以竹加工剩余物为燃料的生物质锅炉替代燃煤锅炉", "860",
                            "2024.2—2024.8", "年减少燃煤约3000吨"),
                           ("屋顶分布式光伏项目", "建设2兆瓦屋顶光伏", "800", "2024.3—2024.9", "年发电约200万千瓦时")]),
        ("二、资源综合利用类", [("竹屑竹粉综合利用项目", "建设竹屑制备竹炭及竹醋液生产线", "1250", "2024.4—2024.12",
                                "年利用竹屑约1.5万吨"),
                               ("胶黏剂废水回用项目", "建设胶黏剂清洗废水处理回用设施", "380", "2024.2—2024.6",
                                "废水回用率80%以上")]),
        ("三、智能化管理类", [("能源在线监测系统项目", "建设覆盖全厂的能源计量与在线监测系统", "320", "2024.5—2024.10",
                              "实现能源数据实时监测")]),
    ],
)

# ---- parks ----------------------------------------------------------------
P_ZIJIANG = dict(
    kind="park", key="zijiang", name="益阳资江高新技术产业开发区", ctype="绿色园区", level="省级",
    address="湖南省益阳市资阳区长春东路188号", head=("曹建新", "0737-4222618"), fax="0737-4222600",
    contact=("罗婷", "13907378826"), email="zjgx_jnb@163.com",
    lead="新材料、装备制造、电子信息", area_plan="32.60", area_built="21.85",
    n_ent="286", n_scale="142", n_high="18", n_key="16", n_forced="14", n_vol="12",
    green=("3.8", "52.6", "93.5", "3.12"),
    honors=("2", "9", "1", "3", "3", "5", "6", "11", "1", "0", "2", "5", "2", "4", "1"),
    gdp="168.50", iva="112.60", out="526.80", ind_out="468.30", city="益阳市",
)

P_LINGANG = dict(
    kind="park", key="lingang", name="衡阳湘江临港经济开发区", ctype="绿色园区", level="省级",
    address="湖南省衡阳市珠晖区临港大道1号", head=("胡卫东", "0734-8812606"), fax="0734-8812600",
    contact=("肖峰", "13875668812"), email="xjlg_jfj@163.com",
    lead="先进装备制造、新材料、现代物流", area_plan="28.50", area_built="16.32",
    n_ent="186", n_scale="96", n_high="9", n_key="11", n_forced="10", n_vol="7",
    green=("4.2", "48.5", "91.6", "2.68"),
    honors=("1", "6", "0", "2", "2", "3", "4", "6", "0", "0", "1", "3", "1", "2", "0"),
    gdp="126.80", iva="85.60", out="412.60", ind_out="368.20", city="衡阳市",
)

P_XIAOXIANG = dict(
    kind="park", key="xiaoxiang", name="湖南潇湘工业园区", ctype="绿色园区", level="省级",
    address="湖南省永州市冷水滩区潇湘大道66号", head=("蒋文斌", "0746-8362215"), fax="0746-8362200",
    contact=("唐丽", "13974636658"), email="xxgyy_gxj@126.com",
    lead="电子信息、农副食品加工、新能源材料", area_plan="24.80", area_built="15.20",
    n_ent="312", n_scale="168", n_high="12", n_key="12", n_forced="8", n_vol="9",
    green=("3.2", "41.6", "90.8", "3.65"),
    honors=("0", "5", "0", "1", "1", "2", "3", "4", "0", "0", "0", "2", "1", "1", "0"),
    gdp="152.30", iva="71.30", out="356.20", ind_out="298.60", city="永州市",
)


def share(p):
    return q(D(p["iva"]) / D(p["gdp"]) * 100, 1)


def audit_share(p):
    return (D(p["n_forced"]) + D(p["n_vol"])) / D(p["n_scale"]) * 100


def assert_clean_unit(u):
    if u["kind"] == "factory":
        assert u["industry"] in INDUSTRIES and u["system"] in SYSTEMS, u["name"]
        assert u["audit"][0] or u["audit"][1]
        for row in u["fin"]:
            assert row[3] <= row[2]
        assert u["rep"][0] and "@" in u["email"] and "." in u["email"].split("@")[1]
    else:
        assert share(u) > 50 and audit_share(u) >= 15, (u["name"], share(u), audit_share(u))
        assert int(u["n_forced"]) <= int(u["n_key"])


# ---------------------------------------------------------------------------
# hn_green_mfg: plan texts
# ---------------------------------------------------------------------------
SEED_OUTLINE = ["一、单位基本情况", "二、创建思路", "三、创建目标", "四、创建任务", "五、进度安排", "六、保障措施",
                "七、拟实施项目清单"]
OUTLINES = {
    "seed": SEED_OUTLINE + ["附件（相关证明、支撑材料及文件）"],
    "renamed": ["一、企业概况", "二、绿色供应链管理创建总体思路", "三、创建目标与主要指标", "四、重点任务",
                "五、实施进度安排", "六、保障措施", "七、拟实施重点项目清单", "附件：相关证明及支撑材料"],
    "chapter": ["第一章 园区基本情况", "第二章 创建思路", "第三章 创建目标", "第四章 创建任务", "第五章 进度安排",
                "第六章 保障措施", "第七章 拟实施项目清单", "附件 相关证明、支撑材料及文件"],
    "arabic": ["1 园区基本情况", "2 创建思路", "3 创建目标", "4 创建任务", "5 进度安排", "6 保障措施",
               "7 拟实施项目清单", "附件 相关证明、支撑材料"],
    "chapter_ent": ["第一章 企业概况", "第二章 创建思路", "第三章 创建目标", "第四章 重点任务",
                    "第五章 进度安排", "第六章 保障措施", "第七章 拟实施项目清单", "附件"],
}


def yi2(wan):
    v = D(wan) / 10000
    s = fnum(v, 2)
    assert D(s) == v, (wan, v)
    return s


def plan_sections(u, o):
    """returns {section index 0..6: [("H2", t) / ("P", t)]}; index 6 (项目清单) text only, table added by caller."""
    S = {i: [] for i in range(7)}
    fy, fm, fd = u.get("founded", (0, 0, 0))
    h2 = o.get("h2", lambda j: f"（{'一二三四五六七八'[j]}）")
    if u["kind"] == "factory":
        f = u["fin"]
        sc = u["ctype"] != "绿色工厂"
        base = (f"{u['name']}成立于{fy}年{fm}月，位于{u['address'][3:]}，是一家{u['nature'].split('（')[0]}，主要从事"
                f"{u['business']}。公司占地面积{u['area_mu']}亩，现有员工{u['staff']}人，所属行业为{u['industry']}，"
                f"属于我省现代产业体系中的{u['system']}产业。公司先后通过ISO 9001质量管理体系、ISO 14001环境管理体系、"
                f"ISO 45001职业健康安全管理体系和GB/T 23331能源管理体系认证。")
        if o.get("multiyear"):
            money = (f"2021年、2022年公司分别实现主营业务收入{yi2(f[0][2])}亿元和{yi2(f[1][2])}亿元，利润"
                     f"{fnum(f[0][3], 0)}万元和{fnum(f[1][3], 0)}万元；2023年预计实现主营业务收入{yi2(f[2][2])}亿元，"
                     f"利润{fnum(f[2][3], 0)}万元，上缴税金{fnum(f[2][4], 0)}万元。")
        else:
            money = (f"2023年公司预计实现主营业务收入{yi2(f[2][2])}亿元、利润{fnum(f[2][3], 0)}万元、税金"
                     f"{fnum(f[2][4], 0)}万元。")
        if o.get("approx"):
            money += f"公司产品远销东南亚、中东等30多个国家和地区，出口额约占销售收入的两成。"
        S[0] += [("P", base), ("P", money),
                 ("P", f"2023年公司预计能源消费总量{u['energy']}万吨标准煤，用水总量{u['water']}万立方米。"
                       + ("公司已按要求完成强制性清洁生产审核，" if u["audit"][0] else "")
                       + ("近五年开展了自愿性清洁生产审核并通过验收，" if u["audit"][1] else "")
                       + ("并开展了节能诊断，" if u["diag"] else "")
                       + "具备创建" + u["ctype"] + "的良好基础。")]
        if sc:
            S[1] += [("P", "以习近平新时代中国特色社会主义思想为指导，深入贯彻新发展理念，对照《绿色制造 制造企业绿色供应链"
                           "管理 评价规范》（GB/T 33635—2017）及相关评价要求，以“绿色采购、绿色生产、绿色物流、绿色回收、"
                           "绿色信息平台”为主线，发挥公司在产业链中的链主作用，带动上下游企业共同提升资源利用效率和环境"
                           "绩效，打造行业绿色供应链标杆。")]
        else:
            S[1] += [("P", "以习近平新时代中国特色社会主义思想为指导，深入贯彻新发展理念，对照《绿色工厂评价通则》"
                           "（GB/T 36132—2018）及行业绿色工厂评价要求，按照“厂房集约化、原料无害化、生产洁净化、"
                           "废物资源化、能源低碳化”的原则，以节能降碳、资源综合利用和污染防治为重点，系统推进绿色工厂"
                           "创建工作。")]
        S[2] += [("P", f"到2024年底，公司全面达到湖南省{u['ctype']}评价要求，力争2025年申报国家级{u['ctype']}。"),
                 ("P", "主要指标：单位产品综合能耗较2022年下降5%以上；单位产品取水量下降3%以上；一般工业固体废物"
                       "综合利用率达到95%以上；可再生能源使用比例达到10%以上；主要污染物排放稳定达到国家和地方标准。")]
        if sc:
            tasks = [("完善绿色供应链管理体系", "成立由总经理任组长的绿色供应链管理领导小组，制定绿色供应链管理战略和"
                                           "绿色采购管理制度，将绿色要求纳入供应商准入、评价和退出全过程。"),
                     ("实施绿色供应商管理", "建立供应商绿色评价指标体系，开展核心供应商绿色审核，对供应商实施分级"
                                         "管理和帮扶，提高绿色供应商比例。"),
                     ("推进绿色生产", "持续实施节能降碳技术改造，推广清洁生产工艺，提升资源能源利用效率。"),
                     ("开展绿色回收", "建立产品回收和再制造体系，推行包装物循环利用，提高废旧产品回收利用水平。"),
                     ("建设绿色信息平台", "建设绿色供应链管理信息平台，实现供应商、物料、能耗和排放数据的采集与共享。"),
                     ("加强绿色信息披露", "定期发布企业社会责任报告，披露绿色采购、节能减排等信息。")]
        else:
            tasks = [("完善基础设施", "优化厂区布局，推进厂房屋顶光伏建设，采用节能照明、高效电机等节能设备，"
                                    "淘汰高耗能落后设备。"),
                     ("健全管理体系", "持续运行质量、环境、职业健康安全和能源管理体系，建立绿色工厂创建工作机制。"),
                     ("优化能源资源投入", "提高可再生能源使用比例，推进余热余压回收利用和节水改造，减少有害物质使用。"),
                     ("开发绿色产品", "开展产品生态设计，推进产品轻量化、低能耗设计，争创绿色设计产品。"),
                     ("降低环境排放", "提升废气、废水治理水平，加强固体废物分类收集和资源化利用。"),
                     ("提升绩效水平", "建立绿色绩效指标体系，定期开展绩效评价，持续改进。")]
        for j, (t, p) in enumerate(tasks):
            S[3] += [("H2", h2(j) + t), ("P", p)]
    else:
        p = u
        sh = share(p)
        shtxt = (f"百分之{cn_dec(sh)}" if o.get("cn_share") else f"{sh}%")
        if o.get("share_text"):
            shtxt = o["share_text"]
        S[0] += [("P", f"{p['name']}是经湖南省人民政府批准设立的{p['level']}园区，位于{p['address'][3:]}，规划面积"
                       f"{p['area_plan']}平方公里，已建成面积{p['area_built']}平方公里，主导产业为{p['lead']}。园区现有入园"
                       f"企业{p['n_ent']}家，其中规模以上工业企业{p['n_scale']}家。"),
                 ("P", f"园区以产品制造和能源供给为主要功能，2023年预计实现地区生产总值{p['gdp']}亿元，其中工业增加值"
                       f"{p['iva']}亿元，工业增加值占比{shtxt}；预计实现园区总产值{p['out']}亿元，其中工业总产值"
                       f"{p['ind_out']}亿元。"),
                 ("P", f"园区重点企业{p['n_key']}家，其中通过强制性清洁生产审核{p['n_forced']}家，通过自愿性清洁生产审核"
                       f"{p['n_vol']}家。2023年园区预计万元工业增加值能耗下降{p['green'][0]}%，工业固体废物综合利用率"
                       f"{p['green'][2]}%。园区具有法定边界和范围，设有统一的管理机构。")]
        if o.get("approx"):
            S[0].append(("P", "近年来，园区累计投入约15亿元完善基础设施，建成集中供热管网近30公里，园区企业绿色化水平持续"
                              "提升，超过三分之一的规模以上企业完成了节能诊断。"))
        S[1] += [("P", "以习近平新时代中国特色社会主义思想为指导，对照《绿色园区评价要求》及湖南省绿色园区评价标准，按照"
                       "“能源利用绿色化、资源利用绿色化、基础设施绿色化、产业绿色化、生态环境绿色化、运行管理绿色化”"
                       "的要求，以绿色工厂培育为抓手，推动园区整体绿色低碳转型。")]
        S[2] += [("P", "到2024年底，园区达到湖南省绿色园区评价要求，新增省级以上绿色工厂3家以上；万元工业增加值能耗"
                       "持续下降，工业固体废物综合利用率保持在90%以上，可再生能源使用比例稳步提高。")]
        tasks = [("推进能源利用绿色化", "推广屋顶分布式光伏和集中供热，推动企业实施节能改造。"),
                 ("推进资源利用绿色化", "建设固废集中收集利用设施，推动企业间副产物交换利用，提高水资源循环利用率。"),
                 ("推进基础设施绿色化", "完善污水集中处理、中水回用和智慧能源管理设施。"),
                 ("推进产业绿色化", "严格项目准入，培育绿色工厂和绿色供应链管理企业。"),
                 ("推进生态环境绿色化", "加强园区环境监测监控，提升园区绿化和生态修复水平。"),
                 ("推进运行管理绿色化", "建设园区能源环境综合管理平台，建立绿色园区创建工作考核机制。")]
        for j, (t, pp) in enumerate(tasks):
            S[3] += [("H2", h2(j) + t), ("P", pp)]
    df = o.get("dates", "ymd")
    stages = {"ymd": ["2023年12月—2024年2月", "2024年3月—2024年9月", "2024年10月—2024年12月"],
              "dot": ["2023.12—2024.2", "2024.3—2024.9", "2024.10—2024.12"],
              "iso": ["2023-12-01至2024-02-29", "2024-03-01至2024-09-30", "2024-10-01至2024-12-31"]}[df]
    S[4] += [("P", f"（一）动员部署阶段（{stages[0]}）：成立创建工作领导小组，开展现状诊断，制定创建工作方案。"),
             ("P", f"（二）组织实施阶段（{stages[1]}）：按照创建任务和项目清单，组织实施节能降碳、资源综合利用和"
                   f"污染治理等项目。"),
             ("P", f"（三）评价验收阶段（{stages[2]}）：委托第三方机构开展评价，编制评价报告，按程序申报。")]
    S[5] += [("P", "（一）加强组织领导。成立由主要负责人任组长的创建工作领导小组，明确职责分工，定期调度工作进展。"),
             ("P", "（二）强化资金保障。统筹安排专项资金用于创建项目建设，积极争取各级财政资金支持。"),
             ("P", "（三）强化技术支撑。与高校、科研院所和第三方服务机构开展合作，为创建工作提供技术支持。"),
             ("P", "（四）完善考核机制。将创建目标任务分解到各部门，纳入年度绩效考核。")]
    return S


def attachments_list(u):
    if u["kind"] == "park":
        return ["1.园区设立批复文件", "2.园区规划环评审查意见", "3.园区绿色工厂名单及证明材料", "4.近五年园区绿色制造荣誉"
                "（资质）名单及证明材料"]
    return ["1.营业执照", "2.清洁生产审核验收意见", "3.管理体系认证证书", "4.近五年绿色制造相关荣誉、资质证明材料"]


# ---------------------------------------------------------------------------
# hn_green_mfg: layouts
# ---------------------------------------------------------------------------
HONOR_CATS = ["绿色工厂或绿色供应链管理企业", "工业产品绿色设计示范企业", "国家/省绿色制造系统解决方案供应商",
              "工业碳减排标杆企业", "省节水型企业", "省工业固废综合利用示范企业（项目）"]


def tick(done, style="box"):
    if style == "box":
        return "☑已完成  □未完成" if done else "□已完成  ☑未完成"
    if style == "square":
        return "■已完成  □未完成" if done else "□已完成  ■未完成"
    return "√已完成" if done else "√未完成"


def founded_text(u, style):
    y, m, d = u["founded"]
    return {"ymd": f"{y}年{m}月", "dot": f"{y}.{m}", "iso": f"{y}-{m:02d}-{d:02d}", "cn": cn_date(y, m),
            "full": f"{y}年{m}月{d}日"}[style]


def fin_rows(u, o):
    """企业近三年经营情况 as rows (spec for expand_rows) in the layout o['fin']."""
    lay = o.get("fin", "seed")
    sep = o.get("sep", False)
    est = o.get("est_label", "2023年预计")
    labels = ["2021年", "2022年", est]
    f = [list(r) for r in u["fin"]]
    ov = o.get("fin_override", {})
    mf = (lambda x: acct(x, 0)) if o.get("acct") else (lambda x: fnum(x, 0, sep))
    cells = [[mf(r[0]), fnum(r[1], 1), mf(r[2]), mf(r[3]), mf(r[4])] for r in f]
    for (i, j), v in ov.items():
        cells[i][j] = v
    if lay == "seed":
        hdr = ["年度", "总资产\n（万元）", "负债率\n（%）", "主营业务收入\n（万元）", "利润\n（万元）", "税金\n（万元）"]
        return [hdr] + [[labels[i]] + cells[i] for i in range(3)], 6
    if lay == "reordered":
        hdr = ["年度", "主营业务收入(万元)", "利润总额(万元)", "税金总额(万元)", "总资产(万元)", "资产负债率(%)", "备注"]
        rem = o.get("fin_remarks", ["", "", ""])
        return [hdr] + [[labels[i], cells[i][2], cells[i][3], cells[i][4], cells[i][0], cells[i][1], rem[i]]
                        for i in range(3)], 7
    if lay == "transposed":
        yi_cols = o.get("yi_rows", ())          # rows given in 亿元
        names = ["总资产", "负债率", "主营业务收入", "利润", "税金"]
        units = ["万元", "%", "万元", "万元", "万元"]
        hdr = ["指标", "单位", "2021年", "2022年", o.get("est_col", "2023年（预计）"), "备注"]
        rows = [hdr]
        for j, nm in enumerate(names):
            if nm in yi_cols:
                vals = [yi2(f[i][j]) for i in range(3)]
                un = "亿元"
            else:
                vals = [cells[i][j] for i in range(3)]
                un = units[j]
            for (i, jj), v in ov.items():
                if jj == j:
                    vals[i] = v
            rows.append([nm, un] + vals + [o.get("fin_notes", {}).get(nm, "")])
        return rows, 6
    raise ValueError(lay)


def factory_basic_rows(u, o):
    L = dict(o.get("labels", {}))
    lab = lambda k: L.get(k, k)
    fd = founded_text(u, o.get("founded_fmt", "ymd"))
    rep, rep_tel = u["rep"]
    cn, ctel = u["contact"]
    ck = o.get("tick", "box")
    vals = {"企业名称": u["name"], "所属行业": u["industry"], "所属现代产业体系": u["system"],
            "主营业务": u["business"], "通讯地址": u["address"], "企业性质": u["nature"],
            "组织机构代码": u["code"], "成立时间": fd, "法定代表人": rep, "联系电话": rep_tel,
            "传真号码": u["fax"], "申报联系人": cn, "联系电话2": ctel, "电子邮箱": u["email"]}
    vals.update(o.get("basic_override", {}))
    lay = o.get("basic", "grid")
    if lay == "grid":
        rows = [[lab("企业名称"), (vals["企业名称"], 5)],
                [lab("所属行业"), vals["所属行业"], lab("所属现代\n产业体系"), (vals["所属现代产业体系"], 3)],
                [lab("主营业务"), vals["主营业务"], lab("通讯地址"), (vals["通讯地址"], 3)],
                [lab("企业性质"), vals["企业性质"], lab("组织机\n构代码"), vals["组织机构代码"], lab("成立时间"),
                 vals["成立时间"]],
                [lab("法定代表人"), vals["法定代表人"], lab("联系电话"), vals["联系电话"], lab("传真号码"),
                 vals["传真号码"]],
                [lab("申报联系人"), vals["申报联系人"], lab("联系电话2"), vals["联系电话2"], lab("电子邮箱"),
                 vals["电子邮箱"]]]
    else:   # inline: label and value in one cell
        rows = [[(f"{lab('企业名称')}：{vals['企业名称']}", 6)],
                [(f"{lab('所属行业')}：{vals['所属行业']}", 3), (f"所属现代产业体系：{vals['所属现代产业体系']}", 3)],
                [(f"{lab('主营业务')}：{vals['主营业务']}", 3), (f"{lab('通讯地址')}：{vals['通讯地址']}", 3)],
                [(f"{lab('企业性质')}：{vals['企业性质']}", 2), (f"{lab('组织机构代码')}：{vals['组织机构代码']}", 2),
                 (f"{lab('成立时间')}：{vals['成立时间']}", 2)],
                [(f"{lab('法定代表人')}：{vals['法定代表人']}", 2), (f"{lab('联系电话')}：{vals['联系电话']}", 2),
                 (f"{lab('传真号码')}：{vals['传真号码']}", 2)],
                [(f"{lab('申报联系人')}：{vals['申报联系人']}", 2), (f"{lab('联系电话2')}：{vals['联系电话2']}", 2),
                 (f"{lab('电子邮箱')}：{vals['电子邮箱']}", 2)]]
    n = len(rows)
    rows += [["近五年实施\n清洁生产情况", "强制性清洁\n生产审核", tick(u["audit"][0], ck), "近五年节能\n诊断开展情况",
              (tick(u["diag"], ck), 2)],
             ["", "自愿性清洁\n生产审核", tick(u["audit"][1], ck), "", ("", 2)]]
    vm = [(n, 0, n + 1, 0), (n, 3, n + 1, 3), (n, 4, n + 1, 5)]
    return rows, vm


def fix_label(rows):
    """'联系电话2' is the second 联系电话 of the form (the applicant contact's)."""
    out = []
    for r in rows:
        rr = []
        for c in r:
            if isinstance(c, tuple):
                rr.append((c[0].replace("联系电话2", "联系电话"), c[1]))
            else:
                rr.append(c.replace("联系电话2", "联系电话"))
        out.append(rr)
    return out


def honors_rows(u):
    hs = u.get("honors", {})
    rows = [[("近五年内在绿色制造方面已经取得的相关荣誉、资质等情况", 9)], ["类别名称", "是", "否"] * 3]
    for k in range(0, 6, 3):
        r = []
        for cat in HONOR_CATS[k:k + 3]:
            yes = hs.get(cat, False)
            r += [cat, "√" if yes else "", "" if yes else "√"]
        rows.append(r)
    return rows


def product_rows(u):
    rows = [[("2023年度预计主要产品生产销售及能源资源消费情况", 7)],
            ["产品名称", "生产能力", "年生产量", "产销率", "国内市场\n占有率", "年能耗总量\n（万吨标煤）", "年用水总量\n（万立方米）"]]
    for i, (nm, cap, out, ps, ms) in enumerate(u["products"]):
        rows.append([nm, cap, out, ps, ms, u["energy"] if i == 0 else "", u["water"] if i == 0 else ""])
    n = len(u["products"])
    vm = [(2, 5, 1 + n, 5), (2, 6, 1 + n, 6)] if n > 1 else []
    return rows, vm


FACTORY_NOTES = ["注：1、所属行业。按“有色金属、冶金、建材、化工、机械、汽车、电子、轻工、食品、生物医药、其它”进行填写。",
                 "2、所属现代产业体系分类：现代石化、绿色矿山、食品加工、轻工纺织、工程机械、轨道交通、现代农业、文化旅游、"
                 "数字产业、新能源、大健康、空天海洋、人工智能、生命工程、量子科技、前沿材料。",
                 "3、近五年内在绿色制造方面取得相关荣誉、资质等情况的，需另附页逐项列出名单，并附相关佐证材料。"]


def add_factory_table(doc, u, o):
    para(doc, "基本情况表", bold=True, size=18, align="center", font="黑体")
    para(doc, "（绿色工厂、绿色供应链管理示范企业填写）", size=12, align="center")
    b = o.get("borders", "grid")
    rows, vm = factory_basic_rows(u, o)
    rows = fix_label(rows)
    add_table(doc, rows, 6, borders=b, size=10, vmerges=vm, widths=[2.6, 3.6, 2.4, 3.0, 2.2, 3.0],
              left_cols=() if o.get("basic") != "inline" else tuple(range(6)))
    add_table(doc, honors_rows(u), 9, borders=b, size=9, bold_rows={0, 1})
    pr, vm = product_rows(u)
    add_table(doc, pr, 7, borders=b, size=9.5, vmerges=vm, bold_rows={0, 1})
    fr, n = fin_rows(u, o)
    add_table(doc, [[("企业近三年经营情况", n)]] + fr, n, borders=b, size=10, bold_rows={0, 1})
    for t in FACTORY_NOTES:
        para(doc, t, size=9, indent=False)


def park_basic_rows(p, o):
    hl = p["honors"]
    ck = "☑国家级  □省级" if p["level"] == "国家级" else "□国家级  ☑省级"
    ov = o.get("park_override", {})
    g = p["green"]
    rows = [["园区名称", (p["name"], 5)],
            ["园区级别", ck, "园区地址", (p["address"], 3)],
            ["园区负责人", p["head"][0], "联系电话", p["head"][1], "传真号码", p["fax"]],
            ["申报联系人", p["contact"][0], "联系电话", p["contact"][1], "电子邮箱", p["email"]],
            ["主导产业", p["lead"], "园区规划面积\n（平方公里）", p["area_plan"], "园区已建成面积\n（平方公里）",
             p["area_built"]],
            ["入园企业数", p["n_ent"], "其中规模企业数", ov.get("n_scale", p["n_scale"]), "其中高耗能\n企业数",
             p["n_high"]],
            ["园区重点\n企业数", p["n_key"], "其中通过强制性\n清洁生产审核数", p["n_forced"], "其中通过自愿性\n清洁生产审核数",
             p["n_vol"]],
            [("园区绿色发展现状", 6)],
            [("2023年度万元工业增加值能耗下降率（%）（预计）", 2), g[0], ("2023年度高新技术产业产值占园区工业总产值比例（%）（预计）", 2),
             g[1]],
            [("2023年度工业固体废物综合利用率（%）（预计）", 2), g[2], ("2023度万元工业增加值废水排放量（吨/万元）（预计）", 2), g[3]],
            [("近五年内在绿色制造方面取得相关荣誉（资质）情况", 6)],
            [(f"1、获批国家绿色工厂 {hl[0]} 家、省级绿色工厂 {hl[1]} 家；\n"
              f"2、获批国家绿色供应链管理示范企业 {hl[2]} 家、省级绿色供应链管理示范企业 {hl[3]} 家；\n"
              f"3、获批国家绿色设计产品的企业 {hl[4]} 家、产品 {hl[5]} 个；获批湖南省绿色设计产品的企业 {hl[6]} 家、"
              f"产品 {hl[7]} 个；获批国家工业产品绿色设计示范企业 {hl[8]} 家；\n"
              f"4、获得国家绿色制造系统解决方案供应商 {hl[9]} 家、湖南省绿色制造系统解决方案供应商 {hl[10]} 家；\n"
              f"6、获得湖南省节水型企业 {hl[11]} 家；\n"
              f"7、获得湖南省工业固废资源综合利用示范企业 {hl[12]} 家、示范项目 {hl[13]} 个；\n"
              f"8、获得湖南省工业碳减排标杆企业 {hl[14]} 家。", 6)]]
    return rows


PARK_NOTE = ("注：1、园区重点企业是指《清洁生产促进法》中规定的应当实施强制性清洁生产审核的企业（评审期当年及之前公布的"
             "重点企业清洁生产审核名单中的企业）；2、近五年内园区及园区内企业在绿色制造方面取得相关荣誉、资质等情况的，"
             "需另附页逐项列出名单，并附相关佐证材料，评审时将酌情予以适当加分。")


def add_park_table(doc, p, o):
    para(doc, "基本情况表", bold=True, size=18, align="center", font="黑体")
    para(doc, "（绿色园区填写）", size=12, align="center")
    rows = park_basic_rows(p, o)
    add_table(doc, rows, 6, borders=o.get("borders", "grid"), size=9.5, bold_rows={7, 10},
              widths=[2.6, 3.2, 2.8, 2.4, 2.8, 2.6])
    para(doc, PARK_NOTE, size=9, indent=False)


def project_rows(u, o):
    hdr = ["序号", "项目名称", "建设内容", "总投资\n（万元）", "建设周期", "预期成效"]
    rows, kinds = [hdr], ["hdr"]
    total = D(0)
    n = 0
    groups = u.get("project_groups") or [(None, u["projects"])]
    for gname, projs in groups:
        if gname:
            rows.append([(gname, 6)])
            kinds.append("group")
        sub = D(0)
        for (nm, content, inv, period, eff) in projs:
            n += 1
            rows.append([str(n), nm, content, inv, period, eff])
            kinds.append("item")
            sub += D(inv)
        if gname and o.get("subtotals"):
            rows.append([("小计", 3), str(sub), "", ""])
            kinds.append("sub")
        total += sub
    if o.get("placeholder_rows"):
        rows.append(["……", "", "", "", "", ""])
        kinds.append("ph")
    rows.append([("合计", 3), o.get("total_override", str(total)), "", ""])
    kinds.append("total")
    return rows, kinds, total


def add_projects(doc, u, o):
    rows, kinds, total = project_rows(u, o)
    b = o.get("proj_borders", o.get("borders", "grid"))
    widths = [1.2, 3.4, 5.2, 1.9, 2.6, 3.0]
    split = o.get("proj_split")
    if split:
        k = split
        add_table(doc, rows[:k], 6, borders=b, size=9.5, header_rows=(0,), widths=widths)
        page_break(doc)
        para(doc, "续表", bold=True, indent=False)
        add_table(doc, rows[k:], 6, borders=b, size=9.5, widths=widths,
                  bold_rows={i for i, kk in enumerate(kinds[k:]) if kk in ("group", "total")})
    else:
        add_table(doc, rows, 6, borders=b, size=9.5, header_rows=(0,), repeat_header=o.get("repeat", False),
                  widths=widths, bold_rows={i for i, kk in enumerate(kinds) if kk in ("group", "total")})


def add_cover(doc, u, o):
    lay = o.get("cover", "para")
    para(doc)
    para(doc)
    para(doc, "湖南省绿色制造体系创建工作方案", bold=True, size=24, align="center", font="方正小标宋简体")
    for _ in range(6):
        para(doc)
    unit = u["name"]
    vals = [("单位（盖章）", unit), ("创 建 类 型", o.get("cover_ctype", u["ctype"])),
            ("联  系  人", u["contact"][0]), ("联 系 电 话", o.get("cover_phone", u["contact"][1]))]
    vals = [(o.get("cover_labels", {}).get(a, a), b) for a, b in vals]
    if lay == "para":
        for a, b in vals:
            para(doc, f"{a}：{b}", size=16, indent=False).paragraph_format.left_indent = Cm(3)
    elif lay == "below":
        for a, b in vals:
            para(doc, f"{a}：", size=15, indent=False, space_after=0).paragraph_format.left_indent = Cm(3)
            para(doc, b, size=16, indent=False).paragraph_format.left_indent = Cm(4.5)
    elif lay == "table":
        t = add_table(doc, [[a + "：", b] for a, b in vals], 2, borders="none", size=15, widths=[4.0, 9.0],
                      left_cols=(0, 1))
        for r in range(len(vals)):
            cell_bottom(t.cell(r, 1), 4)
    for _ in range(6):
        para(doc)
    para(doc, "湖南省工业和信息化厅制", size=15, align="center")
    para(doc, o.get("cover_date", "二〇二三年十二月"), size=15, align="center")
    page_break(doc)


def build_plan_doc(u, o):
    doc = new_doc(body_font="仿宋_GB2312", size=o.get("size", 12))
    header_footer(doc, o.get("header"), True)
    if not o.get("no_cover"):
        add_cover(doc, u, o)
    titles = list(o.get("titles") or OUTLINES[o.get("outline", "seed")])
    if o.get("toc"):
        para(doc, "目  录", bold=True, size=16, align="center")
        for i, t in enumerate(titles):
            if i in o.get("drop", ()):
                continue
            para(doc, t + " " + "." * 40 + f" {3 + i}", indent=False, size=12)
        page_break(doc)
    if not o.get("table_file"):
        (add_park_table if u["kind"] == "park" else add_factory_table)(doc, u, o)
        page_break(doc)
    tt = f"{u['name']}{u['ctype'].replace('示范企业', '示范企业')}创建工作方案"
    para(doc, tt, bold=True, size=18, align="center", font="方正小标宋简体")
    hm = o.get("heading_mode", "style")
    S = plan_sections(u, o)
    for i in range(7):
        if i in o.get("drop", ()):
            continue
        heading(doc, titles[i], 1, hm)
        for kind, text in S[i]:
            if kind == "H2":
                heading(doc, text, 2, hm)
            else:
                para(doc, text)
        if i == 6:
            para(doc, f"为确保创建目标顺利实现，{'园区' if u['kind'] == 'park' else '公司'}计划在创建期内实施以下项目：")
            add_projects(doc, u, o)
    if 7 not in o.get("drop", ()):
        heading(doc, titles[7], 1, hm)
        for a in attachments_list(u):
            para(doc, a, indent=False)
    if o.get("sign"):
        para(doc)
        para(doc, u["name"] + ("（盖章）" if u["kind"] != "park" else "管理委员会（盖章）"), align="right")
        para(doc, o["sign"], align="right")
    return doc


def factory_table_xlsx(u, o, path):
    """基本情况表 as its own Excel file, label/value below or beside."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "基本情况表"
    L = o.get("labels", {})
    lab = lambda k: L.get(k, k)
    ov = o.get("basic_override", {})
    fd = founded_text(u, o.get("founded_fmt", "ymd"))
    v = {"企业名称": u["name"], "所属行业": u["industry"], "所属现代产业体系": u["system"], "主营业务": u["business"],
         "通讯地址": u["address"], "企业性质": u["nature"], "组织机构代码": u["code"], "成立时间": fd,
         "法定代表人": u["rep"][0], "联系电话": u["rep"][1], "传真号码": u["fax"], "申报联系人": u["contact"][0],
         "联系电话2": u["contact"][1], "电子邮箱": u["email"]}
    v.update(ov)
    r = xl_title(ws, 1, "基本情况表", 7, size=16)
    r = xl_title(ws, r, "（绿色工厂、绿色供应链管理示范企业填写）", 7, size=11, bold=False)
    if o.get("basic") == "below":
        spec = [[("企业名称", 3), ("所属行业", 2), ("所属现代产业体系", 2)],
                [("主营业务", 3), ("通讯地址", 4)],
                [("企业性质", 2), ("组织机构代码", 3), ("成立时间", 2)],
                [("法定代表人", 2), ("联系电话", 3), ("传真号码", 2)],
                [("申报联系人", 2), ("联系电话2", 3), ("电子邮箱", 2)]]
        rows = []
        for line in spec:
            rows.append([(lab(k).replace("联系电话2", "联系电话"), s) for k, s in line])
            rows.append([(v[k], s) for k, s in line])
        bold = {i for i in range(0, len(rows), 2)}
    else:
        rows = [[lab("企业名称"), (v["企业名称"], 6)],
                [lab("所属行业"), (v["所属行业"], 2), lab("所属现代产业体系"), (v["所属现代产业体系"], 3)],
                [lab("主营业务"), (v["主营业务"], 2), lab("通讯地址"), (v["通讯地址"], 3)],
                [lab("企业性质"), (v["企业性质"], 2), lab("组织机构代码"), v["组织机构代码"], lab("成立时间"),
                 v["成立时间"]],
                [lab("法定代表人"), (v["法定代表人"], 2), lab("联系电话"), v["联系电话"], lab("传真号码"), v["传真号码"]],
                [lab("申报联系人"), (v["申报联系人"], 2), lab("联系电话2").replace("联系电话2", "联系电话"),
                 v["联系电话2"], lab("电子邮箱"), v["电子邮箱"]]]
        bold = set()
    ck = o.get("tick", "box")
    rows += [[("近五年实施清洁生产情况", 7)],
             [("强制性清洁生产审核", 2), (tick(u["audit"][0], ck), 2), ("自愿性清洁生产审核", 1), (tick(u["audit"][1], ck), 2)],
             [("近五年节能诊断开展情况", 2), (tick(u["diag"], ck), 5)],
             [("近五年内在绿色制造方面已经取得的相关荣誉、资质等情况", 7)],
             [("类别名称", 5), "是", "否"]]
    bold |= {len(rows) - 5, len(rows) - 2, len(rows) - 1}
    for cat in HONOR_CATS:
        yes = u.get("honors", {}).get(cat, False)
        rows.append([(cat, 5), "√" if yes else "", "" if yes else "√"])
    pr, _vm = product_rows(u)
    rows += [[(c, 1) if not isinstance(c, tuple) else c for c in r] for r in pr]
    bold |= {len(rows) - len(pr), len(rows) - len(pr) + 1}
    fr, n = fin_rows(u, o)
    fr = [r + [""] * (7 - n) for r in fr]
    rows += [[("企业近三年经营情况", 7)]] + fr
    bold |= {len(rows) - len(fr) - 1, len(rows) - len(fr)}
    r = xl_rows(ws, rows, 7, start=r, bold_rows=bold, widths=[16, 14, 14, 14, 14, 16, 16], left_cols=())
    for t in FACTORY_NOTES:
        r = xl_title(ws, r, t, 7, size=9, bold=False, align="left")
    save_xlsx(wb, path)


def summary_21_rows(units, o):
    hdr = ["序号", "申报单位", "主营业务", "创建类型", "所属行业", "所属体系分类",
           o.get("h_rev", "2023年主营业务收入（预计）"), o.get("h_profit", "2023年利润（预计）"),
           o.get("h_tax", "2023年税收（预计）"), "申报单位联系人及手机"]
    rows = [hdr]
    if o.get("unit_row"):
        rows.append(["", "", "", "", "", "", "万元", "万元", "万元", ""])
    n = 0
    sep = o.get("sep", False)
    for gname, us in units:
        if gname:
            rows.append([(gname, 10)])
        for u in us:
            n += 1
            ov = o.get("row_override", {}).get(u["key"], {})
            f = u["fin"][2]
            r = [str(n), u["name"], u["business"], u["ctype"], u["industry"], u["system"],
                 fnum(f[2], 0, sep), fnum(f[3], 0, sep), fnum(f[4], 0, sep), f"{u['contact'][0]} {u['contact'][1]}"]
            for j, val in ov.items():
                r[j] = val
            rows.append(r)
    for ph in o.get("placeholders", []):
        rows.append([ph] + [""] * 9)
    return rows


def summary_22_rows(parks, o):
    hdr = ["序号", "申报单位", "主导产业", "园区已建成面积", "2023年园区总产值（预计）", "2023年园区工业总产值（预计）",
           "联系人及手机（预计）"]
    rows = [hdr]
    for i, p in enumerate(parks, 1):
        rows.append([str(i), p["name"], p["lead"], p["area_built"], p["out"], p["ind_out"],
                     f"{p['contact'][0]} {p['contact'][1]}"])
    for ph in o.get("placeholders22", []):
        rows.append([ph] + [""] * 6)
    return rows


SUM21_NOTES = ["注：1、此表由市州工信局、省直管试点县（市）工信部门填写。",
               "2、创建类型是指湖南省绿色工厂和湖南省绿色供应链管理示范企业。",
               "3、所属行业。按“有色金属、冶金、建材、化工、机械、汽车、电子、轻工、食品、生物医药、其它”进行填写。",
               "4、所属现代产业体系分类：现代石化、绿色矿山、食品加工、轻工纺织、工程机械、轨道交通、现代农业、文化旅游、"
               "数字产业、新能源、大健康、空天海洋、人工智能、生命工程、量子科技、前沿材料。"]


def summary_xlsx(path, city_bureau, units, parks, o):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "2-1绿色工厂及供应链"
    r = xl_title(ws, 1, "附件2-1", 10, size=11, align="left")
    r = xl_title(ws, r, "2024年湖南省绿色制造体系申报汇总表", 10, size=16)
    r = xl_title(ws, r, "（绿色工厂、绿色供应链管理示范企业）", 10, size=12, bold=False)
    r = xl_title(ws, r, f"推荐单位（盖章）：{city_bureau}                                        单位：万元", 10, size=11,
                 bold=False, align="left")
    rows = summary_21_rows(units, o)
    groups = {i for i, row in enumerate(rows) if len(row) == 1}
    r = xl_rows(ws, rows, 10, start=r, bold_rows={0} | groups, widths=[6, 28, 26, 14, 10, 12, 16, 14, 14, 24],
                left_cols=(2, 3))
    for t in SUM21_NOTES:
        r = xl_title(ws, r, t, 10, size=9, bold=False, align="left")
    if parks is not None:
        ws2 = wb.create_sheet("2-2绿色园区")
        r = xl_title(ws2, 1, "附件2-2", 7, size=11, align="left")
        r = xl_title(ws2, r, "2024年湖南省绿色制造体系申报汇总表", 7, size=16)
        r = xl_title(ws2, r, "（绿色园区）", 7, size=12, bold=False)
        r = xl_title(ws2, r, f"推荐单位（盖章）：{city_bureau}                    单位：平方公里、亿元", 7, size=11,
                     bold=False, align="left")
        r = xl_rows(ws2, summary_22_rows(parks, o), 7, start=r, bold_rows={0}, widths=[6, 30, 30, 14, 18, 20, 22],
                    left_cols=(2, 3))
        r = xl_title(ws2, r, "注：此表由市州工信局、省直管试点县（市）工信部门填写。", 7, size=9, bold=False, align="left")
    save_xlsx(wb, path)


def summary_docx(path, city_bureau, units, o):
    doc = new_doc(size=11)
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.LANDSCAPE
    sec.page_width, sec.page_height = Cm(29.7), Cm(21.0)
    sec.left_margin = sec.right_margin = Cm(1.8)
    para(doc, "附件2-1", bold=True, indent=False)
    para(doc, "2024年湖南省绿色制造体系申报汇总表", bold=True, size=18, align="center", font="方正小标宋简体")
    para(doc, "（绿色工厂、绿色供应链管理示范企业）", size=12, align="center")
    para(doc, f"推荐单位（盖章）：{city_bureau}", indent=False)
    rows = summary_21_rows(units, o)
    add_table(doc, rows, 10, size=9.5, bold_rows={0} | {i for i, row in enumerate(rows) if len(row) == 1},
              widths=[1.0, 3.8, 3.6, 2.2, 1.6, 1.8, 2.2, 2.0, 2.0, 3.6])
    for t in SUM21_NOTES:
        para(doc, t, size=9, indent=False)
    save_docx(doc, path)


# ---------------------------------------------------------------------------
# hn_green_mfg: packages
# ---------------------------------------------------------------------------
PARK_PROJECTS = [
    ("园区集中供热管网延伸工程", "新建蒸汽管网8.6公里，覆盖东片区企业", "6800", "2024.1—2024.10", "替代企业分散燃煤锅炉12台"),
    ("园区屋顶分布式光伏项目", "利用标准厂房屋顶建设光伏20兆瓦", "8500", "2024.3—2024.12", "年发电约2000万千瓦时"),
    ("污水处理厂提标及中水回用工程", "污水处理厂提标改造并建设中水回用管网", "5200", "2024.2—2024.11",
     "中水回用率达到30%"),
    ("一般工业固废集中收集利用中心", "建设固废分类收集、贮存及预处理设施", "3600", "2024.4—2025.3", "年收集利用固废约8万吨"),
    ("园区能源环境智慧管理平台", "建设能源、环境在线监测和管理平台", "1800", "2024.2—2024.9", "重点用能企业全部接入"),
    ("园区道路及公共建筑节能照明改造", "更换LED路灯及公共建筑照明灯具", "650", "2024.3—2024.6", "年节电约80万千瓦时"),
    ("新能源汽车充换电基础设施", "建设公共充电桩200个、换电站2座", "1500", "2024.4—2024.12", "满足园区物流车辆充电需求"),
    ("园区雨污分流改造工程", "改造雨污管网12公里", "2600", "2024.3—2024.11", "实现园区雨污彻底分流"),
    ("园区生态绿地建设工程", "建设生态隔离带和口袋公园", "1200", "2024.3—2024.10", "新增绿地面积约15万平方米"),
    ("企业节能诊断服务项目", "委托第三方对60家规上企业开展节能诊断", "300", "2024.2—2024.12", "形成诊断报告和改造清单"),
    ("绿色工厂培育项目", "对重点企业开展绿色工厂创建辅导", "260", "2024.1—2024.12", "新增省级以上绿色工厂3家以上"),
    ("园区危险废物收集贮存设施", "建设小微企业危险废物集中收集贮存点", "900", "2024.5—2024.12", "解决小微企业危废收集难题"),
    ("余热余压利用示范项目", "支持重点企业建设余热发电和余热供暖设施", "4300", "2024.4—2025.4", "年节约标准煤约1.2万吨"),
    ("园区碳排放核算体系建设", "建立园区碳排放核算和报告体系", "180", "2024.6—2024.12", "完成园区碳排放清单编制"),
]


def license_img(path, u):
    make_image(path, "营 业 执 照", [f"统一社会信用代码：{u['code']}", f"名　　称：{u['name']}",
                                     f"类　　型：{u['nature']}", f"法定代表人：{u['rep'][0] or '（略）'}",
                                     f"成立日期：{u['founded'][0]}年{u['founded'][1]:02d}月{u['founded'][2]:02d}日",
                                     f"住　　所：{u['address']}"], seal="登记机关")


def E(rule, keys, file=None, severity="error"):
    d = {"rule": rule, "keys": keys, "severity": severity}
    if file:
        d["file"] = file
    return d


def A(rule, keys):
    return {"rule": rule, "keys": keys}


def pkg_g1(root, jobs, tmp):
    u = F_RUIDA
    assert_clean_unit(u)
    o = dict(outline="seed", heading_mode="style", toc=True, sep=True, founded_fmt="iso", multiyear=True,
             dates="ymd", sign="2023年11月28日", cover="para", header="株洲瑞达硬质合金有限公司")
    f = "株洲瑞达硬质合金有限公司绿色工厂创建工作方案.docx"
    save_docx(build_plan_doc(u, o), root / f)
    license_img(root / "附件" / "营业执照.jpg", u)
    make_image(root / "附件" / "自愿性清洁生产审核验收意见.jpg", "清洁生产审核验收意见",
               [u["name"], "经专家组现场核查，同意通过自愿性清洁生产审核验收。", "", "株洲市工业和信息化局",
                "2022年9月16日"], seal="株洲市工业和信息化局")
    make_image(root / "附件" / "能源管理体系认证证书.jpg", "能源管理体系认证证书",
               [u["name"], "GB/T 23331-2020 / ISO 50001:2018", "有效期至2026年5月"], seal="认证机构")
    return dict(form=FORM, clean=True,
                variations=["date_formats", "num_formats", "narr_money_units", "narr_multiyear"],
                expected=[], notes="clean 绿色工厂 plan in one docx: cover, 目录, 基本情况表 (four tables), Word "
                                   "headings 一…七 + 附件, 成立时间 2008-03-18, thousands separators, revenue in 亿元 "
                                   "and profit in 万元 for 2021/2022/2023 in one paragraph; attachments as images")


def pkg_g2(root, jobs, tmp):
    p = dict(P_ZIJIANG, projects=PARK_PROJECTS)
    assert_clean_unit(p)
    o = dict(outline="chapter", heading_mode="bold", cn_share=True, approx=True, proj_borders="three", repeat=True,
             cover="table", cover_date="2023年11月", dates="dot", h2=lambda j: f"{j + 1}. ")
    src = tmp / "g2.docx"
    save_docx(build_plan_doc(p, o), src)
    f = "益阳资江高新技术产业开发区绿色园区创建工作方案.pdf"
    jobs.append((src, root / f))
    make_image(root / "附件1 园区设立批复.jpg", "湖南省人民政府", ["关于设立益阳资江高新技术产业开发区的批复",
                                                              "湘政函〔2011〕68号"], seal="湖南省人民政府")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "绿色工厂名单"
    names = [("益阳科力远新能源材料有限公司", "国家级", "2021"), ("湖南资江电子元件有限公司", "国家级", "2022"),
             ("益阳鸿源稀土有限责任公司", "省级", "2019"), ("湖南资阳电机股份有限公司", "省级", "2019"),
             ("益阳长盛新材料有限公司", "省级", "2020"), ("湖南中科铝业有限公司", "省级", "2020"),
             ("益阳恒信电子有限公司", "省级", "2021"), ("湖南益新机械有限公司", "省级", "2021"),
             ("益阳鑫泰精密制造有限公司", "省级", "2022"), ("湖南博瑞新材料有限公司", "省级", "2022"),
             ("益阳天成化工有限公司", "省级", "2023")]
    r = xl_title(ws, 1, "园区绿色工厂名单", 4)
    xl_rows(ws, [["序号", "企业名称", "级别", "认定年份"]] + [[str(i), a, b, c] for i, (a, b, c) in enumerate(names, 1)],
            4, start=r, bold_rows={0}, widths=[6, 36, 10, 10])
    save_xlsx(wb, root / "附件3 园区绿色工厂名单.xlsx")
    return dict(form=FORM, clean=True,
                variations=["tbl_borderless_pdf", "tbl_continued", "outline_numbering", "narr_cn_numerals",
                            "narr_approx", "date_formats"],
                expected=[], notes="clean 绿色园区 plan as PDF: chapters 第一章…第七章, bold headings, 工业增加值占比 "
                                   "written 百分之六十六点八, approximations, a three-line 项目清单 of 14 projects "
                                   "running onto the next page with its header repeated; audited share 26/142")


def pkg_g3(root, jobs, tmp):
    units = [F_JINYUAN, F_XIANGNAN, F_TELI]
    park = P_LINGANG
    for u in units + [park]:
        assert_clean_unit(u)
    d1 = "01 衡阳金源化工有限公司"
    save_docx(build_plan_doc(F_JINYUAN, dict(outline="seed", heading_mode="style", acct=True, sep=True,
                                            founded_fmt="ymd", cover="para")),
              root / d1 / "衡阳金源化工有限公司绿色工厂创建工作方案.docx")
    license_img(root / d1 / "营业执照.jpg", F_JINYUAN)
    d2 = "02 衡阳湘南食品有限公司"
    o2 = dict(outline="seed", heading_mode="bold", table_file=True, founded_fmt="full", cover="para",
              labels={"组织机构代码": "统一社会信用代码", "联系电话2": "联系人手机", "电子邮箱": "E-mail"})
    save_docx(build_plan_doc(F_XIANGNAN, o2), root / d2 / "创建工作方案.docx")
    factory_table_xlsx(F_XIANGNAN, o2, root / d2 / "基本情况表.xlsx")
    license_img(root / d2 / "营业执照.jpg", F_XIANGNAN)
    d3 = "03 衡阳特力变压器股份有限公司"
    save_docx(build_plan_doc(F_TELI, dict(outline="renamed", heading_mode="style", multiyear=True, cover="para",
                                         est_label="2023年（预计）")),
              root / d3 / "绿色供应链管理示范企业创建工作方案.docx")
    d4 = "04 衡阳湘江临港经济开发区"
    save_docx(build_plan_doc(dict(park, projects=PARK_PROJECTS[:6]), dict(outline="seed", heading_mode="style",
                                                                         cover="para")),
              root / d4 / "绿色园区创建工作方案.docx")
    fs = "附件2 2024年湖南省绿色制造体系申报汇总表.xlsx"
    summary_xlsx(root / fs, "衡阳市工业和信息化局",
                 [("一、绿色工厂", [F_JINYUAN, F_XIANGNAN]), ("二、绿色供应链管理示范企业", [F_TELI])], [park],
                 dict(placeholders=["", ""], placeholders22=["", ""], sep=True,
                      h_rev="2023年主营业务收入（预计，万元）", h_profit="2023年利润（预计，万元）",
                      h_tax="2023年税收（预计，万元）"))
    doc = new_doc(size=14)
    para(doc, "衡阳市工业和信息化局", bold=True, size=22, align="center", font="方正小标宋简体")
    para(doc, "衡工信节能〔2023〕56号", align="center")
    para(doc, "关于报送2024年湖南省绿色制造体系创建计划的报告", bold=True, size=18, align="center")
    para(doc, "湖南省工业和信息化厅：", indent=False)
    para(doc, "根据《关于开展2024年湖南省绿色制造体系创建计划征集工作的通知》要求，我局组织开展了本地区绿色工厂、绿色"
              "园区和绿色供应链管理示范企业创建计划征集工作。经审核，现推荐衡阳金源化工有限公司等2家企业创建绿色工厂，"
              "衡阳特力变压器股份有限公司创建绿色供应链管理示范企业，衡阳湘江临港经济开发区创建绿色园区，"
              "现将申报汇总表及创建工作方案一并报上，请予审核。")
    para(doc, "联系人：王军，联系电话：0734-8868126。")
    para(doc, "衡阳市工业和信息化局", align="right")
    para(doc, "2023年12月1日", align="right")
    save_docx(doc, root / "衡阳市工业和信息化局关于报送2024年绿色制造体系创建计划的报告.docx")
    return dict(form=FORM, clean=True,
                variations=["tbl_placeholder_rows", "tbl_group_rows", "tbl_header_containment", "lv_label_variants",
                            "outline_renamed", "num_formats", "narr_multiyear"],
                expected=[], notes="clean city package: covering report, 汇总表 xlsx (2-1 with group rows 一、绿色工厂 / "
                                   "二、绿色供应链管理示范企业 and blank rows, headers like '2023年利润（预计，万元）'; "
                                   "2-2 sheet), four plans in sub-folders (one with 基本情况表 in xlsx using "
                                   "统一社会信用代码/联系人手机/E-mail, one with a 2021 loss written (1,236))")


def pkg_g4(root, jobs, tmp):
    u = F_XINGSHA
    assert_clean_unit(u)
    o = dict(outline="renamed", heading_mode="bold", multiyear=True, cover="below", table_file=True,
             fin="transposed", est_col="2023年（预计）", sep=True, founded_fmt="ymd",
             fin_notes={"主营业务收入": "合并口径", "利润": "利润总额"}, h2=lambda j: f"{j + 1}．",
             cover_date="2023年11月")
    save_docx(build_plan_doc(u, o), root / "湖南星沙重工机械股份有限公司绿色供应链管理示范企业创建工作方案.docx")
    doc = new_doc(size=11)
    add_factory_table(doc, u, o)
    save_docx(doc, root / "基本情况表.docx")
    license_img(root / "附件" / "营业执照.jpg", u)
    make_image(root / "附件" / "国家级绿色工厂证书.jpg", "绿色工厂", [u["name"], "工业和信息化部", "2021年"],
               seal="工业和信息化部")
    return dict(form=FORM, clean=True,
                variations=["tbl_unit_column", "tbl_column_order", "lv_value_below", "lv_blank", "outline_renamed",
                            "narr_multiyear", "narr_money_units"],
                expected=[], notes="clean 绿色供应链管理示范企业 plan: cover values below their labels, headings renamed "
                                   "(一、企业概况 … 七、拟实施重点项目清单), 基本情况表 in its own docx with the 经营情况 "
                                   "table transposed (指标 | 单位 | 2021年 | 2022年 | 2023年（预计） | 备注), 传真号码 "
                                   "(optional) blank")


def pkg_g5(root, jobs, tmp):
    u = F_HUIFENG
    f = "岳阳汇丰机电设备有限公司绿色工厂创建工作方案.docx"
    o = dict(outline="seed", heading_mode="style", basic="inline", fin="reordered", sep=True,
             fin_override={(1, 3): "33,120"}, est_label="2023年预计数", cover="para",
             fin_remarks=["", "", "预计数"])
    save_docx(build_plan_doc(u, o), root / f)
    license_img(root / "营业执照.jpg", u)
    return dict(form=FORM, clean=False,
                variations=["lv_inline", "tbl_column_order", "tbl_header_containment", "num_formats"],
                expected=[E("ENUM.INVALID_VALUE", ["装备制造"], f),
                          E("FINANCE.PROFIT_EXCEEDS_REVENUE", ["2022"], f)],
                notes="绿色工厂 plan with label and value in one cell ('所属行业：装备制造', not in the seed's list, "
                      "nearest 机械) and the 经营情况 columns reordered (年度 | 主营业务收入 | 利润总额 | 税金总额 | "
                      "总资产 | 资产负债率 | 备注): 2022 利润总额 33,120 above 主营业务收入 32,650")


def pkg_g6(root, jobs, tmp):
    u = F_XINDA
    f = "常德鑫达纺织有限公司绿色工厂创建工作方案.docx"
    ft = "基本情况表.xlsx"
    o = dict(outline="seed", heading_mode="style", table_file=True, basic="below", founded_fmt="dot",
             est_label="2023年", labels={"电子邮箱": "电子信箱", "联系电话2": "联系人手机"}, cover="para",
             tick="square")
    save_docx(build_plan_doc(u, o), root / f)
    factory_table_xlsx(u, o, root / ft)
    return dict(form=FORM, clean=False,
                variations=["lv_value_below", "lv_blank", "lv_label_variants", "date_formats"],
                expected=[E("FIELD.MISSING", ["法定代表人"], ft),
                          E("FORMAT.EMAIL_INVALID", ["xdfz_cd@163"], ft),
                          E("PERIOD.ESTIMATE_NOT_MARKED", ["2023"], ft, "warning")],
                notes="绿色工厂 plan with 基本情况表 in xlsx, values in the row below their labels: 法定代表人 left "
                      "blank, 电子信箱 'xdfz_cd@163' (no top-level domain), 经营情况 row '2023年' not marked 预计; "
                      "成立时间 2005.6")


def pkg_g7(root, jobs, tmp):
    p = dict(P_XIAOXIANG, projects=PARK_PROJECTS[:10])
    o = dict(outline="arabic", heading_mode="style", cn_share=True, borders="none", proj_borders="none",
             proj_split=7, h2=lambda j: f"4.{j + 1} ", cover="para", dates="iso")
    src = tmp / "g7.docx"
    save_docx(build_plan_doc(p, o), src)
    f = "湖南潇湘工业园区绿色园区创建工作方案.pdf"
    jobs.append((src, root / f))
    make_image(root / "园区设立批复.jpg", "湖南省人民政府", ["关于设立湖南潇湘工业园区的批复"], seal="湖南省人民政府")
    return dict(form=FORM, clean=False,
                variations=["tbl_borderless_pdf", "tbl_continued", "narr_cn_numerals", "outline_numbering",
                            "date_formats"],
                expected=[E("ELIGIBILITY.PARK_AUDIT_SHARE_LOW", ["168"], f),
                          E("ELIGIBILITY.PARK_INDUSTRY_SHARE_LOW", ["46.8"], f, "veto")],
                notes="绿色园区 plan as PDF with a borderless 基本情况表 and a borderless 项目清单 continued under 续表 "
                      "without header; (8+9)/168 = 10.1% of 规模企业 audited (<15%); the plan states 工业增加值占比 "
                      "百分之四十六点八 (71.30/152.30 亿元), not above 50%")


def pkg_g8(root, jobs, tmp):
    units = [F_HONGTAI, F_JINCHENG, F_LVYUAN]
    for u in units:
        assert_clean_unit(u)
    fs = "附件2-1 2024年湖南省绿色制造体系申报汇总表.docx"
    summary_docx(root / fs, "郴州市工业和信息化局", [("一、绿色工厂", [F_HONGTAI, F_JINCHENG])],
                 dict(unit_row=True, sep=True, placeholders=["……", ""],
                      row_override={"hongtai": {6: "286,500"}, "jincheng": {4: "机械"}}))
    d1 = "郴州市宏泰有色金属冶炼有限公司"
    save_docx(build_plan_doc(F_HONGTAI, dict(outline="seed", heading_mode="style", fin="transposed",
                                            yi_rows=("总资产", "主营业务收入"), sep=True, cover="para",
                                            est_col="2023年预计")),
              root / d1 / "绿色工厂创建工作方案.docx")
    d2 = "郴州锦程电子科技有限公司"
    save_docx(build_plan_doc(F_JINCHENG, dict(outline="seed", heading_mode="style", sep=True, cover="para")),
              root / d2 / "绿色工厂创建工作方案.docx")
    d3 = "郴州绿源生物医药有限公司"
    save_docx(build_plan_doc(F_LVYUAN, dict(outline="seed", heading_mode="bold", cover="para")),
              root / d3 / "绿色工厂创建工作方案.docx")
    for d, u in ((d1, F_HONGTAI), (d2, F_JINCHENG), (d3, F_LVYUAN)):
        license_img(root / d / "营业执照.jpg", u)
    return dict(form=FORM, clean=False,
                variations=["tbl_unit_column", "tbl_placeholder_rows", "tbl_group_rows", "narr_money_units",
                            "num_formats"],
                expected=[E("CROSSDOC.FIGURE_MISMATCH", ["主营业务收入"], fs),
                          E("SUMMARY.PLAN_FIELD_MISMATCH", ["锦程", "机械"], fs),
                          E("SUMMARY.PLAN_NOT_LISTED", ["绿源"])],
                allowed=[A("SUMMARY.PLAN_FIELD_MISMATCH", ["宏泰"])],
                notes="city package (郴州) with 汇总表 2-1 as a landscape docx (unit row under the header, group row, "
                      "'……' rows): 宏泰's 2023 主营业务收入 written 286,500 万元 while its plan's transposed table "
                      "gives 26.85 亿元 (= 268,500 万元); 锦程 listed under 所属行业 机械 while its plan says 电子; "
                      "绿源生物医药's plan is in the package but not in the 汇总表")


def pkg_g9(root, jobs, tmp):
    u = F_ZHUHAI
    f = "益阳竹海竹业科技有限公司绿色工厂创建工作方案.docx"
    titles = ["第一章 企业概况", "第二章 创建思路", "第三章 创建目标", "第四章 重点任务", "第五章 进度安排",
              "第五章 保障措施", "第六章 拟实施项目清单", "附件 相关证明材料"]
    o = dict(titles=titles, drop=(4,), heading_mode="style", multiyear=True, approx=True, subtotals=True,
             total_override="3910", cover="para", h2=lambda j: f"{j + 1}、")
    save_docx(build_plan_doc(u, o), root / f)
    license_img(root / "营业执照.jpg", u)
    return dict(form=FORM, clean=False,
                variations=["outline_renamed", "outline_numbering", "tbl_group_rows", "narr_multiyear",
                            "narr_approx"],
                expected=[E("OUTLINE.SECTION_MISSING", ["进度安排"], None),
                          E("SUM.TOTAL_MISMATCH", ["3910"], f),
                          E("ENUM.INVALID_VALUE", ["新材料"], f)],
                notes="绿色工厂 plan with chapters 第一章…第六章 renamed and renumbered: no 进度安排 chapter at all; "
                      "项目清单 grouped (一、节能降碳类 … with 小计 rows) whose 合计 3910 differs from 3610; "
                      "所属现代产业体系 '新材料' (not in the list; nearest 前沿材料)")


PACKAGES = [
    ("株洲瑞达硬质合金-绿色工厂创建工作方案", False, pkg_g1),
    ("益阳资江高新区绿色园区创建方案.zip", True, pkg_g2),
    ("衡阳市2024年绿色制造体系申报材料.zip", True, pkg_g3),
    ("湖南星沙重工-绿色供应链管理示范企业创建方案", False, pkg_g4),
    ("岳阳汇丰机电-绿色工厂创建方案", False, pkg_g5),
    ("常德鑫达纺织绿色工厂申报", False, pkg_g6),
    ("永州-湖南潇湘工业园区绿色园区.zip", True, pkg_g7),
    ("郴州市绿色制造体系申报汇总.zip", True, pkg_g8),
    ("益阳竹海竹业-绿色工厂创建方案", False, pkg_g9),
]


def build(out_dir):
    return build_packages(PACKAGES, out_dir, "gm")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m tests.variations.build_hn_green_mfg OUT_DIR")
    print(json.dumps(build(pathlib.Path(sys.argv[1])), ensure_ascii=False, indent=2))
