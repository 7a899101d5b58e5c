"""The people commands: ``users add|list|set|passwd|disable`` and ``audit`` (registered by __main__).

The machine's own user is trusted: these commands need no login, and each change is in the audit
trail as ``os:<user>``. Passwords are asked twice on the terminal, or read as one line from standard
input with ``--password-stdin`` (for scripts); they are never taken from the command line.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from pipelines.i18n import LANGS, t
from pipelines.office import accounts, audit
from pipelines.office.accounts import ACCOUNT_LANGS, ROLES, AccountError

JAPAN = ZoneInfo("Asia/Tokyo")


def office_lang(args: argparse.Namespace) -> str:
    """The language of a people command: --lang, else the office's language setting (default ja)."""
    if getattr(args, "lang_out", None):
        return args.lang_out
    from pipelines.settings import SettingsError, load_settings

    try:
        value = getattr(load_settings(), "language", "ja")
    except SettingsError:  # the command itself reports the settings; its messages stay readable
        value = "ja"
    return value if value in LANGS else "ja"


def _password(args: argparse.Namespace, name: str, lang: str) -> str:
    if args.password_stdin:
        line = sys.stdin.readline().rstrip("\r\n")
        if not line:
            raise AccountError("no_password")
        return line
    first = getpass.getpass(t("users.prompt", lang, name=name))
    if getpass.getpass(t("users.prompt_again", lang)) != first:
        raise AccountError("mismatch")
    return first


def cmd_users_add(args: argparse.Namespace) -> int:
    """users add NAME --role …: a new account."""
    lang = office_lang(args)
    accounts.normalize_name(args.name)
    password = _password(args, args.name, lang)
    account = accounts.add_account(
        args.db,
        args.name,
        password,
        args.role,
        audit.cli_user(),
        display_name=args.display or "",
        email=args.email or "",
        lang=args.lang or "ja",
        staff_names=tuple(args.staff_name or ()),
    )
    print(t("users.added", lang, name=account.name, role=t(f"role.{account.role}", lang)))
    return 0


def cmd_users_list(args: argparse.Namespace) -> int:
    """users list: every account (never a password hash)."""
    lang = office_lang(args)
    people = accounts.list_accounts(args.db)
    if args.json:
        print(json.dumps([a.as_dict() for a in people], ensure_ascii=False, indent=2))
        return 0
    if not people:
        print(t("users.none", lang))
        return 0
    print(t("users.header", lang))
    for a in people:
        state = t("users.disabled_state" if a.disabled else "users.enabled", lang)
        cells = (a.name, a.role, a.lang, a.display_name, a.email, ", ".join(a.staff_names), state)
        print("\t".join(_printable(c) for c in cells))
    return 0


