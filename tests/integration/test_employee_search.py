"""The 姓名 / 证件号码 boxes of 职工参保信息更新 against a real unit database, filled by syncs from a real sandbox.

Each search is checked against the same rule evaluated in Python over every cached row, so a wrong plan or a
stale full-text index shows up as a missing or extra employee. Names are changed in the sandbox's own
feed (as the 管理子系统 would), so the syncs bring them in like any other change.
"""

import os
from datetime import datetime

import pytest
from alembic import command
from sqlalchemy import text

from sbf_client.core.clock import clock_from
from sbf_client.modules.employer.domain.pinyin import pinyin_keys
from sbf_client.modules.employer.store.search import id_number_filter, name_filter
from sbf_client.modules.employer.sync.datasets import EMPLOYEES
from sbf_client.store.engine import sqlite_engine
from sbf_client.store.migrate import unit_config
from sbf_client.store.unit_store import open_unit_db
from sbf_client.sync.engine import SyncEngine
from sbf_client.sync.remote_feed import RemoteFeed
from sbf_sandbox import db, feeds
from tests.helpers import EMPLOYER_SCHEMA, admin, api, login

UNIT = "Z0006"  # 180 employees


@pytest.fixture
def cache(tmp_path):
    engine = open_unit_db(tmp_path / "unit.sqlite", EMPLOYER_SCHEMA)
    yield engine
    engine.dispose()


@pytest.fixture
def sync(sandbox, cache):
    remote = api(sandbox)
    feed = RemoteFeed(remote, UNIT, "employees", login(remote, UNIT, "000017"))
    return SyncEngine(cache, feed, EMPLOYEES, clock_from(os.environ), page_size=40)


def server_keys(sandbox) -> list[str]:
    engine = db.make_engine(db.sqlite_url(sandbox.data_dir))
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                text("SELECT key FROM records WHERE unit_id = :u AND feed = 'employees' AND deleted = 0 ORDER BY key"),
                {"u": UNIT},
            )
            return [key for (key,) in rows]
    finally:
        engine.dispose()


def rename(sandbox, names: dict[str, str]) -> None:
    """Give employees new names in the sandbox's feed: each change gets the next seq, like any other."""
    engine = db.make_engine(db.sqlite_url(sandbox.data_dir))
    try:
        with engine.connect().execution_options(write=True) as conn, conn.begin():
            current = feeds.load(conn, UNIT, "employees", list(names))
            changes = []
            for key, name in names.items():
                current[key]["name"] = name
                changes.append(feeds.Change(key, current[key]))
            feeds.write(conn, UNIT, "employees", changes, datetime.now().strftime("%Y-%m-%d %H:%M:%S"))
    finally:
        engine.dispose()


def cached(cache) -> dict[str, tuple[str, str, str, str]]:
    """key → (name, id_number, initials, pinyin) as the cache holds them (every name has its keys)."""
    with cache.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT key, e.name, id_number, initials, pinyin FROM employees e JOIN employee_names n ON n.name = e.name"
        ).all()
        assert len(rows) == conn.exec_driver_sql("SELECT count(*) FROM employees").scalar_one()
        return {key: tuple(rest) for key, *rest in rows}


def names_held(cache) -> set[str]:
    with cache.connect() as conn:
        return {name for (name,) in conn.exec_driver_sql("SELECT name FROM employee_names")}


def found(cache, fragment: tuple[str, dict]) -> set[str]:
    """The keys a fragment selects, through the list's own query shape (first window and beyond)."""
    sql, params = fragment
    with cache.connect() as conn:
        rows = conn.execute(text(f"SELECT key FROM employees WHERE {sql} ORDER BY name, rowid"), params)
        return {key for (key,) in rows}


def expected_by_name(rows, typed: str) -> set[str]:
    """The documented rule: Chinese is a substring of the name; latin letters a prefix of the initials or
    of the full pinyin, or — from three letters — a piece of the full pinyin anywhere."""
    letters = "".join(c for c in typed if c not in " ·").lower()
    if letters.isascii() and letters.isalpha():
        return {
            key
            for key, (_n, _i, initials, full) in rows.items()
            if initials.startswith(letters) or full.startswith(letters) or (len(letters) >= 3 and letters in full)
        }
    return {key for key, (name, *_rest) in rows.items() if typed in name}


