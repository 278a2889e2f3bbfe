"""The 代收单位 首页 chart: 城乡居民 by 参保状态 and by 所属村（社区）."""

from __future__ import annotations

from sbf_client.plugins.spec import Chart, HomeInputs
from sbf_client.store.codes import CodeTables


def chart(home: HomeInputs) -> Chart:
    """城乡居民 by 参保状态 and by 所属村（社区） (a ``HomeChart``)."""
    codes = CodeTables(home.code_tables)
    with home.engine.connect() as conn:
        by_status = conn.exec_driver_sql("SELECT status, count(*) FROM residents GROUP BY status ORDER BY status").all()
        by_village = conn.exec_driver_sql(
            "SELECT village, count(*) FROM residents GROUP BY village ORDER BY count(*) DESC LIMIT 8"
        ).all()
    return Chart(
        "本单位城乡居民",
        (
            ("按参保状态", tuple((codes.name("resident_status", code), count) for code, count in by_status)),
            ("按所属村（社区）", tuple((village, count) for village, count in by_village)),
        ),
    )
