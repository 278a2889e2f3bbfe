"""缴费工资申报 end to end: read and check the file, submit through the outbox, fetch the feedback.

The declaration and its outbox row are written in one transaction before the request leaves; the local
record then shows 提交中 → 待反馈 → 全部申报成功 / 全部申报失败 / 部分申报成功 (manual 2.7).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import Connection, Engine, insert, select, update

from sbf_client.core.clock import format_timestamp
from sbf_client.core.errors import InputError
from sbf_client.core.periods import Period
from sbf_client.documents.tabular import read_table
from sbf_client.outbox.engine import DONE, Answer, Entry, Outbox
from sbf_client.remote.errors import RemoteError
from sbf_client.services.context import ClientContext
from sbf_client.services.notices import messages
from sbf_client.services.sync import UnitDatabases
from sbf_client.services.units import Session
from sbf_client.store.app_store import LocalUnit

from ..domain.wages import ID_HEADERS, DeclarationType, DeclareBy, Employee, WageCheck, check_rows, payload
from ..store.tables import employees, wage_declaration_items, wage_declarations

KIND = "wage_declaration"
SUBMITTING, PENDING, REFUSED = "提交中", "待反馈", "提交失败"


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


class WageService:
    def __init__(self, context: ClientContext, databases: UnitDatabases) -> None:
        self.context = context
        self.databases = databases

    # ------------------------------------------------------------------ preparing

    def check_file(self, unit: LocalUnit, path: Path, declaration_type: DeclarationType, by: DeclareBy) -> WageCheck:
        """Read the file and check every row against the cached employees; nothing is sent."""
        table = read_table(path)
        if not any(h in table.headers for h in ID_HEADERS):
            raise InputError("文件缺少“证件号码”列，请使用导入模板填写。")
        wanted = {next((r[h] for h in ID_HEADERS if r.get(h)), "").strip().upper() for r in table.rows}
        known = self._employees(self.databases.engine(unit), wanted)
        current = Period.of(self.context.clock.now().date())
        item_names = self.context.code_tables().get("item", {})
        return check_rows(table.rows, table.row_numbers, known, item_names, declaration_type, by, current)

    def _employees(self, engine: Engine, id_numbers: set[str]) -> dict[str, Employee]:
        found: dict[str, Employee] = {}
        numbers = sorted(n for n in id_numbers if n)
        with engine.connect() as conn:
            for start in range(0, len(numbers), 500):
                chunk = numbers[start : start + 500]
                for row in conn.execute(select(employees).where(employees.c.id_number.in_(chunk))):
                    found[row.id_number] = Employee(
                        row.key, row.name, row.id_type, row.id_number, orjson.loads(row.insured)
                    )
        return found

    # ------------------------------------------------------------------ submitting

    def declare(
        self,
        unit: LocalUnit,
        session: Session,
        check: WageCheck,
        declaration_type: DeclarationType,
        by: DeclareBy,
        intent: str | None = None,
    ) -> LocalDeclaration:
        """提交申报: write the declaration with its outbox row, then send it; a lost answer is settled later."""
        if not check.ok:
            raise InputError("申报数据有误，请修改后再提交：\n" + "\n".join(check.errors[:20]))
        engine = self.databases.engine(unit)
        outbox = Outbox(engine, self.context.clock)
        body = payload(check.lines, declaration_type, by)
        submitted = self.context.clock.now().strftime("%Y-%m-%d %H:%M:%S")

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

        entry = outbox.confirm(KIND, body, intent or uuid.uuid4().hex, also=write_record)
        try:
            entry = outbox.deliver(entry, *self._transport(unit, session))
        except RemoteError as problem:
            self._note(engine, entry.id, problem.message)
            raise
        return self._settle(engine, entry)

    def _transport(self, unit: LocalUnit, session: Session):  # type: ignore[no-untyped-def]
        api = self.context.api()

        def send(key: str, body: dict[str, Any]) -> Answer:
            accepted = api.declare_wages(unit.server_unit_id, session.token, key, body)
            return Answer(202, accepted.model_dump(mode="json"))

        def lookup(key: str) -> Answer | None:
            record = api.submission(unit.server_unit_id, session.token, key)
            return None if record is None else Answer(record.status_code, record.response)

        return send, lookup

    def _note(self, engine: Engine, outbox_id: int, message: str) -> None:
        with engine.begin() as conn:
            conn.execute(
                update(wage_declarations).where(wage_declarations.c.outbox_id == outbox_id).values(message=message)
            )

    def _settle(self, engine: Engine, entry: Entry) -> LocalDeclaration:
        """Carry the outbox's final answer into the declaration record."""
        values: dict[str, Any]
        if entry.state != DONE:
            values = {"status": SUBMITTING}
        elif entry.accepted:
            response = entry.response or {}
            values = {
                "status": PENDING,
                "server_id": response["declaration_id"],
                "submitted_at": response["submitted_at"],
                "message": "",
            }
        else:
            values = {"status": REFUSED, "message": (entry.response or {}).get("message", "提交失败")}
        with engine.begin() as conn:
            conn.execute(update(wage_declarations).where(wage_declarations.c.outbox_id == entry.id).values(**values))
            row = conn.execute(select(wage_declarations).where(wage_declarations.c.outbox_id == entry.id)).one()
        return _local(row)

    # ------------------------------------------------------------------ feedback

    def feedback(self, unit: LocalUnit, session: Session) -> list[LocalDeclaration]:
        """获取反馈: settle unfinished submissions, then fetch results of every 待反馈 declaration."""
        engine = self.databases.engine(unit)
        outbox = Outbox(engine, self.context.clock)
        for entry in outbox.reconcile(KIND, *self._transport(unit, session)):
            self._settle(engine, entry)
        api = self.context.api()
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
        return self.records(unit)

    def records(self, unit: LocalUnit) -> list[LocalDeclaration]:
        """缴费工资申报记录, newest first."""
        with self.databases.engine(unit).connect() as conn:
            rows = conn.execute(select(wage_declarations).order_by(wage_declarations.c.id.desc())).all()
        return [_local(row) for row in rows]

    def items(self, unit: LocalUnit, declaration_id: int) -> list[dict[str, Any]]:
        """申报明细 of one record."""
        with self.databases.engine(unit).connect() as conn:
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


def startup_feedback(
    context: ClientContext, databases: UnitDatabases, unit: LocalUnit, session: Session, progress: object
) -> None:
    """Login job: settle submissions a crash left open and fetch feedback that arrived meanwhile."""
    WageService(context, databases).feedback(unit, session)
