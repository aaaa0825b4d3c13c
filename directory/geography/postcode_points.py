"""Every Great Britain postcode at its own point, with its own nation, from the bundled `data/gazetteer/postcodes.xz`
(OS Code-Point Open, converted to WGS84 when the gazetteer was built; format in scripts/gazetteer_postcodes.py).

The file is read once (about 0.4 s, 30 MB of memory), on first use or at start-up; a look-up is then a binary
search over fixed-width records, a few microseconds. Northern Ireland postcodes are not in Code-Point Open: they
are placed at their district's centre by the gazetteer, and say so.
"""

from __future__ import annotations

import lzma
import struct
import threading
from array import array
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from directory.geography.gazetteer import GAZETTEER_DIR
from directory.geography.nations import Nation

POSTCODES_FILE = "postcodes.xz"
MAGIC = b"UKPC1\n"
WIDTH = 7
NATIONS = (Nation.ENGLAND, Nation.SCOTLAND, Nation.WALES)


@dataclass(frozen=True)
class PostcodePoint:
    latitude: float
    longitude: float
    nation: Nation


class PostcodePoints:
    def __init__(self, path: Path = GAZETTEER_DIR / POSTCODES_FILE) -> None:
        data = lzma.decompress(path.read_bytes())
        if not data.startswith(MAGIC):
            raise ValueError(f"{path} is not a postcodes file")
        (self.count,) = struct.unpack_from("<I", data, len(MAGIC))
        start = len(MAGIC) + 4
        self.codes = data[start : start + self.count * WIDTH]
        start += self.count * WIDTH
        self.latitudes = array("i")
        self.latitudes.frombytes(data[start : start + self.count * 4])
        self.longitudes = array("i")
        self.longitudes.frombytes(data[start + self.count * 4 : start + self.count * 8])
        self.nations = data[start + self.count * 8 : start + self.count * 9]

    def point(self, postcode: str) -> PostcodePoint | None:
        """The point of a normalised postcode ('LS1 3EX'), or None if Code-Point Open does not have it."""
        outward, _, inward = postcode.partition(" ")
        key = (outward.ljust(4) + inward).encode("ascii", "replace")
        low, high = 0, self.count
        while low < high:
            middle = (low + high) // 2
            if self.codes[middle * WIDTH : (middle + 1) * WIDTH] < key:
                low = middle + 1
            else:
                high = middle
        if low == self.count or self.codes[low * WIDTH : (low + 1) * WIDTH] != key:
            return None
        return PostcodePoint(self.latitudes[low] / 1e5, self.longitudes[low] / 1e5, NATIONS[self.nations[low]])


_loading = threading.Lock()


@lru_cache(maxsize=1)
def _load() -> PostcodePoints:
    return PostcodePoints()


def postcode_points() -> PostcodePoints:
    """The bundled postcodes, read on first use (thread-safe: two first searches at once read it once)."""
    with _loading:
        return _load()
