"""The manifest repository: signed manifest stores by id and by soft-binding value.

The same tables as provenance/repository.py defines for a local repository, written out here
as they were at this revision (a migration must not change when that module does).

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "c2pa_manifests",
        sa.Column("manifest_id", sa.String(200), primary_key=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("stored_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("store", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "c2pa_soft_bindings",
        sa.Column("alg", sa.String(200), primary_key=True),
        sa.Column("value", sa.String(400), primary_key=True),
        sa.Column("manifest_id", sa.String(200), sa.ForeignKey("c2pa_manifests.manifest_id"), primary_key=True),
    )


def downgrade() -> None:
    op.drop_table("c2pa_soft_bindings")
    op.drop_table("c2pa_manifests")
