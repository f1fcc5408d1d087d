"""Does a reply answer its suggestion? The advisory check of replies: point by point, concrete, boilerplate, on time."""
