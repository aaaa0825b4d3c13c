"""The pages about the service itself: home, about, robots.txt."""
