"""The parser: shell commands, plus the commands each installed business module contributes."""

from __future__ import annotations

import argparse
import logging

from sbf_client.plugins.registry import discover
from sbf_client.plugins.spec import load_object

from . import regions, sync, units
from .common import Cli, common_options, run

log = logging.getLogger(__name__)


def build_parser() -> argparse.ArgumentParser:
    common = common_options()
    parser = argparse.ArgumentParser(prog="sbf-client", description="社保费管理客户端（命令行）", parents=[common])
    commands = parser.add_subparsers(dest="command", required=True, metavar="命令")
    for shell in (regions, units, sync):
        shell.register(commands, common)
    for spec in discover().modules:
        for reference in spec.cli:
            try:
                load_object(reference)(commands, common)
            except Exception:  # a broken module must not take the command line down
                log.exception("module %s could not add its commands", spec.id)
    return parser


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    return run(Cli(args), args.handler)
