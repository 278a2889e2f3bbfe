"""The 代收单位's part of the sandbox (the server side of this module's slice): the ``residents`` feed's people
and the business's routes.

``SANDBOX`` is named by this module's ``ModuleSpec.sandbox`` and loaded by ``sbf_sandbox.business.businesses()``;
nothing in the client imports this package. It imports the sandbox and this module's contract only.
"""

from sbf_sandbox.business import BusinessSandbox, FeedKind

from ..remote import contract as c
from . import people, routes

SANDBOX = BusinessSandbox(
    business="collector",
    title="代收单位",
    people="城乡居民",
    feeds=(FeedKind(c.RESIDENTS, people.make_resident, people.leave, people.rebase),),
    routes=routes.router,
)
