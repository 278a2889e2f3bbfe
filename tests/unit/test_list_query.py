"""The page kit's Qt-free half: a ``ListSpec``'s WHERE / ORDER BY for every field kind, run against a real
SQLite table through ``ListSource`` (window, count, keys, rows, stream, plan), the typed settings, and cells."""

from __future__ import annotations

from array import array
from decimal import Decimal

import pytest
from sqlalchemy import create_engine, text

from sbf_client.core.ids import mask_id_number
from sbf_client.store.codes import CodeTables
from sbf_client.store.lists import ListColumn, ListQuery, ListSource, ListSpec, QueryField, like_pattern
from sbf_client.store.lists import source as source_module
from sbf_client.store.lists.cells import export_value, screen_formatter
from sbf_client.store.lists.query import order_clause, where_clause
from sbf_client.store.settings import COLUMN_WIDTHS, PAGE_SIZE, QUERY_COLLAPSED, Settings

HERE = "tests.unit.test_list_query"
PEOPLE = [
    # name, id_number, status, unit_no, updated_at, month, note, base
    ("张三", "11010519491231002X", "1", "U1", "2026-11-01 08:00:00", "2026-01", "50% 折扣", "3500.00"),
    ("李四", "440524188001010014", "2", "U1", "2026-11-30 23:30:00", "2026-03", "a_b", "4000.5"),
    ("王五", "110105194912310021", "1", "U2", "2026-12-01 00:00:00", "2026-06", "a\\b", "100"),
    ("赵六", "440301199001010011", "1", "U2", "2026-12-02 12:00:00", "2026-12", "500 元", "0"),
    ("张三丰", "440301198001010012", "2", "U2", "2026-12-03 09:59:59", "2027-01", "abc", "12345.67"),
]
COLUMNS = (
    ListColumn("name", "姓名", "name"),
    ListColumn("id_number", "证件号码", "id_number", mask="id_number"),
    ListColumn("status", "参保状态", "status", codes="employee_status"),
    ListColumn("base", "缴费基数", "base", kind="money", align="right"),
    ListColumn("note", "备注", "note", sortable=False),
)
FIELDS = (
    QueryField("name", "姓名", "text", sql="name"),
    QueryField("note", "备注", "like", sql="note"),
    QueryField("id_number", "证件号码", "like", sql="id_number", upper=True),
    QueryField("status", "参保状态", "choice", sql="status", choices="codes:employee_status", index="ix_people_status"),
    QueryField("updated_at", "更新时间", "date_range", sql="updated_at", index="ix_people_updated_at"),
    QueryField("month", "所属期", "month_range", sql="month"),
    QueryField("search", "姓名", "search", filter=f"{HERE}:name_or_pinyin"),
    QueryField("unit", "单位编号", "group", filter=f"{HERE}:unit_group"),
)
SPEC = ListSpec(
    id="people", title="人员", source="people", columns=COLUMNS, order="name", fields=FIELDS, watches=frozenset()
)
CODES = CodeTables({"employee_status": {"1": "正常缴费", "2": "停止缴费"}})


def name_or_pinyin(value: str) -> tuple[str, dict]:
    """A module's search filter: the typed text, bound, under its own parameter name."""
    return "name LIKE :search_name ESCAPE '\\'", {"search_name": like_pattern(value)}


def unit_group(value: str) -> tuple[str, dict]:
    return "unit_no = :unit_no", {"unit_no": value}


def clashing_filter(value: str) -> tuple[str, dict]:
    """Binds the same name as ``name_or_pinyin`` — with another value when the typed texts differ."""
    return "note LIKE :search_name ESCAPE '\\'", {"search_name": like_pattern(value)}


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    engine = create_engine(f"sqlite:///{tmp_path_factory.mktemp('lists')}/people.sqlite")
    with engine.begin() as conn:
        conn.execute(
            text(
                "CREATE TABLE people(name TEXT, id_number TEXT, status TEXT, unit_no TEXT, updated_at TEXT,"
                " month TEXT, note TEXT, base TEXT)"
            )
        )
        for column in ("id_number", "status", "updated_at"):
            conn.execute(text(f"CREATE INDEX ix_people_{column} ON people({column})"))
        conn.execute(
            text("INSERT INTO people VALUES (:a, :b, :c, :d, :e, :f, :g, :h)"),
            [dict(zip("abcdefgh", row, strict=True)) for row in PEOPLE],
        )
    yield engine
    engine.dispose()


