"""Reproducible generator for every asset of the Comet Catcher demo.

Run from anywhere:  python assets/make_assets.py [--out DIR]
Writes, next to this file (or under DIR):
  images/  ship, shard, shard_gold, comet, comet_tail, glow, particle, stars, life, icon (PNG)
  sounds/  pickup_1..4, gold, hit, game_over, click, chime, start, speedup (16-bit mono WAV)
  fonts/   kgen_pixel.png (glyph sheet) + kgen_pixel.json (metrics), from font_glyphs.txt

Only the standard library and pygame are used; randomness comes from fixed seeds, so running the
generator twice gives the same pixels and samples. Everything here was made for this project.
"""

from __future__ import annotations

import argparse
import array
import json
import math
import os
import random
import sys
import wave
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
import pygame

ROOT = Path(__file__).resolve().parent
GLYPHS = ROOT / "font_glyphs.txt"

Color = tuple[int, int, int]
Point = tuple[float, float]

SUPERSAMPLE = 4
SAMPLE_RATE = 22050


# --------------------------------------------------------------------------------------------
# Drawing helpers
# --------------------------------------------------------------------------------------------


def _to_px(points: Iterable[Point], size: int) -> list[tuple[float, float]]:
    """Map unit coordinates (-1..1, y down) to pixel coordinates of a size x size surface."""
    half = size / 2
    return [(half + x * half, half + y * half) for x, y in points]


def _canvas(size: int, edge: Color) -> pygame.Surface:
    """Transparent surface whose invisible pixels carry `edge` (no dark fringe on smoothscale)."""
    surface = pygame.Surface((size, size), pygame.SRCALPHA)
    surface.fill((*edge, 0))
    return surface


def _downsample(surface: pygame.Surface, size: int) -> pygame.Surface:
    return pygame.transform.smoothscale(surface, (size, size))


def _lerp(a: float, b: float, t: float) -> float:
    return a + (b - a) * t


def _mix(c1: Sequence[float], c2: Sequence[float], t: float) -> Color:
    t = max(0.0, min(1.0, t))
    return (
        round(_lerp(c1[0], c2[0], t)),
        round(_lerp(c1[1], c2[1], t)),
        round(_lerp(c1[2], c2[2], t)),
    )


# --------------------------------------------------------------------------------------------
# Sprites
# --------------------------------------------------------------------------------------------

SHIP_HULL: list[Point] = [
    (0.92, 0.0), (0.34, -0.20), (-0.12, -0.30), (-0.56, -0.82), (-0.80, -0.74),
    (-0.56, -0.24), (-0.72, -0.16), (-0.72, 0.16), (-0.56, 0.24), (-0.80, 0.74),
    (-0.56, 0.82), (-0.12, 0.30), (0.34, 0.20),
]


def draw_ship(size: int) -> pygame.Surface:
    """The player's ship, nose pointing right (angle 0 = +x)."""
    big = size * SUPERSAMPLE
    s = _canvas(big, (60, 70, 120))
    outline = (24, 26, 60)
    pygame.draw.polygon(s, outline, _to_px(SHIP_HULL, big))
    inner = [(x * 0.9 - 0.02, y * 0.86) for x, y in SHIP_HULL]
    pygame.draw.polygon(s, (120, 140, 205), _to_px(inner, big))
    # Upper half lit, lower half in shade: reads as a 3D hull at small size.
    upper = [(0.80, 0.0), (0.30, -0.16), (-0.12, -0.25), (-0.50, -0.70), (-0.62, -0.64),
             (-0.46, -0.18), (-0.62, -0.10), (-0.62, 0.0)]
    pygame.draw.polygon(s, (190, 205, 245), _to_px(upper, big))
    # Wing stripes in the game's magenta accent.
    for sign in (-1, 1):
        stripe = [(-0.30, 0.40 * sign), (-0.48, 0.70 * sign), (-0.58, 0.66 * sign),
                  (-0.40, 0.36 * sign)]
        pygame.draw.polygon(s, (255, 80, 200), _to_px(stripe, big))
    # Engine block and its hot nozzle.
    pygame.draw.polygon(s, (70, 60, 110), _to_px([(-0.56, -0.16), (-0.80, -0.12),
                                                   (-0.80, 0.12), (-0.56, 0.16)], big))
    pygame.draw.polygon(s, (255, 170, 90), _to_px([(-0.80, -0.08), (-0.88, -0.06),
                                                    (-0.88, 0.06), (-0.80, 0.08)], big))
    # Cockpit canopy with a glint.
    cx, cy = _to_px([(0.22, 0.0)], big)[0]
    rect = pygame.Rect(0, 0, big * 0.30, big * 0.15)
    rect.center = (round(cx), round(cy))
    pygame.draw.ellipse(s, (20, 40, 80), rect)
    pygame.draw.ellipse(s, (90, 230, 255), rect.inflate(-big * 0.03, -big * 0.03))
    glint = pygame.Rect(0, 0, big * 0.10, big * 0.04)
    glint.center = (round(cx + big * 0.03), round(cy - big * 0.02))
    pygame.draw.ellipse(s, (230, 250, 255), glint)
    return _downsample(s, size)


