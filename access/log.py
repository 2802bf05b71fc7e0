"""The access log (Normen): every time a professional's page shows the family's input, who read
what and when is stored, in the request's own transaction; and when a reader last read an entry.

A view that shows the family's input collects the entries from its services (`(kind, id, author)`)
and calls `log_reads` once, after rendering the page: one INSERT and the request's one COMMIT.
`last_read_at` is the SQL for "when did this reader last read it" that the pages' queries carry."""
from collections.abc import Iterable

from sqlalchemy import func, insert, select

from accounts.models import User
from core.extensions import db
from core.models import utcnow
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


def last_read_at(kind: InputKind, item_id, reader_id: int):
    """SQL: when `reader_id` last read the entry (`item_id`: a column, or a value), or NULL. One
    lookup in `ix_access_log_item` (kind, item, reader, time), however often it was read: the time of
    a page grows with the entries it shows, not with the log, which only ever grows."""
    return (select(func.max(AccessLog.at))
            .where(AccessLog.item_kind == kind, AccessLog.item_id == item_id, AccessLog.reader_id == reader_id)
            .scalar_subquery())
