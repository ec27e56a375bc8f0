"""Every signed claim true: the script a job holds has a version and a sha256, and an approval
names the one it approves; completion webhooks wait in a durable outbox; a request's length is
kept for the quotas.

Revision ID: 0006
Revises: 0005
"""

import hashlib

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.add_column(sa.Column("script_version", sa.Integer, nullable=False, server_default="0"))
        batch.add_column(sa.Column("script_sha256", sa.String(64)))
        batch.add_column(sa.Column("approved_version", sa.Integer))
        batch.add_column(sa.Column("approved_sha256", sa.String(64)))
        batch.add_column(sa.Column("video_s", sa.Float, nullable=False, server_default="0"))
        batch.add_column(sa.Column("organisation", sa.String(120)))
        batch.create_index("ix_jobs_organisation", ["organisation"])
    _backfill()
    op.create_table(
        "webhooks",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("job_id", sa.String(32), nullable=False, index=True),
        sa.Column("url", sa.String(500), nullable=False),
        sa.Column("receiver", sa.String(300), nullable=False, index=True),
        sa.Column("payload", sa.JSON, nullable=False),
        sa.Column("state", sa.String(20), nullable=False, index=True),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("last_error", sa.Text),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True)),
        sa.Column("worker", sa.String(80)),
        sa.Column("lease_expires_at", sa.DateTime(timezone=True)),
    )


def _backfill() -> None:
    """Scripts written before versions were kept: version 1 plus their edits, sha256 of the text."""
    db = op.get_bind()
    jobs = sa.table("jobs", sa.column("id", sa.String), sa.column("shotlist", sa.Text), sa.column("script_version", sa.Integer),
                    sa.column("script_sha256", sa.String))
    audit = sa.table("audit", sa.column("job_id", sa.String), sa.column("action", sa.String))
    for job_id, text in db.execute(sa.select(jobs.c.id, jobs.c.shotlist).where(jobs.c.shotlist.is_not(None))).all():
        edits = db.execute(sa.select(sa.func.count()).select_from(audit).where(audit.c.job_id == job_id, audit.c.action == "edit")).scalar()
        db.execute(jobs.update().where(jobs.c.id == job_id).values(
            script_version=1 + (edits or 0), script_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest()))


def downgrade() -> None:
    op.drop_table("webhooks")
    with op.batch_alter_table("jobs") as batch:
        batch.drop_index("ix_jobs_organisation")
        for column in ("organisation", "video_s", "approved_sha256", "approved_version", "script_sha256", "script_version"):
            batch.drop_column(column)