def draw_shard(size: int, palette: Sequence[Color]) -> pygame.Surface:
    """A faceted crystal; palette = (light, mid, dark, deep, outline)."""
    light, mid, dark, deep, outline = palette
    big = size * SUPERSAMPLE
    s = _canvas(big, mid)
    top, right, bottom, left = (0.0, -0.92), (0.58, -0.12), (0.0, 0.92), (-0.58, -0.12)
    center = (0.05, -0.05)
    pygame.draw.polygon(s, outline, _to_px([(0.0, -1.0), (0.68, -0.12), (0.0, 1.0),
                                            (-0.68, -0.12)], big))
    pygame.draw.polygon(s, light, _to_px([top, center, left], big))
    pygame.draw.polygon(s, mid, _to_px([top, right, center], big))
    pygame.draw.polygon(s, dark, _to_px([left, center, bottom], big))
    pygame.draw.polygon(s, deep, _to_px([center, right, bottom], big))
    pygame.draw.line(s, (255, 255, 255), *_to_px([(-0.12, -0.62), (-0.34, -0.18)], big),
                     width=max(1, big // 24))
    return _downsample(s, size)


CYAN_SHARD = ((215, 252, 255), (100, 225, 255), (40, 150, 225), (25, 95, 185), (10, 40, 90))
GOLD_SHARD = ((255, 248, 200), (255, 210, 90), (225, 145, 35), (170, 95, 20), (80, 40, 10))


def draw_comet(size: int) -> pygame.Surface:
    """A lumpy, shaded rock with a hot leading edge (it travels to the right)."""
    rng = random.Random(7)
    big = size * SUPERSAMPLE
    s = _canvas(big, (120, 60, 40))
    lumps = [(rng.uniform(0, math.tau), rng.uniform(0.03, 0.07), rng.randint(2, 5))
             for _ in range(4)]
    craters = [((-0.28, 0.22), 0.24), ((0.32, -0.12), 0.1), ((-0.05, -0.45), 0.08),
               ((0.12, 0.46), 0.07), ((-0.52, -0.18), 0.06), ((0.02, 0.02), 0.05)]
    light = (0.7, -0.55)
    norm = math.hypot(*light)
    lx, ly = light[0] / norm, light[1] / norm
    dark, lit, hot = (52, 30, 40), (170, 95, 60), (255, 190, 110)
    for py in range(big):
        for px in range(big):
            x = (px + 0.5) / big * 2 - 1
            y = (py + 0.5) / big * 2 - 1
            r = math.hypot(x, y)
            theta = math.atan2(y, x)
            edge = 0.8 + sum(a * math.sin(k * theta + p) for p, a, k in lumps)
            if r > edge:
                continue
            rr = r / edge
            z = math.sqrt(max(0.0, 1 - rr * rr))
            nx, ny = x / edge, y / edge
            lambert = max(0.0, nx * lx + ny * ly + z * 0.5)
            color = _mix(dark, lit, lambert)
            for (cx, cy), cr in craters:
                d = math.hypot(x - cx, y - cy) / cr
                if d < 1:
                    shade = 0.45 + 0.55 * d * d
                    rim = max(0.0, 1 - abs(d - 0.92) * 12) * 0.35
                    color = _mix(color, (20, 10, 20), 1 - shade)
                    color = _mix(color, lit, rim)
            front = max(0.0, nx) * rr**3
            color = _mix(color, hot, min(1.0, front * 1.6))
            s.set_at((px, py), (*color, 255))
    return _downsample(s, size)


def draw_radial(size: int, exponent: float, core: float = 0.0) -> pygame.Surface:
    """White-on-black radial falloff (opaque RGB): drawn with additive blending in game."""
    s = pygame.Surface((size, size))
    half = size / 2
    for py in range(size):
        for px in range(size):
            d = math.hypot(px + 0.5 - half, py + 0.5 - half) / half
            v = 0.0 if d >= 1 else (1 - d) ** exponent
            if d < core:
                v = 1.0
            level = round(255 * min(1.0, v))
            s.set_at((px, py), (level, level, level))
    return s


def draw_comet_tail(width: int, height: int) -> pygame.Surface:
    """Additive tail: bright at the head (right edge), tapering and cooling to the left."""
    s = pygame.Surface((width, height))
    head, mid, tip = (255, 235, 190), (255, 120, 50), (120, 30, 60)
    for px in range(width):
        t = px / (width - 1)  # 0 at the tip (left), 1 at the head (right)
        half_h = (height / 2) * (0.12 + 0.88 * t**0.8)
        color = _mix(tip, mid, t * 1.6) if t < 0.62 else _mix(mid, head, (t - 0.62) / 0.38)
        intensity = t**1.6 * min(1.0, (1 - t) / 0.1 + 0.15)  # soft at the head too
        for py in range(height):
            d = abs(py + 0.5 - height / 2) / half_h
            if d >= 1:
                continue
            v = intensity * (1 - d * d)
            s.set_at((px, py), tuple(round(c * v) for c in color))
    return s


def draw_stars() -> pygame.Surface:
    """Four additive star frames of 9x9: pinpoint, soft dot, cross, four-point sparkle."""
    cell = 9
    sheet = pygame.Surface((cell * 4, cell))
    c = cell // 2

    def put(frame: int, x: int, y: int, v: float) -> None:
        level = round(255 * max(0.0, min(1.0, v)))
        old = sheet.get_at((frame * cell + x, y))[0]
        level = max(level, old)
        sheet.set_at((frame * cell + x, y), (level, level, min(255, level + 10)))

    put(0, c, c, 1.0)
    for dx in range(-1, 2):
        for dy in range(-1, 2):
            put(1, c + dx, c + dy, 1.0 if dx == dy == 0 else 0.35)
    for d in range(-2, 3):
        v = 1.0 - abs(d) * 0.35
        put(2, c + d, c, v)
        put(2, c, c + d, v)
    for d in range(-4, 5):
        v = 1.0 - abs(d) * 0.22
        put(3, c + d, c, v)
        put(3, c, c + d, v)
    for dx, dy in ((1, 1), (-1, -1), (1, -1), (-1, 1)):
        put(3, c + dx, c + dy, 0.4)
    return sheet


def draw_icon(ship: pygame.Surface, shard: pygame.Surface) -> pygame.Surface:
    """32x32 window icon: the ship climbing past a shard on a dark rounded tile."""
    big = 32 * SUPERSAMPLE
    s = _canvas(big, (30, 24, 70))
    pygame.draw.rect(s, (30, 24, 70), s.get_rect(), border_radius=big // 5)
    pygame.draw.rect(s, (90, 230, 255), s.get_rect(), width=big // 24, border_radius=big // 5)
    gem = pygame.transform.smoothscale(shard, (big // 3, big // 3))
    s.blit(gem, gem.get_rect(center=(big * 0.72, big * 0.28)))
    craft = pygame.transform.rotozoom(ship, 45, big * 0.78 / ship.get_width())
    s.blit(craft, craft.get_rect(center=(big * 0.42, big * 0.58)))
    return _downsample(s, 32)


def draw_life(ship: pygame.Surface) -> pygame.Surface:
    """Small ship pointing up, used as the lives counter in the HUD."""
    return pygame.transform.rotozoom(ship, 90, 26 / ship.get_width())


def make_images(out: Path) -> list[Path]:
    folder = out / "images"
    folder.mkdir(parents=True, exist_ok=True)
    ship = draw_ship(64)
    shard = draw_shard(32, CYAN_SHARD)
    images: dict[str, pygame.Surface] = {
        "ship": ship,
        "shard": shard,
        "shard_gold": draw_shard(32, GOLD_SHARD),
        "comet": draw_comet(64),
        "comet_tail": draw_comet_tail(160, 48),
        "glow": draw_radial(64, 2.2),
        "particle": draw_radial(16, 1.4, core=0.15),
        "stars": draw_stars(),
        "life": draw_life(ship),
        "icon": draw_icon(draw_ship(128), draw_shard(64, CYAN_SHARD)),
    }
    written = []
    for name, surface in images.items():
        path = folder / f"{name}.png"
        pygame.image.save(surface, str(path))
        written.append(path)
    return written


# --------------------------------------------------------------------------------------------
# Bitmap font
# --------------------------------------------------------------------------------------------

FONT_CELL = (6, 10)  # glyphs are at most 5x9; one spare column and row in each cell
FONT_COLUMNS = 16
FONT_FIRST, FONT_LAST = 32, 126


def parse_glyphs(text: str) -> dict[str, list[str]]:
    """Parse font_glyphs.txt into {char: rows}."""
    glyphs: dict[str, list[str]] = {}
    current: list[str] | None = None
    for raw in text.splitlines():
        line = raw.rstrip("\n")
        if not line.strip() or line.startswith(";;"):
            continue
        if line.startswith("== "):
            name = line[3:]
            char = " " if name == "space" else name
            if len(char) != 1:
                raise ValueError(f"bad glyph header: {line!r}")
            current = glyphs.setdefault(char, [])
            continue
        if current is None or set(line) - {".", "#"}:
            raise ValueError(f"bad glyph row: {line!r}")
        current.append(line)
    missing = [chr(c) for c in range(FONT_FIRST, FONT_LAST + 1) if chr(c) not in glyphs]
    if missing:
        raise ValueError(f"glyphs missing: {''.join(missing)!r}")
    return glyphs


def make_font(out: Path) -> list[Path]:
    folder = out / "fonts"
    folder.mkdir(parents=True, exist_ok=True)
    glyphs = parse_glyphs(GLYPHS.read_text(encoding="utf-8"))
    cw, ch = FONT_CELL
    count = FONT_LAST - FONT_FIRST + 1
    rows = math.ceil(count / FONT_COLUMNS)
    sheet = pygame.Surface((cw * FONT_COLUMNS, ch * rows), pygame.SRCALPHA)
    sheet.fill((255, 255, 255, 0))
    widths = []
    for index in range(count):
        char = chr(FONT_FIRST + index)
        grid = glyphs[char]
        width = max(len(row) for row in grid)
        if width > cw - 1 or len(grid) > ch - 1:
            raise ValueError(f"glyph {char!r} does not fit the cell")
        widths.append(width)
        ox, oy = (index % FONT_COLUMNS) * cw, (index // FONT_COLUMNS) * ch
        for y, row in enumerate(grid):
            for x, pixel in enumerate(row):
                if pixel == "#":
                    sheet.set_at((ox + x, oy + y), (255, 255, 255, 255))
    png = folder / "kgen_pixel.png"
    pygame.image.save(sheet, str(png))
    metrics = {
        "name": "kgen_pixel",
        "image": png.name,
        "cell_width": cw,
        "cell_height": ch,
        "columns": FONT_COLUMNS,
        "first_char": FONT_FIRST,
        "last_char": FONT_LAST,
        "glyph_height": 9,
        "cap_height": 7,
        "line_height": 11,
        "letter_spacing": 1,
        "widths": widths,
        "license": "Made for the kgen-pygame project (MIT, same as the project).",
    }
    meta = folder / "kgen_pixel.json"
    meta.write_text(json.dumps(metrics, indent=1) + "\n", encoding="utf-8")
    return [png, meta]


# --------------------------------------------------------------------------------------------
# Sounds
# --------------------------------------------------------------------------------------------

Wave = Callable[[float], float]


def sine(phase: float) -> float:
    return math.sin(math.tau * phase)


def triangle(phase: float) -> float:
    return 4 * abs((phase % 1.0) - 0.5) - 1


def soft_square(phase: float) -> float:
    """A square wave with rounded edges (fewer harsh overtones at 22 kHz)."""
    return math.tanh(4 * math.sin(math.tau * phase)) * 0.8


def silence(seconds: float) -> list[float]:
    return [0.0] * round(seconds * SAMPLE_RATE)


def tone(freq: float, seconds: float, wave_fn: Wave = sine, *, attack: float = 0.004,
         decay: float = 0.15, glide_to: float | None = None, vibrato: float = 0.0,
         volume: float = 1.0) -> list[float]:
    """One note: exponential decay after a short attack, optional pitch glide and vibrato."""
    n = round(seconds * SAMPLE_RATE)
    out = []
    phase = 0.0
    for i in range(n):
        t = i / SAMPLE_RATE
        f = freq if glide_to is None else freq * (glide_to / freq) ** (i / n)
        if vibrato:
            f *= 1 + vibrato * math.sin(math.tau * 6 * t)
        phase += f / SAMPLE_RATE
        env = min(1.0, t / attack) * math.exp(-t / decay)
        out.append(wave_fn(phase) * env * volume)
    return out


def mix(length_s: float, *parts: tuple[float, list[float]]) -> list[float]:
    """Mix (start_seconds, samples) parts into one buffer."""
    out = silence(length_s)
    for start, samples in parts:
        offset = round(start * SAMPLE_RATE)
        for i, v in enumerate(samples):
            if offset + i < len(out):
                out[offset + i] += v
    return out


def finish(samples: list[float], gain: float = 0.8) -> list[float]:
    """Normalise to `gain`, soft-clip and fade the last few ms to avoid clicks."""
    peak = max(1e-9, max(abs(v) for v in samples))
    out = [math.tanh(v / peak * 1.1) * gain for v in samples]
    fade = min(len(out), round(0.006 * SAMPLE_RATE))
    for i in range(fade):
        out[-1 - i] *= i / fade
    return out


def noise(seconds: float, rng: random.Random, cutoff_start: float, cutoff_end: float,
          decay: float) -> list[float]:
    """White noise through a one-pole low-pass whose cutoff sweeps (explosions, whooshes)."""
    n = round(seconds * SAMPLE_RATE)
    out = []
    state = 0.0
    for i in range(n):
        t = i / SAMPLE_RATE
        cutoff = cutoff_start * (cutoff_end / cutoff_start) ** (i / n)
        alpha = 1 - math.exp(-math.tau * cutoff / SAMPLE_RATE)
        state += alpha * (rng.uniform(-1, 1) - state)
        out.append(state * math.exp(-t / decay))
    return out


def write_wav(path: Path, samples: list[float]) -> None:
    data = array.array("h", (round(max(-1.0, min(1.0, v)) * 32767) for v in samples))
    if sys.byteorder == "big":
        data.byteswap()
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(SAMPLE_RATE)
        wav.writeframes(data.tobytes())


def make_sounds(out: Path) -> list[Path]:
    folder = out / "sounds"
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(1234)
    sounds: dict[str, list[float]] = {}
    # Pickup: a quick rising fifth; higher notes for longer combos.
    for level, base in enumerate((880.0, 988.0, 1175.0, 1319.0), start=1):
        blip = [0.55 * a + 0.45 * b for a, b in zip(
            tone(base, 0.07, soft_square, decay=0.05),
            tone(base, 0.07, sine, decay=0.05), strict=True)]
        sounds[f"pickup_{level}"] = finish(mix(
            0.17, (0.0, blip), (0.055, tone(base * 1.5, 0.11, sine, decay=0.05))), 0.6)
    # Gold shard: a sparkling triad.
    sounds["gold"] = finish(mix(
        0.42,
        (0.00, tone(1319, 0.3, sine, decay=0.10)),
        (0.06, tone(1661, 0.3, sine, decay=0.10)),
        (0.12, tone(1976, 0.3, sine, decay=0.12)),
        (0.12, tone(3952, 0.2, sine, decay=0.05, volume=0.25)),
    ), 0.65)
    # Hit: low thump plus filtered crunch.
    sounds["hit"] = finish(mix(
        0.55,
        (0.0, tone(170, 0.5, sine, decay=0.14, glide_to=38)),
        (0.0, noise(0.5, rng, 5000, 300, 0.12)),
    ), 0.85)
    # Game over: three falling notes, the last one wobbling.
    sounds["game_over"] = finish(mix(
        1.35,
        (0.00, tone(392, 0.32, triangle, decay=0.20)),
        (0.28, tone(330, 0.32, triangle, decay=0.20)),
        (0.56, tone(262, 0.78, triangle, decay=0.35, vibrato=0.012)),
        (0.56, tone(131, 0.78, sine, decay=0.35, volume=0.5)),
    ), 0.7)
    # UI click: a tiny tick.
    sounds["click"] = finish(mix(
        0.045, (0.0, tone(1800, 0.04, sine, attack=0.001, decay=0.010)),
        (0.0, noise(0.02, rng, 6000, 3000, 0.004))), 0.45)
    # Reward chime: bell partials on an arpeggio.
    def bell(freq: float) -> list[float]:
        partials = ((1.0, 1.0, 0.35), (2.0, 0.45, 0.22), (2.76, 0.25, 0.12), (5.4, 0.12, 0.05))
        return [sum(parts) for parts in zip(*(
            tone(freq * ratio, 0.9, sine, attack=0.002, decay=decay, volume=vol)
            for ratio, vol, decay in partials), strict=True)]
    sounds["chime"] = finish(mix(1.1, (0.0, bell(1047)), (0.11, bell(1319)),
                                 (0.22, bell(1568))), 0.6)
    # Round start: a rising sweep.
    sounds["start"] = finish(mix(
        0.42, (0.0, tone(300, 0.4, soft_square, decay=0.2, glide_to=900, volume=0.5)),
        (0.0, tone(450, 0.4, sine, decay=0.2, glide_to=1350))), 0.55)
    # Speed-up warning: two double beeps.
    beep_hi = tone(880, 0.08, soft_square, decay=0.06)
    beep_lo = tone(660, 0.08, soft_square, decay=0.06)
    sounds["speedup"] = finish(mix(0.42, (0.0, beep_lo), (0.1, beep_hi), (0.22, beep_lo),
                                   (0.32, beep_hi)), 0.5)
    written = []
    for name, samples in sounds.items():
        path = folder / f"{name}.wav"
        write_wav(path, samples)
        written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate the Comet Catcher assets.")
    parser.add_argument("--out", type=Path, default=ROOT, help="output folder (default: here)")
    out: Path = parser.parse_args(argv).out
    # No pygame.init(): drawing on plain Surfaces and saving PNGs needs no display or audio.
    written = make_font(out) + make_images(out) + make_sounds(out)
    total = 0
    for path in written:
        size = path.stat().st_size
        total += size
        print(f"{path.relative_to(out)}: {size} bytes")
    print(f"total: {total} bytes in {len(written)} files")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
