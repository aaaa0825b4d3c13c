"""JSON routes over the same domain functions as the web pages."""
