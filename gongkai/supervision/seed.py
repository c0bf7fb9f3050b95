"""The seed plan shipped in the package (2021年槐荫区政务公开工作要点)."""

from __future__ import annotations

from importlib import resources

SEED_PLAN = "2021-huaiyin-zhengwu-gongkai-yaodian.txt"


def seed_plan_text() -> str:
    return (resources.files("gongkai.core") / "data" / "seed" / SEED_PLAN).read_text("utf-8")