def _printable(text: str) -> str:
    """Text safe to print on a terminal: control characters shown as escapes."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in str(text))


def cmd_users_set(args: argparse.Namespace) -> int:
    """users set NAME …: change the given fields."""
    lang = office_lang(args)
    changes = {
        "display_name": args.display,
        "role": args.role,
        "lang": args.lang,
        "email": args.email,
        "staff_names": tuple(args.staff_name) if args.staff_name is not None else None,
        "disabled": {True: False, False: True}.get(args.enable)
        if args.enable is not None
        else None,
    }
    account = accounts.update_account(
        args.db, args.name, audit.cli_user(), **{k: v for k, v in changes.items() if v is not None}
    )
    print(t("users.changed", lang, name=account.name))
    return 0


def cmd_users_passwd(args: argparse.Namespace) -> int:
    """users passwd NAME: a new password (also the way to reset a forgotten owner password)."""
    lang = office_lang(args)
    if accounts.get_account(args.db, args.name) is None:
        raise AccountError("unknown", name=args.name)
    password = _password(args, args.name, lang)
    accounts.set_password(args.db, args.name, password, audit.cli_user())
    print(t("users.password_set", lang, name=args.name.strip().lower()))
    return 0


def cmd_users_disable(args: argparse.Namespace) -> int:
    """users disable NAME: the account can no longer sign in; its sessions end."""
    lang = office_lang(args)
    account = accounts.update_account(args.db, args.name, audit.cli_user(), disabled=True)
    print(t("users.disabled", lang, name=account.name))
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    """audit [--since D] [--json]: the audit trail, oldest first (times in Japan time)."""
    lang = office_lang(args)
    found = audit.rows(args.db, since=args.since)
    if args.json:
        print(json.dumps([r.as_dict() for r in found], ensure_ascii=False, indent=2))
        return 0
    if not found:
        print(t("trail.none", lang))
    for r in found:
        when = r.at.astimezone(JAPAN).strftime("%Y-%m-%d %H:%M:%S")
        detail = json.dumps(r.detail, ensure_ascii=False, sort_keys=True)
        print(f"{when}  {_printable(r.who)}  {r.kind}  {_printable(detail)}")
    return 0


def register(
    sub: argparse._SubParsersAction,
    with_db: Callable[[argparse.ArgumentParser], argparse.ArgumentParser],
    iso_date: Callable[[str], date],
) -> None:
    """Add the users and audit commands to the CLI's sub-commands."""
    users = sub.add_parser(
        "users", help="accounts for the dashboard: add, list, set, passwd, disable"
    )
    verbs = users.add_subparsers(dest="verb", required=True)

    def verb(
        name: str, text: str, func: Callable[[argparse.Namespace], int]
    ) -> argparse.ArgumentParser:
        p = with_db(verbs.add_parser(name, help=text))
        p.add_argument("--lang-out", choices=LANGS, default=None, help="language of the messages")
        p.set_defaults(func=func)
        return p

    p = verb("add", "add an account (the password is asked, or read from stdin)", cmd_users_add)
    p.add_argument("name", help="login name: 1-32 letters, digits, '.', '_' or '-'")
    _account_fields(p, role_required=True)
    p.add_argument("--password-stdin", action="store_true", help="read the password as one line")

    p = verb("list", "list the accounts", cmd_users_list)
    p.add_argument("--json", action="store_true", help="print the accounts as JSON")

    p = verb("set", "change an account's role, language, e-mail, names or state", cmd_users_set)
    p.add_argument("name")
    _account_fields(p, role_required=False)
    state = p.add_mutually_exclusive_group()
    state.add_argument("--enable", dest="enable", action="store_true", default=None)
    state.add_argument("--disable", dest="enable", action="store_false")

    p = verb("passwd", "set a new password (also resets a forgotten one)", cmd_users_passwd)
    p.add_argument("name")
    p.add_argument("--password-stdin", action="store_true", help="read the password as one line")

    p = verb("disable", "disable an account (it can no longer sign in)", cmd_users_disable)
    p.add_argument("name")

    _add_audit(sub, with_db, iso_date)


def _account_fields(p: argparse.ArgumentParser, role_required: bool) -> None:
    """The options an account has: role, display name, e-mail, language, names in the logs."""
    p.add_argument("--role", choices=ROLES, required=role_required, default=None)
    p.add_argument("--display", default=None, help="display name (default: the login name)")
    p.add_argument("--email", default=None, help="e-mail address (for the morning mail)")
    p.add_argument("--lang", choices=ACCOUNT_LANGS, default=None, help="language (default ja)")
    p.add_argument(
        "--staff-name",
        action="append",
        default=None,
        metavar="NAME",
        help="a name this person has in the logs' staff column (repeatable)",
    )


def _add_audit(
    sub: argparse._SubParsersAction,
    with_db: Callable[[argparse.ArgumentParser], argparse.ArgumentParser],
    iso_date: Callable[[str], date],
) -> None:
    p = with_db(
        sub.add_parser("audit", help="the audit trail: who signed in, exported, changed what")
    )
    p.add_argument("--since", type=iso_date, default=None, help="from this day (UTC), YYYY-MM-DD")
    p.add_argument("--json", action="store_true", help="print the rows as JSON")
    p.add_argument("--lang-out", choices=LANGS, default=None, help="language of the messages")
    p.set_defaults(func=cmd_audit)


def error_text(exc: Exception, lang: str) -> str:
    """An AccountError or OfficeStoreError as one line in lang."""
    from pipelines.office.store import OfficeStoreError

    if isinstance(exc, AccountError):
        return t(f"account.err.{exc.code}", lang, **{k: str(v) for k, v in exc.values.items()})
    if isinstance(exc, OfficeStoreError):
        return t(
            f"closed.store.{exc.code}", lang, path=str(exc.path), detail=exc.detail or exc.code
        )
    return str(exc)


def record_cli(db: Path, kind: str, detail: dict[str, object]) -> None:
    """Note a CLI export or load in the audit trail as the OS user (see pipelines.office.audit)."""
    audit.record(db, audit.cli_user(), kind, detail)