def assert_index_matches_table(cache) -> None:
    """FTS5 compares every entry of the external-content index with the names (raises if they differ)."""
    with cache.begin() as conn:
        conn.exec_driver_sql("INSERT INTO employee_names_fts(employee_names_fts, rank) VALUES ('integrity-check', 1)")


NAMES = ("林婷", "林婷婷", "欧阳娜娜", "吕梦", "曾小明", "阿卜杜拉·艾尼瓦尔", "Alice Wang")


def test_a_name_is_found_by_substring_initials_and_full_pinyin(sandbox, cache, sync):
    keys = server_keys(sandbox)
    people = dict(zip(keys, NAMES, strict=False))
    rename(sandbox, people)
    sync.run()
    rows = cached(cache)
    assert {rows[key][0] for key in people} == set(NAMES)
    assert all(rows[key][2:] == pinyin_keys(name) for key, name in people.items())
    by_name = {name: key for key, name in people.items()}

    for typed, must_find in [
        ("林", {"林婷", "林婷婷"}),
        ("林婷", {"林婷", "林婷婷"}),  # two characters: met in list order
        ("林婷婷", {"林婷婷"}),  # three: the trigram index
        ("婷", {"林婷", "林婷婷"}),
        ("·艾尼", {"阿卜杜拉·艾尼瓦尔"}),
        ("lt", {"林婷", "林婷婷"}),  # initials
        ("LT", {"林婷", "林婷婷"}),
        ("l", {"林婷", "林婷婷", "吕梦"}),
        ("linting", {"林婷", "林婷婷"}),  # full pinyin
        ("Lin Ting", {"林婷", "林婷婷"}),
        ("lint", {"林婷", "林婷婷"}),
        ("ting", {"林婷", "林婷婷"}),  # a piece of the pinyin, anywhere
        ("tingting", {"林婷婷"}),
        ("oynn", {"欧阳娜娜"}),
        ("ouyangnana", {"欧阳娜娜"}),
        ("lvmeng", {"吕梦"}),
        ("zxm", {"曾小明"}),
        ("zengxiaoming", {"曾小明"}),
        ("abudula", {"阿卜杜拉·艾尼瓦尔"}),
        ("alice", {"Alice Wang"}),
        ("aw", {"Alice Wang"}),
        ("icewang", {"Alice Wang"}),
    ]:
        result = found(cache, name_filter(typed))
        assert {by_name[name] for name in must_find} <= result, typed
        assert result == expected_by_name(rows, typed), typed
    assert found(cache, name_filter("林婷婷婷")) == set()
    assert found(cache, name_filter("qqqqqq")) == set()


def test_an_id_number_is_found_by_any_fragment(sandbox, cache, sync):
    sync.run()
    rows = cached(cache)
    number = next(n for _name, n, *_ in rows.values() if len(n) == 18)
    for fragment in (number[:2], number[6:10], number[3:9], number[4:14], number, number[-2:].lower()):
        result = found(cache, id_number_filter(fragment))
        assert result == {key for key, (_n, n, *_r) in rows.items() if fragment.upper() in n}, fragment
        assert result
    assert found(cache, id_number_filter(f" {number[:6]} {number[6:]} ")) == found(cache, id_number_filter(number))


def test_wildcards_and_quotes_typed_are_ordinary_characters(sandbox, cache, sync):
    keys = server_keys(sandbox)
    odd = {keys[0]: "王%芳", keys[1]: "李_明", keys[2]: '张"伟"', keys[3]: "赵\\敏"}
    rename(sandbox, odd)
    sync.run()
    for typed, key in [("%", keys[0]), ("王%芳", keys[0]), ("_", keys[1]), ("李_明", keys[1]), ('"', keys[2])]:
        assert found(cache, name_filter(typed)) == {key}, typed
    assert found(cache, name_filter('张"伟"')) == {keys[2]}
    assert found(cache, name_filter("\\")) == {keys[3]}
    assert found(cache, name_filter("%%%")) == set()
    assert found(cache, id_number_filter("%")) == set()
    assert found(cache, id_number_filter("_" * 12)) == set()


