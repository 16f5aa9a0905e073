"""Shared test settings: a derandomised hypothesis profile for CI, and no key file in $HOME."""

import os

import pytest
from hypothesis import HealthCheck, settings
from playwright.sync_api import expect

# a browser test waits for what it expects up to 20 s (Playwright's default is 5 s): a page that
# draws a heat map of 22 groups on a loaded two-core machine can take longer than 5 s, which is no
# failure of the page
expect.set_options(timeout=20_000)

settings.register_profile("ci", derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ci" if os.environ.get("CI") else os.environ.get("HYPOTHESIS_PROFILE", "dev"))


@pytest.fixture(autouse=True)
def _isolated_key_file(tmp_path_factory, monkeypatch):
    """Never let a test create or read the user's real pseudonymisation key."""
    monkeypatch.setenv("CARECIRCLE_KEY_FILE", str(tmp_path_factory.mktemp("key") / "secret.key"))
    monkeypatch.delenv("CARECIRCLE_SECRET", raising=False)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Playwright drives Debian's Chromium (no browser download), headless, without network chatter."""
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CARECIRCLE_CHROMIUM", "/usr/bin/chromium"),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def bolt_server(tmp_path_factory):
    """A real Bolt server (ArcadeDB) on 127.0.0.1 for the whole run, with a fresh root and password."""
    from benchmarks.bolt_server import BoltServer

    server = BoltServer(tmp_path_factory.mktemp("bolt") / "root").start()
    yield server
    server.stop()


@pytest.fixture
def bolt_database(bolt_server, request):
    """A fresh, empty database on the Bolt test server; its name."""
    import re

    return bolt_server.create_database("t_" + re.sub(r"\W", "_", request.node.name)[:40] + f"_{id(request)}")
