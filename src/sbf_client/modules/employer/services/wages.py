"""缴费工资申报 end to end: read and check the file, submit through the outbox, fetch the feedback.

The declaration and its outbox row are written in one transaction before the request leaves; the local
record then shows 提交中 → 待反馈 → 全部申报成功 / 全部申报失败 / 部分申报成功 (manual 2.7).

The same content is not declared twice by accident (a file run again after a crash, a double import):
``declare`` refuses with ``DuplicateDeclaration`` when a declaration of the same type with the same rows
(employee key, 险种, 新缴费工资, 生效年月; in any order) was already submitted from this machine — for a 年度
one, in the same year — unless told ``again=True``. "Submitted" is every outbox row of the kind except one the
server refused (``done`` with a 4xx answer: nothing was declared). A row still open (提交中: it may have
reached the server, e.g. before a crash) counts, and so does an accepted one whatever its feedback
(全部申报失败 included: the same rows would fail the same way). A page asks the user and calls again with
``again=True``; the command line takes ``--again``.
"""

from __future__ import annotations

import logging
import re
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
from pydantic import ValidationError
from sqlalchemy import Connection, Engine, insert, or_, select, update

from sbf_client.core.clock import TIMESTAMP, format_timestamp
from sbf_client.core.errors import InputError
from sbf_client.core.periods import Period
from sbf_client.documents.importing import read_import
from sbf_client.documents.templates import write_template
from sbf_client.outbox.engine import DONE, Answer, Entry, Lookup, Outbox, Send, entry_of, outbox
from sbf_client.remote.contract import errors as codes
from sbf_client.remote.contract.models import MONTHS_AHEAD, MONTHS_BACK, WAGE_PERIOD_TABLE
from sbf_client.remote.errors import RemoteError
from sbf_client.services.context import ClientContext
from sbf_client.services.notices import messages
from sbf_client.services.session import UnitSession

from ..domain.wages import (
    DEFAULT_MONTHS_AHEAD,
    DEFAULT_MONTHS_BACK,
    DeclarationType,
    DeclareBy,
    MonthWindow,
    WageCheck,
    payload,
)
from ..remote.api import WageApi
from ..store.tables import wage_declaration_items, wage_declarations
from .wage_import import WageFileCheck, check_wage_rows, reading_specs, wage_template

KIND = "wage_declaration"
REFUSED_AS_STORED = "该申报数据不符合现行申报规则，未能提交。请重新导入后再申报。"
SUBMITTING, PENDING, REFUSED = "提交中", "待反馈", "提交失败"
MAX_WINDOW_MONTHS = 1200  # a 规则文件 value beyond a century is a mistake, not a rule
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LocalDeclaration:
    id: int
    outbox_id: int
    server_id: int | None
    declaration_type: str
    by: str
    submitted_at: str
    total: int
    status: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "server_id": self.server_id,
            "declaration_type": self.declaration_type,
            "by": self.by,
            "submitted_at": self.submitted_at,
            "total": self.total,
            "status": self.status,
            "message": self.message,
        }


class DuplicateDeclaration(InputError):
    """The same declaration was already submitted (``earlier``); nothing was written or sent. Declaring it
    anyway takes ``declare(..., again=True)``, after the user said so."""

    def __init__(self, earlier: LocalDeclaration) -> None:
        state = "上次提交的结果尚待确认，可先获取反馈" if earlier.status == SUBMITTING else f"状态【{earlier.status}】"
        super().__init__(
            f"本单位已于{earlier.submitted_at}提交过内容相同的{earlier.declaration_type}缴费工资申报"
            f"（申报记录编号{earlier.id}，{state}）：职工、险种、新缴费工资和生效年月完全相同，"
            "可能是重复申报，本次未提交。"
        )
        self.earlier = earlier


