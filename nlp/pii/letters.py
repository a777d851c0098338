"""Letter classes for name patterns: letters beyond ASCII count as letters everywhere."""

from __future__ import annotations

# Letters beyond ASCII, so "Zoë Müller", "José Peña" and "Łukasz" are names like "Dana Whitfield".
EXTRA_LATIN = [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]  # Latin-1 to Extended-B, and Vietnamese
UP = "A-Z" + "".join(c for c in map(chr, EXTRA_LATIN) if c.isupper()) + "Α-ΩА-Я"
LO = "a-z" + "".join(c for c in map(chr, EXTRA_LATIN) if c.islower()) + "ß" + "α-ωа-я"
