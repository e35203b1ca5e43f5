"""The screens in a real browser: headless Chromium through Playwright, one page per screen at its size, signed in
through the page's own form. Every request a page makes to a host other than the center is aborted and recorded:
no request may leave the center (QUALITY.md U2). Screenshots are kept under tests/browser/artifacts/.

A browser test module provides a module-scoped `center` fixture (a running center, tests/e2e/test_center_http.py's
`Center`); `screens` opens pages on it."""
from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ARTIFACTS = Path(__file__).parent / "artifacts"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "screens"
INSTALL = "chromium is not installed (apt-get install chromium fonts-noto-cjk)"

# where each screen is used (docs/screens.md): the big screen, the desk, a phone
SIZES = {"screen": {"width": 1920, "height": 1080}, "desk": {"width": 1366, "height": 768},
         "m": {"width": 390, "height": 844}}
# where the phone says it is: in 如城街道 (320682001), the seat of 如皋
PHONE_POSITION = {"latitude": 32.38, "longitude": 120.57}
WAIT_MS = 10_000  # how long a page may take to show what it loads (not the 2 s of the live requirement)


@pytest.fixture(scope="module", autouse=True)
def chromium_path():
    """The system's Chromium; without it the module is skipped before its center starts (autouse fixtures come
    first in their scope)."""
    executable = shutil.which("chromium")
    if not executable:
        pytest.skip(INSTALL)
    return executable


@pytest.fixture(scope="module")
def browser(chromium_path):
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=WAIT_MS)
    manager = sync_playwright()
    playwright = manager.start()
    try:
        chromium = playwright.chromium.launch(executable_path=chromium_path, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        _stop(manager)


def _stop(manager) -> None:
    """Stop Playwright's driver in a process that eventlet has monkey-patched (tests/conftest.py).

    Playwright's sync API runs its asyncio loop in a greenlet (the dispatcher) and, to stop, switches to it until the
    driver has gone; the dispatcher then ends and returns to its parent. But each time the dispatcher waited on the
    (green) selector, eventlet's hub made itself the dispatcher's parent: so the dispatcher returns to the hub, and
    the caller would wait forever. A green thread watches for that one case — the dispatcher dead while the caller
    is still suspended at that switch in __exit__ — and resumes the caller."""
    import eventlet
    import greenlet

    caller, fiber = greenlet.getcurrent(), getattr(manager, "_dispatcher_fiber", None)
    exit_code = type(manager).__exit__.__code__
    stopping = True

    def resume_caller() -> None:
        while stopping:
            frame = caller.gr_frame
            if fiber is not None and fiber.dead and frame is not None and frame.f_code is exit_code:
                caller.switch()
                return
            eventlet.sleep(0.05)

    watcher = eventlet.spawn(resume_caller)
    try:
        manager.__exit__(None, None, None)
    finally:
        stopping = False
        watcher.kill()


class Screens:
    """Opens the center's screens in fresh browser contexts (no shared cookies or storage) and watches what they ask
    for: `outside` holds every request that was aborted because it was not for the center."""

    def __init__(self, browser, port: int, test_name: str):
        self.browser = browser
        self.host = f"127.0.0.1:{port}"
        self.origin = f"http://{self.host}"
        self.test_name = test_name
        self.outside: list[str] = []
        self.errors: list[str] = []
        self.contexts: list = []

    def _guard(self, route) -> None:
        url = route.request.url
        parts = urlsplit(url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.netloc == self.host:
            route.continue_()
        else:
            self.outside.append(url)
            route.abort("blockedbyclient")

    def open(self, screen: str, token: dict | str, *, expect_role: bool = True):
        """A page of `screen` ('screen' | 'desk' | 'm') signed in with `token` (a bearer header or the bare token)
        through the sign-in form. With `expect_role`, waits until the screen is up and its live stream open."""
        from playwright.sync_api import expect

        options = {"viewport": SIZES[screen], "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}
        if screen == "m":
            options |= {"is_mobile": True, "has_touch": True, "device_scale_factor": 2,
                        "geolocation": PHONE_POSITION, "permissions": ["geolocation"]}
        context = self.browser.new_context(**options)
        self.contexts.append(context)
        context.route("**/*", self._guard)
        page = context.new_page()
        page.on("pageerror", lambda error: self.errors.append(f"{screen}: {error}"))
        page.goto(f"{self.origin}/{screen}/")
        sign_in(page, token)
        if expect_role:
            expect(page.get_by_test_id("stream-state")).to_have_attribute("data-state", "live")
        return page

    def shot(self, page, label: str) -> Path:
        """Keep a screenshot of the page as a test artifact."""
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{self.test_name}-{label}.png"
        page.screenshot(path=str(path))
        return path

    def publish(self, page, screen: str) -> Path:
        """The screenshot the README shows (docs/screens/<screen>.png): written when missing, or every run with
        YIWANG_UPDATE_SCREENSHOTS=1 (so that an ordinary run leaves the checked-in pictures alone)."""
        kept = self.shot(page, f"readme-{screen}")
        target = DOCS / f"{screen}.png"
        if os.environ.get("YIWANG_UPDATE_SCREENSHOTS") == "1" or not target.exists():
            DOCS.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(kept, target)
        return target

    def assert_stayed_home(self) -> None:
        """U2: no page asked for anything but the center (each such request was aborted)."""
        assert not self.outside, f"requests that would have left the center: {self.outside}"
        assert not self.errors, f"uncaught errors in the pages: {self.errors}"

    def close(self) -> None:
        for context in self.contexts:
            context.close()


def sign_in(page, token: dict | str) -> None:
    """Type the token into the page's sign-in form (never a URL) and wait until the form has gone."""
    from playwright.sync_api import expect

    raw = token["Authorization"].removeprefix("Bearer ") if isinstance(token, dict) else token
    form = page.get_by_test_id("signin-form")
    expect(form).to_be_visible()
    page.get_by_test_id("signin-token").fill(raw)
    page.get_by_test_id("signin-submit").click()
    expect(form).to_have_count(0)


@pytest.fixture
def screens(browser, center, request):
    opened = Screens(browser, center.port, request.node.name)
    try:
        yield opened
        opened.assert_stayed_home()  # also what a page asked for after the test's own check
    finally:
        opened.close()