def month_window(table: dict[str, str] | None) -> MonthWindow:
    """The region's 生效年月 window from its 规则文件 table; a missing table (a cache from before the table
    existed) or value gives the defaults, and so does a value that is no whole number of months."""
    table = table or {}

    def months(key: str, default: int) -> int:
        text = str(table.get(key, default)).strip()
        if not re.fullmatch(r"[0-9]{1,4}", text) or int(text) > MAX_WINDOW_MONTHS:
            log.warning("规则文件 %s.%s is not a number of months; using %s", WAGE_PERIOD_TABLE, key, default)
            return default
        return int(text)

    return MonthWindow(months(MONTHS_BACK, DEFAULT_MONTHS_BACK), months(MONTHS_AHEAD, DEFAULT_MONTHS_AHEAD))


def _content(body: dict[str, Any]) -> tuple[Any, ...]:
    """What makes two declarations the same: their type and their rows, in any order."""
    rows = sorted(
        (row["key"], row.get("item") or "", row["new_wage"], row.get("effective_month") or "") for row in body["rows"]
    )
    return body["declaration_type"], tuple(rows)


DECLARING, FEEDBACK = "缴费工资申报", "获取反馈"  # what needs the server, in the words of its refusal offline


def write_wage_template(context: ClientContext, path: Path, declaration_type: DeclarationType, by: DeclareBy) -> Path:
    """导入模板下载: the 缴费工资导入模板 for the type and way, its 险种 dropdown from the 规则文件 (no login)."""
    names = tuple(context.code_tables().table("item").values())
    return write_template(wage_template(declaration_type, by, names), path)


