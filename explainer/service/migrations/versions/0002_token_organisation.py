"""Tokens name the organisation they work for (its brand kit dresses their videos).

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tokens") as batch:
        batch.add_column(sa.Column("organisation", sa.String(120)))


def downgrade() -> None:
    with op.batch_alter_table("tokens") as batch:
        batch.drop_column("organisation")
