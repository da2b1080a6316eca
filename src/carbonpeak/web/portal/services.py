"""Portal write services: demo district set-up."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

DEMO_USERNAME = "demo"


@dataclass(frozen=True)
class DemoLogin:
    """Credentials of the demo account, as printed by ``carbonpeak demo``."""

    username: str
    password: str
    created: bool


def demo_user_ensure(*, credentials_file: Path) -> DemoLogin:
    """Create the demo office-admin account, or return the existing one's credentials.

    The password is random per installation and kept in ``credentials_file`` (mode 0600) inside the
    data directory, never in the repository. If the account exists but the file was lost, a new password
    is set and written.

    Parameters
    ----------
    credentials_file : Path
        Where the demo password is kept.
    """
    user_model = get_user_model()
    with transaction.atomic():
        user = user_model.objects.filter(username=DEMO_USERNAME).first()
        if user is not None and credentials_file.is_file():
            password = credentials_file.read_text(encoding="utf-8").strip()
            if user.check_password(password):
                return DemoLogin(DEMO_USERNAME, password, created=False)
        password = secrets.token_urlsafe(12)
        created = user is None
        if user is None:
            user = user_model(username=DEMO_USERNAME, email="", first_name="演示", last_name="管理员")
        user.is_staff = True
        user.is_superuser = True
        user.set_password(password)
        user.save()
        fd = os.open(credentials_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(password + "\n")
    return DemoLogin(DEMO_USERNAME, password, created=created)


@dataclass(frozen=True)
class OfficeAdmin:
    """The office administrator account that ``carbonpeak setup --admin`` ensures."""

    username: str
    created: bool


def office_admin_ensure(*, username: str, password: str | None) -> OfficeAdmin:
    """Create the office administrator (区双碳办): staff, superuser and in the ``office`` group.

    An existing account is left as it is (its password is never reset), so running set-up twice
    changes nothing.

    Parameters
    ----------
    username : str
        The account name.
    password : str, optional
        The password for a new account; required when the account does not exist yet.
    """
    from carbonpeak.core.errors import CarbonpeakError
    from carbonpeak.web.tracking.roles import OFFICE_GROUP
    from carbonpeak.web.tracking.services import groups_ensure

    user_model = get_user_model()
    with transaction.atomic():
        groups_ensure()
        user = user_model.objects.filter(username=username).first()
        if user is not None:
            return OfficeAdmin(username, created=False)
        if not password:
            raise CarbonpeakError(f"a password is needed to create the office administrator {username}")
        user = user_model(username=username, email="", is_staff=True, is_superuser=True)
        user.set_password(password)
        user.save()
        user.groups.add(Group.objects.get(name=OFFICE_GROUP))
    return OfficeAdmin(username, created=True)
