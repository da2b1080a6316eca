"""Shared pieces of the ``carbonpeak`` command: the one-line parser, error output, Django set-up.

A command group in a module of its own (``carbonpeak.cli.<group>``) defines ``register(subparsers)``, which
adds its parser, its actions' arguments and ``set_defaults(func=...)``; :func:`group_help` makes a group
with no action print its help. Commands that need the database are wrapped in :func:`requires_database`.
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
from collections.abc import Callable
from typing import NoReturn

Command = Callable[[argparse.Namespace], int]


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"carbonpeak: error: {message} (see '{self.prog} --help')\n")


def _fail(message: str, code: int = 1) -> int:
    first_line = message.strip().splitlines()[0] if message.strip() else "unknown error"
    print(f"carbonpeak: error: {first_line}", file=sys.stderr)
    return code


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carbonpeak.web.config.settings")
    import django

    django.setup()


def _pending_migrations() -> list[str]:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _ in plan]


def _require_migrated() -> None:
    pending = _pending_migrations()
    if pending:
        raise SystemExit(
            _fail(
                f"the database is not migrated ({len(pending)} migrations pending, first {pending[0]}); "
                "run 'carbonpeak setup --plan FILE' (or 'carbonpeak demo') or 'carbonpeak migrate' first"
            )
        )


def requires_database(command: Command) -> Command:
    """Set Django up and refuse to run ``command`` on a database with pending migrations."""

    @functools.wraps(command)
    def wrapper(args: argparse.Namespace) -> int:
        _django()
        _require_migrated()
        return command(args)

    return wrapper


def group_help(parser: argparse.ArgumentParser) -> Command:
    """A command that prints ``parser``'s help and exits 2 (a group called with no action)."""

    def show(args: argparse.Namespace) -> int:
        parser.print_help(sys.stderr)
        return 2

    return show


fail = _fail
"""Print one error line to standard error and return ``code`` (the exit status)."""
django_setup = _django
"""Set Django up with the platform's settings."""
