"""Endpoint paths both businesses share. Personal data (ID numbers, passwords) never appears in a path or a query
string. A business's own paths are in ``modules/<business>/remote/contract.py``; the feeds a business serves are
named there too.
"""

REGION_ROOT = "/r/{region_id}"

# 管理子系统
MGMT_PING = "/mgmt/v1/ping"
MGMT_CODES = "/mgmt/v1/codes"  # 规则文件: code tables the client resolves names with
MGMT_NOTICES = "/mgmt/v1/notices"  # 通知公告 of the region
TAXPAYER_LOOKUP = "/mgmt/v1/taxpayers/lookup"  # POST: the 纳税人识别号 travels in the body
UNIT_SESSION = "/mgmt/v1/units/{unit_id}/session"  # POST: verify the 申报密码, open a session
UNIT_PASSWORD = "/mgmt/v1/units/{unit_id}/password"  # POST: change the 申报密码
UNIT_REGISTRATION = "/mgmt/v1/units/{unit_id}/registration"  # GET: 参保登记信息
FEED_CHANGES = "/mgmt/v1/units/{unit_id}/feeds/{feed}/changes"  # GET ?since=&limit=&epoch=
FEED_INFO = "/mgmt/v1/units/{unit_id}/feeds/{feed}/info"  # GET: live count, last seq, epoch
DEMO_ACCOUNTS = "/mgmt/v1/demo/accounts"  # GET: the sandbox's demo taxpayers (演示地区 only)
SUBMISSION = "/mgmt/v1/units/{unit_id}/submissions/{key}"  # GET: what became of an Idempotency-Key

# 征收子系统
COLL_PING = "/coll/v1/ping"

# Sandbox administration, relative to the server root (not a region).
ADMIN_HEALTH = "/admin/health"
ADMIN_FAULTS = "/admin/faults"
ADMIN_SETTINGS = "/admin/settings"
ADMIN_MUTATE = "/admin/units/{unit_id}/feeds/{feed}/mutate"
ADMIN_REKEY = "/admin/units/{unit_id}/feeds/{feed}/rekey"
ADMIN_COMPACT = "/admin/units/{unit_id}/feeds/{feed}/compact"

MAX_PAGE = 10_000

IDEMPOTENCY_HEADER = "Idempotency-Key"
