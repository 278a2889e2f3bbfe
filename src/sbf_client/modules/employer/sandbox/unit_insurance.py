"""The sandbox's 单位参保信息 (manual 2.19): what each 单位编号 of a unit is registered for, per 征收项目.

Nothing is stored for it: it follows from the unit's registration and its 职工, as a real 管理子系统's would.
Every 单位编号 is registered for the 险种 its unit's employees pay (``people.employee_items``). A 险种 is 正常缴费
while someone pays it, with the 缴费基数 of those who do added up; once nobody does, it is 停止缴费 from the last
month anyone paid, with the 缴费基数 they paid then. It starts with the unit's 参保登记 month, or with its first
employee's 开始缴费月份 when that is earlier. The pension's 征收子目 is blank, as the manual's sample shows it.

Reading a unit's employees costs a moment for a large unit, so the answer is kept per (unit, feed epoch, feed
``last_seq``): any change of the employees makes a new key, and the next request computes it afresh.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field

import msgspec
from sqlalchemy import Connection, Engine, select

from sbf_client.core.money import from_fen
from sbf_sandbox import db
from sbf_sandbox.catalog import REGION_BY_ID, UNIT_BY_ID

from ..remote import contract as c
from .people import EMPLOYEE_ITEMS, employee_items

PENSIONS = frozenset({"10210", "10218"})  # their 征收子目 is blank at the unit's level
KEPT_ANSWERS = 64


def _fen(amount: str) -> int:
    """A 缴费基数 of the feed (decimal text with two places, "9000.00") in 分 (900000): added up exactly, and
    quicker than ``Decimal`` over a hundred thousand employees."""
    whole, _, cents = amount.partition(".")
    return int(whole) * 100 + int((cents + "00")[:2])


class _Insured(msgspec.Struct, gc=False):
    item: str
    start: str
    end: str | None
    base: str


class _Employee(msgspec.Struct, gc=False):
    """Only what the sums need of an employee record: the decoder skips the rest unread."""

    unit_no: str
    insured: list[_Insured]


_read_employee = msgspec.json.Decoder(_Employee).decode


@dataclass
class _Tally:
    """One 单位编号 × 征收项目 as the employees' 险种 rows are read."""

    start: str
    paying_fen: int = 0
    anyone_paying: bool = False
    last_end: str = ""
    last_end_fen: int = 0

    def add(self, insured: _Insured) -> None:
        start, end = insured.start, insured.end
        if start < self.start:
            self.start = start
        if end is None:
            self.anyone_paying = True
            self.paying_fen += _fen(insured.base)
        elif end > self.last_end:
            self.last_end, self.last_end_fen = end, _fen(insured.base)
        elif end == self.last_end:
            self.last_end_fen += _fen(insured.base)

    def row(self, unit_no: str, agency: str, tax_authority: str, item: str) -> dict[str, object]:
        category, sub = EMPLOYEE_ITEMS.get(item, ("", ""))
        stopped = not self.anyone_paying and bool(self.last_end)
        return {
            "unit_no": unit_no,
            "agency": agency,
            "tax_authority": tax_authority,
            "item": item,
            "category": category,
            "sub": "" if item in PENSIONS else sub,
            "status": "2" if stopped else "1",
            "start": self.start,
            "end": self.last_end if stopped else None,
            "base": f"{from_fen(self.last_end_fen if stopped else self.paying_fen):.2f}",
        }


def _compute(conn: Connection, unit_id: str, registered_month: str) -> list[dict[str, object]]:
    spec = UNIT_BY_ID[unit_id]
    items = employee_items(spec, REGION_BY_ID[spec.region_id])
    numbers = conn.execute(
        select(db.unit_numbers.c.unit_no, db.unit_numbers.c.agency, db.unit_numbers.c.tax_authority)
        .where(db.unit_numbers.c.unit_id == unit_id)
        .order_by(db.unit_numbers.c.position)
    ).all()
    tallies = {(n.unit_no, item): _Tally(registered_month) for n in numbers for item in items}
    people = conn.execute(
        select(db.records.c.data).where(
            db.records.c.unit_id == unit_id, db.records.c.feed == c.EMPLOYEES, db.records.c.deleted.is_(False)
        )
    ).scalars()
    for data in people:
        person = _read_employee(data)
        for insured in person.insured:
            tally = tallies.get((person.unit_no, insured.item))
            if tally is not None:
                tally.add(insured)
    return [
        tallies[(n.unit_no, item)].row(n.unit_no, n.agency, n.tax_authority, item) for n in numbers for item in items
    ]


@dataclass
class UnitInsuranceAnswers:
    """The last answers, per (unit, epoch, last_seq) of the unit's employee feed."""

    kept: OrderedDict[tuple[str, str, int], list[dict[str, object]]] = field(default_factory=OrderedDict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def items(self, engine: Engine, unit_id: str) -> list[dict[str, object]]:
        """The unit's 参保信息 rows, 单位编号 by 单位编号 in registration order, 险种 in the usual order."""
        with engine.connect() as conn:  # one read transaction: the feed's position and its records agree
            registered = conn.execute(select(db.units.c.registered_on).where(db.units.c.unit_id == unit_id)).scalar()
            feed = conn.execute(
                select(db.feeds.c.epoch, db.feeds.c.last_seq).where(
                    db.feeds.c.unit_id == unit_id, db.feeds.c.feed == c.EMPLOYEES
                )
            ).first()
            key = (unit_id, feed.epoch if feed else "", feed.last_seq if feed else 0)
            with self.lock:
                if key in self.kept:
                    self.kept.move_to_end(key)
                    return self.kept[key]
            answer = _compute(conn, unit_id, str(registered)[:7])
        with self.lock:
            self.kept[key] = answer
            while len(self.kept) > KEPT_ANSWERS:
                self.kept.popitem(last=False)
        return answer
