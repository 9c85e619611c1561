"""Alembic migrations of the results database: every schema change is a revision here, applied
by `store.open_store` (`alembic upgrade head` on the connection it opens). Revision 0001 is the
schema as of the release that introduced Alembic, and brings any earlier database to it in
place (it adds the columns earlier releases lacked)."""