class WageService:
    """缴费工资申报 of a logged-in unit: checking a file and reading the records work offline; declaring and
    获取反馈 need the server."""

    def __init__(self, session: UnitSession) -> None:
        self.session = session
        self.context = session.context

    # ------------------------------------------------------------------ preparing

    def check_file(self, path: Path, declaration_type: DeclarationType, by: DeclareBy) -> WageFileCheck:
        """Read the file (the 缴费工资导入模板, or a table of the same columns: see ``wage_import``) and check
        every row against the cached employees, as a set in SQL; nothing is sent or written."""
        codes = self.context.code_tables()
        item_names = codes.table("item")
        template, loose = reading_specs(declaration_type, by)
        imported = read_import(path, template, untemplated=loose)
        current = Period.of(self.context.clock.now().date())
        window = month_window(codes.table(WAGE_PERIOD_TABLE))
        with self.session.engine.connect() as conn:
            check = check_wage_rows(conn, imported, item_names, declaration_type, current, window)
        check.template = wage_template(declaration_type, by, tuple(item_names.values()))
        return check

    # ------------------------------------------------------------------ submitting

    def declare(
        self,
        check: WageCheck,
        declaration_type: DeclarationType,
        by: DeclareBy,
        intent: str | None = None,
        *,
        again: bool = False,
    ) -> LocalDeclaration:
        """提交申报: write the declaration with its outbox row, then send it; a lost answer is settled later.
        The same content submitted before raises ``DuplicateDeclaration`` unless ``again``; confirming the
        same ``intent`` again returns its first record (that is no new declaration)."""
        if not check.ok:
            raise InputError("申报数据有误，请修改后再提交：\n" + "\n".join(check.errors[:20]))
        send, lookup = self._transport(DECLARING)
        unit, engine = self.session.unit, self.session.engine
        body = payload(check.lines, declaration_type, by)
        if not again:
            earlier = self._earlier_same(engine, body, intent)
            if earlier is not None:
                raise DuplicateDeclaration(earlier)
        box = Outbox(engine, self.context.clock, settle=_carry_answer)
        submitted = self.context.clock.now().strftime(TIMESTAMP)

        def write_record(conn: Connection, entry: Entry) -> None:
            declaration_id = conn.execute(
                insert(wage_declarations).values(
                    outbox_id=entry.id,
                    declaration_type=declaration_type,
                    by=by,
                    submitted_at=submitted,
                    tax_authority=unit.tax_authority,
                    total=len({line.employee.key for line in check.lines}),
                    status=SUBMITTING,
                    message="",
                )
            ).inserted_primary_key[0]
            conn.execute(
                insert(wage_declaration_items),
                [
                    {
                        "declaration_id": declaration_id,
                        "position": position,
                        "employee_key": line.employee.key,
                        "name": line.employee.name,
                        "id_type": line.employee.id_type,
                        "id_number": line.employee.id_number,
                        "item": line.item,
                        "old_wage": None if line.old_wage is None else f"{line.old_wage:.2f}",
                        "new_wage": f"{line.new_wage:.2f}",
                        "effective_month": str(line.effective_month) if line.effective_month else None,
                        "status": PENDING,
                        "reason": "",
                    }
                    for position, line in enumerate(check.lines)
                ],
            )

        entry = box.confirm(KIND, body, intent or uuid.uuid4().hex, also=write_record)
        try:
            entry = box.deliver(entry, send, lookup)
        except RemoteError as problem:
            self._note(engine, entry.id, problem.message)
            raise
        return self._record(engine, entry.id)

    def earlier_same(
        self, check: WageCheck, declaration_type: DeclarationType, by: DeclareBy
    ) -> LocalDeclaration | None:
        """The declaration of the same content already submitted, if any (what ``declare`` would refuse
        without ``again``): a page or the command line asks the user before declaring."""
        body = payload(check.lines, declaration_type, by)
        return self._earlier_same(self.session.engine, body, None)

    def _earlier_same(self, engine: Engine, body: dict[str, Any], intent: str | None) -> LocalDeclaration | None:
        content = _content(body)
        year = format_timestamp(self.context.clock.now())[:4]
        not_refused = or_(outbox.c.state != DONE, outbox.c.status_code.is_(None), outbox.c.status_code < 300)
        with engine.connect() as conn:
            if intent is not None and conn.execute(select(outbox.c.id).where(outbox.c.intent == intent)).first():
                return None  # the same confirmation again: the outbox gives back its first row, declares nothing
            rows = conn.execute(
                select(outbox.c.id, outbox.c.payload, outbox.c.created_at)
                .where(outbox.c.kind == KIND, not_refused)
                .order_by(outbox.c.id.desc())
            ).all()
            for row in rows:
                if body["declaration_type"] == "年度" and row.created_at[:4] != year:
                    continue  # a 年度 declaration of another year is that year's
                if _content(orjson.loads(row.payload)) == content:
                    record = conn.execute(
                        select(wage_declarations).where(wage_declarations.c.outbox_id == row.id)
                    ).first()
                    if record is not None:
                        return _local(record)
        return None

    def _transport(self, what: str = DECLARING) -> tuple[Send, Lookup]:
        """How the outbox sends a declaration and asks about its key; ``what`` needs the server."""
        session, unit = self.session.require_server(what), self.session.unit
        remote = self.context.api()
        api = WageApi(remote)

        def send(key: str, body: dict[str, Any]) -> Answer:
            try:
                accepted = api.declare_wages(unit.server_unit_id, session.token, key, body)
            except ValidationError:  # stored by an older version under looser rules: the contract refuses it now
                return Answer(422, {"code": codes.WAGE_REQUEST_INVALID, "message": REFUSED_AS_STORED})
            return Answer(202, accepted.model_dump(mode="json"))

        def lookup(key: str) -> Answer | None:
            record = remote.submission(unit.server_unit_id, session.token, key)
            return None if record is None else Answer(record.status_code, record.response)

        return send, lookup

    def _note(self, engine: Engine, outbox_id: int, message: str) -> None:
        with engine.begin() as conn:
            conn.execute(
                update(wage_declarations).where(wage_declarations.c.outbox_id == outbox_id).values(message=message)
            )

    def _record(self, engine: Engine, outbox_id: int) -> LocalDeclaration:
        with engine.connect() as conn:
            return _local(
                conn.execute(select(wage_declarations).where(wage_declarations.c.outbox_id == outbox_id)).one()
            )

    # ------------------------------------------------------------------ feedback

    def feedback(self) -> list[LocalDeclaration]:
        """获取反馈: settle unfinished submissions, then fetch results of every 待反馈 declaration."""
        send, lookup = self._transport(FEEDBACK)
        session, unit, engine = self.session.require_server(FEEDBACK), self.session.unit, self.session.engine
        Outbox(engine, self.context.clock, settle=_carry_answer).reconcile(KIND, send, lookup)
        _carry_stored_answers(engine)
        api = WageApi(self.context.api())
        with engine.connect() as conn:
            waiting = conn.execute(select(wage_declarations).where(wage_declarations.c.status == PENDING)).all()
        for row in waiting:
            detail = api.wage_declaration(unit.server_unit_id, session.token, row.server_id)
            if detail.status == PENDING:
                continue
            with engine.connect().execution_options(immediate=True) as conn, conn.begin():
                conn.execute(
                    update(wage_declarations)
                    .where(wage_declarations.c.id == row.id)
                    .values(status=detail.status, tax_authority=detail.tax_authority)
                )
                for position, item in enumerate(detail.items):
                    conn.execute(
                        update(wage_declaration_items)
                        .where(
                            wage_declaration_items.c.declaration_id == row.id,
                            wage_declaration_items.c.position == position,
                        )
                        .values(
                            status=item.status,
                            reason=item.reason,
                            effective_month=item.effective_month,
                            old_wage=None if item.old_wage is None else f"{item.old_wage:.2f}",
                        )
                    )
                conn.execute(
                    insert(messages).values(
                        created_at=format_timestamp(self.context.clock.now()),
                        category="申报反馈",
                        title=f"缴费工资申报反馈：{detail.status}",
                        body=f"{row.submitted_at}提交的{row.declaration_type}缴费工资申报（{row.total}名职工）"
                        f"已获取反馈：{detail.status}。可在缴费工资申报记录中查看申报明细。",
                        read=False,
                    )
                )
        return self.records()

    def records(self) -> list[LocalDeclaration]:
        """缴费工资申报记录, newest first."""
        with self.session.engine.connect() as conn:
            rows = conn.execute(select(wage_declarations).order_by(wage_declarations.c.id.desc())).all()
        return [_local(row) for row in rows]

    def items(self, declaration_id: int) -> list[dict[str, Any]]:
        """申报明细 of one record."""
        with self.session.engine.connect() as conn:
            rows = conn.execute(
                select(wage_declaration_items)
                .where(wage_declaration_items.c.declaration_id == declaration_id)
                .order_by(wage_declaration_items.c.position)
            )
            return [dict(row._mapping) for row in rows]


