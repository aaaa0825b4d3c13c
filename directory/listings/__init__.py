"""Listings: the tables, the vocabularies, the one listing schema and validator, the catalogue, CSV and JSON import and
export, the audit log, the coverage report, and the browse and service pages."""
