"""Nurses' signposting: shortlists in a signed cookie, shared read-only lists, support sheets and their pages."""
