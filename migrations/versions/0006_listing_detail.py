"""listing detail: organisations' own descriptions and charity numbers; how specific a service is; named areas;
where a location is and how exactly it is placed; schedules as data (ORUK `schedule`)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN (no batch mode): SQLite then keeps the `service` table, and 0002's full-text triggers.
    op.add_column("organisation", sa.Column("description", sa.String(length=1000), nullable=False, server_default=""))
    op.add_column("organisation", sa.Column("charity_number", sa.String(length=20), nullable=False, server_default=""))
    op.add_column("service", sa.Column("specificity", sa.String(length=30), nullable=False, server_default="anyone"))
    op.add_column("service", sa.Column("area_name", sa.String(length=200), nullable=False, server_default=""))
    op.create_index("ix_service_specificity", "service", ["specificity"])
    op.add_column("location", sa.Column("grounds_of", sa.String(length=200), nullable=False, server_default=""))
    op.add_column("location", sa.Column("precision", sa.String(length=20), nullable=False, server_default="postcode"))
    # Listings that named postcode areas while saying a nation meant "only those areas": say so.
    op.execute("UPDATE service SET service_area = 'areas' WHERE area_postcodes <> ''")
    op.create_table(
        "schedule",
        sa.Column("id", sa.String(length=140), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("service_id", sa.String(length=120), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("freq", sa.String(length=10), nullable=False),
        sa.Column("interval", sa.Integer(), nullable=False),
        sa.Column("byday", sa.String(length=60), nullable=False),
        sa.Column("bymonthday", sa.String(length=60), nullable=False),
        sa.Column("dtstart", sa.Date(), nullable=True),
        sa.Column("opens_at", sa.String(length=5), nullable=False),
        sa.Column("closes_at", sa.String(length=5), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("attending_type", sa.String(length=20), nullable=False),
        sa.Column("exdates", sa.String(length=500), nullable=False),
        sa.Column("rdates", sa.String(length=500), nullable=False),
        sa.Column("description", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(["service_id"], ["service.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("uuid"),
    )
    op.create_index("ix_schedule_service_id", "schedule", ["service_id"])


def downgrade() -> None:
    op.drop_index("ix_schedule_service_id", table_name="schedule")
    op.drop_table("schedule")
    op.drop_index("ix_service_specificity", table_name="service")
    op.execute("UPDATE service SET service_area = 'local' WHERE service_area = 'areas'")
    for table, column in (("location", "precision"), ("location", "grounds_of"), ("service", "area_name"),
                          ("service", "specificity"), ("organisation", "charity_number"),
                          ("organisation", "description")):
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
