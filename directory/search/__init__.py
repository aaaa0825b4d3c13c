"""Finding support: the one search (pages, JSON API and open data share it), keywords, statistics, the search page and
its JSON API."""
