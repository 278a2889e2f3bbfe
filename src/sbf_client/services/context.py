"""The client's running context, shared by the desktop UI and the command line: the data home, the app
database, the clock, the module registry, and the region's servers (starting the embedded sandbox for
a 演示地区 ahead of need, or the first time they are needed).

The network client and the sandbox launcher are imported when first used: the first screen needs neither,
and they are most of what start-up would otherwise load.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from sbf_client import logs
from sbf_client.core.clock import Clock, clock_from, format_timestamp
from sbf_client.core.errors import InputError, SbfError
from sbf_client.plugins.registry import Registry, discover
from sbf_client.plugins.spec import ModuleSpec
from sbf_client.store.app_store import AppStore, LocalUnit, RegionChoice
from sbf_client.store.backup import restore_pending
from sbf_client.store.codes import CODES_SETTING, CodeTables
from sbf_client.store.health import check_data_folder
from sbf_client.store.home import DataHome, resolve_home
from sbf_client.sync.progress import Progress

from .regions import RegionEntry, available_regions

if TYPE_CHECKING:
    from sbf_client.remote.api import RemoteApi
    from sbf_client.remote.http import Endpoints
    from sbf_client.remote.proxy import ProxySettings

    from .sandbox import RunningSandbox, SandboxOptions

log = logging.getLogger(__name__)


class NoRegionError(SbfError):
    def __init__(self) -> None:
        super().__init__("尚未选择地区，请先选择地区。")


class ClientContext:
    def __init__(
        self,
        home: DataHome,
        *,
        clock: Clock | None = None,
        registry: Registry | None = None,
        sandbox_options: SandboxOptions | None = None,
    ) -> None:
        self.home = home.ensure()
        self.clock = clock or clock_from(os.environ)
        self.store = AppStore.open(home)
        self.registry = registry or discover()
        self._sandbox_options = sandbox_options
        self._sandbox: RunningSandbox | None = None
        self._api: RemoteApi | None = None
        self._lock = threading.Lock()
        self._closing = threading.Event()

    # ---------------------------------------------------------------- region

    def region(self) -> RegionChoice:
        region = self.store.region()
        if region is None:
            raise NoRegionError()
        return region

    def choose_region(
        self, entry: RegionEntry, mgmt_url: str | None = None, coll_url: str | None = None
    ) -> RegionChoice:
        """Record the region (once: M778). Addresses given here override the list's (or the embedded sandbox);
        they are checked, and both servers asked, before anything is saved."""
        mgmt_url, coll_url = self._checked_addresses(mgmt_url, coll_url)
        choice = RegionChoice(
            region_id=entry.id,
            name=entry.name,
            mode=entry.mode,
            mgmt_url=mgmt_url or entry.mgmt_url,
            coll_url=coll_url or entry.coll_url,
            sandbox_region=entry.sandbox_region,
            chosen_at=format_timestamp(self.clock.now()),
        )
        self.store.choose_region(choice)
        return choice

    def set_region_addresses(self, mgmt_url: str, coll_url: str) -> RegionChoice:
        """Correct the chosen region's server addresses, after both servers answered at the new ones."""
        self.region()  # a region must be chosen first
        mgmt_url, coll_url = self._checked_addresses(mgmt_url, coll_url)
        choice = self.store.set_region_addresses(mgmt_url, coll_url)
        self.reset_api()
        return choice

    def _checked_addresses(self, mgmt_url: str | None, coll_url: str | None) -> tuple[str | None, str | None]:
        """Both or neither; each of a proper form; and both servers answering a ping (through the proxy)."""
        from sbf_client.remote.api import RemoteApi
        from sbf_client.remote.http import Endpoints, HttpClient, RetryPolicy

        from .regions import check_server_url

        if not mgmt_url and not coll_url:
            return None, None
        if not (mgmt_url and coll_url):
            raise InputError("管理子系统地址和征收子系统地址须同时填写。")
        mgmt_url = check_server_url(mgmt_url, "管理子系统地址").rstrip("/")
        coll_url = check_server_url(coll_url, "征收子系统地址").rstrip("/")
        remote = RemoteApi(HttpClient(Endpoints(mgmt_url, coll_url), proxy=self.proxy(), retry=RetryPolicy(attempts=2)))
        try:
            remote.ping_mgmt()
            remote.ping_coll()
        except SbfError as error:
            raise InputError(f"{error.message} 地址未保存，请核对管理子系统和征收子系统地址后重试。") from error
        finally:
            remote.close()
        return mgmt_url, coll_url

    def endpoints(self) -> Endpoints:
        from sbf_client.remote.http import Endpoints

        region = self.region()
        if region.mgmt_url and region.coll_url:
            return Endpoints(region.mgmt_url, region.coll_url)
        if region.sandbox_region is None:
            raise SbfError(f"地区【{region.name}】没有配置服务器地址，请联系主管税务机关。")
        return self._running_sandbox().endpoints(region.sandbox_region)

    @property
    def sandbox_options(self) -> SandboxOptions:
        from .sandbox import SandboxOptions

        if self._sandbox_options is None:
            self._sandbox_options = SandboxOptions.from_environment()
        return self._sandbox_options

    def needs_demo_servers(self) -> bool:
        """Whether the 演示地区's servers will be wanted: its region is chosen, or none is chosen yet and the
        list offers one (a first start)."""
        region = self.store.region()
        if region is not None:
            return region.sandbox_region is not None and not (region.mgmt_url and region.coll_url)
        return any(entry.is_sandbox for entry in available_regions())

    def prepare_demo_servers(self, progress: Progress | None = None) -> None:
        """Start the 演示地区's servers ahead of need, generating the demo data on a first start, so that no
        user step waits for them; ``progress`` hears people generated of all."""
        if self.needs_demo_servers():
            self._running_sandbox(progress)

    def _running_sandbox(self, progress: Progress | None = None) -> RunningSandbox:
        """The embedded sandbox, started once; other threads asking meanwhile wait for the same start."""
        from .sandbox import start_sandbox

        with self._lock:
            if self._sandbox is None or not self._sandbox.alive:
                log.info("starting the embedded sandbox")
                options = self.sandbox_options

                def generated(done: int, total: int) -> None:
                    if progress is not None:
                        progress.report(done, total, "正在生成演示数据")

                self._sandbox = start_sandbox(
                    self.home.sandbox_dir,
                    seed=options.seed,
                    scale=options.scale,
                    extra=("--feedback-delay", str(options.feedback_delay)),
                    on_progress=generated,
                    should_stop=self._closing.is_set,
                )
            return self._sandbox

    # ---------------------------------------------------------------- network

    def proxy(self) -> ProxySettings:
        """The saved 网络设置, its password read from the OS keyring."""
        from .network import load_proxy

        return load_proxy(self.store)

    def api(self) -> RemoteApi:
        """The client for the region's servers, through the proxy 网络设置 names."""
        from sbf_client.remote.api import RemoteApi
        from sbf_client.remote.http import HttpClient

        if self._api is None:
            endpoints = self.endpoints()
            with self._lock:
                if self._api is None:
                    self._api = RemoteApi(HttpClient(endpoints, proxy=self.proxy()))
        return self._api

    def reset_api(self) -> None:
        """Forget the client, e.g. after the proxy settings changed."""
        with self._lock:
            if self._api is not None:
                self._api.close()
                self._api = None

    # ---------------------------------------------------------------- 规则文件

    def code_tables(self) -> CodeTables:
        """The cached 规则文件 code tables; downloaded from the 管理子系统 when there are none yet."""
        if self.store.setting(CODES_SETTING) is None:
            return CodeTables(self.refresh_code_tables())
        return CodeTables.of(self.store)

    def refresh_code_tables(self) -> dict[str, dict[str, str]]:
        """Download the newest 规则文件 (every login does, M5208) and keep them for offline use, with when
        (申报管理 shows 最后更新时间)."""
        codes = self.api().code_tables()
        updated_at = format_timestamp(self.clock.now())
        self.store.set_setting(
            CODES_SETTING, {"version": codes.version, "tables": codes.tables, "updated_at": updated_at}
        )
        return codes.tables

    # ---------------------------------------------------------------- modules and units

    def module(self, module_id: str) -> ModuleSpec:
        try:
            return self.registry.get(module_id)
        except KeyError:
            raise SbfError(f"未安装{'用人单位' if module_id == 'employer' else '代收单位'}业务。") from None

    def unit_db_path(self, unit: LocalUnit) -> Path:
        return self.home.units_dir / unit.db_name

    def close(self) -> None:
        self._closing.set()  # a sandbox still generating its data is stopped, not waited for
        self.reset_api()
        if self._sandbox is not None:
            self._sandbox.stop()
            self._sandbox = None
        self.store.close()


def open_context(home_dir: str | None) -> ClientContext:
    """How the window and the command line open their data: the data home ``home_dir`` names (else
    ``SBF_HOME`` or the user's data folder), checked before anything writes to it, its log file set up, and
    the context over it."""
    home = resolve_home(home_dir)
    check_data_folder(home)
    logs.configure(home.ensure().logs_dir)
    if restore_pending(home.root):  # a restore a kill interrupted: finished or rolled back before anything opens
        from sbf_client.store.backup.archive import recover_interrupted_restore

        recover_interrupted_restore(home)
    return ClientContext(home)
