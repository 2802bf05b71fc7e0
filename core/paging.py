"""A part of a list cut in SQL (LIMIT and OFFSET), with the number of rows in the whole list counted in
the same statement: `TOTAL` as the query's last column (a window function, computed before LIMIT)."""
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy import func

T = TypeVar("T")

TOTAL = func.count().over()


def page_number(args: Mapping[str, str]) -> int:
    """`?page=` as a number from 1; anything else gives 1 (never an error)."""
    page = args.get("page", "")
    return max(1, int(page)) if page.isdecimal() and len(page) < 7 else 1


def split_total(rows: Sequence) -> tuple[list, int]:
    """Rows selected with `TOTAL` last: the rows without it, and the total (0 when no row came)."""
    return [tuple(row[:-1]) for row in rows], (rows[0][-1] if rows else 0)


@dataclass
class Part(Generic[T]):
    """`items`: the rows from `offset` on (at most `size` of them) of a list of `total` rows."""

    items: list[T]
    total: int
    size: int
    offset: int = 0

    @property
    def more(self) -> int:
        """How many come after these."""
        return max(0, self.total - self.offset - len(self.items))

    @property
    def page(self) -> int:
        return self.offset // self.size + 1

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def first(self) -> int:
        return self.offset + 1 if self.items else 0

    @property
    def last(self) -> int:
        return self.offset + len(self.items)
