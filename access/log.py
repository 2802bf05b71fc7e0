"""The access log (Normen): every time a professional's page shows the family's input, who read
what and when is stored, in the request's own transaction; and when a reader last read an entry.

A view that shows the family's input collects the entries from its services (`(kind, id, author)`)
and calls `log_reads` once, after rendering the page: one INSERT and the request's one COMMIT."""
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Integer, String, insert, text

from accounts.models import User
from core.extensions import db
from core.models import utcnow, values_cte
from pathways.models import AccessLog, InputKind, Pathway

ReadEntry = tuple[InputKind, int, int]  # (kind, item id, author id)


def log_reads(reader: User, pathway: Pathway, entries: Iterable[ReadEntry]) -> None:
    """Record that `reader` was shown these entries of the family's input on `pathway` (Normen:
    every read is logged), with the reader's services as they are now, and commit the request's
    work. One INSERT whatever the number of entries, then one COMMIT: a view calls it once, after it
    has rendered the page, so that a page goes out only with its reads stored."""
    unique = list(dict.fromkeys((InputKind(kind), item_id, author_id) for kind, item_id, author_id in entries))
    if unique:
        now = utcnow()
        services = reader.service_names[:300]
        db.session.execute(insert(AccessLog), [
            {"at": now, "reader_id": reader.id, "reader_services": services, "pathway_id": pathway.id,
             "item_kind": kind, "item_id": item_id, "author_id": author_id}
            for kind, item_id, author_id in unique
        ])
    db.session.commit()


def last_reads(reader: User, entries: Iterable[ReadEntry]) -> dict[tuple[InputKind, int], datetime]:
    """When `reader` last opened each of these entries (those never opened are left out). Ask
    before logging the current read, to mark what changed since.

    One query, and in it one index lookup per entry for the newest read (`ix_access_log_item`):
    the time grows with the number of entries, not with how often they were read."""
    wanted = sorted({(InputKind(kind).value, item_id) for kind, item_id, _author_id in entries})
    if not wanted:
        return {}
    cte, params = values_cte("wanted", {"item_kind": "VARCHAR(20)", "item_id": "INTEGER"}, wanted)
    query = text(
        f"WITH {cte}"
        " SELECT wanted.item_kind, wanted.item_id, (SELECT max(access_log.at) FROM access_log"
        "  WHERE access_log.item_kind = wanted.item_kind AND access_log.item_id = wanted.item_id"
        "  AND access_log.reader_id = :reader) AS at FROM wanted"
    ).columns(item_kind=String, item_id=Integer, at=AccessLog.__table__.c.at.type)
    rows = db.session.execute(query, params | {"reader": reader.id})
    return {(InputKind(kind), item_id): at for kind, item_id, at in rows if at is not None}
