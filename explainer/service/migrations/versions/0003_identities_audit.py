"""Token identities (a public id, expiry, revocation), jobs owned by identity, review waivers,
and the audit log.

Revision ID: 0003
Revises: 0002
"""

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tokens") as batch:
        batch.add_column(sa.Column("public_id", sa.String(24)))
        batch.add_column(sa.Column("expires_at", sa.DateTime(timezone=True)))
        batch.add_column(sa.Column("revoked_at", sa.DateTime(timezone=True)))
    with op.batch_alter_table("jobs") as batch:
        batch.add_column(sa.Column("owner_name", sa.String(120)))
        batch.add_column(sa.Column("waived_by", sa.String(120)))
    bind = op.get_bind()
    tokens = bind.execute(sa.text("select id, name from tokens order by id")).fetchall()
    first_of_name: dict[str, str] = {}
    for token_id, name in tokens:
        public_id = "tok_" + secrets.token_hex(8)
        bind.execute(sa.text("update tokens set public_id = :p where id = :i"), {"p": public_id, "i": token_id})
        first_of_name.setdefault(name, public_id)
    # Jobs were owned by a display name; they go to the first token that carried it.
    for name, public_id in first_of_name.items():
        bind.execute(sa.text("update jobs set owner_name = owner, owner = :p where owner = :n"), {"p": public_id, "n": name})
    with op.batch_alter_table("tokens") as batch:
        batch.create_index("ix_tokens_public_id", ["public_id"], unique=True)
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(24), nullable=False),
        sa.Column("actor_name", sa.String(120), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("action", sa.String(20), nullable=False, index=True),
        sa.Column("job_id", sa.String(32), index=True),
        sa.Column("detail", sa.JSON),
    )


def downgrade() -> None:
    op.drop_table("audit")
    with op.batch_alter_table("jobs") as batch:
        batch.drop_column("waived_by")
        batch.drop_column("owner_name")
    with op.batch_alter_table("tokens") as batch:
        batch.drop_index("ix_tokens_public_id")
        batch.drop_column("revoked_at")
        batch.drop_column("expires_at")
        batch.drop_column("public_id")
