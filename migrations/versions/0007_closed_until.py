"""a listing can be temporarily closed until a date (no sessions, not "open now", until the day after)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN (no batch mode): SQLite then keeps the `service` table, and 0002's full-text triggers.
    op.add_column("service", sa.Column("closed_until", sa.Date(), nullable=True))


def downgrade() -> None:
    op.execute("ALTER TABLE service DROP COLUMN closed_until")
