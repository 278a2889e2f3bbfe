"""通知公告 (from the 管理子系统, kept for offline reading) and 消息中心 (messages of this unit)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Boolean, Column, Engine, Integer, MetaData, String, Table, Text, func, insert, select, update

from sbf_client.core.clock import Clock, format_timestamp
from sbf_client.remote.contract.models import Notice

from .context import ClientContext

NOTICES_SETTING = "notices"

metadata = MetaData()
messages = Table(
    "messages",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("created_at", String, nullable=False),
    Column("category", String, nullable=False),
    Column("title", String, nullable=False),
    Column("body", Text, nullable=False),
    Column("read", Boolean, nullable=False),
)


def refresh_notices(context: ClientContext) -> list[Notice]:
    """Download the region's 通知公告 and keep them for offline reading."""
    notices = context.api().notices()
    context.store.set_setting(NOTICES_SETTING, [n.model_dump() for n in notices])
    return notices


def cached_notices(context: ClientContext) -> list[Notice]:
    """From the oldest to the newest, as the manual shows them (M1022)."""
    saved = context.store.setting(NOTICES_SETTING) or []
    return sorted((Notice.model_validate(item) for item in saved), key=lambda n: n.published_at)


@dataclass(frozen=True)
class Message:
    id: int
    created_at: str
    category: str
    title: str
    body: str
    read: bool


class MessageCenter:
    """消息中心 of one unit: what the client itself has to tell the user (updates, feedback, problems)."""

    def __init__(self, engine: Engine, clock: Clock) -> None:
        self.engine = engine
        self.clock = clock

    def add(self, category: str, title: str, body: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                insert(messages).values(
                    created_at=format_timestamp(self.clock.now()), category=category, title=title, body=body, read=False
                )
            )

    def unread(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(
                select(func.count()).select_from(messages).where(messages.c.read.is_(False))
            ).scalar_one()

    def recent(self, limit: int = 200) -> list[Message]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(messages).order_by(messages.c.id.desc()).limit(limit)).all()
        return [Message(r.id, r.created_at, r.category, r.title, r.body, bool(r.read)) for r in rows]

    def mark_all_read(self) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(messages).where(messages.c.read.is_(False)).values(read=True))
