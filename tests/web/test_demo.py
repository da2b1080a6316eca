"""Demo account set-up."""

import os
import stat

import pytest
from django.contrib.auth import authenticate

from carbonpeak.web.portal.services import demo_user_ensure

pytestmark = pytest.mark.django_db


def test_demo_user_is_created_with_a_private_random_password(tmp_path):
    credentials = tmp_path / "demo-login.txt"
    first = demo_user_ensure(credentials_file=credentials)
    assert first.created
    assert first.username == "demo"
    assert len(first.password) >= 12
    assert stat.S_IMODE(os.stat(credentials).st_mode) == 0o600
    assert authenticate(username="demo", password=first.password) is not None
    second = demo_user_ensure(credentials_file=credentials)
    assert (second.created, second.password) == (False, first.password)


def test_lost_credentials_reset_the_password(tmp_path):
    credentials = tmp_path / "demo-login.txt"
    first = demo_user_ensure(credentials_file=credentials)
    credentials.unlink()
    again = demo_user_ensure(credentials_file=credentials)
    assert again.password != first.password
    assert not again.created
    assert authenticate(username="demo", password=again.password) is not None
    assert authenticate(username="demo", password=first.password) is None
