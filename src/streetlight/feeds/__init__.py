"""Open sources: public feeds and neighbour-group exports turned into signals, never into profiles of people."""