def _local(row) -> LocalDeclaration:  # type: ignore[no-untyped-def]
    return LocalDeclaration(
        row.id,
        row.outbox_id,
        row.server_id,
        row.declaration_type,
        row.by,
        row.submitted_at,
        row.total,
        row.status,
        row.message,
    )


def startup_feedback(session: UnitSession, progress: object) -> None:
    """Login job: settle submissions a crash left open and fetch feedback that arrived meanwhile."""
    WageService(session).feedback()


def _carry_answer(conn: Connection, entry: Entry) -> None:
    """The outbox's final answer, into the declaration record (in the transaction that stores the answer)."""
    values: dict[str, Any]
    if entry.accepted:
        response = entry.response or {}
        values = {
            "status": PENDING,
            "server_id": response["declaration_id"],
            "submitted_at": response["submitted_at"],
            "message": "",
        }
    else:
        values = {"status": REFUSED, "message": (entry.response or {}).get("message", "提交失败")}
    conn.execute(update(wage_declarations).where(wage_declarations.c.outbox_id == entry.id).values(**values))


def _carry_stored_answers(engine: Engine) -> None:
    """Records still 提交中 although their answer is stored: left so by a version that stored the answer and
    updated the record in two steps, with a crash between them."""
    with engine.connect().execution_options(immediate=True) as conn, conn.begin():
        stale = conn.execute(
            select(outbox)
            .join(wage_declarations, wage_declarations.c.outbox_id == outbox.c.id)
            .where(outbox.c.kind == KIND, outbox.c.state == DONE, wage_declarations.c.status == SUBMITTING)
        ).all()
        for row in stale:
            _carry_answer(conn, entry_of(row))
