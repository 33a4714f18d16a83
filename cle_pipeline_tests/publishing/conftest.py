"""The real udata server for every publication test (session-scoped, see udata/fixture.py)."""

from cle_pipeline_tests.publishing.udata.fixture import udata_server  # noqa: F401
