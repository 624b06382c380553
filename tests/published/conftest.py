"""Fixtures for the published-stage tests; the hand-made warehouse is in published_fixtures."""

from __future__ import annotations

import pytest
from published_fixtures import make_warehouse

from psw_core.config import AuthorityConfig


@pytest.fixture
def config() -> AuthorityConfig:
    return AuthorityConfig(name="Northfield City Council", code="NFC", suppression_threshold=5)


@pytest.fixture
def warehouse(tmp_path):
    con = make_warehouse(tmp_path / "warehouse.duckdb")
    yield con
    con.close()


