"""The manifest repository: signed manifest stores by id and by soft-binding value.

Revision ID: 0004
Revises: 0003
"""

from alembic import op

from provenance.repository import BINDINGS, MANIFESTS, METADATA

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The tables are provenance/'s own, so the local repository and the service's are one schema.
    METADATA.create_all(op.get_bind(), tables=[MANIFESTS, BINDINGS])


def downgrade() -> None:
    METADATA.drop_all(op.get_bind(), tables=[BINDINGS, MANIFESTS])
