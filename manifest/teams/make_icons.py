"""Draw the Teams app icons: ``color.png`` (192×192, a white speech bubble with a tick on the
accent colour) and ``outline.png`` (32×32, the same in white on transparent, as Teams asks).

Plain Python (zlib and struct), so it runs anywhere: ``python manifest/teams/make_icons.py``.
"""

from __future__ import annotations

import math
import struct
import zlib
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ACCENT = (0x1D, 0x4F, 0x91)  # the manifest's accentColor
WHITE = (255, 255, 255)
SAMPLES = 4  # per side of a pixel, for smooth edges
Shape = Callable[[float, float], bool]  # inside, in a unit square


def rounded_box(left: float, top: float, right: float, bottom: float, radius: float) -> Shape:
    def inside(x: float, y: float) -> bool:
        nx = min(max(x, left + radius), right - radius)
        ny = min(max(y, top + radius), bottom - radius)
        return (x - nx) ** 2 + (y - ny) ** 2 <= radius**2 and left <= x <= right

    return inside


def triangle(a: tuple[float, float], b: tuple[float, float], c: tuple[float, float]) -> Shape:
    def side(p: tuple[float, float], q: tuple[float, float], x: float, y: float) -> float:
        return (q[0] - p[0]) * (y - p[1]) - (q[1] - p[1]) * (x - p[0])

    def inside(x: float, y: float) -> bool:
        signs = (side(a, b, x, y), side(b, c, x, y), side(c, a, x, y))
        return all(s >= 0 for s in signs) or all(s <= 0 for s in signs)

    return inside


def stroke(points: list[tuple[float, float]], width: float) -> Shape:
    def inside(x: float, y: float) -> bool:
        for (ax, ay), (bx, by) in zip(points, points[1:], strict=False):
            dx, dy = bx - ax, by - ay
            t = max(0.0, min(1.0, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)))
            if math.hypot(x - ax - t * dx, y - ay - t * dy) <= width / 2:
                return True
        return False

    return inside


BUBBLE_BOX = (0.14, 0.18, 0.86, 0.70, 0.13)
TAIL = ((0.26, 0.62), (0.26, 0.86), (0.48, 0.66))
TICK = [(0.34, 0.44), (0.46, 0.56), (0.67, 0.33)]


def bubble(shrink: float = 0.0) -> Shape:
    left, top, right, bottom, radius = BUBBLE_BOX
    box = rounded_box(left + shrink, top + shrink, right - shrink, bottom - shrink,
                      max(radius - shrink, 0.01))  # fmt: skip
    (ax, ay), (bx, by), (cx, cy) = TAIL
    tail = triangle((ax + shrink, ay), (bx + shrink, by - 2.2 * shrink), (cx - shrink, cy))
    return lambda x, y: box(x, y) or tail(x, y)


def coverage(shape: Shape, size: int, px: int, py: int) -> float:
    step = 1 / (size * SAMPLES)
    hits = sum(
        shape((px * SAMPLES + i + 0.5) * step, (py * SAMPLES + j + 0.5) * step)
        for i in range(SAMPLES)
        for j in range(SAMPLES)
    )
    return hits / SAMPLES**2


def color_icon(size: int = 192) -> bytes:
    outer, tick = bubble(), stroke(TICK, 0.085)
    rows = []
    for y in range(size):
        row = bytearray()
        for x in range(size):
            white, blue = coverage(outer, size, x, y), coverage(tick, size, x, y)
            base = [a + (w - a) * white for a, w in zip(ACCENT, WHITE, strict=True)]
            pixel = [b + (a - b) * blue for b, a in zip(base, ACCENT, strict=True)]
            row += bytes(round(v) for v in pixel) + b"\xff"
        rows.append(bytes(row))
    return png(size, rows)


def outline_icon(size: int = 32) -> bytes:
    outer, inner, tick = bubble(), bubble(0.075), stroke(TICK, 0.085)

    def drawn(x: float, y: float) -> bool:
        return (outer(x, y) and not inner(x, y)) or tick(x, y)

    rows = [
        b"".join(bytes(WHITE) + bytes([round(255 * coverage(drawn, size, x, y))])
                 for x in range(size))
        for y in range(size)
    ]  # fmt: skip
    return png(size, rows)


def png(size: int, rows: list[bytes]) -> bytes:
    """An RGBA PNG from rows of pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    pixels = zlib.compress(b"".join(b"\x00" + row for row in rows), 9)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


if __name__ == "__main__":
    (HERE / "color.png").write_bytes(color_icon())
    (HERE / "outline.png").write_bytes(outline_icon())
    print("wrote color.png and outline.png")
