"""Keeping listings right: public suggestions, moderators and sign-in, review, rate limits, freshness and organisations'
confirmation links, their pages and the moderators' JSON."""
