"""Makes the LibreOffice-saved files of this folder: a template the client writes, filled in LibreOffice Calc
as a person types (each entry goes through Calc's input parsing, under the cell's format) and saved by Calc
as .xlsx. The tests only read the saved files; run this again when a template's columns change.

Run from the repository root: ``.venv/bin/python tests/data/imports/make_libreoffice_files.py``. It needs
LibreOffice and its Python bridge (Debian: ``libreoffice-calc-nogui python3-uno``): the templates are written
with the project's Python, and the filling runs under the system Python, which has ``uno``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
VALID = [
    ["11010519491231002X", "王芳", "3", "9000.5", "2026-12", "2026-12-01", "一档", "备注"],
    ["110101199003070011", "赵六", "1", "12000", "2026-11", "2026-11-15", "三档", ""],
    ["H12345678", "陈美", "", "5400", "", "", "", "无"],
]
ERRORS = [
    ["11010519491231002X", "王芳", "3", "9000", "2026-12", "2026-12-01", "一档", ""],
    ["999999999999999999", "某人", "1", "9000", "2026-12", "2026-12-01", "一档", ""],
    ["A0000001", "职工1", "1", "12.345", "2026-12", "2026-12-01", "一档", ""],
    ["A0000002", "职工2", "1", "9000", "2026/13", "2026-12-01", "一档", ""],
    ["A0000003", "职工3", "1", "9000", "2026-12", "2026-02-30", "一档", ""],
    ["A0000004", "职工4", "1", "9000", "2026-12", "2026-12-01", "四档", ""],
    ["A0000005", "职工5", "3.5", "9000", "2026-12", "2026-12-01", "一档", ""],
    ["A0000006", "职工6", "1", "9000", "2026-12", "2026-12-01", "一档", "这是一段十三个字的备注文字"],
    ["11010519491231002X", "王芳", "2", "9100", "2026-12", "2026-12-01", "二档", ""],
]
WAGES = [["王芳", "11010519491231002X", "9000", "2026-12"], ["赵六", "110101199003070011", "12000.5", "2026-12"]]


def write_templates(folder: Path) -> list[tuple[str, list[list[str]], str]]:
    """Runs under the project's Python: the empty templates, and what to type into each."""
    root = HERE.parent.parent.parent
    sys.path[:0] = [str(root), str(root / "src")]
    from tests.unit.test_import_pipeline import KINDS

    from sbf_client.documents.templates import write_template
    from sbf_client.modules.employer.services.wage_import import wage_template

    kinds = write_template(KINDS, folder / "kinds.xlsx")
    wages = write_template(wage_template("日常", "按职工", ("职工基本医疗保险费",)), folder / "wages.xlsx")
    return [
        (str(kinds), VALID, str(HERE / "libreoffice-valid.xlsx")),
        (str(kinds), ERRORS, str(HERE / "libreoffice-errors.xlsx")),
        (str(wages), WAGES, str(HERE / "libreoffice-wages.xlsx")),
    ]


def fill(jobs: list[tuple[str, list[list[str]], str]]) -> None:
    """Runs under the system Python: open each template in Calc, type the rows, save as .xlsx."""
    import uno
    from com.sun.star.beans import PropertyValue

    def prop(name: str, value: object) -> PropertyValue:
        p = PropertyValue()
        p.Name, p.Value = name, value
        return p

    pipe = f"sbf-fixtures-{int(time.time())}"
    office = subprocess.Popen(
        ["soffice", "--headless", "--invisible", "--norestore", f"--accept=pipe,name={pipe};urp;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        resolver = uno.getComponentContext().ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", uno.getComponentContext()
        )
        for _ in range(100):
            try:
                context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except Exception:
                time.sleep(0.3)
        desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
        dispatcher = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.DispatchHelper", context)
        for template, rows, target in jobs:
            document = desktop.loadComponentFromURL(
                uno.systemPathToFileUrl(template), "_blank", 0, (prop("Hidden", True),)
            )
            frame = document.getCurrentController().getFrame()
            for r, row in enumerate(rows, start=2):
                for c, text in enumerate(row):
                    if text:  # typed into the cell as at the keyboard: Calc's input honours the cell's format
                        cell = f"{chr(65 + c)}{r}"
                        dispatcher.executeDispatch(frame, ".uno:GoToCell", "", 0, (prop("ToPoint", cell),))
                        dispatcher.executeDispatch(frame, ".uno:EnterString", "", 0, (prop("StringName", text),))
            document.storeToURL(uno.systemPathToFileUrl(target), (prop("FilterName", "Calc MS Excel 2007 XML"),))
            document.close(True)
        desktop.terminate()
    finally:
        try:
            office.wait(20)
        except subprocess.TimeoutExpired:
            office.kill()


if __name__ == "__main__":
    if sys.argv[1:2] == ["--fill"]:
        fill(json.loads(Path(sys.argv[2]).read_text(encoding="utf-8")))
    else:
        with tempfile.TemporaryDirectory() as scratch:
            jobs = write_templates(Path(scratch))
            (Path(scratch) / "jobs.json").write_text(json.dumps(jobs, ensure_ascii=False), encoding="utf-8")
            subprocess.run(["/usr/bin/python3", __file__, "--fill", str(Path(scratch) / "jobs.json")], check=True)
        print("\n".join(target for _, _, target in jobs))
