import pytest

from .axe import AXE, Walk


@pytest.fixture
def walk(page) -> Walk:
    if not AXE.is_file():
        pytest.fail(f"axe-core is missing at {AXE}: run `npm ci`.", pytrace=False)
    # An init script runs before the page's own and outside its Content Security Policy, which
    # forbids inline scripts.
    page.add_init_script(path=str(AXE))
    return Walk(page)
