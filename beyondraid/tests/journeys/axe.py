"""A journey through the site in one browser tab, with axe-core run on every page it reaches.

The journeys follow the app's own links and buttons; after each page loads, the test audits it
(``Walk.audit``). A page the walk reached but never audited is reported too, so that a journey
cannot pass through a page unchecked. The audit is the one the public pages get
(``test_browser_public_pages_are_accessible``): axe-core's WCAG 2.1 A and AA rules and its best
practices.
"""

from django.urls import reverse
from playwright.sync_api import Frame, Page, expect

from beyondraid.accounts.testing import current_code, totp_device
from beyondraid.conftest import PASSWORD
from beyondraid.transparency.tests.test_browser_public_pages_are_accessible import AXE, RUN_AXE

__all__ = ["AXE", "Walk"]


class Walk:
    def __init__(self, page: Page):
        self.page = page
        self.violations: list[str] = []
        self.unaudited: list[str] = []
        self._arrived_at: str | None = None
        page.on("framenavigated", self._arrive)

    def _arrive(self, frame: Frame) -> None:
        if frame != self.page.main_frame:
            return
        if self._arrived_at is not None:
            self.unaudited.append(self._arrived_at)
        self._arrived_at = frame.url

    def audit(self) -> None:
        """Run axe-core on the page the tab shows now, once it has loaded."""
        self.page.wait_for_load_state()
        self.violations += [f"{self.page.url}: {found}" for found in self.page.evaluate(RUN_AXE)]
        self._arrived_at = None

    def goto(self, path: str) -> None:
        """Open ``path`` where no link of the app leads (or the journey's first page)."""
        self.page.goto(path)
        self.audit()

    def sign_in(self, user) -> None:
        """Sign ``user`` in through the sign-in pages, password then code, auditing each one and
        the page the sign-in lands on."""
        page = self.page
        device = totp_device(user)
        self.goto(reverse("accounts:sign_in"))
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_label("Code")).to_be_visible()
        self.audit()
        page.get_by_label("Code").fill(current_code(device))
        page.get_by_role("button", name="Sign in").click()
        # Wherever the sign-in lands (the home page, or the person's start page), it is past
        # the sign-in pages.
        page.wait_for_url(lambda url: "/accounts/" not in url)
        self.audit()

    def sign_out(self) -> None:
        self.page.get_by_role("button", name="Sign out").click()
        self.page.wait_for_url(f"**{reverse('accounts:signed_out')}")
        self.audit()

    def findings(self) -> list[str]:
        """Every accessibility violation met, and every page reached but not audited."""
        missed = self.unaudited + ([self._arrived_at] if self._arrived_at else [])
        return self.violations + [f"{url}: reached but not audited" for url in missed]

    def assert_accessible(self) -> None:
        """Fail with every finding in full, one a line, if there is any."""
        findings = self.findings()
        assert not findings, "\n".join(["Accessibility findings on the journey:", *findings])
