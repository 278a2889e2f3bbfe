"""Realistic Chinese names: surnames by frequency, given-name characters by gender."""

from __future__ import annotations

import random

# The hundred most common surnames with rough frequencies (per mille), and a few compound ones.
_SURNAMES = (
    "王72 李71 张68 刘54 陈45 杨31 黄23 赵22 吴20 周19 徐17 孙15 马14 朱13 胡13 郭12 何12 高11 林11 罗10 "
    "郑9 梁9 谢8 宋8 唐7 许7 韩7 冯6 邓6 曹6 彭6 曾6 肖6 田5 董5 袁5 潘5 于5 蒋5 蔡5 余5 杜5 叶5 程4 "
    "苏4 魏4 吕4 丁4 任4 沈4 姚4 卢4 姜4 崔4 钟3 谭3 陆3 汪3 范3 金3 石3 廖3 贾3 夏3 韦3 付3 方3 白3 "
    "邹3 孟3 熊3 秦3 邱3 江3 尹2 薛2 闫2 段2 雷2 侯2 龙2 史2 陶2 黎2 贺2 顾2 毛2 郝2 龚2 邵2 万2 钱2 "
    "严2 覃2 武2 戴2 莫2 孔2 向2 汤2 欧阳1 司马1 上官1 诸葛1"
)
SURNAMES: list[str] = []
SURNAME_WEIGHTS: list[int] = []
for _entry in _SURNAMES.split():
    SURNAMES.append(_entry.rstrip("0123456789"))
    SURNAME_WEIGHTS.append(int(_entry[len(SURNAMES[-1]) :]))

_MALE = (
    "伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林欢阳"
    "建国峰建华志强永志成德海文斌晨晓东家豪子轩浩然宇航博文俊杰天佑"
)
_FEMALE = "芳娜敏静丽艳娟霞秀英慧巧美娅雪琳晶婷玲桂芬颖露瑶怡佳琪欣然梦涵雨萱诗琪思雨可馨紫涵梓萱一诺若汐心怡"
_NEUTRAL = "文明思佳子雨晨安宁乐天嘉一"


def full_name(rng: random.Random, gender: str) -> str:
    """A name for gender code ``1`` (男) or ``2`` (女): one- or two-character given names."""
    surname = rng.choices(SURNAMES, SURNAME_WEIGHTS)[0]
    pool = _MALE if gender == "1" else _FEMALE
    if rng.random() < 0.3:
        return surname + rng.choice(pool)
    first = rng.choice(pool + _NEUTRAL)
    return surname + first + rng.choice(pool)
