"""单位参保信息 (manual 2.19) from the 管理子系统 into the unit database: the whole list, every time.

It is a few rows per 单位编号, so there is no change feed to follow: the list is fetched whole and replaces the
cached one in one transaction (``store.unit_insurance.replace_all``). A failed download leaves the cached list
as it was.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine

from sbf_client.core.clock import format_timestamp
from sbf_client.sync.progress import Progress

from ..remote.unit_insurance import UnitInsuranceApi
from ..store.unit_insurance import InsuranceRow, replace_all

DOWNLOADING = "正在下载单位参保信息"
SAVED = "单位参保信息已保存"


def download_unit_insurance(
    api: UnitInsuranceApi, engine: Engine, unit_id: str, token: str, now: datetime, progress: Progress | None = None
) -> int:
    """Fetch the unit's 参保信息 and replace the cached list; returns how many rows it has now."""
    progress = progress or Progress()
    progress.report(0, None, DOWNLOADING)
    answer = api.unit_insurance(unit_id, token)
    progress.check()  # cancelled while it downloaded: the cached list stays as it was
    rows = [
        InsuranceRow(
            unit_no=item.unit_no,
            agency=item.agency,
            tax_authority=item.tax_authority,
            item=item.item,
            category=item.category,
            sub=item.sub,
            status=item.status,
            start_month=item.start,
            end_month=item.end,
            base=f"{item.base:.2f}",
        )
        for item in answer.items
    ]
    replace_all(engine, rows, format_timestamp(now), answer.as_of)
    progress.report(len(rows), len(rows), SAVED)
    return len(rows)
