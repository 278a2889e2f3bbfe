"""The 用人单位 首页: 待办事项 and 异常提醒 (manual 2.1.3) and a chart of the cached employees."""

from __future__ import annotations

from sbf_client.plugins.spec import Chart, HomeInputs, Reminder, Reminders
from sbf_client.store.codes import CodeTables

NO_WAGE = "存在缴费工资为空的职工，需要给该职工申报缴费工资。"


def reminders(home: HomeInputs) -> Reminders:
    """What the cached data shows needs doing (a ``HomeReminders``). 预处理信息 and 欠费 come with the 社保费申报
    and 缴费 pages; until those are cached, only the employees' own data can raise a reminder."""
    with home.engine.connect() as conn:
        missing_wage = conn.exec_driver_sql(
            "SELECT EXISTS (SELECT 1 FROM employees e, json_each(e.insured) i WHERE e.status = '1' "
            "AND json_extract(i.value, '$.mode') = '1' AND json_extract(i.value, '$.end') IS NULL "
            "AND CAST(json_extract(i.value, '$.base') AS REAL) = 0)"
        ).scalar()
    alerts = (Reminder(NO_WAGE, "daily_wages"),) if missing_wage else ()
    return Reminders(alerts=alerts)


def chart(home: HomeInputs) -> Chart:
    """Employees by 参保状态, and the paying ones by 险种 (a ``HomeChart``)."""
    codes = CodeTables(home.code_tables)
    with home.engine.connect() as conn:
        by_status = conn.exec_driver_sql("SELECT status, count(*) FROM employees GROUP BY status ORDER BY status").all()
        by_item = conn.exec_driver_sql(
            "SELECT json_extract(i.value, '$.item') AS item, count(*) FROM employees e, json_each(e.insured) i "
            "WHERE e.status = '1' AND json_extract(i.value, '$.end') IS NULL GROUP BY item ORDER BY item"
        ).all()
    return Chart(
        "本单位职工",
        (
            ("按参保状态", tuple((codes.name("employee_status", code), count) for code, count in by_status)),
            ("正常缴费职工按险种", tuple((codes.name("item", code), count) for code, count in by_item)),
        ),
    )
