"""The district's hot-issue radar: problems across deputies and stations, and how hot each is."""
