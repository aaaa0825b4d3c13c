"""HTML routes, one module per journey. Each route parses input, calls one domain function and renders."""
