"""Time 一号答 in site search (``registry.search_answers`` → ``interaction.search_answers``)
at a given number of published Q&A entries, on a kept database.

    DATABASE_URL=sqlite:////tmp/qa.sqlite3 .venv/bin/python bench/qa_search_speed.py 3
    DATABASE_URL=sqlite:////tmp/qa.sqlite3 .venv/bin/python bench/qa_search_speed.py 2000

Each run migrates, tops the published entries up (or down) to N, warms up once, then prints
ms per call over a loop of typical questions (some answered, some not).
"""

from __future__ import annotations

import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TOPICS = ["养老服务补贴", "城乡居民医疗保险", "创业担保贷款", "公租房申请", "营业执照办理",
          "残疾人两项补贴", "高龄津贴", "不动产登记", "义务教育入学", "失业保险金",
          "住房公积金提取", "老旧小区改造", "停车收费标准", "垃圾分类", "农村危房改造"]
QUESTIONS = ["养老服务补贴怎么申请", "公租房申请需要什么条件", "营业执照在哪里办理",
             "我想问一下高龄津贴的发放标准", "今天天气怎么样", "小区停车收费标准是多少",
             "失业保险金领取期限", "孩子上小学怎么报名"]


def main() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from gongkai.core.models import Organization
    from gongkai.interaction.models import QAEntry, QStatus
    from gongkai.interaction.search_answers import answers

    n = int(sys.argv[1])
    loops = int(sys.argv[2]) if len(sys.argv) > 2 else 300
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    org = Organization.objects.first() or Organization.objects.create(name="区民政局",
                                                                      code="bench-mz")
    have = QAEntry.objects.filter(status=QStatus.PUBLISHED).count()
    if have > n:
        keep = list(QAEntry.objects.order_by("pk").values_list("pk", flat=True)[:n])
        QAEntry.objects.exclude(pk__in=keep).delete()
    rnd = random.Random(7)
    new = []
    for i in range(have, n):
        topic, other = rnd.choice(TOPICS), rnd.choice(TOPICS)
        new.append(QAEntry(
            question=f"关于{topic}的问题{i}：{other}如何办理？", org=org,
            answer=(f"您好，{topic}按照有关规定办理。申请人携带身份证件到街道便民服务中心"
                    f"提交材料，审核通过后按月发放。{other}另行办理。") * 3,
            basis=f"《关于{topic}的实施意见》", status=QStatus.PUBLISHED,
            published_at=timezone.now()))
    QAEntry.objects.bulk_create(new, batch_size=500)
    try:
        from gongkai.interaction.qa_search import invalidate
        invalidate()
    except ImportError:
        pass
    for q in QUESTIONS:  # warm up: index, segmenter, URL resolver
        answers(q)
    t0 = time.perf_counter()
    for i in range(loops):
        answers(QUESTIONS[i % len(QUESTIONS)])
    ms = (time.perf_counter() - t0) * 1000 / loops
    print(f"{QAEntry.objects.filter(status=QStatus.PUBLISHED).count()} published entries: "
          f"{ms:.3f} ms per search_answers call")


if __name__ == "__main__":
    main()
