"""The 用人单位's part of the sandbox (the server side of this module's slice): the ``employees`` feed's people,
the 缴费工资申报 routes, rules and tables, and the feedback that matures in the background.

``SANDBOX`` is named by this module's ``ModuleSpec.sandbox`` and loaded by ``sbf_sandbox.business.businesses()``;
nothing in the client imports this package. It imports the sandbox and this module's contract only.
"""

from sbf_client.remote.contract import errors as codes
from sbf_sandbox.business import BusinessSandbox, FeedKind

from ..remote import contract as c
from . import people, routes, wages

SANDBOX = BusinessSandbox(
    business="employer",
    title="用人单位",
    people="职工",
    feeds=(FeedKind(c.EMPLOYEES, people.make_employee, people.leave, people.rebase),),
    routes=routes.router,
    process_due=wages.process_due,
    # The declaration's own data refused by the model: its business code, not the generic 10001.
    body_errors={("POST", c.WAGE_DECLARATIONS): (codes.WAGE_REQUEST_INVALID, "缴费工资申报数据有误")},
    field_names={
        "declaration_type": "申报类型",
        "by": "申报方式",
        "rows": "申报明细",
        "key": "职工标识",
        "item": "险种",
        "new_wage": "新缴费工资",
        "effective_month": "生效年月",
        "declaration_id": "申报记录编号",
    },
    pattern_words={c.ITEM_PATTERN: "须为5位数字的征收项目代码"},
)
