"""Helpers shared by the ORUK feed tests."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient


def get_json(client: TestClient, url: str, status: int = 200) -> Any:
    response = client.get(url)
    assert response.status_code == status, response.text[:500]
    return response.json()
