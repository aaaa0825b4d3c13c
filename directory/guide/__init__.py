"""The plain-English guide to secondary breast cancer."""
