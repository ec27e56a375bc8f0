"""Many service processes on one database: a job's lease (a worker holds a job only while it
keeps renewing it) and idempotent submission (a client's retry with the same key returns the
job it already made).

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.add_column(sa.Column("lease_expires_at", sa.DateTime(timezone=True)))
        batch.add_column(sa.Column("idempotency_key", sa.String(200)))
        batch.add_column(sa.Column("request_sha256", sa.String(64)))
        batch.create_index("ix_jobs_lease_expires_at", ["lease_expires_at"])
        # One job per (requester, key): two retries racing each other cannot both insert.
        batch.create_unique_constraint("uq_jobs_owner_idempotency_key", ["owner", "idempotency_key"])


def downgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.drop_constraint("uq_jobs_owner_idempotency_key", type_="unique")
        batch.drop_index("ix_jobs_lease_expires_at")
        batch.drop_column("request_sha256")
        batch.drop_column("idempotency_key")
        batch.drop_column("lease_expires_at")