def test_the_text_index_follows_incremental_and_full_updates(sandbox, cache, sync):
    keys = server_keys(sandbox)
    first, second, third = keys[10], keys[11], keys[12]
    rename(sandbox, {first: "林婷婷", second: "欧阳娜娜", third: "上官婉儿"})
    sync.run()
    assert found(cache, name_filter("林婷婷")) == {first}

    # 增量更新: a changed name is found by its new name, not its old; a removed employee is gone.
    before = cached(cache)
    rename(sandbox, {first: "诸葛明亮"})
    done = admin(sandbox, "POST", f"/admin/units/{UNIT}/feeds/employees/mutate", {"hires": 3, "removals": 2})
    result = sync.run()
    assert result.mode == "incremental" and result.changed >= 1
    assert found(cache, name_filter("诸葛明亮")) == {first}
    assert found(cache, name_filter("林婷婷")) == set()
    assert found(cache, name_filter("zhugemingliang")) == {first}
    assert found(cache, name_filter("lintingting")) == set()
    assert found(cache, name_filter("欧阳娜娜")) == {second}
    rows = cached(cache)
    for key in done["deleted"]:
        name, number, *_ = before[key]
        assert key not in rows
        assert key not in found(cache, name_filter(name)) | found(cache, id_number_filter(number))
    for key in done["added"]:  # hires are found by their name and ID number through the index
        name, number, *_ = rows[key]
        assert key in found(cache, id_number_filter(number))
        if len(name) >= 3:
            assert key in found(cache, name_filter(name))
    assert_index_matches_table(cache)

    # A name no employee holds any more stays among the names until a full update; it finds no one.
    assert "林婷婷" in names_held(cache)

    # 全量更新: the table is swapped for a new one (new rowids); the names no one holds are dropped.
    rename(sandbox, {second: "司马相如"})
    full = sync.run(full=True)
    assert full.mode == "full"
    assert found(cache, name_filter("司马相如")) == {second}
    assert found(cache, name_filter("simaxiangru")) == {second}
    assert found(cache, name_filter("欧阳娜娜")) == set()
    assert found(cache, name_filter("oyn")) == set()
    assert found(cache, name_filter("上官婉儿")) == {third}
    assert found(cache, name_filter("诸葛明亮")) == {first}
    assert names_held(cache) == {name for name, *_ in cached(cache).values()}
    assert_index_matches_table(cache)


def test_a_full_update_that_changes_many_rows_keeps_every_name_findable(sandbox, cache, sync):
    sync.run()
    keys = server_keys(sandbox)
    new_names = [surname + given + "华" for surname in "赵钱孙李周吴郑王冯陈" for given in "天地人"]
    renamed = dict(zip(keys[:30], new_names, strict=True))  # a sixth of the unit: the tables are swapped
    rename(sandbox, renamed)
    result = sync.run(full=True)
    assert (result.mode, result.changed) == ("full", 30)
    rows = cached(cache)
    assert names_held(cache) == {name for name, *_ in rows.values()}  # the old names are gone
    for key, name in renamed.items():
        assert key in found(cache, name_filter(name))
        assert rows[key][2:] == pinyin_keys(name)
    for typed in ("赵天华", "华", "zth", "zhaotianhua", "tianhua", "z"):
        assert found(cache, name_filter(typed)) == expected_by_name(rows, typed), typed
    assert_index_matches_table(cache)


def _seed(conn, table: str, names: tuple[str, ...]) -> None:
    for number, name in enumerate(names):
        conn.exec_driver_sql(
            f"INSERT INTO {table} (key, seq, person_no, name, gender, id_type, id_number, birth_date, "
            "unit_no, status, updated_at, insured) VALUES (?, ?, 'P', ?, '2', '01', ?, '1990-01-01', "
            "'000017', '1', '2026-11-01 08:00:00', '[]')",
            (f"K{number}", number, name, f"11010519900101{number:03d}X"),
        )


