"""Day 5 of the students: charts, the map and the site of the commune (group `valorisation`)."""