def names(engine, **values) -> list[str]:
    """The names the list shows for these query-panel values, in the list's order."""
    source = ListSource(engine, SPEC)
    query = ListQuery(values)
    keys = source.keys(query)
    found = source.rows(keys)
    assert source.count(query) == len(keys)
    return [found[key][0] for key in keys]


def test_no_values_no_filter_and_the_default_order_then_the_key():
    assert where_clause(SPEC, ListQuery()) == ("", {})
    empty = {"name": "  ", "status": None, "updated_at": ("", ""), "search": "", "unit": None}
    assert where_clause(SPEC, ListQuery(empty)) == ("", {})
    assert order_clause(SPEC, ListQuery()) == " ORDER BY name, rowid"


def test_text_is_an_exact_match_of_the_stripped_text(engine):
    assert where_clause(SPEC, ListQuery({"name": " 张三 "})) == (" WHERE (name = :q0)", {"q0": "张三"})
    assert names(engine, name=" 张三 ") == ["张三"]


def test_like_takes_the_users_wildcards_literally(engine):
    sql, params = where_clause(SPEC, ListQuery({"note": "50%"}))
    assert sql == " WHERE (note LIKE :q1 ESCAPE '\\')" and params == {"q1": "%50\\%%"}
    assert names(engine, note="50%") == ["张三"]  # not 500 元
    assert names(engine, note="a_b") == ["李四"]  # not abc
    assert names(engine, note="a\\b") == ["王五"]
    assert names(engine, note="%") == ["张三"]
    assert names(engine, note="b") == ["张三丰", "李四", "王五"]  # name order (by code point)


def test_upper_folds_the_typed_text_first(engine):
    assert where_clause(SPEC, ListQuery({"id_number": "002x"}))[1] == {"q2": "%002X%"}
    assert names(engine, id_number="1231002x") == ["张三"]


def test_a_choice_filters_by_its_value_and_the_first_none_does_not(engine):
    assert where_clause(SPEC, ListQuery({"status": "2"})) == (" WHERE (status = :q3)", {"q3": "2"})
    assert names(engine, status="2") == ["张三丰", "李四"]
    assert len(names(engine, status=None)) == len(PEOPLE)


def test_a_date_range_includes_the_whole_of_its_last_day(engine):
    sql, params = where_clause(SPEC, ListQuery({"updated_at": ("2026-11-30", "2026-12-02")}))
    assert sql == " WHERE (updated_at >= :q4_from AND updated_at <= :q4_to)"
    assert params == {"q4_from": "2026-11-30", "q4_to": "2026-12-02 23:59:59"}
    assert names(engine, updated_at=("2026-11-30", "2026-12-02")) == ["李四", "王五", "赵六"]
    assert names(engine, updated_at=("", "2026-11-30")) == ["张三", "李四"]  # only an end
    assert names(engine, updated_at=("2026-12-03", "")) == ["张三丰"]  # only a start
    assert where_clause(SPEC, ListQuery({"updated_at": ("", "2026-12-02 12:00:00")}))[1] == {
        "q4_to": "2026-12-02 12:00:00"  # a full time is taken as it is
    }


def test_a_month_range_compares_months_as_they_are(engine):
    params = where_clause(SPEC, ListQuery({"month": ("2026-03", "2026-12")}))[1]
    assert params == {"q5_from": "2026-03", "q5_to": "2026-12"}
    assert names(engine, month=("2026-03", "2026-12")) == ["李四", "王五", "赵六"]


def test_a_search_field_goes_through_its_filter_reference(engine):
    sql, params = where_clause(SPEC, ListQuery({"search": " 张 "}))
    assert sql == " WHERE (name LIKE :search_name ESCAPE '\\')" and params == {"search_name": "%张%"}
    assert names(engine, search="张") == ["张三", "张三丰"]
    assert names(engine, unit="U1") == ["张三", "李四"]  # a group's filter too
    assert names(engine, search="张", status="2", updated_at=("2026-12-01", "")) == ["张三丰"]  # all ANDed


