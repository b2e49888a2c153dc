"""outbox: last error, pending-age index; dead letters: source outbox entry

Revision ID: 0004
Revises: 0005
Create Date: 2026-12-04 16:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0004"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_error", sa.String(length=2000), nullable=True))
        batch_op.create_index(
            "ix_outbox_pending_created", ["created_at"], unique=False, postgresql_where=sa.text("processed_at IS NULL")
        )
    with op.batch_alter_table("indexing_dead_letters", schema=None) as batch_op:
        batch_op.add_column(sa.Column("outbox_id", sa.BigInteger(), nullable=True))


def downgrade():
    with op.batch_alter_table("indexing_dead_letters", schema=None) as batch_op:
        batch_op.drop_column("outbox_id")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_pending_created", postgresql_where=sa.text("processed_at IS NULL"))
        batch_op.drop_column("last_error")
