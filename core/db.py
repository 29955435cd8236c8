"""What the database's refusals mean for a request: a conflict worth running again, or a database
that is not answering (both a 503 with Retry-After, never a 500)."""

import logging
import random
import time

from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections, transaction

# SQLSTATE of the transactions PostgreSQL cancels to resolve a conflict between them: run again,
# they succeed. 40001 serialization_failure, 40P01 deadlock_detected.
CONFLICT_CODES = {"40001", "40P01"}
ATTEMPTS = 4

logger = logging.getLogger(__name__)


def sqlstate(error: Exception) -> str | None:
    """The SQLSTATE of a database error from PostgreSQL (Django keeps the driver's error as the cause)."""
    return getattr(error.__cause__, "pgcode", None) or getattr(error, "pgcode", None)


def is_conflict(error: Exception) -> bool:
    return isinstance(error, OperationalError) and sqlstate(error) in CONFLICT_CODES


def is_unavailable(error: Exception) -> bool:
    """The database is down, unreachable, too slow (a statement timeout), busy or in conflict.

    Every OperationalError PostgreSQL raises is of that kind (a query it cannot run is a
    ProgrammingError or DataError instead). SQLite raises OperationalError for mistakes in SQL
    too, so there only "database is locked" counts.
    """
    if isinstance(error, InterfaceError):
        return True
    if not isinstance(error, OperationalError):
        return False
    module = type(error.__cause__).__module__ if error.__cause__ is not None else ""
    if module.startswith("psycopg"):
        return True
    return "database is locked" in str(error)


def run_in_transaction(func, *, using: str = DEFAULT_DB_ALIAS, attempts: int = ATTEMPTS):
    """func() in a transaction of its own; run again from the start when the database cancels it to
    resolve a conflict with another one, at most `attempts` times in all.

    Only an outermost transaction can be run again: inside another one the error goes up, to be
    handled where that one began. The last failure goes up too (answered as a 503).
    """
    for attempt in range(1, attempts + 1):
        try:
            with transaction.atomic(using=using):
                return func()
        except OperationalError as error:
            if connections[using].in_atomic_block or not is_conflict(error) or attempt == attempts:
                raise
            logger.warning(
                "The database cancelled a transaction to resolve a conflict (SQLSTATE %s); "
                "running it again (attempt %d of %d).",
                sqlstate(error),
                attempt + 1,
                attempts,
            )
        # Both sides of a deadlock retrying at once would meet again: wait a little, at random.
        time.sleep(random.uniform(0.01, 0.05) * attempt)
    raise AssertionError("unreachable")