def test_a_search_field_without_a_filter_and_clashing_parameters_are_refused():
    lonely = ListSpec("x", "x", "people", COLUMNS, "name", fields=(QueryField("s", "s", "search"),))
    with pytest.raises(ValueError, match="names no filter"):
        where_clause(lonely, ListQuery({"s": "a"}))
    clashing = ListSpec(
        "y",
        "y",
        "people",
        COLUMNS,
        "name",
        fields=(
            QueryField("a", "a", "search", filter=f"{HERE}:name_or_pinyin"),
            QueryField("b", "b", "search", filter=f"{HERE}:clashing_filter"),
        ),
    )
    with pytest.raises(ValueError, match="bound twice"):
        where_clause(clashing, ListQuery({"a": "张", "b": "abc"}))
    assert where_clause(clashing, ListQuery({"a": "张", "b": "张"}))[1] == {"search_name": "%张%"}  # the same value


def test_user_text_is_bound_never_written_into_the_statement(engine):
    hostile = "' OR 1=1 --"
    for values in ({"name": hostile}, {"note": hostile}, {"search": hostile}, {"status": hostile}):
        sql, _params = where_clause(SPEC, ListQuery(values))
        assert hostile not in sql and "1=1" not in sql
        assert names(engine, **values) == []


def test_order_by_a_column_either_way_with_the_key_as_tie_break(engine):
    assert order_clause(SPEC, ListQuery(order_column="base")) == " ORDER BY base, rowid"
    assert order_clause(SPEC, ListQuery(order_column="base", descending=True)) == " ORDER BY base DESC, rowid DESC"
    assert order_clause(SPEC, ListQuery(order_column="note")) == " ORDER BY name, rowid"  # not sortable: default
    with pytest.raises(ValueError, match="unknown column"):
        order_clause(SPEC, ListQuery(order_column="nothing"))
    source = ListSource(engine, SPEC)
    by_status = source.keys(ListQuery(order_column="status", descending=True))
    assert list(by_status) == [5, 2, 4, 3, 1]  # 2 before 1, rowids descending within each


def test_sorted_by_keeps_the_filters_and_same_filters_ignores_the_order():
    query = ListQuery({"status": "1"})
    sorted_query = query.sorted_by("name", True)
    assert sorted_query.values == {"status": "1"} and sorted_query.order_column == "name" and sorted_query.descending
    assert query.same_filters(sorted_query) and not query.same_filters(ListQuery({"status": "2"}))


def test_keys_are_an_int_array_for_rowid_keys_and_a_window_is_a_slice_of_them(engine):
    source = ListSource(engine, SPEC)
    keys = source.keys(ListQuery())
    assert isinstance(keys, array) and keys.typecode == "q" and list(keys) == [1, 5, 2, 3, 4]
    assert source.window(ListQuery(), 1, 3) == [5, 2, 3]
    assert source.window(ListQuery({"status": "2"}), 0, 10) == [5, 2]
    assert source.count(ListQuery({"status": "2"})) == 2
    empty = source.keys(ListQuery({"name": "无此人"}))
    assert len(empty) == 0 and source.count(ListQuery({"name": "无此人"})) == 0
    by_name = ListSource(engine, ListSpec("n", "n", "people", COLUMNS, "name", key="id_number"))
    assert by_name.keys(ListQuery())[0] == "11010519491231002X"  # text keys stay a list


def test_rows_come_in_chunks_and_stream_keeps_the_order(engine, monkeypatch):
    monkeypatch.setattr(source_module, "ROWS_CHUNK", 2)
    monkeypatch.setattr(source_module, "STREAM_BATCH", 2)
    source = ListSource(engine, SPEC)
    rows = source.rows([4, 1, 3, 99])  # 99: deleted since the keys were read
    assert set(rows) == {1, 3, 4} and rows[4] == ("赵六", "440301199001010011", "1", "0", "500 元")
    streamed = list(source.stream(ListQuery({"status": "1"}, "base", descending=True)))
    assert [row[0] for row in streamed] == ["张三", "王五", "赵六"]  # base is text: "3500.00" > "100" > "0"
    assert [row[0] for row in source.stream(ListQuery(), keys=[3, 99, 1, 5, 2, 4])] == [
        "王五",
        "张三",
        "张三丰",
        "李四",
        "赵六",
    ]


