"""UK geography, offline: nations, postcodes, the gazetteer, geocoding and distances."""
