"""listing schema: columns as long as the one listing schema allows (service.email: 200 -> 254, RFC 5321)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

import importlib.util
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _rebuild_full_text_index() -> None:
    """SQLite's batch mode rebuilt `service`, dropping 0002's full-text triggers: make them again (0002 says so)."""
    spec = importlib.util.spec_from_file_location("search_0002", Path(__file__).with_name("0002_search.py"))
    assert spec is not None and spec.loader is not None
    search = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(search)
    search.create_full_text_index()


def _email_length(old: int, new: int) -> None:
    with op.batch_alter_table("service") as batch:
        batch.alter_column(
            "email", existing_type=sa.String(length=old), type_=sa.String(length=new), existing_nullable=False
        )
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_full_text_index()


def upgrade() -> None:
    _email_length(200, 254)


def downgrade() -> None:
    _email_length(254, 200)