def test_plan_says_which_index_serves_a_field(engine):
    source = ListSource(engine, SPEC)
    for key, value in (("status", "1"), ("updated_at", ("2026-12-01", ""))):
        plan = source.plan(ListQuery({key: value}))
        assert f"USING INDEX {SPEC.query_field(key).index}" in plan, plan
    # A substring (LIKE '%…%') cannot use a b-tree index: the plan shows the scan a full-text index would avoid.
    assert "SCAN people" in source.plan(ListQuery({"id_number": "002X"}))


def test_a_spec_refuses_two_columns_or_fields_of_one_key():
    with pytest.raises(ValueError, match="two columns"):
        ListSpec("d", "d", "people", (COLUMNS[0], COLUMNS[0]), "name")
    with pytest.raises(ValueError, match="two query fields"):
        ListSpec("d", "d", "people", COLUMNS, "name", fields=(FIELDS[0], FIELDS[0]))
    with pytest.raises(ValueError, match="unknown query field"):
        SPEC.query_field("nothing")


class DictStore:
    """The application store's key/values, in a dict (the list tests and ``bench_list_page`` use it too)."""

    def __init__(self) -> None:
        self.values: dict = {}

    def setting(self, key, default=None):
        return self.values.get(key, default)

    def set_setting(self, key, value):
        self.values[key] = value


def test_settings_are_typed_with_their_defaults_and_scoped_per_list():
    store = DictStore()
    settings = Settings(store)
    assert settings.get(PAGE_SIZE) == 1000 and settings.get(COLUMN_WIDTHS, "people") == {}
    settings.set(PAGE_SIZE, 20)
    settings.set(COLUMN_WIDTHS, {"name": 230}, "people")
    assert store.values == {"table.page_size": 20, "table.widths.people": {"name": 230}}
    assert settings.get(COLUMN_WIDTHS, "people") == {"name": 230} and settings.get(COLUMN_WIDTHS, "other") == {}
    with pytest.raises(ValueError):
        settings.set(PAGE_SIZE, 33)
    store.values.update({"table.page_size": 33, "table.query_collapsed": "yes", "table.widths.people": [1]})
    assert settings.get(PAGE_SIZE) == 1000 and settings.get(QUERY_COLLAPSED) is False  # hand-edited: defaults
    assert settings.get(COLUMN_WIDTHS, "people") == {}


def test_cells_show_code_names_masks_and_money_and_export_in_full_when_asked():
    by_key = {column.key: column for column in COLUMNS}
    assert screen_formatter(by_key["status"], CODES)("2") == "停止缴费"
    assert screen_formatter(by_key["status"], CODES)("9") == "9"  # an unknown code shows as itself
    assert screen_formatter(by_key["id_number"], CODES)(PEOPLE[0][1]) == mask_id_number(PEOPLE[0][1])
    assert screen_formatter(by_key["base"], CODES)("4000.5") == "4,000.50"
    assert screen_formatter(by_key["base"], CODES)("") == ""  # not declared yet: an empty cell, not an error
    assert screen_formatter(by_key["name"], CODES) is None
    assert export_value(by_key["id_number"], CODES, full=True)(PEOPLE[0][1]) == PEOPLE[0][1]
    assert export_value(by_key["id_number"], CODES, full=False)(PEOPLE[0][1]) == mask_id_number(PEOPLE[0][1])
    assert export_value(by_key["base"], CODES, full=True)("4000.5") == Decimal("4000.5")
    assert export_value(by_key["base"], CODES, full=True)(None) is None
    assert export_value(by_key["status"], CODES, full=False)(None) == ""
    assert CODES.choices("employee_status") == [("正常缴费", "1"), ("停止缴费", "2")]
    assert CodeTables.of(DictStore()).tables == {}
