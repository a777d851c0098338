"""``direct_select.DirectSelect``: the page views' lookup read straight on the driver's cursor must
give the same row as ``Connection.execute``, fail the same way, and leave the pool as it was."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import column, exc, func, select, table, text

from feedback_app.models import Invitation
from feedback_app.services.database import autocommit_engine
from feedback_app.services.direct_select import DirectSelect
from feedback_app.services.survey_links import find_link
from tests.app.survey_helpers import GOOD_SAAS_POST, post_survey, shipped_survey


@pytest.fixture
def answered(make, app, client):
    """A link that was opened and answered: every column of the lookup has a value, dates included."""
    customer = make.customer(name="Zoë Kowalski", company="Acme", contact_consent=True)
    _invitation, token = make.invitation(customer=customer, survey=shipped_survey("saas_cancellation"), status="sent")
    assert post_survey(client, token, GOOD_SAAS_POST).status_code == 303
    return token


def test_the_direct_read_matches_the_core_read_value_for_value(app, db, answered):
    """Same values and the same Python types: on SQLite the driver returns dates as text and
    flags as integers, which must come back converted as SQLAlchemy converts them."""
    direct = find_link(answered, read_only=True)
    db.session.rollback()
    through_core = find_link(answered)
    db.session.rollback()
    assert direct == through_core
    assert isinstance(direct.completed_at, datetime) and isinstance(direct.response_submitted_at, datetime)
    assert direct.customer.contact_consent is True and direct.customer.opted_out is False
    assert direct.response_id is not None and direct.first_name == "Zoë"


def test_no_row_is_none_and_the_connection_goes_back_to_the_pool(app, db, answered):
    pool = autocommit_engine(app).pool
    before = pool.checkedout()
    assert find_link("no-such-token-" + "x" * 30, read_only=True) is None
    assert find_link(answered, read_only=True) is not None
    assert pool.checkedout() == before


def test_a_driver_error_is_sqlalchemys_error_and_the_next_read_works(app, db, answered):
    """Callers and error pages see the exception ``Connection.execute`` raises, with the driver's
    error as ``orig``; the connection goes back to the pool, still usable."""
    broken = DirectSelect(select(column("body")).select_from(table("no_such_table")))
    pool = autocommit_engine(app).pool
    before = pool.checkedout()
    with pytest.raises(exc.DBAPIError) as raised:
        broken.first({})
    assert "no_such_table" in str(raised.value)
    assert isinstance(raised.value.orig, autocommit_engine(app).dialect.loaded_dbapi.Error)
    assert pool.checkedout() == before
    assert find_link(answered, read_only=True) is not None


def test_parameters_and_conversions_of_a_generic_select(app, db, answered):
    query = DirectSelect(select(Invitation.id, Invitation.completed_at, Invitation.status)
                         .where(Invitation.status == "completed"))
    row = query.first({})
    assert row is not None and isinstance(row[1], datetime) and row[2] == "completed"
    assert DirectSelect(select(Invitation.id).where(Invitation.status == "revoked")).first({}) is None


def test_an_expanding_in_is_refused_when_compiled(app):
    query = DirectSelect(select(Invitation.id).where(Invitation.status.in_(["sent", "opened"])))
    with pytest.raises(ValueError, match="expanding"):
        query.first({})


@pytest.mark.skipif("postgresql" not in __import__("config").TestingConfig.SQLALCHEMY_DATABASE_URI,
                    reason="a server that closes the connection mid-query is PostgreSQL's")
def test_a_connection_the_server_closes_mid_query_is_replaced(app, db, answered):
    """The statement terminates its own backend: the driver reports a lost connection, which is
    invalidated (not handed to the next request), and the next read gets a fresh connection."""
    engine = autocommit_engine(app)
    suicide = DirectSelect(select(func.pg_terminate_backend(func.pg_backend_pid())))
    with pytest.raises(exc.OperationalError) as raised:
        suicide.first({})
    assert raised.value.connection_invalidated
    assert find_link(answered, read_only=True) is not None
    with engine.connect() as connection:  # nothing left in the pool points at a closed backend
        assert connection.execute(text("SELECT 1")).scalar() == 1


def test_a_missing_parameter_is_named(app):
    from sqlalchemy import bindparam

    query = DirectSelect(select(Invitation.id).where(Invitation.token_hash == bindparam("token_hash")))
    with pytest.raises(ValueError, match="token_hash"):
        query.first({})