@pytest.mark.parametrize("cached_at", ["e0002", "e0003_name_search"])
def test_the_migration_gives_names_already_cached_their_pinyin_and_index(tmp_path, cached_at):
    """From before the name search (e0002) and from keys kept on every row (e0003) alike."""
    path = tmp_path / "unit.sqlite"
    engine = sqlite_engine(path)
    cfg = unit_config(EMPLOYER_SCHEMA)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, cached_at)
        _seed(conn, "employees", ("林婷", "吕梦", "王芳"))
        _seed(conn, "employees_staging", ("曾小明",))
    engine.dispose()
    upgraded = open_unit_db(path, EMPLOYER_SCHEMA)
    try:
        with upgraded.connect() as conn:
            rows = dict(conn.exec_driver_sql("SELECT name, initials || '/' || pinyin FROM employee_names").all())
            columns = {c for (c,) in conn.exec_driver_sql("SELECT name FROM pragma_table_info('employees')")}
        assert rows == {"林婷": "lt/linting", "吕梦": "lm/lvmeng", "王芳": "wf/wangfang"}  # not staging's 曾小明
        assert not {"name_initials", "name_pinyin"} & columns
        assert found(upgraded, name_filter("lvmeng")) == {"K1"}
        assert found(upgraded, id_number_filter("19900101001")) == {"K1"}
        assert found(upgraded, name_filter("lt")) == {"K0"}
        assert_index_matches_table(upgraded)
    finally:
        upgraded.dispose()


def test_the_name_keys_migration_goes_back_to_keys_on_every_row(tmp_path):
    path = tmp_path / "unit.sqlite"
    open_unit_db(path, EMPLOYER_SCHEMA).dispose()
    engine = sqlite_engine(path)
    cfg = unit_config(EMPLOYER_SCHEMA)
    with engine.begin() as conn:
        _seed(conn, "employees", ("林婷", "吕梦"))
        conn.exec_driver_sql("INSERT INTO employee_names (name, initials, pinyin) VALUES ('林婷', 'lt', 'linting')")
        conn.exec_driver_sql("INSERT INTO employee_names (name, initials, pinyin) VALUES ('吕梦', 'lm', 'lvmeng')")
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "e0005_unit_insurance")
        rows = conn.exec_driver_sql("SELECT name, name_initials, name_pinyin FROM employees ORDER BY key").all()
        matched = conn.exec_driver_sql(
            "SELECT e.name FROM employees_fts f JOIN employees e ON e.rowid = f.rowid WHERE employees_fts MATCH 'meng'"
        ).all()
    engine.dispose()
    assert [tuple(r) for r in rows] == [("林婷", "lt", "linting"), ("吕梦", "lm", "lvmeng")]
    assert [tuple(r) for r in matched] == [("吕梦",)]


@pytest.mark.parametrize(
    ("where", "params", "index"),
    [
        ("1", {}, "employees_by_name"),
        ("status = :v", {"v": "2"}, "employees_by_name"),
        ("id_type = :v", {"v": "01"}, "employees_by_name"),
        ("unit_no = :v", {"v": "000017"}, "employees_by_name"),
        ("updated_at >= :a AND updated_at <= :b", {"a": "2026-01-01", "b": "2026-02-01"}, "employees_by_name"),
        ("id_number = :v", {"v": "110105199001010010"}, "employees_by_id_number"),
        (*id_number_filter("1990"), "employees_by_name"),
        (*id_number_filter("110105199001"), "employees_by_name"),
        (*name_filter("林"), "employees_by_name (name=?)"),
        (*name_filter("林"), "sqlite_autoindex_employee_names_1"),
        (*name_filter("林婷婷"), "employee_names_fts"),
        (*name_filter("lt"), "employee_names_by_initials"),
        (*name_filter("lint"), "employee_names_fts"),
        (*name_filter("lint"), "employees_by_name (name=?)"),
        (*name_filter("linting"), "employee_names_fts"),
    ],
)
def test_every_query_field_is_served_by_an_index(cache, where, params, index):
    with cache.connect() as conn:
        steps = [
            row[-1]
            for row in conn.execute(
                text(f"EXPLAIN QUERY PLAN SELECT rowid FROM employees WHERE {where} ORDER BY name, rowid LIMIT 100"),
                params,
            )
        ]
    assert any(index in step for step in steps), steps
    assert "SCAN employees" not in steps, steps  # never a walk through the table itself


def test_every_index_a_list_declares_is_in_the_schema(cache):
    """``QueryField.index`` is what a reader of the ListSpec trusts; it names indexes the unit database has."""
    from sbf_client.modules.employer.services.lists import EMPLOYEES
    from sbf_client.modules.employer.services.unit_insurance import UNIT_INSURANCE

    with cache.connect() as conn:
        held = {
            name for (name,) in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type IN ('index', 'table')")
        }
    for spec in (EMPLOYEES, UNIT_INSURANCE):
        for field in spec.fields:
            named = {part.strip() for part in field.index.split("/")}
            assert field.index and named <= held, (spec.id, field.key, named - held)
